import Testing
import PaxosCore
import PaxosSimulation
@testable import PaxosPlayground

/// `quiz on|off`: before each event a rule decides, the user predicts the outcome; the quiz reveals it
/// with the rule's note and keeps a score. Answers come from `Session.ask`, scripted here.
@Suite struct QuizTests {
    final class Transcript {
        var lines: [String] = []
        var prompts: [String] = []
        var answers: [String?] = []
    }

    /// A session whose `ask` answers from `answers`, in order (nil once they run out: skipped).
    static func session(_ setup: String, answers: [String?]? = nil) -> (Session, Transcript) {
        let transcript = Transcript()
        let session = Session(write: { transcript.lines.append($0) })
        for line in setup.split(separator: "\n") { session.execute(String(line)) }
        transcript.lines = []
        if let answers {
            transcript.answers = answers
            session.ask = { prompt in
                transcript.prompts.append(prompt)
                return transcript.answers.isEmpty ? nil : transcript.answers.removeFirst()
            }
        }
        return (session, transcript)
    }

    /// The quiz's own lines (questions and reveals), without the flows.
    static func quizLines(_ transcript: Transcript) -> [String] {
        transcript.lines.filter { $0.hasPrefix("? quiz") || $0.hasPrefix("  ✓") || $0.hasPrefix("  ✗") || $0.hasPrefix("  ·") || $0.hasPrefix("  →") || $0.hasPrefix("quiz") }
    }

