// The paxos-playground executable: the command line with the built-in policies (see PlaygroundCLI).
import PlaygroundCLI

runPlayground()
