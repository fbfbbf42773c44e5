import PaxosPlayground
@testable import PlaygroundCLI
import FlyingFox
@testable import PlaygroundWeb
import Testing

/// The REPL's side of the live page: what the pages hold after each command, the whole run at first and then
/// only what each command added, is byte for byte the data `export html` embeds for the session at that point.
@Suite struct LivePageTests {
    @Test func thePagesHoldExactlyWhatExportHTMLWouldAfterEveryCommand() throws {
        let session = Session(write: { _ in })
        let page = LivePage(session: session, host: "127.0.0.1")
        #expect(try page.handle(.status) == "web: off (web on [PORT] serves the live page)")
        let started = try page.handle(.on(port: 0))
        defer { page.stop() }
        #expect(started.hasPrefix("web: serving the live page on 127.0.0.1 port "))
        let feed = try #require(page.feed)
        #expect(feed.data == session.pageData().rendered)
        // Steps, faults, a fresh world, undo (a replay), an error, an interrupted-free long run.
        let lines = ["cluster 3 leader n1", "submit x=1", "step 3", "run", "crash n1", "tick 4", "run until leader",
                     "deliver 999", "submit y=2", "run", "undo 5", "partition n1 | n2 n3", "tick 3", "heal", "run",
                     "restart n1", "run for 5", "cluster 5", "run until leader", "submit z=3", "run"]
        for line in lines {
            page.willRun()
            let outcome = session.execute(line)
            page.didRun(line, outcome: outcome, from: nil)
            #expect(feed.data == session.pageData().rendered, "after \(line)")
        }
        #expect(session.trace.count > 50)
        #expect(try page.handle(.off) .hasPrefix("web: stopped serving port "))
        #expect(page.feed == nil && page.inbox == nil)
    }

    @Test func coloursAreLeftOutOfWhatThePagesShow() {
        #expect(LivePage.withoutColours("\u{1B}[31merror:\u{1B}[0m no") == "error: no")
        #expect(LivePage.withoutColours("plain") == "plain")
    }
}

/// A page that reads nothing does not grow the REPL's memory without end: its queue holds
/// `LiveFeed.queueMax` messages, and the next one cuts it off (a page that missed one would show a wrong run);
/// what it was sent up to then arrives whole and in order, and pages that keep reading are not affected.
@Suite struct LiveFeedQueueTests {
    @Test func aPageThatReadsNothingIsCutOffWhenItsQueueIsFull() async throws {
        let feed = LiveFeed()
        let stalled = feed.subscribe()
        // The reset message is queued first: room for queueMax - 1 more.
        for k in 1..<LiveFeed.queueMax { feed.output(command: "step \(k)", source: "repl", lines: []) }
        #expect(feed.subscriberCount == 1)
        feed.output(command: "one too many", source: "repl", lines: [])
        #expect(feed.subscriberCount == 0)
        var received: [String] = []
        for await message in stalled.messages {
            if case .text(let text) = message { received.append(text) }
        }
        #expect(received.count == LiveFeed.queueMax)
        #expect(received.first?.hasPrefix("{\"type\": \"reset\"") == true)
        #expect(received.last?.contains("\"command\": \"step \(LiveFeed.queueMax - 1)\"") == true)

        // A page that connects now gets the run and the recent output, and stays while it reads.
        let reading = feed.subscribe()
        #expect(feed.subscriberCount == 1)
        feed.output(command: "after", source: "repl", lines: [])
        var iterator = reading.messages.makeAsyncIterator()
        var texts: [String] = []
        for _ in 0..<(2 + LiveFeed.transcriptMax) {
            if case .text(let text)? = await iterator.next() { texts.append(text) }
        }
        #expect(texts.last?.contains("\"command\": \"after\"") == true)
        feed.unsubscribe(reading.id)
    }

    /// Through the WebSocket too: the frames wait in the socket's own queue of `queueMax`, which its writer
    /// takes as the network accepts them, and a page that reads none is cut off when it is full (outside
    /// audit, round 10: FlyingFox's message handler drained every message into an unbounded stream, so a
    /// stalled page was never cut off and grew the REPL by every command).
    @Test func aSocketThatTakesNoFrameIsCutOffWhenItsQueueIsFull() async throws {
        let feed = LiveFeed()
        let (client, clientEnd) = AsyncThrowingStream<WSFrame, any Error>.makeStream()
        let frames = try await FeedSocket(feed: feed).makeFrames(for: client)
        #expect(feed.subscriberCount == 1)
        for k in 0..<(LiveFeed.queueMax + 8) {
            feed.output(command: "step \(k)", source: "repl", lines: [])
            await Task.yield()
        }
        for _ in 0..<1_000 where feed.subscriberCount > 0 { try await Task.sleep(nanoseconds: 1_000_000) }
        #expect(feed.subscriberCount == 0)
        var count = 0
        for await _ in frames { count += 1 }
        #expect(count == LiveFeed.queueMax)
        clientEnd.finish()
    }
}
