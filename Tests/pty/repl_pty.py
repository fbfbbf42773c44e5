#!/usr/bin/env python3
"""Pseudo-terminal test of the REPL's line editing (GNU readline).

    python3 Tests/pty/repl_pty.py PATH/TO/paxos-playground [ARG...]

Starts the binary (with any extra arguments) in a pseudo-terminal, with HOME
set to a fresh temporary folder so the history file goes there and no
~/.inputrc applies, and checks line editing, history recall, Tab completion,
Ctrl-C, Ctrl-D and the history file (made 0600 when it was wider, written
through a symbolic link); that the quiz reads its answer from the terminal;
then pipes commands through standard input and checks that no prompt is
printed. Also checks Ctrl-Z / fg under an interactive bash, that SIGTERM
while editing restores the terminal, that Ctrl-\\ (SIGQUIT) is ignored, and that Ctrl-C during a long command
(explore, tick) stops the command, not the REPL: the progress line shows,
the prompt comes back, history keeps what ran, and the next command works.
Prints `N passed, M failed` and exits non-zero when anything failed.

Needs pexpect (4.8 or later). Environment: REPL_PTY_TIMEOUT (seconds, default
10), REPL_PTY_TERM (default xterm), REPL_PTY_VERBOSE=1 to print every
transcript.
"""

import os
import re
import shlex
import signal
import stat
import subprocess
import sys
import tempfile
import termios
import time

import pexpect

# ---------------------------------------------------------------------------
# Expectations: adapt these when the REPL's output changes. Every check below
# is made on what the screen shows (the pseudo-terminal's output), through
# these definitions only.

#: The commands the test types (they must be valid REPL commands).
FIRST = "show"  # a plain command
EDITED = "submit x=42"  # the command that the editing keys must produce
COMPLETE_PREFIX = "sl"  # typed before Tab ...
COMPLETED = "slots"  # ... which must complete to this command
LIST_PREFIX = "s"  # Tab Tab after this lists ...
LISTED = ["show", "slots", "step", "submit"]  # ... these candidates
PIPED_LINES = ["show", "quit"]  # fed through a pipe for the non-TTY check
HISTORY_FILE = ".paxos_playground_history"  # in $HOME


PROMPT_PATTERN = r"paxos\[\d+\|t\d+\]> "  # the prompt: step and tick, e.g. paxos[0|t0]>
PROMPT = "paxos[0|t0]> "  # the first prompt's visible text


def prompt_re():
    """A regex for the prompt as the screen shows it, with colour (SGR) codes allowed around it."""
    sgr = r"(?:\x1b\[[0-9;]*m)*"
    return sgr + PROMPT_PATTERN + sgr


#: What the screen shows once each command the test types has run.
OUTPUT_OF = {
    "show": r"replica +role +ballot +last +commit",
    "submit x=42": r"client sends t\d+ to n\d",
    "slots": r"slot +n1 +n2 +n3",
}


def ran_re(command):
    """A regex for what the screen shows once `command` has run (its output).

    Readline echoes the typed line itself, so this must match the command's
    output, not the echo.
    """
    return OUTPUT_OF[command.strip()]


def check_piped_output(lines, stdout):
    """None if `stdout` is right for `lines` piped into the REPL, else what is wrong."""
    if re.search(prompt_re(), stdout):
        return "a prompt was printed: %r" % stdout
    if not re.match(OUTPUT_OF["show"], stdout) or "paxos-playground:" in stdout:
        return "expected the show table alone (no banner), got %r" % stdout
    return None


#: Long commands that Ctrl-C stops: (set-up line, command, what the screen shows
#: once it stopped, what `history` then shows of it).
LONG_COMMANDS = [
    ("cluster 3 leader n1", "explore 40", r"the search stopped before its end", r"explore 40"),
    ("cluster 9 leader n1", "tick 100000", r"tick stopped by Ctrl-C after \d+ of 100000 ticks",
     r"tick (?!100000\b)\d+"),
]
PROGRESS = "Ctrl-C stops"  # the progress line of a long command on a terminal


# ---------------------------------------------------------------------------
# Keys

CTRL_A = "\x01"
CTRL_C = "\x03"
CTRL_D = "\x04"
CTRL_E = "\x05"
CTRL_U = "\x15"
CTRL_BACKSLASH = "\x1c"  # SIGQUIT on a terminal: the REPL ignores it, as an interactive shell does
BACKSPACE = "\x7f"  # what the Backspace key sends on a Linux pty (VERASE)
LEFT = "\x1b[D"
UP = "\x1b[A"
TAB = "\t"
ENTER = "\r"

