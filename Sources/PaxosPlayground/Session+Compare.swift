extension Session {
    /// `compare A B`: waits for issue 4/6; says so and changes nothing.
    func compare(_ a: String, _ b: String) throws {
        throw CommandError("compare is not available in this build yet (issue 4/6)")
    }
}
