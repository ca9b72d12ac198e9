// Signals: sending, forcing, and delivering on the way back to user mode (Linux 5.10 kernel/signal.c,
// kernel/entry/common.c exit_to_user_mode_loop, arch/x86/kernel/signal.c arch_do_signal/handle_signal).
// faultline has one thread per process, so a task's pending queue is the process's.
//
// API:
//   send_sig_info(k, sig, info, t): number        queue sig for t (0, or -EINVAL)
//   force_sig_info_to_task(k, info, t): number    a synchronous signal the task cannot block or ignore
//   force_sig_fault(k, sig, code, addr): number   to current, with si_addr (page faults, traps)
//   force_sig(k, sig): number                     to current, si_code SI_KERNEL
//   force_sigsegv(k, sig)                         the frame for sig could not be built
//   signal_pending(t): boolean                    an unblocked signal waits
//   set_current_blocked(k, set)
//   exit_to_user_mode(k)                          deliver every pending signal before the CPU returns to
//       user mode (call with the CPU holding the user context, CPL 3): a handler gets a frame; a default
//       action that kills calls do_group_exit, which throws TaskExit
//   kernel_siginfo_of(sig, code, addr): kernel_siginfo
// The trap handlers (#DE #UD #BP #GP) live in signal_trap.ts and are re-exported here.

import { do_group_exit } from './exit.js';
import { wake_up_process } from './sched.js';
import type { Machine } from './machine.js';
import type { pt_regs } from './ptrace.js';
import {
  SA_NODEFER, SA_RESETHAND, SIGBUS, SIGFPE, SIGILL, SIGKILL, SIGSEGV, SIGSYS, SIGTRAP, SIG_DFL, SIG_IGN, SI_KERNEL,
  UNBLOCKABLE, sig_kernel_ignore, sig_kernel_stop, sigaddset, sigandnsets, sigdelset, sigismember, sigorsets, valid_signal,
} from './signal_defs.js';
import { setup_rt_frame, type ksignal } from './signal_frame.js';
import type { kernel_siginfo, sigset_t, task_struct } from './task.js';

export { exc_divide_error, exc_invalid_op, exc_int3, exc_general_protection, do_trap, do_error_trap } from './signal_trap.js';

/** A siginfo with the fields a kernel-generated signal has. */
export function kernel_siginfo_of(sig: number, code: number, addr: number): kernel_siginfo {
  return { si_signo: sig, si_errno: 0, si_code: code, si_addr: addr, si_pid: 0, si_uid: 0, si_status: 0 };
}

// Linux 5.10 kernel/signal.c sig_handler_ignored / sig_task_ignored: dropped at send time
function sig_ignored(t: task_struct, sig: number): boolean {
  if (sigismember(t.blocked, sig)) return false; // blocked signals stay pending: the handler may change
  const handler = t.sighand[sig - 1].sa_handler;
  return handler === SIG_IGN || (handler === SIG_DFL && sig_kernel_ignore(sig));
}

// Linux 5.10 kernel/signal.c legacy_queue: a standard signal already pending is not queued twice
function legacy_queue(t: task_struct, sig: number): boolean {
  return sig < 32 && t.pending.some((q) => q.si_signo === sig);
}

// Linux 5.10 kernel/signal.c __send_signal (prepare_signal's ignore check, then the queue)
function send_signal(t: task_struct, info: kernel_siginfo): number {
  const sig = info.si_signo;
  if (t.state === 'zombie' || t.state === 'dead') return 0;
  if (sig_ignored(t, sig) && sig !== SIGKILL) return 0;
  if (legacy_queue(t, sig)) return 0;
  t.pending.push({ ...info });
  complete_signal(t, sig);
  return 0;
}

// Linux 5.10 kernel/signal.c complete_signal: a fatal signal wakes a task blocked in the kernel (it dies
// on its way back to user mode)
function complete_signal(t: task_struct, sig: number): void {
  if (t.state !== 'blocked' || sigismember(t.blocked, sig) && sig !== SIGKILL) return;
  const h = t.sighand[sig - 1].sa_handler;
  if (sig === SIGKILL || (h === SIG_DFL && !sig_kernel_ignore(sig) && !sig_kernel_stop(sig))) wake_up_process(t);
}

// Linux 5.10 kernel/signal.c send_sig_info / do_send_sig_info
export function send_sig_info(_k: Machine, sig: number, info: kernel_siginfo, t: task_struct): number {
  if (!valid_signal(sig)) return -22;
  return send_signal(t, { ...info, si_signo: sig });
}

// Linux 5.10 kernel/signal.c force_sig_info_to_task: a blocked or ignored signal is unblocked and its
// action reset to SIG_DFL, so a fault inside a SIGSEGV handler kills instead of looping
export function force_sig_info_to_task(_k: Machine, info: kernel_siginfo, t: task_struct): number {
  const sig = info.si_signo;
  const action = t.sighand[sig - 1];
  const ignored = action.sa_handler === SIG_IGN;
  const blocked = sigismember(t.blocked, sig);
  if (blocked || ignored) {
    action.sa_handler = SIG_DFL;
    if (blocked) sigdelset(t.blocked, sig);
  }
  return send_signal(t, info);
}

