// The paxos-playground executable: REPL by default, `run` for scripts (see CLI.swift).
playgroundMain()
