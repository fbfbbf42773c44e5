import Testing
@testable import PlaygroundCLI

/// `--web` with its port left out serves on 8080, as `web on` does; a port given, or `--web=PORT`, stays.
@Suite struct WebArgumentTests {
    @Test(arguments: [
        (["--web"], ["--web", "8080"]),
        (["--web", "--seed", "3"], ["--web", "8080", "--seed", "3"]),
        (["--web", "9000"], ["--web", "9000"]),
        (["--web", "0", "--web-bind", "0.0.0.0"], ["--web", "0", "--web-bind", "0.0.0.0"]),
        (["--web=9000"], ["--web=9000"]),
        (["run", "--", "--web"], ["run", "--", "--web"]),
        (["--web", "nonsense"], ["--web", "nonsense"]),
    ])
    func aBareWebGetsTheDefaultPort(_ words: [String], _ expected: [String]) {
        #expect(Playground.withWebPort(words) == expected)
    }
}
