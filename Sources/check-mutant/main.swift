// check-mutant NAME [check options]: `paxos-playground check --break NAME [check options]`, kept for
// Scripts/compare-spin.sh, which times SPIN's broken variants (BUG1: the new leader ignores what the promises
// reported) against the same bug in the real core. NAME is one of the core's named protocol bugs
// (`ProtocolBreak`, `set break` in the REPL): the safety bugs break an invariant, no-catch-up and
// no-stand-aside break progress.
import Foundation
import PaxosCore
import PlaygroundCLI

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, ProtocolBreak(name: name) != nil else {
    let known = ProtocolBreak.allCases.map(\.name).joined(separator: ", ")
    FileHandle.standardError.write(Data("usage: check-mutant NAME [check options]; NAME is one of: \(known)\n".utf8))
    exit(2)
}
runPlayground(arguments: ["check", "--break", name] + arguments.dropFirst())
