import PaxosChecker

/// A limit on everything a user can type, in the manner of TigerBeetle: every count, time, size and depth
/// has a maximum, named here with its unit last, checked when the line (or the command line) is parsed,
/// with one error line that names the limit: `tick takes at most 100000 ticks at a time (got 100000000)`.
///
/// This is the one place the limits are set. The model checker's own bounds (what its 8-bit budget
/// counters can hold) are defined by `CheckerConfiguration` and named here too. `Docs/REPL.md` shows
/// ``markdownTable``, which `DocsTests` keeps equal to it.
package enum Limits {
    // MARK: Lines and words

    /// Characters in one command line (REPL, script, `run -`), its comment included.
    package static let lineCharactersMax = 4_096
    /// Characters in a key of `submit K=V` and `expect data nK K=V`.
    package static let keyCharactersMax = 64
    /// Characters in a value of `submit K=V` and `expect data nK K=V`.
    package static let valueCharactersMax = 256
    /// `K=V` records in one `submit`.
    package static let submitRecordsMax = 64
    /// Bytes in a script file or `run -` (16 MiB), read before any of it runs.
    package static let scriptBytesMax = 16 << 20

    // MARK: The cluster and its settings

    /// Replicas in a cluster: `cluster N`, `--replicas N`.
    package static let replicaCountMax = 9
    /// `priority nK P`: P from `-priorityMax` to `priorityMax`.
    package static let priorityMax = 1_000_000
    /// `set batch N`, `check --batch N`, `bench --batch`: client transactions per proposal.
    package static let batchTransactionsMax = 1_000
    /// `set window N`, `check window N`, `check --window N`, `bench --window`: proposals in flight.
    package static let windowProposalsMax = 1_000
    /// `set heartbeat T`.
    package static let heartbeatTicksMax = 100_000
    /// `set timeout T`.
    package static let timeoutTicksMax = 100_000

    // MARK: Commands that take time

    /// `tick N`.
    package static let tickCountMax = 100_000
    /// `step N`.
    package static let stepCountMax = 100_000
    /// `run for T`.
    package static let runTicksMax = 100_000
    /// `run [until …]`: ticks with nothing in flight before it stops and says the condition does not hold
    /// (or twice the convergence bound K, when that is more: `Session.runIdleTickLimit`).
    package static let runIdleTicksMax = 1_000
    /// Deliveries in one `run`, before it stops and says messages keep flowing.
    package static let runDeliveriesMax = 100_000
    /// `undo N`.
    package static let undoCountMax = 100_000
    /// `lanes N`: events drawn in one diagram.
    package static let lanesEventsMax = 1_000
    /// `--width N`: the columns flow lines are wrapped to (at least ``widthColumnsMin``).
    package static let widthColumnsMax = 1_000
    /// The narrowest `--width N`: a flow line's head and a word fit.
    package static let widthColumnsMin = 40
    /// `I` in `run until committed I`, `run until applied nK I`, `expect committed I`, `expect applied nK I`.
    package static let logIndexMax = 1_000_000_000
    /// `deliver ID`, `drop ID`, `duplicate ID`.
    package static let messageIDMax = 1_000_000_000
    /// Trace events one session keeps (about 0.7 KB each with what is in flight): a long command stops
    /// there, and a command that would add more is refused until `cluster` starts afresh or `undo` steps back.
    package static let sessionEventsMax = 500_000

    // MARK: Searches

    /// `explore K`: steps ahead.
    package static let exploreDepthMax = 64
    /// Distinct states `explore` and the REPL's `check` search (about 2 KB each) before they stop, proving
    /// nothing.
    package static let searchStatesMax = 500_000
    /// Seconds `explore` and the REPL's `check` search before they stop, proving nothing: a backstop to
    /// ``searchStatesMax``, wide enough for a debug build on a busy machine.
    package static let searchSecondsMax = 600
    /// `check transactions N`, `check --transactions N`.
    package static let checkTransactionsMax = CheckerConfiguration.transactionsMax
    /// Every other budget of `check` (`elections`, `ticks`, `drops`, `duplicates`, `crashes`, `restarts`, and
    /// `--timeouts`).
    package static let checkBudgetMax = CheckerConfiguration.budgetMax
    /// `check --elections-per-replica N`.
    package static let checkElectionsPerReplicaMax = CheckerConfiguration.electionsPerReplicaMax
    /// `check --threads N`.
    package static let checkThreadCountMax = 64
    /// `check --max-states N`.
    package static let checkStatesMax = 1_000_000_000
    /// `check --max-seconds S`: a week.
    package static let checkSecondsMax = 604_800
    /// `check --max-depth N`.
    package static let checkDepthMax = 10_000

    // MARK: The benchmark

    /// `bench --transactions N`.
    package static let benchTransactionsMax = 100_000_000
    /// Values in each list of `bench --replicas`, `--batch`, `--window`.
    package static let benchSweepValuesMax = 16
    /// `bench --repeat N`.
    package static let benchRepeatCountMax = 100
    /// `bench --interactive --steps N`: the steps of the session its commands are timed on.
    package static let benchSessionStepsMax = 200_000

    // MARK: - The table

    /// One row of the table in `Docs/REPL.md`.
    package struct Row: Sendable {
        package let name: String
        package let value: Int
        package let what: String
    }

    /// Every limit, for `Docs/REPL.md`.
    package static let table: [Row] = [
        Row(name: "lineCharactersMax", value: lineCharactersMax, what: "characters in a command line (REPL, script, `run -`), its comment included"),
        Row(name: "keyCharactersMax", value: keyCharactersMax, what: "characters in a key: `submit K=V`, `expect data nK K=V`"),
        Row(name: "valueCharactersMax", value: valueCharactersMax, what: "characters in a value: `submit K=V`, `expect data nK K=V`"),
        Row(name: "submitRecordsMax", value: submitRecordsMax, what: "`K=V` records in one `submit`"),
        Row(name: "scriptBytesMax", value: scriptBytesMax, what: "bytes in a script file or `run -` (16 MiB)"),
        Row(name: "replicaCountMax", value: replicaCountMax, what: "`cluster N`; `--replicas N` of `repl`, `run`, `check` and `bench`"),
        Row(name: "priorityMax", value: priorityMax, what: "`priority nK P`: P from -\(priorityMax) to \(priorityMax)"),
        Row(name: "batchTransactionsMax", value: batchTransactionsMax, what: "`set batch N`; `--batch` of `check` and `bench`"),
        Row(name: "windowProposalsMax", value: windowProposalsMax, what: "`set window N`, `check window N`; `--window` of `check` and `bench`"),
        Row(name: "heartbeatTicksMax", value: heartbeatTicksMax, what: "`set heartbeat T`"),
        Row(name: "timeoutTicksMax", value: timeoutTicksMax, what: "`set timeout T`"),
        Row(name: "tickCountMax", value: tickCountMax, what: "`tick N`"),
        Row(name: "stepCountMax", value: stepCountMax, what: "`step N`"),
        Row(name: "runTicksMax", value: runTicksMax, what: "`run for T`"),
        Row(name: "runIdleTicksMax", value: runIdleTicksMax, what: "`run [until …]`: ticks with nothing in flight, then it stops and says why (twice K when that is more)"),
        Row(name: "runDeliveriesMax", value: runDeliveriesMax, what: "deliveries in one `run` or `run for T`, then it stops and says so"),
        Row(name: "undoCountMax", value: undoCountMax, what: "`undo N`"),
        Row(name: "lanesEventsMax", value: lanesEventsMax, what: "`lanes N`"),
        Row(name: "widthColumnsMax", value: widthColumnsMax, what: "`--width N` of `repl` and `run`, from \(widthColumnsMin)"),
        Row(name: "logIndexMax", value: logIndexMax, what: "`I` of `run until committed I`, `run until applied nK I`, `expect committed I`, `expect applied nK I`"),
        Row(name: "messageIDMax", value: messageIDMax, what: "`deliver ID`, `drop ID`, `duplicate ID`"),
        Row(name: "sessionEventsMax", value: sessionEventsMax, what: "trace events a session keeps: a long command stops there, and a command that would add more is refused until `cluster` or `undo`"),
        Row(name: "exploreDepthMax", value: exploreDepthMax, what: "`explore K`"),
        Row(name: "searchStatesMax", value: searchStatesMax, what: "states `explore` and `check` (in the REPL) search before they stop, proving nothing"),
        Row(name: "searchSecondsMax", value: searchSecondsMax, what: "seconds `explore` and `check` (in the REPL) search before they stop, proving nothing"),
        Row(name: "checkTransactionsMax", value: checkTransactionsMax, what: "`check transactions N`, `check --transactions N`"),
        Row(name: "checkBudgetMax", value: checkBudgetMax, what: "the other budgets of `check` (`elections`, `ticks`, `drops`, `duplicates`, `crashes`, `restarts`) and of `paxos-playground check` (the same, and `--timeouts`)"),
        Row(name: "checkElectionsPerReplicaMax", value: checkElectionsPerReplicaMax, what: "`check --elections-per-replica N`"),
        Row(name: "checkThreadCountMax", value: checkThreadCountMax, what: "`check --threads N`"),
        Row(name: "checkStatesMax", value: checkStatesMax, what: "`check --max-states N`"),
        Row(name: "checkSecondsMax", value: checkSecondsMax, what: "`check --max-seconds S` (a week)"),
        Row(name: "checkDepthMax", value: checkDepthMax, what: "`check --max-depth N`"),
        Row(name: "benchTransactionsMax", value: benchTransactionsMax, what: "`bench --transactions N`"),
        Row(name: "benchSweepValuesMax", value: benchSweepValuesMax, what: "values in each list of `bench --replicas`, `--batch`, `--window`"),
        Row(name: "benchRepeatCountMax", value: benchRepeatCountMax, what: "`bench --repeat N`"),
        Row(name: "benchSessionStepsMax", value: benchSessionStepsMax, what: "`bench --interactive --steps N`"),
    ]

    /// ``table`` as the Markdown table of `Docs/REPL.md`.
    package static var markdownTable: String {
        (["| limit | maximum | what it bounds |", "|---|---|---|"]
            + table.map { "| `\($0.name)` | \($0.value) | \($0.what) |" }).joined(separator: "\n")
    }

    // MARK: - Checking a number

    /// The range a typed number must fall in, and how an error names it.
    package struct Bound: Sendable {
        package let min: Int
        package let max: Int
        /// The unit, singular and plural (`tick`, `ticks`); empty for a bare value (an index, a priority),
        /// which errors name by its placeholder (`I`, `P`).
        let one: String
        let many: String
        /// What follows the unit in an error: ` at a time`, ` per proposal`.
        let scope: String

        package init(_ min: Int, _ max: Int, _ one: String = "", _ many: String = "", scope: String = "") {
            self.min = min
            self.max = max
            self.one = one
            self.many = many
            self.scope = scope
        }

        /// The error for `text`, a whole number outside the range (or one too long to hold): `tick takes at
        /// most 100000 ticks at a time (got 100000000)`. `command` is what takes it (`set timeout`), `name`
        /// its placeholder.
        package func outOfRange(_ text: String, negative: Bool, command: String, name: String) -> String {
            let got = text.count > 24 ? "\(text.prefix(20))… (\(text.count) digits)" : text
            if many.isEmpty {
                return "\(command) takes \(name) from \(min) to \(max) (got \(got))"
            }
            return negative
                ? "\(command) takes at least \(min) \(min == 1 ? one : many) (got \(got))"
                : "\(command) takes at most \(max) \(max == 1 ? one : many)\(scope) (got \(got))"
        }

        package static let replicas = Bound(1, replicaCountMax, "replica", "replicas")
        package static let priority = Bound(-priorityMax, priorityMax)
        package static let batch = Bound(1, batchTransactionsMax, "transaction", "transactions", scope: " per proposal")
        package static let window = Bound(1, windowProposalsMax, "proposal", "proposals", scope: " in flight")
        package static let heartbeat = Bound(1, heartbeatTicksMax, "tick", "ticks")
        package static let timeout = Bound(1, timeoutTicksMax, "tick", "ticks")
        package static let ticks = Bound(1, tickCountMax, "tick", "ticks", scope: " at a time")
        package static let steps = Bound(1, stepCountMax, "delivery", "deliveries", scope: " at a time")
        package static let runTicks = Bound(0, runTicksMax, "tick", "ticks")
        package static let lanes = Bound(1, lanesEventsMax, "event", "events")
        package static let width = Bound(widthColumnsMin, widthColumnsMax, "column", "columns")
        package static let undo = Bound(1, undoCountMax, "event", "events", scope: " at a time")
        package static let logIndex = Bound(0, logIndexMax)
        package static let messageID = Bound(1, messageIDMax)
        package static let exploreDepth = Bound(1, exploreDepthMax, "step", "steps", scope: " ahead")
        /// `check --elections-per-replica N`: from 1 (`--elections 0` allows none at all).
        package static let checkElectionsPerReplica = Bound(1, checkElectionsPerReplicaMax, "election", "elections", scope: " per replica")
        package static let checkThreads = Bound(1, checkThreadCountMax, "thread", "threads")
        package static let checkStates = Bound(1, checkStatesMax, "state", "states")
        package static let checkDepth = Bound(0, checkDepthMax, "step", "steps")
        package static let benchTransactions = Bound(1, benchTransactionsMax, "transaction", "transactions")
        package static let benchRepeat = Bound(1, benchRepeatCountMax, "run", "runs")
        package static let benchSweep = Bound(1, benchSweepValuesMax, "value", "values")
        package static let benchSessionSteps = Bound(1, benchSessionStepsMax, "step", "steps")
        /// `web on PORT`, `--web PORT`: 0 asks for any free port.
        package static let webPort = Bound(0, 65_535)

        /// Throws the error line when `value` is outside the range; `option` names it (`--max-depth`).
        package func check(_ value: Int, _ option: String) throws(CommandError) {
            guard value < min || value > max else { return }
            throw CommandError(outOfRange(String(value), negative: value < min, command: option, name: "N"))
        }
    }
}
