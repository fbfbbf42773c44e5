// check-mutant MUTATION [check options]: `paxos-playground check` with one of the core's deliberate
// protocol bugs switched on, for Scripts/compare-spin.sh, which times SPIN's broken variants (BUG1: the new
// leader ignores what the promises reported) against the same bug in the real core, and to see `check`
// catch a bug by hand: the safety bugs break an invariant, no-catch-up and no-stand-aside break progress.
import Foundation
@_spi(Mutants) import PaxosCore
@_spi(Mutants) import PlaygroundCLI

let mutations: KeyValuePairs<String, Mutations> = [
    "ignore-recovered-values": .ignoreRecoveredValues,
    "skip-highest-ballot-choice": .skipHighestBallotChoice,
    "accept-lower-ballot": .acceptLowerBallot,
    "commit-without-majority": .commitWithoutMajority,
    "vote-twice-in-ballot": .voteTwiceInBallot,
    "apply-out-of-order": .applyOutOfOrder,
    "no-catch-up": .noCatchUp,
    "no-stand-aside": .noStandAside,
]

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, let mutation = mutations.first(where: { $0.key == name })?.value else {
    let known = mutations.map(\.key).joined(separator: ", ")
    FileHandle.standardError.write(Data("usage: check-mutant MUTATION [check options]; MUTATION is one of: \(known)\n".utf8))
    exit(2)
}
runMutantCheck(mutation, arguments: Array(arguments.dropFirst()))
