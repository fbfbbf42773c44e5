// The playground's command line, with this package's policies registered: `custom-playground`
// starts the REPL; `custom-playground run FILE.pxs` runs a script; `policies` lists them all.
import CustomPolicies
import PaxosCore
import PlaygroundCLI

runPlayground(registry: .withCustomPolicies)