# The REPL keeps signals its parent ignores ignored (as a shell's child should), and test runners
# may start this script with SIGTERM ignored or blocked: give the REPL the default dispositions.
for _number in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
    signal.signal(_number, signal.SIG_DFL)
signal.pthread_sigmask(signal.SIG_SETMASK, [])

TIMEOUT = float(os.environ.get("REPL_PTY_TIMEOUT", "10"))
TERM = os.environ.get("REPL_PTY_TERM", "xterm")
VERBOSE = os.environ.get("REPL_PTY_VERBOSE") == "1"


def edit_keys(target):
    """Keys that type `target` out of order and fix it up with readline's
    editing keys: Left, Ctrl-A, Ctrl-E and Backspace."""
    assert len(target) >= 3
    return (
        target[1:-2] + target[-1]  # all but the first and the second-to-last character
        + LEFT + target[-2]  # back over the last one, insert the missing one
        + CTRL_A + target[0]  # to the start, insert the first one
        + CTRL_E + "zz" + BACKSPACE + BACKSPACE  # to the end, type junk, erase it
    )


class Failure(Exception):
    pass


class Session:
    """The binary running in a pseudo-terminal."""

    def __init__(self, argv, home, cwd, extra_env=None):
        self.transcript = []
        env = dict(os.environ, HOME=home, TERM=TERM, **(extra_env or {}))
        env.pop("INPUTRC", None)
        self.child = pexpect.spawn(
            argv[0], argv[1:], env=env, cwd=cwd, encoding="utf-8",
            codec_errors="replace", timeout=TIMEOUT, dimensions=(24, 80),
        )
        self.child.logfile_read = self
        self.child.delaybeforesend = 0.05
        self.home = home

    # pexpect's logfile interface: keep everything the screen was sent.
    def write(self, data):
        self.transcript.append(data)

    def flush(self):
        pass

    def text(self):
        return "".join(self.transcript)

    def expect(self, pattern, what):
        """Waits for `pattern`; returns the output before it."""
        try:
            self.child.expect(pattern)
        except pexpect.TIMEOUT:
            raise Failure("timed out waiting for %s (%r)" % (what, pattern))
        except pexpect.EOF:
            raise Failure("the REPL ended while waiting for %s (%r)" % (what, pattern))
        return self.child.before

    def prompt(self, what="the prompt"):
        return self.expect(prompt_re(), what)

    def send(self, keys):
        self.child.send(keys)

    def run(self, keys, command):
        """Types `keys` and Enter, and checks that `command` ran and a new prompt came."""
        self.send(keys + ENTER)
        self.expect(ran_re(command), "the output of %r" % command)
        self.prompt("the prompt after %r" % command)

    def settle(self, seconds=0.3):
        """Collects output for a moment (for checking that something did NOT appear)."""
        try:
            self.child.expect(pexpect.TIMEOUT, timeout=seconds)
        except pexpect.EOF:
            raise Failure("the REPL ended unexpectedly")
        return self.child.before

    def finish(self):
        """Ctrl-D on an empty line: the REPL must end with status 0."""
        self.send(CTRL_D)
        self.expect(pexpect.EOF, "the end of the REPL after Ctrl-D")
        self.child.close()
        if self.child.signalstatus is not None:
            raise Failure("the REPL was killed by signal %d" % self.child.signalstatus)
        if self.child.exitstatus != 0:
            raise Failure("exit status %r after Ctrl-D, expected 0" % self.child.exitstatus)

    def terminal_is_raw(self):
        """True when the pty is in readline's editing mode (no ICANON, no ECHO)."""
        lflag = termios.tcgetattr(self.child.child_fd)[3]
        return not (lflag & (termios.ICANON | termios.ECHO))

    def kill(self):
        if self.child.isalive():
            self.child.close(force=True)


# ---------------------------------------------------------------------------
# The checks. Each takes the running Session; the checks of one session run in
# order, and a failure ends that session.


def check_starts_with_prompt(s):
    s.prompt("the first prompt")


def check_plain_command(s):
    s.run(FIRST, FIRST)


def check_editing_keys(s):
    s.run(edit_keys(EDITED), EDITED)


def check_up_arrow_recalls_last_line(s):
    s.run(UP, EDITED)


def check_up_arrow_twice_recalls_earlier_line(s):
    s.run(UP + UP, FIRST)


