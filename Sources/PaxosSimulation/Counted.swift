// Counts as the playground prints them: the noun agrees with the number, in the simulation, the checker,
// the REPL and the command line alike.

/// `3 ticks`, `1 tick`, `2 deliveries`: `n` and its noun, singular for 1 (`plural` when the noun does not
/// just take an s).
package func counted(_ n: Int, _ noun: String, _ plural: String? = nil) -> String {
    "\(n) \(inflected(noun, n, plural))"
}

/// `noun` for a count of `n`: itself for 1, else `plural` (or `noun` with an s). For a count printed another
/// way (`1,204 states`).
package func inflected(_ noun: String, _ n: Int, _ plural: String? = nil) -> String {
    n == 1 ? noun : plural ?? noun + "s"
}
