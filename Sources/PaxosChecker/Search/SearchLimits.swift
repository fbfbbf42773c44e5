/// The limits that stop a search before it is done (`--max-states`, `--max-seconds`, a memory limit), and
/// the reason each gives in the report.
struct SearchLimits: Sendable {
    let start: Double
    let stateLimit: Int?
    let deadline: Double?
    let memoryLimit: Int?

    init(start: Double, configuration: CheckerConfiguration) {
        self.start = start
        stateLimit = configuration.stateLimit
        deadline = configuration.timeLimitSeconds.map { start + $0 }
        memoryLimit = configuration.memoryLimitBytes
    }

    /// Why the search must stop now, if it must. Resident memory is read only when `readMemory` (it costs a
    /// system call).
    func stopReason(states: Int, now: Double, readMemory: Bool) -> String? {
        if let stateLimit, states >= stateLimit {
            return "the state limit of \(CheckReport.grouped(stateLimit)) was reached"
        }
        if let deadline, now >= deadline {
            return String(format: "the time limit of %.0f s was reached", deadline - start)
        }
        if let memoryLimit, readMemory, currentResidentMemoryBytes() > memoryLimit {
            return "the memory limit of \(CheckReport.megabytes(memoryLimit)) was reached"
        }
        return nil
    }
}