def check_tab_completes_command(s):
    s.run(COMPLETE_PREFIX + TAB, COMPLETED)


def check_tab_tab_lists_candidates(s):
    s.send(LIST_PREFIX + TAB + TAB)
    for candidate in LISTED:
        s.expect(re.escape(candidate), "the completion candidate %r" % candidate)
    s.prompt("the prompt redrawn after the list")
    s.send(CTRL_U)  # clear the line
    s.run(FIRST, FIRST)


def check_no_filename_completion(s):
    # The working folder holds `zzfile`: Tab after "zz" must not complete it.
    s.send("zz" + TAB)
    shown = s.settle()
    if "zzfile" in shown:
        raise Failure("Tab completed a file name: %r" % shown)
    s.send(CTRL_U)
    s.run(FIRST, FIRST)


def check_ctrl_c_clears_line(s):
    s.send("garbage")
    s.expect("garbage", "the echo of the half-typed line")
    s.send(CTRL_C)
    s.prompt("a fresh prompt after Ctrl-C")
    if not s.child.isalive():
        raise Failure("the REPL ended on Ctrl-C")
    s.run(FIRST, FIRST)  # would show "garbageshow" if the line were kept


def check_ctrl_c_on_empty_line_and_in_history(s):
    s.send(CTRL_C)
    s.prompt("a fresh prompt after Ctrl-C on an empty line")
    s.send(UP + "junk")
    s.expect("junk", "the echo of the edited history line")
    s.send(CTRL_C)
    s.prompt("a fresh prompt after Ctrl-C on a recalled line")
    s.run(FIRST, FIRST)


def check_window_resize_keeps_line(s):
    s.send(FIRST[:2])
    s.expect(re.escape(FIRST[:2]), "the echo of the first keys")
    s.child.setwinsize(30, 100)  # SIGWINCH while editing
    time.sleep(0.2)
    s.run(FIRST[2:], FIRST)


def check_ctrl_backslash_is_ignored(s):
    s.send(FIRST[:2])
    s.expect(re.escape(FIRST[:2]), "the echo of the first keys")
    s.send(CTRL_BACKSLASH)
    time.sleep(0.3)
    if not s.child.isalive():
        raise Failure("the REPL ended on Ctrl-\\ (SIGQUIT)")
    s.run(FIRST[2:], FIRST)  # the line is kept


def check_ctrl_d_on_nonempty_line_does_not_quit(s):
    s.send(FIRST)
    s.expect(re.escape(FIRST), "the echo of %r" % FIRST)
    s.run(CTRL_D, FIRST)


def check_ctrl_d_quits_with_status_0(s):
    s.finish()


def interrupt_checks():
    """Ctrl-C during each long command: it stops, the REPL goes on."""

    def check(setup, command, stopped, kept):
        def check_ctrl_c_stops_the_command_not_the_repl(s):
            s.send(setup + ENTER)
            s.prompt("the prompt after %r" % setup)
            s.send(command + ENTER)
            s.expect(re.escape(PROGRESS), "the progress line of %r" % command)
            s.send(CTRL_BACKSLASH)  # ignored: the command goes on until Ctrl-C
            s.send(CTRL_C)
            s.expect(stopped, "what %r says when Ctrl-C stops it" % command)
            s.prompt("the prompt after Ctrl-C stopped %r" % command)
            if not s.child.isalive():
                raise Failure("the REPL ended on Ctrl-C during %r" % command)
            s.send("history" + ENTER)
            s.expect(r"\d+  " + re.escape(setup) + r"\s+\d+  " + kept + r"\s+\d+  history",
                     "history keeping what %r ran" % command)
            s.prompt("the prompt after history")
            s.run(FIRST, FIRST)

        check_ctrl_c_stops_the_command_not_the_repl.__name__ += "_" + command.split()[0]
        return check_ctrl_c_stops_the_command_not_the_repl

    return [check(*long) for long in LONG_COMMANDS] + [check_ctrl_c_clears_line, check_ctrl_d_quits_with_status_0]


def history_checks(home):
    def check_history_file(_):
        path = os.path.join(home, HISTORY_FILE)
        if not os.path.isfile(path):
            raise Failure("no history file at %s" % path)
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode != 0o600:
            raise Failure("history file mode is %o, expected 600" % mode)
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = [line.rstrip() for line in f.read().splitlines()]
        for command in (FIRST, EDITED, COMPLETED):
            if command not in lines:
                raise Failure("%r is not in the history file: %r" % (command, lines))
        if any("garbage" in line or "junk" in line for line in lines):
            raise Failure("a line abandoned with Ctrl-C is in the history: %r" % lines)

    return [check_history_file]


