// Saturating arithmetic for what policies and settings combine: timers in ticks above all. A sum past
// `Int.max` means "never" and must stay "never", not trap (Swift's `+`) nor wrap to a negative number (`&+`).

extension Int {
    /// `self + other`, or `Int.max` / `Int.min` when the sum does not fit.
    ///
    /// ```swift
    /// Int.max.saturatingAdding(3)   // Int.max: a timeout of "never" plus three ticks is still "never"
    /// ```
    @inlinable
    public func saturatingAdding(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `self × other`, or `Int.max` / `Int.min` when the product does not fit.
    @inlinable
    public func saturatingMultiplied(by other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }
}
