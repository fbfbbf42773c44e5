#ifndef PAXOS_PLAYGROUND_CREADLINE_SHIM_H
#define PAXOS_PLAYGROUND_CREADLINE_SHIM_H

/*
 * GNU readline for the paxos-playground REPL (Sources/paxos-playground/LineReader.swift).
 *
 * readline.h uses FILE without including <stdio.h>, so stdio comes first.
 *
 * The functions below are `static inline`: this is a system-library target
 * and has no C sources of its own. The state they share (the signal flags,
 * the signal state of the line being read) is defined here as weak globals,
 * not `static` ones: every object file that inlines a helper emits the
 * definition, and the linker keeps one, so the signal handler and every
 * reader see the same flag. (Were it `static`, each object file would get a
 * copy of its own: a release build inlines the Swift callers across files,
 * and Ctrl-C then set one copy while the running command read another.)
 * The helpers exist because
 *   - Swift 6 rejects references to mutable C globals such as rl_point or
 *     rl_attempted_completion_over ("not concurrency-safe"), so every
 *     readline global the REPL reads or sets is touched here, in C;
 *   - a signal handler must only set a flag, which is plain C.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/select.h>
#include <readline/readline.h>
#include <readline/history.h>

/* ------------------------------------------------------------------ */
/* Configuration                                                       */

/* Never fall back to file names, whatever key or binding asks for them. */
static inline char *paxos_rl_no_completion_entry(const char *text, int state) {
    (void)text;
    (void)state;
    return NULL;
}

/*
 * One-time set-up for the REPL. Readline's own signal handling is switched
 * off: the REPL runs readline's callback interface and handles SIGINT and
 * SIGWINCH itself (see below), so there is nothing to longjmp out of.
 */
static inline void paxos_rl_configure(rl_completion_func_t *attempted_completion) {
    rl_readline_name = "paxos-playground"; /* for `$if paxos-playground` in ~/.inputrc */
    rl_instream = stdin;
    rl_outstream = stdout;
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_attempted_completion_function = attempted_completion;
    rl_completion_entry_function = paxos_rl_no_completion_entry;
    /* Words are separated by blanks only, so the completer sees whole tokens. */
    rl_basic_word_break_characters = " \t\n";
    rl_completer_word_break_characters = " \t\n";
    /*
     * Read ~/.inputrc now, then turn bracketed paste off whatever it says: pasted
     * lines then run one by one, as typed, and readline never prints a newline of
     * its own at EOF (it does only with bracketed paste on), so the REPL can end
     * the prompt line itself.
     */
    rl_initialize();
    rl_variable_bind("enable-bracketed-paste", "off");
}

/* ------------------------------------------------------------------ */
/* Completion                                                          */

/* Called from the attempted-completion function: no filename fallback,
   even when the Swift completer found nothing. */
static inline void paxos_rl_completion_over(void) {
    rl_attempted_completion_over = 1;
}

/* The bytes of the line buffer before the cursor: *length is set to rl_point. */
static inline const char *paxos_rl_line_before_cursor(int *length) {
    if (rl_line_buffer == NULL) {
        *length = 0;
        return "";
    }
    *length = rl_point;
    return rl_line_buffer;
}

/* ------------------------------------------------------------------ */
/* History                                                             */

/* The newest history entry, or NULL when the history is empty. */
static inline const char *paxos_rl_last_history_line(void) {
    if (history_length <= 0) {
        return NULL;
    }
    HIST_ENTRY *entry = history_get(history_base + history_length - 1);
    return entry != NULL ? entry->line : NULL;
}

/* ------------------------------------------------------------------ */
/* Signals                                                             */
/*
 * Readline's own signal handling is off (paxos_rl_configure). While a line is
 * being read (between paxos_rl_signals_begin and paxos_rl_signals_end) these
 * signals are caught by a handler that only records them, and the REPL's loop
 * acts on them between keys:
 *   SIGINT (Ctrl-C)    abandon the line, fresh prompt     paxos_rl_abandon_line
 *   SIGWINCH           new window size                    rl_resize_terminal
 *   SIGTSTP (Ctrl-Z)   restore the terminal, stop; on fg   paxos_rl_suspend
 *                      take it again and redraw the line
 *   SIGTERM, SIGHUP,   restore the terminal, then the signal is raised again
 *   SIGQUIT            under the old disposition           paxos_rl_take_fatal_signal
 *                      (SIGQUIT only where it is not ignored: from
 *                      paxos_interrupt_catch on, the program ignores it)
 * They are blocked except while waiting for a key (pselect unblocks them
 * atomically), so none is lost between checking the flags and going to sleep.
 * SIGTSTP, SIGTERM, SIGHUP and SIGQUIT are left alone when they were ignored.
 * Outside next() the old dispositions apply (so Ctrl-C during a command does
 * whatever the program set up: see paxos_interrupt_catch at the end).
 */

