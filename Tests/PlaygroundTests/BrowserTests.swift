import Foundation
import Testing

/// Drives the live page (`paxos-playground --web 0`) in a real browser: Tests/web/live_page.py starts the REPL
/// in a pseudo-terminal (pexpect) and Debian's chromium through chromedriver (Selenium). It clicks an in-flight
/// message and sees the REPL run `deliver` as if typed and the diagram gain its events; a /watch page sees the
/// same; requests without the token get 403; bad input gets a clear error and changes nothing; quit closes the
/// port. `.ci/run` installs chromium, chromium-driver and selenium.
@Suite struct BrowserTests {
    @Test func theLivePageDrivesTheREPLAndWatchersFollow() throws {
        #expect(FileManager.default.isExecutableFile(atPath: PseudoTerminalTests.binary.path), "build the executable first: swift build")
        let (status, text) = try PseudoTerminalTests.runHelper("Tests/web/live_page.py")
        #expect(status == 0, "live_page.py failed:\n\(text)")
        #expect(text.contains("\n43 passed, 0 failed\n"), "\(text)")
    }
}