    /// §2(3) and §2(4) on the happy path: two votes, the commit, and what each follower applies.
    @Test func happyPathQuestionsAnswersAndScore() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nquiz on\nsubmit x=1",
                                                 answers: ["accept", "r", "commit", "", "x=1", "nothing"])
        session.execute("run")
        session.execute("quiz off")
        #expect(transcript.prompts == ["accept or reject? ", "accept or reject? ", "commit or wait? ",
                                       "K=V …, or nothing? ", "K=V …, or nothing? "])
        #expect(Self.quizLines(transcript) == [
            "? quiz · #2 propose n1 → n2 (proposal 1, ballot 1.n1): will n2 accept or reject it?",
            "  ✓ right: accept · n2 accepts proposal 1: ballot 1.n1 is not below its promise 1.n1, index 1 follows its log",
            "? quiz · #3 propose n1 → n3 (proposal 1, ballot 1.n1): will n3 accept or reject it?",
            "  ✗ it was accept · n3 accepts proposal 1: ballot 1.n1 is not below its promise 1.n1, index 1 follows its log",
            "? quiz · #4 vote n2 → n1 (accept 1, ballot 1.n1): does n1 commit 1 now, or wait?",
            "  ✓ right: commit · 2 of 3 accepts for ballot 1.n1 (n1, n2): majority, commit 1",
            "? quiz · #6 commit n1 → n2 (proposal 1, ballot 1.n1): what does n2 apply now (K=V …, or nothing)?",
            "  · skipped: it was x=1 · n2 applies 1 while handling the commit (sync), in index order",
            "? quiz · #7 commit n1 → n3 (proposal 1, ballot 1.n1): what does n3 apply now (K=V …, or nothing)?",
            "  ✓ right: x=1 · n3 applies 1 while handling the commit (sync), in index order",
            "quiz off · 3 of 4 right, 1 skipped",
        ])
        // The late vote (#5, after the commit) and the acks decide nothing new: not asked.
        #expect(!transcript.lines.contains { $0.contains("? quiz · #5 ") || $0.contains("? quiz · #8 ") })
    }

    /// §3(1) and §3(2): whose timeout fires at each tick, the vote, and who wins.
    @Test func electionQuestions() {
        let (session, transcript) = Self.session("cluster 3 leader n1\ncrash n1\nquiz on",
                                                 answers: ["nobody", "none", "n3", "n2", "grant", "n2"])
        session.execute("run until leader")
        #expect(Self.quizLines(transcript) == [
            "? quiz · tick 1: whose election timeout fires (replicas, or nobody)?",
            "  ✓ right: nobody · no replica's election timeout ran out at this tick",
            "? quiz · tick 2: whose election timeout fires (replicas, or nobody)?",
            "  ✓ right: nobody · no replica's election timeout ran out at this tick",
            "? quiz · tick 3: whose election timeout fires (replicas, or nobody)?",
            "  ✗ it was nobody · no replica's election timeout ran out at this tick",
            "? quiz · tick 4: whose election timeout fires (replicas, or nobody)?",
            "  ✓ right: n2 · no heartbeat from a leader it could follow for 4 ticks: n2 reports \"Leader heartbeat timeout\" to the monitor",
            "? quiz · #5 candidacy n2 → n3 (ballot 2.n2, last index 0): will n3 grant or refuse its vote?",
            "  ✓ right: grant · n3 grants 2.n2: round 2 is above every round it promised, and its election policy agrees",
            "? quiz · #6 promise n3 → n2 (ballot 2.n2, granted): who wins the election now (a replica, or none yet)?",
            "  ✓ right: n2 · 2 promises for 2.n2 (n2, n3): n2 leads, and recovers the log before anything new",
        ])
        #expect(session.quiz.score == "quiz score · 5 of 6 right")
    }

    /// A proposal from a deposed leader is rejected: the reveal gives the rule (ballot below promise).
    @Test func rejectIsRevealedWithItsRule() {
        // n1 proposes (#2 to n2, #3 to n3) and crashes; n2 asks n3 for a pre-vote (#6), n3 says yes (#7), n2
        // stands (#9 to n3), and n3 promises it 2.n2 before #3 arrives.
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1\nstep 2\ncrash n1\ntick 4\ndeliver 6\ndeliver 7\ndeliver 9\nquiz on",
                                                 answers: ["accept"])
        session.execute("deliver 3")
        #expect(Self.quizLines(transcript) == [
            "? quiz · #3 propose n1 → n3 (proposal 1, ballot 1.n1): will n3 accept or reject it?",
            "  ✗ it was reject · n3 rejects proposal 1: ballot 1.n1 is below its promise 2.n2",
        ])
    }

    /// Under `async` a commit only marks the entry: nothing is applied until the apply event.
    @Test func asyncCommitAppliesNothingUntilTheApplyEvent() {
        let (session, transcript) = Self.session("cluster 3 leader n1\ncommit async\nsubmit x=1 y=2\nrun until committed 1\nquiz on",
                                                 answers: ["x=1 y=2", "y=2 x=1"])
        session.execute("deliver 6")
        session.execute("apply n2")
        #expect(Self.quizLines(transcript) == [
            "? quiz · #6 commit n1 → n2 (proposal 1, ballot 1.n1): what does n2 apply now (K=V …, or nothing)?",
            "  ✗ it was nothing · n2 knows 1 is committed; applying 1 is an event of its own (apply n2)",
            "? quiz · #8 apply n2: what does n2 apply (K=V …, or nothing)?",
            "  ✓ right: x=1 y=2 · n2 applies 1 in its own apply event (async), the next committed entry in index order",
        ])
    }

    /// Without anyone to answer (a script), the quiz prints each question with its answer, unscored.
    @Test func withoutAskQuestionsArePrintedWithTheirAnswers() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nquiz on\nsubmit x=1")
        session.execute("step 2")
        session.execute("quiz off")
        #expect(Self.quizLines(transcript) == [
            "? quiz · #2 propose n1 → n2 (proposal 1, ballot 1.n1): will n2 accept or reject it?",
            "  → accept · n2 accepts proposal 1: ballot 1.n1 is not below its promise 1.n1, index 1 follows its log",
            "quiz off · 1 question shown with its answer, none answered (answers are read from a terminal)",
        ])
    }

    @Test func quitPrintsTheScoreAndToggleSaysWhatChanged() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1", answers: ["a"])
        session.execute("quiz off")
        session.execute("quiz on")
        session.execute("quiz on")
        session.execute("step")
        #expect(session.execute("quit") == .quit)
        #expect(Self.quizLines(transcript) == [
            "quiz is off",
            "quiz on: before each delivery or tick that decides something, predict its outcome (an empty answer skips)",
            "quiz is already on · no question asked yet",
            "quiz score · no question asked yet",
        ])
        #expect(transcript.prompts.isEmpty, "delivering the transaction decides nothing to predict")
    }

    /// Asking never changes the world: the same run with the quiz on and off has the same trace.
    @Test func theQuizDoesNotChangeTheRun() {
        let script = "cluster 3 leader n1\nsubmit x=1\ncrash n1\nrun until leader\nsubmit y=2\nrun"
        let (plain, _) = Self.session(script)
        // One of each form, over and over: a question refuses the forms not its own and takes the next.
        let forms = ["accept", "nobody", "commit", "none", "nothing", "grant"]
        let (quizzed, _) = Self.session("quiz on", answers: Array((0..<300).map { forms[$0 % forms.count] }))
        for line in script.split(separator: "\n") { quizzed.execute(String(line)) }
        #expect(plain.trace == quizzed.trace)
        #expect(quizzed.quiz.right + quizzed.quiz.wrong > 5)
    }

    /// An answer that is none of the choices is refused in one line and the question asked again; it
    /// costs no point (outside audit, round 2: `maybe` was scored wrong).
    @Test func anAnswerThatIsNoChoiceIsRefusedAndAskedAgain() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nquiz on\nsubmit x=1",
                                                 answers: ["maybe", "yes", "a", "accept accept", "r", "ACCEPT", "commit"])
        session.execute("step 4")
        #expect(transcript.prompts == ["accept or reject? ", "accept or reject? ", "accept or reject? ",
                                       "accept or reject? ", "accept or reject? ", "commit or wait? ", "commit or wait? "])
        #expect(Self.quizLines(transcript).count == 6)
        #expect(transcript.lines.filter { $0.hasPrefix("'") } == [
            "'maybe' is not an answer here: type accept or reject, or a first letter (an empty answer skips)",
            "'yes' is not an answer here: type accept or reject, or a first letter (an empty answer skips)",
            "'accept accept' is not an answer here: type accept or reject, or a first letter (an empty answer skips)",
            "'ACCEPT' is not an answer here: type commit or wait, or a first letter (an empty answer skips)",
        ])
        #expect(session.quiz.score == "quiz score · 2 of 3 right")
    }

    @Test(arguments: [
        ("n1 n2", Quiz.Topic.winner(message: 1), "'n1 n2' is not an answer here: type the one replica that wins now (n1 to n3), or none (an empty answer skips)"),
        ("n4", Quiz.Topic.winner(message: 1), "'n4' is not an answer here: type the one replica that wins now (n1 to n3), or none (an empty answer skips)"),
        ("n2 n2", Quiz.Topic.timeout, "'n2 n2' is not an answer here: type the replicas whose timeout fires (n1 to n3, each once, in any order), or nobody (an empty answer skips)"),
        ("x", Quiz.Topic.timeout, "'x' is not an answer here: type the replicas whose timeout fires (n1 to n3, each once, in any order), or nobody (an empty answer skips)"),
        ("ACCEPT", Quiz.Topic.apply(replica: ReplicaID(2)), "'ACCEPT' is not an answer here: type the records applied as K=V, in any order, or nothing (an empty answer skips)"),
        ("=1", Quiz.Topic.apply(replica: ReplicaID(2)), "'=1' is not an answer here: type the records applied as K=V, in any order, or nothing (an empty answer skips)"),
    ])
    func answersOfTheWrongFormAreRefused(_ answer: String, _ topic: Quiz.Topic, _ refusal: String) {
        #expect(Quiz.refusal(of: answer, topic: topic, replicas: 3) == refusal)
    }

    @Test(arguments: [("N2", Quiz.Topic.winner(message: 1)), ("nobody", Quiz.Topic.timeout), ("n3 N1", Quiz.Topic.timeout),
                      ("X=1 y=2", Quiz.Topic.apply(replica: ReplicaID(2))), ("Nothing", Quiz.Topic.apply(replica: ReplicaID(2))),
                      ("W", Quiz.Topic.commit(message: 1, leader: ReplicaID(1)))])
    func answersOfTheRightFormAreTaken(_ answer: String, _ topic: Quiz.Topic) {
        #expect(Quiz.refusal(of: answer, topic: topic, replicas: 3) == nil)
    }

    @Test(arguments: [
        ("a", "accept", Quiz.Topic.vote(message: 1, voter: ReplicaID(2)), true),
        ("ACC", "accept", Quiz.Topic.vote(message: 1, voter: ReplicaID(2)), true),
        ("N2", "n2", Quiz.Topic.winner(message: 1), true),
        ("X=1", "x=1", Quiz.Topic.apply(replica: ReplicaID(2)), false),
        ("acc", "accept", Quiz.Topic.vote(message: 1, voter: ReplicaID(2)), true),
        ("reject", "accept", Quiz.Topic.vote(message: 1, voter: ReplicaID(2)), false),
        ("w", "wait", Quiz.Topic.commit(message: 1, leader: ReplicaID(1)), true),
        ("g", "grant", Quiz.Topic.grant(message: 1, voter: ReplicaID(3)), true),
        ("n3 n2", "n2 n3", Quiz.Topic.timeout, true),
        ("nobody", "nobody", Quiz.Topic.timeout, true),
        ("n2", "nobody", Quiz.Topic.timeout, false),
        ("none", "none", Quiz.Topic.winner(message: 1), true),
        ("y=2 x=1", "x=1 y=2", Quiz.Topic.apply(replica: ReplicaID(2)), true),
        ("nothing", "nothing", Quiz.Topic.apply(replica: ReplicaID(2)), true),
        ("x=1", "nothing", Quiz.Topic.apply(replica: ReplicaID(2)), false),
    ])
    func answersMatchByPrefixAndInAnyOrder(_ answer: String, _ right: String, _ topic: Quiz.Topic, _ expected: Bool) {
        #expect(Quiz.matches(answer, right, topic: topic) == expected)
    }
}