/* Weak: one copy for the whole program, whichever object files define it. */
#define PAXOS_SHARED __attribute__((weak))
PAXOS_SHARED volatile sig_atomic_t paxos_rl_caught_sigint = 0;
PAXOS_SHARED volatile sig_atomic_t paxos_rl_caught_sigwinch = 0;
PAXOS_SHARED volatile sig_atomic_t paxos_rl_caught_sigtstp = 0;
PAXOS_SHARED volatile sig_atomic_t paxos_rl_caught_fatal = 0; /* the signal's number */

/* Only records the signal; the REPL's loop acts on it outside signal context. */
static inline void paxos_rl_record_signal(int sig) {
    switch (sig) {
    case SIGINT: paxos_rl_caught_sigint = 1; break;
    case SIGWINCH: paxos_rl_caught_sigwinch = 1; break;
    case SIGTSTP: paxos_rl_caught_sigtstp = 1; break;
    default: paxos_rl_caught_fatal = sig; break;
    }
}

enum { PAXOS_RL_SIGNAL_COUNT = 6 };

typedef struct {
    struct sigaction old_actions[PAXOS_RL_SIGNAL_COUNT];
    int installed[PAXOS_RL_SIGNAL_COUNT]; /* 1 where the recording handler was installed */
    sigset_t old_mask;  /* the mask before paxos_rl_signals_begin */
    sigset_t wait_mask; /* old_mask without the signals above, used while waiting */
} paxos_rl_signal_state;

static inline int paxos_rl_signal_number(int index) {
    static const int numbers[PAXOS_RL_SIGNAL_COUNT] = { SIGINT, SIGWINCH, SIGTSTP, SIGTERM, SIGHUP, SIGQUIT };
    return numbers[index];
}

static inline void paxos_rl_clear_flags(void) {
    paxos_rl_caught_sigint = 0;
    paxos_rl_caught_sigwinch = 0;
    paxos_rl_caught_sigtstp = 0;
    paxos_rl_caught_fatal = 0;
}

/* The signal state of the line being read, for paxos_rl_getc (set by paxos_rl_signals_begin). */
PAXOS_SHARED const paxos_rl_signal_state *paxos_rl_current_state = NULL;

/*
 * readline's getc (rl_getc_function). readline reads a key after checking
 * that one is queued (it batches typed-ahead characters), with the signals
 * above blocked. A Ctrl-C between the check and the read flushes the
 * terminal's queue and raises SIGINT, which is blocked: a plain read would
 * then sleep until the next key. This read never sleeps: with nothing to
 * read it waits in pselect, signals unblocked, and on Ctrl-C (or Ctrl-Z or a
 * fatal signal) returns NUL (set-mark, harmless) so that readline returns and
 * the REPL's loop acts on the signal, which also drops that NUL (it clears
 * the pending input).
 */
static inline int paxos_rl_getc(FILE *stream) {
    int fd = fileno(stream);
    for (;;) {
        int flags = fcntl(fd, F_GETFL);
        if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        unsigned char c;
        ssize_t n = read(fd, &c, 1);
        int error = errno;
        if (flags >= 0) fcntl(fd, F_SETFL, flags);
        if (n == 1) return c;
        if (n == 0) return EOF;
        if (error != EAGAIN && error != EWOULDBLOCK && error != EINTR) return EOF;
        fd_set readable;
        FD_ZERO(&readable);
        FD_SET(fd, &readable);
        int result = pselect(fd + 1, &readable, NULL, NULL, NULL,
                             paxos_rl_current_state != NULL ? &paxos_rl_current_state->wait_mask : NULL);
        if (result < 0 && errno != EINTR) return EOF;
        if (paxos_rl_caught_sigint || paxos_rl_caught_sigtstp || paxos_rl_caught_fatal) return 0;
    }
}

