// Pipes, the part faultline has: a write whose reading end is closed (Linux 5.10 fs/pipe.c pipe_write).
// faultline's fds 1 and 2 are the host's stdout and stderr; when the host says nobody reads them any more
// (EPIPE), the guest is told as Linux tells a writer to a pipe without readers.
//
//   pipe_write_no_readers(k): -EPIPE     SIGPIPE sent to the writer first

import type { Machine } from './machine.js';
import { EPIPE } from './mm_constants.js';
import { kernel_siginfo_of, send_sig_info } from './signal.js';
import { SIGPIPE, SI_USER } from './signal_defs.js';

// Linux 5.10 fs/pipe.c pipe_write, `if (!pipe->readers) { send_sig(SIGPIPE, current, 0); ret = -EPIPE; }`:
// SIGPIPE's default action kills the writer on its way back to user mode (status 141 in a shell). When
// the writer ignores SIGPIPE, send_sig drops it; when it blocks it, the signal stays pending. Either way
// the write itself fails with -EPIPE (or returns what was written before the reader went away).
export function pipe_write_no_readers(k: Machine): number {
  const info = kernel_siginfo_of(SIGPIPE, SI_USER, 0); // send_sig(sig, p, 0): SEND_SIG_NOINFO
  info.si_pid = k.current.pid;
  send_sig_info(k, SIGPIPE, info, k.current);
  return -EPIPE;
}
