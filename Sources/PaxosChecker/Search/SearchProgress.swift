import Foundation

/// The limits that stop a search before it is done (`--max-states`, `--max-seconds`, a memory limit, Ctrl-C),
/// and the reason each gives in the report.
struct SearchLimits: Sendable {
    let start: Double
    let stateLimit: Int?
    let deadline: Double?
    let memoryLimit: Int?
    let interrupted: (@Sendable () -> Bool)?

    init(start: Double, configuration: CheckerConfiguration) {
        self.start = start
        stateLimit = configuration.stateLimit
        deadline = configuration.timeLimitSeconds.map { start + $0 }
        memoryLimit = configuration.memoryLimitBytes
        interrupted = configuration.interrupted
    }

    /// Why the search must stop now, if it must. Resident memory is read only when `readMemory` (it costs a
    /// system call).
    func stopReason(states: Int, now: Double, readMemory: Bool) -> String? {
        if let interrupted, interrupted() {
            return CheckReport.interruptedReason
        }
        if let stateLimit, states >= stateLimit {
            return "the state limit of \(CheckReport.grouped(stateLimit)) was reached"
        }
        if let deadline, now >= deadline {
            return String(format: "the time limit of %g s was reached", deadline - start)
        }
        if let memoryLimit, readMemory, currentResidentMemoryBytes() > memoryLimit {
            return "the memory limit of \(CheckReport.megabytes(memoryLimit)) was reached"
        }
        return nil
    }
}

/// What the threads of a search share, under one lock (taken once per chunk of states, not per state): the
/// counts so far, the limits, progress reports, and whether and why the search stops.
final class SearchProgress: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var states: Int
    private(set) var transitions = 0
    private(set) var deepest = 0
    private(set) var stopReason: String?
    private(set) var violationFound = false
    /// Whether a depth bound (`--max-depth`) left steps of some state untaken: then the search proves nothing.
    private(set) var depthCut = false
    /// The steps to the violation, for a search that reports them here (depth-first).
    private(set) var violationPath: [Transition]?
    private var lastReport: Double
    private var lastMemoryCheck: Double
    private let limits: SearchLimits
    private let progress: (@Sendable (CheckProgress) -> Void)?

    /// `states`: those recorded before the threads start (the start state).
    init(states: Int, start: Double, configuration: CheckerConfiguration,
         progress: (@Sendable (CheckProgress) -> Void)?) {
        self.states = states
        lastReport = start
        lastMemoryCheck = start
        limits = SearchLimits(start: start, configuration: configuration)
        self.progress = progress
    }

    var shouldStop: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopReason != nil || violationFound
    }

    /// The first violation reported stops every thread.
    func reportViolation(path: [Transition]? = nil) {
        lock.lock()
        if !violationFound { violationPath = path }
        violationFound = true
        lock.unlock()
    }

    /// A state at the depth bound had steps left, which the search did not take.
    func noteDepthCut() {
        lock.lock()
        depthCut = true
        lock.unlock()
    }

    /// Adds a thread's counts since its last call, checks the limits (memory every 0.1 s) and reports
    /// progress every 0.5 s. Returns the states recorded so far.
    @discardableResult
    func add(states newStates: Int, transitions newTransitions: Int, depth: Int, frontier: Int = 0) -> Int {
        let now = monotonicSeconds()
        var report: CheckProgress?
        lock.lock()
        states += newStates
        transitions += newTransitions
        deepest = max(deepest, depth)
        if stopReason == nil {
            let readMemory = limits.memoryLimit != nil && now - lastMemoryCheck >= 0.1
            if readMemory { lastMemoryCheck = now }
            stopReason = limits.stopReason(states: states, now: now, readMemory: readMemory)
        }
        if progress != nil, now - lastReport >= 0.5 {
            lastReport = now
            report = CheckProgress(states: states, transitions: transitions, depth: depth, frontier: frontier,
                                   seconds: now - limits.start, residentMemoryBytes: currentResidentMemoryBytes())
        }
        let total = states
        lock.unlock()
        if let report { progress?(report) }
        return total
    }

    /// The states recorded so far.
    var recordedStates: Int {
        lock.lock()
        defer { lock.unlock() }
        return states
    }
}