static inline void paxos_rl_signals_begin(paxos_rl_signal_state *state) {
    sigset_t block;
    sigemptyset(&block);
    for (int i = 0; i < PAXOS_RL_SIGNAL_COUNT; i++) {
        sigaddset(&block, paxos_rl_signal_number(i));
    }
    sigprocmask(SIG_BLOCK, &block, &state->old_mask);
    state->wait_mask = state->old_mask;
    for (int i = 0; i < PAXOS_RL_SIGNAL_COUNT; i++) {
        sigdelset(&state->wait_mask, paxos_rl_signal_number(i));
    }
    paxos_rl_clear_flags();
    paxos_rl_current_state = state;
    rl_getc_function = paxos_rl_getc;

    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = paxos_rl_record_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; /* no SA_RESTART: pselect must return EINTR */
    for (int i = 0; i < PAXOS_RL_SIGNAL_COUNT; i++) {
        int sig = paxos_rl_signal_number(i);
        state->installed[i] = 0;
        sigaction(sig, NULL, &state->old_actions[i]);
        if (sig != SIGINT && sig != SIGWINCH && state->old_actions[i].sa_handler == SIG_IGN) {
            continue;
        }
        sigaction(sig, &action, NULL);
        state->installed[i] = 1;
    }
}

/* Restores the mask first (so that a signal that arrived while the last key was
   handled, e.g. Ctrl-C just after Enter, reaches the recording handler and is
   dropped), then the old handlers. */
static inline void paxos_rl_signals_end(const paxos_rl_signal_state *state) {
    sigprocmask(SIG_SETMASK, &state->old_mask, NULL);
    paxos_rl_current_state = NULL;
    for (int i = 0; i < PAXOS_RL_SIGNAL_COUNT; i++) {
        if (state->installed[i]) {
            sigaction(paxos_rl_signal_number(i), &state->old_actions[i], NULL);
        }
    }
    paxos_rl_clear_flags();
}

/* 1 if a SIGINT arrived since the last call (and clears it), else 0. */
static inline int paxos_rl_take_sigint(void) {
    int caught = paxos_rl_caught_sigint;
    paxos_rl_caught_sigint = 0;
    return caught;
}

/* 1 if a SIGWINCH arrived since the last call (and clears it), else 0. */
static inline int paxos_rl_take_sigwinch(void) {
    int caught = paxos_rl_caught_sigwinch;
    paxos_rl_caught_sigwinch = 0;
    return caught;
}

/* 1 if a SIGTSTP arrived since the last call (and clears it), else 0. */
static inline int paxos_rl_take_sigtstp(void) {
    int caught = paxos_rl_caught_sigtstp;
    paxos_rl_caught_sigtstp = 0;
    return caught;
}

/* The number of a SIGTERM, SIGHUP or SIGQUIT that arrived (and clears it), or 0.
   The caller restores the terminal, calls paxos_rl_signals_end, then raise()s it. */
static inline int paxos_rl_take_fatal_signal(void) {
    int caught = paxos_rl_caught_fatal;
    paxos_rl_caught_fatal = 0;
    return caught;
}

/*
 * Sleeps until readline's input is readable or a signal arrives.
 * Returns 1 when input is readable, 0 when interrupted by a signal, -1 on error.
 */
static inline int paxos_rl_wait_for_input(const paxos_rl_signal_state *state) {
    int fd = fileno(rl_instream != NULL ? rl_instream : stdin);
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(fd, &readable);
    int result = pselect(fd + 1, &readable, NULL, NULL, NULL, &state->wait_mask);
    if (result > 0) {
        return 1;
    }
    if (result < 0 && errno == EINTR) {
        return 0;
    }
    return -1;
}

/*
 * As paxos_rl_wait_for_input, and also wakes when wake_fd (the live page's
 * queue of commands, or -1 for none) is readable.
 * Returns 1 when readline's input is readable, 2 when only wake_fd is,
 * 0 when interrupted by a signal, -1 on error.
 */
static inline int paxos_rl_wait_for_input_or(const paxos_rl_signal_state *state, int wake_fd) {
    if (wake_fd < 0) {
        return paxos_rl_wait_for_input(state);
    }
    int fd = fileno(rl_instream != NULL ? rl_instream : stdin);
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(fd, &readable);
    FD_SET(wake_fd, &readable);
    int result = pselect((fd > wake_fd ? fd : wake_fd) + 1, &readable, NULL, NULL, NULL, &state->wait_mask);
    if (result > 0) {
        return FD_ISSET(fd, &readable) ? 1 : 2;
    }
    if (result < 0 && errno == EINTR) {
        return 0;
    }
    return -1;
}

/* ------------------------------------------------------------------ */
/* A command from the live page, shown as if typed                     */

/*
 * The line being edited (malloc'd, for the caller to free) and its cursor,
 * before a command from the page takes its place.
 */
static inline char *paxos_rl_save_line(int *point) {
    *point = rl_point;
    return rl_copy_text(0, rl_end);
}

/*
 * Shows `line` after the prompt as if it had been typed and Enter pressed:
 * the line being edited is replaced (the caller saved it), and the cursor
 * moves to a new line. The caller then removes the callback handler.
 */