def private_history_checks(home):
    """A history file with mode 0644, reached through a symbolic link (a dotfiles folder): the REPL
    loads it, makes it 0600, and adds to it atomically through the link, which stays a link."""
    link = os.path.join(home, HISTORY_FILE)
    target = os.path.join(home, "dotfiles", "history")

    def check_wide_history_is_made_private(s):
        s.prompt("the first prompt")
        mode = stat.S_IMODE(os.stat(target).st_mode)
        if mode != 0o600:
            raise Failure("the 0644 history file is %o after start, expected 600" % mode)
        s.run(UP, COMPLETED)  # loaded through the link
        s.run(FIRST, FIRST)
        s.finish()
        if not os.path.islink(link):
            raise Failure("the history file's symbolic link was replaced by a file")
        with open(target, encoding="utf-8") as f:
            lines = f.read().splitlines()
        if lines != [COMPLETED, FIRST]:
            raise Failure("the history file holds %r, expected %r" % (lines, [COMPLETED, FIRST]))
        mode = stat.S_IMODE(os.stat(target).st_mode)
        if mode != 0o600:
            raise Failure("history file mode is %o after writing, expected 600" % mode)
        leftovers = [n for n in os.listdir(os.path.dirname(target)) if n != "history"]
        if leftovers:
            raise Failure("temporary files left beside the history file: %r" % leftovers)

    def start():
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w") as f:
            f.write(COMPLETED + "\n")
        os.chmod(target, 0o644)
        os.symlink(target, link)
        return None

    return start, [check_wide_history_is_made_private]


def check_quiz_reads_answers_from_the_terminal(s):
    """On a terminal the quiz asks, reads the answer typed, and grades it; the answer is not a command, so
    the history file does not keep it (Up would have recalled it at the prompt)."""
    s.prompt("the first prompt")
    for command in ("cluster 3 leader n1", "submit x=1", "step", "quiz on"):
        s.send(command + ENTER)
        s.prompt("the prompt after %r" % command)
    s.send("step" + ENTER)
    s.expect(re.escape("accept or reject? "), "the quiz's question")
    s.send("accept" + ENTER)
    s.expect(re.escape("✓ right: accept"), "the graded answer")
    s.prompt("the prompt after the quiz")
    s.finish()
    with open(os.path.join(s.home, HISTORY_FILE), encoding="utf-8", errors="replace") as f:
        kept = f.read().splitlines()
    if "accept" in kept:
        raise Failure("the history file keeps the quiz's answer: %r" % kept[-6:])
    if kept[-2:] != ["quiz on", "step"]:
        raise Failure("the history file's last commands are %r, expected ['quiz on', 'step']" % kept[-2:])


def check_ctrl_c_at_a_question_stops_the_command(s):
    """Ctrl-C at a quiz question skips it and stops the command asking, after the event it was about."""
    s.prompt("the first prompt")
    for command in ("cluster 3 leader n1", "quiz on", "crash n1"):
        s.send(command + ENTER)
        s.prompt("the prompt after %r" % command)
    s.send("run for 1000" + ENTER)
    s.expect(re.escape("which replicas, or nobody? "), "the quiz's question about the tick")
    s.send(CTRL_C)
    s.expect(re.escape("· skipped: it was nobody"), "the question skipped")
    s.expect(re.escape("run for 1000 stopped by Ctrl-C after 1 of 1000 ticks"), "the command stopped")
    s.prompt("the prompt after Ctrl-C at a question")
    s.finish()


def check_history_survives_restart(s):
    # The first session's last command was FIRST, so Up recalls it.
    s.prompt("the first prompt of the second session")
    s.run(UP, FIRST)
    s.finish()


def check_sigterm_restores_terminal(s):
    s.prompt("the first prompt")
    s.send(FIRST[:2])
    s.expect(re.escape(FIRST[:2]), "the echo of the first keys")
    time.sleep(0.2)
    if not s.terminal_is_raw():
        raise Failure("the terminal is not in editing mode at the prompt")
    s.child.kill(signal.SIGTERM)
    s.expect(pexpect.EOF, "the end of the REPL after SIGTERM")
    if s.terminal_is_raw():
        raise Failure("SIGTERM while editing left the terminal without ICANON/ECHO")
    s.child.close()
    if s.child.exitstatus == 0:
        raise Failure("the REPL ended with status 0 on SIGTERM")


