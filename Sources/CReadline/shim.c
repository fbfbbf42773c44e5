/*
 * The state the helpers of shim.h share, defined once for the whole program
 * (see the comment at the top of shim.h).
 */
#include "shim.h"

volatile sig_atomic_t paxos_rl_caught_sigint = 0;
volatile sig_atomic_t paxos_rl_caught_sigwinch = 0;
volatile sig_atomic_t paxos_rl_caught_sigtstp = 0;
volatile sig_atomic_t paxos_rl_caught_fatal = 0;

const paxos_rl_signal_state *paxos_rl_current_state = NULL;

atomic_int paxos_interrupt_flag = 0;