static inline void paxos_rl_show_as_typed(const char *line) {
    rl_replace_line(line, 1);
    rl_point = rl_end;
    rl_redisplay();
    rl_crlf();
    fflush(rl_outstream);
}

/* Puts a saved line back after a fresh prompt, the cursor where it was. */
static inline void paxos_rl_restore_line(const char *line, int point) {
    rl_insert_text(line);
    rl_point = point <= rl_end ? point : rl_end;
    rl_redisplay();
}

/*
 * Ctrl-C while editing: abandon the line as readline's own SIGINT handler
 * would (undo list, keyboard macro, numeric argument, i-search state), echo
 * "^C" at the end of the line and move to a new line. The caller then removes
 * and re-installs the callback handler, which starts an empty line with a
 * fresh prompt and resets the history position.
 */
static inline void paxos_rl_abandon_line(void) {
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_clear_pending_input();
    rl_point = rl_end;
    rl_redisplay();
    rl_echo_signal_char(SIGINT);
    rl_crlf();
    fflush(rl_outstream);
}

/*
 * Ctrl-Z while editing: echo "^Z", give the terminal its modes back and stop
 * the process as SIGTSTP's old disposition says (by default: stop). When it is
 * continued (fg), take the terminal again and redraw the prompt and the line
 * being edited on a new line.
 */
static inline void paxos_rl_suspend(const paxos_rl_signal_state *state) {
    int index = 2; /* SIGTSTP in paxos_rl_signal_number */
    rl_echo_signal_char(SIGTSTP);
    rl_cleanup_after_signal(); /* terminal modes restored; the shell reports the stop on a new line */
    fflush(rl_outstream);

    struct sigaction recording;
    sigaction(SIGTSTP, &state->old_actions[index], &recording);
    sigset_t unblock, mask;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGTSTP);
    sigprocmask(SIG_UNBLOCK, &unblock, &mask);
    raise(SIGTSTP); /* stops here until SIGCONT */
    sigprocmask(SIG_SETMASK, &mask, NULL);
    sigaction(SIGTSTP, &recording, NULL);

    rl_reset_after_signal(); /* terminal modes for editing again */
    rl_on_new_line();
    rl_redisplay();
}

/* ------------------------------------------------------------------ */
/* Ctrl-C during a command                                             */
/*
 * From paxos_interrupt_catch() on, SIGQUIT (Ctrl-\) is ignored everywhere, and
 * SIGINT outside readline only sets a
 * flag: the command running stops at its next whole event (its long loops
 * and the model checker's threads read the flag) and the REPL goes on.
 * While readline reads a line, paxos_rl_signals_begin puts its own handler
 * in place (Ctrl-C clears the line) and paxos_rl_signals_end puts this one
 * back. The flag is a lock-free C11 atomic: async-signal-safe to set, and
 * safe to read from any thread. SA_RESTART: a read or write interrupted by
 * Ctrl-C goes on.
 */

#include <stdatomic.h>

PAXOS_SHARED atomic_int paxos_interrupt_flag = 0;

static inline void paxos_interrupt_record(int sig) {
    (void)sig;
    atomic_store_explicit(&paxos_interrupt_flag, 1, memory_order_relaxed);
}

static inline void paxos_interrupt_catch(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = paxos_interrupt_record;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, NULL);
    /* Ctrl-\ (SIGQUIT) would end the process with a crash report: ignored, as an
       interactive shell ignores it. Ctrl-C stops a command; Ctrl-D or quit ends. */
    signal(SIGQUIT, SIG_IGN);
}

/* 1 if standard output could not be written (after flushing it), else 0. */
static inline int paxos_stdout_failed(void) {
    return fflush(stdout) != 0 || ferror(stdout) ? 1 : 0;
}

/* Records a Ctrl-C that readline took, as the handler would have. */
static inline void paxos_interrupt_request(void) {
    atomic_store_explicit(&paxos_interrupt_flag, 1, memory_order_relaxed);
}

/* SIGINT ends the program again, as by default (SIGQUIT stays ignored). */
static inline void paxos_interrupt_release(void) {
    signal(SIGINT, SIG_DFL);
}

/* Forgets any Ctrl-C so far: called before each command. */
static inline void paxos_interrupt_clear(void) {
    atomic_store_explicit(&paxos_interrupt_flag, 0, memory_order_relaxed);
}

/* 1 if Ctrl-C came since the last paxos_interrupt_clear(), else 0. */
static inline int paxos_interrupt_requested(void) {
    return atomic_load_explicit(&paxos_interrupt_flag, memory_order_relaxed);
}

#endif /* PAXOS_PLAYGROUND_CREADLINE_SHIM_H */