SHELL_PROMPT = "SHELL-PROMPT$ "


def job_control_checks(binary):
    """Ctrl-Z and fg under an interactive bash."""

    def check_ctrl_z_and_fg_resume_editing(s):
        s.expect(re.escape(SHELL_PROMPT), "bash's prompt")
        s.send(" ".join(shlex.quote(a) for a in binary) + ENTER)
        s.prompt("the REPL's prompt under bash")
        s.send(FIRST[:2])
        s.expect(re.escape(FIRST[:2]), "the echo of the first keys")
        s.send("\x1a")  # Ctrl-Z
        s.expect("Stopped", "bash reporting the stopped job")
        s.expect(re.escape(SHELL_PROMPT), "bash's prompt after Ctrl-Z")
        s.send("fg" + ENTER)
        s.expect(prompt_re() + re.escape(FIRST[:2]), "the prompt and the line redrawn after fg")
        time.sleep(0.2)
        if not s.terminal_is_raw():
            raise Failure("after fg the terminal is not in editing mode (ICANON or ECHO on)")
        s.run(FIRST[2:], FIRST)
        s.send(CTRL_D)
        s.expect(re.escape(SHELL_PROMPT), "bash's prompt after Ctrl-D")
        s.send("echo status=$?" + ENTER)
        s.expect(r"status=(\d+)", "the REPL's exit status")
        if s.child.match.group(1) != "0":
            raise Failure("exit status %s after Ctrl-D under bash" % s.child.match.group(1))
        s.send("exit" + ENTER)
        s.expect(pexpect.EOF, "bash's end")

    return [check_ctrl_z_and_fg_resume_editing]


# ---------------------------------------------------------------------------


def run_checks(name, checks, start):
    """Runs `checks` in order against one session (or None); returns (passed, failed)."""
    session = None
    passed = failed = 0
    for index, check in enumerate(checks):
        label = "%s: %s" % (name, check.__name__)
        try:
            if session is None and start is not None:
                session = start()
            check(session)
        except (Failure, pexpect.ExceptionPexpect) as error:
            failed += 1
            print("FAIL %s: %s" % (label, error))
            if session is not None:
                print("     screen so far (last 1500 characters): %r" % session.text()[-1500:])
            skipped = len(checks) - index - 1
            if skipped:
                failed += skipped
                print("     (%d later checks of this session not run, counted as failed)" % skipped)
            break
        else:
            passed += 1
            print("ok   %s" % label)
    if session is not None:
        if VERBOSE:
            print("---- %s transcript ----\n%r" % (name, session.text()))
        session.kill()
    return passed, failed


def main(argv):
    if len(argv) < 2:
        print("usage: %s PATH/TO/paxos-playground [ARG...]" % argv[0], file=sys.stderr)
        return 2
    binary = [os.path.abspath(argv[1])] + argv[2:]
    if not os.access(binary[0], os.X_OK):
        print("error: %s is not an executable file" % binary[0], file=sys.stderr)
        return 2

    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="repl-pty-") as root:
        home = os.path.join(root, "home")
        cwd = os.path.join(root, "cwd")
        os.mkdir(home)
        os.mkdir(cwd)
        open(os.path.join(cwd, "zzfile"), "w").close()

        def check_pipe_prints_no_prompt(_):
            check_pipe(binary, root)

        def check_run_of_a_named_pipe_ends_on_ctrl_c(_):
            check_ctrl_c_ends_a_run_waiting_for_its_script(binary, root)

        first = [
            check_starts_with_prompt,
            check_plain_command,
            check_editing_keys,
            check_up_arrow_recalls_last_line,
            check_up_arrow_twice_recalls_earlier_line,
            check_tab_completes_command,
            check_tab_tab_lists_candidates,
            check_no_filename_completion,
            check_ctrl_c_clears_line,
            check_ctrl_c_on_empty_line_and_in_history,
            check_window_resize_keeps_line,
            check_ctrl_backslash_is_ignored,
            check_ctrl_d_on_nonempty_line_does_not_quit,
            check_ctrl_d_quits_with_status_0,
        ]
        for result in (
            run_checks("tty", first, lambda: Session(binary, home, cwd)),
            run_checks("history", history_checks(home), None),
            run_checks("restart", [check_history_survives_restart],
                       lambda: Session(binary, home, cwd)),
            run_checks("job-control", job_control_checks(binary),
                       lambda: Session(["bash", "--norc", "--noprofile", "-i"], home, cwd,
                                       {"PS1": SHELL_PROMPT})),
            run_checks("sigterm", [check_sigterm_restores_terminal],
                       lambda: Session(binary, home, cwd)),
            run_checks("interrupt", [check_starts_with_prompt] + interrupt_checks(),
                       lambda: Session(binary + ["--quiet"], home, cwd)),
            run_checks("pipe", [check_pipe_prints_no_prompt], None),
            run_checks("run-fifo", [check_run_of_a_named_pipe_ends_on_ctrl_c], None),
            run_checks("quiz", [check_quiz_reads_answers_from_the_terminal],
                       lambda: Session(binary, home, cwd)),
            run_checks("quiz-ctrl-c", [check_ctrl_c_at_a_question_stops_the_command],
                       lambda: Session(binary, home, cwd)),
            run_private_history(binary, root, cwd),
            run_odd_history_files(binary, root, cwd),
        ):
            passed += result[0]
            failed += result[1]

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def run_private_history(binary, root, cwd):
    home = os.path.join(root, "private-home")
    os.mkdir(home)
    start, checks = private_history_checks(home)
    start()
    return run_checks("private-history", checks, lambda: Session(binary, home, cwd))


