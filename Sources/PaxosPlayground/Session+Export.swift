import PaxosSimulation

extension Session {
    /// `export FORMAT FILE`: waits for issue 4/6; says so and changes nothing.
    func export(_ format: ExportFormat, to path: String) throws {
        throw CommandError("export is not available in this build yet (issue 4/6)")
    }
}
