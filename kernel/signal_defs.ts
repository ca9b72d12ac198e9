// Signal numbers, sigaction flags, si_codes and sigset_t helpers (Linux 5.10 include/uapi/asm-generic/
// signal.h, include/uapi/asm-generic/siginfo.h, arch/x86/include/uapi/asm/signal.h).

import type { sigset_t } from './task.js';

export const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGFPE = 8;
export const SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15;
export const SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22;
export const SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29;
export const SIGPWR = 30, SIGSYS = 31;
export const _NSIG = 64;

export const SIG_DFL = 0;
export const SIG_IGN = 1;

// sa_flags (x86-64)
export const SA_NOCLDSTOP = 0x00000001;
export const SA_NOCLDWAIT = 0x00000002;
export const SA_SIGINFO = 0x00000004;
export const SA_RESTORER = 0x04000000;
export const SA_ONSTACK = 0x08000000;
export const SA_RESTART = 0x10000000;
export const SA_NODEFER = 0x40000000;
export const SA_RESETHAND = 0x80000000;

// rt_sigprocmask how
export const SIG_BLOCK = 0;
export const SIG_UNBLOCK = 1;
export const SIG_SETMASK = 2;

// si_code values
export const SI_USER = 0;
export const SI_KERNEL = 0x80;
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;
export const SEGV_PKUERR = 4;
export const BUS_ADRALN = 1;
export const BUS_ADRERR = 2;
export const ILL_ILLOPN = 2;
export const FPE_INTDIV = 1;
export const CLD_EXITED = 1;
export const CLD_KILLED = 2;
export const CLD_DUMPED = 3;

// x86 trap numbers (arch/x86/include/asm/trapnr.h)
export const X86_TRAP_DE = 0;
export const X86_TRAP_BP = 3;
export const X86_TRAP_UD = 6;
export const X86_TRAP_GP = 13;
export const X86_TRAP_PF = 14;

/** sigmask(sig) as a set with only that signal. */
export function sigmask(sig: number): sigset_t {
  return sig <= 32 ? { lo: 1 << (sig - 1), hi: 0 } : { lo: 0, hi: 1 << (sig - 33) };
}

export function sigismember(set: sigset_t, sig: number): boolean {
  return sig <= 32 ? (set.lo & (1 << (sig - 1))) !== 0 : (set.hi & (1 << (sig - 33))) !== 0;
}

export function sigaddset(set: sigset_t, sig: number): void {
  if (sig <= 32) set.lo |= 1 << (sig - 1);
  else set.hi |= 1 << (sig - 33);
}

export function sigdelset(set: sigset_t, sig: number): void {
  if (sig <= 32) set.lo &= ~(1 << (sig - 1));
  else set.hi &= ~(1 << (sig - 33));
}

export function sigorsets(a: sigset_t, b: sigset_t): sigset_t {
  return { lo: a.lo | b.lo, hi: a.hi | b.hi };
}

export function sigandnsets(a: sigset_t, b: sigset_t): sigset_t {
  return { lo: a.lo & ~b.lo, hi: a.hi & ~b.hi };
}

/** The bits of SIGKILL and SIGSTOP, which can never be blocked (sigdelsetmask(&set, sigmask(SIGKILL)|...)). */
export const UNBLOCKABLE: sigset_t = { lo: (1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1)), hi: 0 };

/** valid_signal(sig) for the 64 signals x86-64 has. */
export function valid_signal(sig: number): boolean {
  return Number.isInteger(sig) && sig >= 1 && sig <= _NSIG;
}

/** sig_kernel_ignore: signals whose default action is to do nothing (SIGCONT, SIGCHLD, SIGWINCH, SIGURG). */
export function sig_kernel_ignore(sig: number): boolean {
  return sig === SIGCONT || sig === SIGCHLD || sig === SIGWINCH || sig === SIGURG;
}

/** sig_kernel_stop: default action stops the task (faultline has no job control: treated as ignore). */
export function sig_kernel_stop(sig: number): boolean {
  return sig === SIGSTOP || sig === SIGTSTP || sig === SIGTTIN || sig === SIGTTOU;
}
