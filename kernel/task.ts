// struct task_struct and the per-task state the fault path, signals and the scheduler share
// (include/linux/sched.h, include/linux/sched/signal.h), reduced to what faultline models.

import type { CpuState } from '../vm/cpu.js';
import type { mm_struct } from './mm_types.js';

/** A 64-signal set as two 32-bit words (bit n-1 of the pair is signal n): sigset_t. */
export interface sigset_t {
  lo: number;
  hi: number;
}

/** struct k_sigaction / struct sigaction as rt_sigaction passes it (x86-64 layout). */
export interface k_sigaction {
  sa_handler: number; // SIG_DFL 0, SIG_IGN 1, or a user address
  sa_flags: number;
  sa_restorer: number;
  sa_mask: sigset_t;
}

/** kernel_siginfo_t: the fields faultline delivers (si_addr for faults, si_pid/si_status for SIGCHLD). */
export interface kernel_siginfo {
  si_signo: number;
  si_errno: number;
  si_code: number;
  si_addr: number;
  si_pid: number;
  si_uid: number;
  si_status: number;
}

/** thread_struct fields set_signal_archinfo fills (arch/x86/include/asm/processor.h). */
export interface thread_struct {
  cr2: number;
  trap_nr: number;
  error_code: number;
}

export type TaskState = 'runnable' | 'blocked' | 'zombie' | 'dead';

export class task_struct {
  pid: number;
  comm: string;
  mm: mm_struct | null;
  state: TaskState = 'runnable';
  /** What a blocked task waits for (wait4 on a child, vfork completion). */
  waiting: 'wait4' | 'vfork' | null = null;
  /** wait4 status word once a zombie: exit code << 8, or the terminating signal (| 0x80 for a core dump). */
  exit_code = 0;
  real_parent: task_struct | null = null;
  children: task_struct[] = [];
  /** The user context while not on the CPU (saved at a switch, loaded when scheduled). */
  context: CpuState | null = null;
  readonly thread: thread_struct = { cr2: 0, trap_nr: 0, error_code: 0 };
  /** sighand->action[signo - 1] */
  readonly sighand: k_sigaction[] = [];
  blocked: sigset_t = { lo: 0, hi: 0 };
  /** Pending signals, oldest first (one queue: faultline has one thread per process). */
  readonly pending: kernel_siginfo[] = [];
  /** Fault accounting for getrusage (do_user_addr_fault's maj_flt/min_flt). */
  min_flt = 0;
  maj_flt = 0;
  /** Counters of reaped children (signal->cmin_flt...): RUSAGE_CHILDREN. */
  cmin_flt = 0;
  cmaj_flt = 0;
  cmaxrss = 0;
  /** Peak RSS in pages, recorded when the mm goes (signal->maxrss via setmax_mm_hiwater_rss). */
  maxrss = 0;
  /** Instructions retired while this task ran (for --stats and time-like accounting). */
  instructions = 0;
  /** A vfork child: the parent sleeping until this task releases the shared mm (vfork_done). */
  vfork_done: task_struct | null = null;
  /** signal->rlim[RLIMIT_NPROC]: processes of this user beyond which fork fails (kernel/fork.ts). */
  rlim_nproc = { rlim_cur: Infinity, rlim_max: Infinity };

  constructor(pid: number, comm: string, mm: mm_struct | null) {
    this.pid = pid;
    this.comm = comm;
    this.mm = mm;
    for (let i = 0; i < 64; i++) this.sighand.push({ sa_handler: 0, sa_flags: 0, sa_restorer: 0, sa_mask: { lo: 0, hi: 0 } });
  }
}

/**
 * Thrown (and caught by the scheduler) when the running task must stop executing at once: it was killed
 * (SIGKILL after an oops, a fatal signal, exit) while the kernel was inside a nested CPU run such as a
 * uaccess stub. Not an Error: it is control flow, not a bug.
 */
export class TaskExit {
  constructor(readonly task: task_struct) {}
}