// Linux 5.10 kernel/signal.c force_sig_fault (-> force_sig_fault_to_task for current)
export function force_sig_fault(k: Machine, sig: number, code: number, addr: number): number {
  return force_sig_info_to_task(k, kernel_siginfo_of(sig, code, addr), k.current);
}

// Linux 5.10 kernel/signal.c force_sig: SI_KERNEL, no address
export function force_sig(k: Machine, sig: number): number {
  return force_sig_info_to_task(k, kernel_siginfo_of(sig, SI_KERNEL, 0), k.current);
}

// Linux 5.10 kernel/signal.c force_sigsegv: a SIGSEGV handler that cannot get a frame is dropped first
export function force_sigsegv(k: Machine, sig: number): void {
  if (sig === SIGSEGV) k.current.sighand[SIGSEGV - 1].sa_handler = SIG_DFL;
  force_sig(k, SIGSEGV);
}

// Linux 5.10 kernel/signal.c set_current_blocked: SIGKILL and SIGSTOP can never be blocked
export function set_current_blocked(k: Machine, set: sigset_t): void {
  k.current.blocked = sigandnsets(set, UNBLOCKABLE);
}

/** Linux 5.10 include/linux/sched/signal.h signal_pending: is any queued signal unblocked? */
export function signal_pending(t: task_struct): boolean {
  return t.pending.some((q) => q.si_signo === SIGKILL || !sigismember(t.blocked, q.si_signo));
}

const SYNCHRONOUS = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGSYS];

// Linux 5.10 kernel/signal.c next_signal: synchronous (fault) signals first, then the lowest number
function next_signal(t: task_struct): number {
  let best = 0;
  for (const q of t.pending) {
    const s = q.si_signo;
    if (s !== SIGKILL && sigismember(t.blocked, s)) continue;
    const rank = (x: number): number => (SYNCHRONOUS.includes(x) ? x : x + 100);
    if (best === 0 || rank(s) < rank(best)) best = s;
  }
  return best;
}

// Linux 5.10 kernel/signal.c dequeue_signal: the oldest queued instance of the chosen signal
function dequeue_signal(t: task_struct): kernel_siginfo | null {
  const sig = next_signal(t);
  if (sig === 0) return null;
  const i = t.pending.findIndex((q) => q.si_signo === sig);
  return t.pending.splice(i, 1)[0];
}

// Linux 5.10 kernel/signal.c get_signal: the next signal that needs a handler, after carrying out the
// default actions of the others (ignore, or kill the process: do_group_exit does not return)
export function get_signal(k: Machine): ksignal | null {
  const t = k.current;
  for (;;) {
    const info = dequeue_signal(t);
    if (info === null) return null;
    const sig = info.si_signo;
    const ka = t.sighand[sig - 1];
    if (ka.sa_handler === SIG_IGN && sig !== SIGKILL) continue;
    if (ka.sa_handler !== SIG_DFL && sig !== SIGKILL) {
      const copy = { ...ka, sa_mask: { ...ka.sa_mask } };
      if (ka.sa_flags & SA_RESETHAND) ka.sa_handler = SIG_DFL; // SA_ONESHOT
      return { sig, info, ka: copy };
    }
    if (sig_kernel_ignore(sig)) continue;
    if (sig_kernel_stop(sig) && sig !== SIGKILL) continue; // no job control: a stop is not modelled
    do_group_exit(k, sig); // the default action: death (no core file is written: ulimit -c 0)
    return null;
  }
}

// Linux 5.10 kernel/signal.c signal_setup_done -> signal_delivered: block sa_mask (and the signal itself
// unless SA_NODEFER) while the handler runs
function signal_setup_done(k: Machine, failed: boolean, ksig: ksignal): void {
  if (failed) {
    force_sigsegv(k, ksig.sig);
    return;
  }
  const blocked = sigorsets(k.current.blocked, ksig.ka.sa_mask);
  if (!(ksig.ka.sa_flags & SA_NODEFER)) sigaddset(blocked, ksig.sig);
  set_current_blocked(k, blocked);
}

// Linux 5.10 arch/x86/kernel/signal.c handle_signal: build the frame, then clear DF RF TF for the handler
function handle_signal(k: Machine, ksig: ksignal, regs: pt_regs): void {
  const failed = setup_rt_frame(k, ksig, k.current.blocked, regs) < 0;
  if (!failed) regs.flags = regs.flags & ~(0x400 | 0x10000 | 0x100);
  signal_setup_done(k, failed, ksig);
}

/** How many signals one return to user mode delivers at most (each nests a frame; a bound for safety). */
const MAX_DELIVERIES = 64;

// Linux 5.10 kernel/entry/common.c exit_to_user_mode_loop -> arch_do_signal: deliver until none is pending
export function exit_to_user_mode(k: Machine): void {
  const t = k.current;
  for (let n = 0; n < MAX_DELIVERIES && t.pending.length > 0 && signal_pending(t); n++) {
    const ksig = get_signal(k);
    if (ksig === null) break;
    handle_signal(k, ksig, k.regs);
  }
  k.regs.orig_ax = -1;
}