def run_odd_history_files(binary, root, cwd):
    """A history file that cannot be read is said at start; a line in it that is not UTF-8 is kept as it was."""
    latin1_home = os.path.join(root, "latin1-home")
    directory_home = os.path.join(root, "directory-home")
    os.makedirs(os.path.join(directory_home, HISTORY_FILE))
    os.mkdir(latin1_home)
    odd = b"submit x=caf\xe9\n"
    with open(os.path.join(latin1_home, HISTORY_FILE), "wb") as f:
        f.write(odd)

    def check_a_line_that_is_not_utf8_is_kept(s):
        s.prompt("the first prompt")
        s.run(FIRST, FIRST)
        s.finish()
        with open(os.path.join(latin1_home, HISTORY_FILE), "rb") as f:
            kept = f.read()
        if kept != odd + FIRST.encode() + b"\n":
            raise Failure("the history file holds %r, expected %r" % (kept, odd + FIRST.encode() + b"\n"))

    def check_a_directory_is_said_at_start(s):
        s.expect(re.escape("paxos-playground: history: history file %s is a directory, not a file; the REPL goes on "
                           "without saving it" % os.path.join(directory_home, HISTORY_FILE)), "the warning at start")
        s.prompt("the first prompt")
        s.finish()

    first = run_checks("latin1-history", [check_a_line_that_is_not_utf8_is_kept],
                       lambda: Session(binary, latin1_home, cwd))
    second = run_checks("directory-history", [check_a_directory_is_said_at_start],
                        lambda: Session(binary, directory_home, cwd))
    return first[0] + second[0], first[1] + second[1]


def check_pipe(binary, root):
    """Standard input not a terminal: lines are read plainly, with no prompt."""
    home = os.path.join(root, "pipe-home")
    os.mkdir(home)
    env = dict(os.environ, HOME=home, TERM=TERM)
    try:
        result = subprocess.run(
            binary, input="".join(line + "\n" for line in PIPED_LINES), env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise Failure("the REPL did not end within %s s with piped input" % TIMEOUT)
    if result.returncode != 0:
        raise Failure("exit status %d with piped input; stderr: %r" % (result.returncode, result.stderr))
    problem = check_piped_output(PIPED_LINES, result.stdout)
    if problem:
        raise Failure(problem)
    if os.path.exists(os.path.join(home, HISTORY_FILE)):
        raise Failure("piped input wrote a history file")


def check_ctrl_c_ends_a_run_waiting_for_its_script(binary, root):
    """`run` of a named pipe nobody writes to waits to read it: Ctrl-C ends it, with nothing run."""
    fifo = os.path.join(root, "waiting.pxs")
    os.mkfifo(fifo)
    child = pexpect.spawn(binary[0], binary[1:] + ["run", fifo], env=dict(os.environ, TERM=TERM),
                          encoding="utf-8", timeout=TIMEOUT)
    time.sleep(0.5)
    child.sendintr()
    try:
        child.expect(pexpect.EOF, timeout=5)
    except pexpect.TIMEOUT:
        child.terminate(force=True)
        raise Failure("run waiting for its script did not end on Ctrl-C")
    child.close()
    if child.signalstatus != signal.SIGINT:
        raise Failure("run ended with status %r, signal %r: expected the end by SIGINT"
                      % (child.exitstatus, child.signalstatus))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
