// Waiting for children (Linux 5.10 kernel/exit.c SYSCALL_DEFINE4(wait4), kernel_wait4, do_wait,
// wait_consider_task, wait_task_zombie). The status word is the zombie's exit_code: exit status << 8, or
// the terminating signal.
//
// Sleeping: with children but no zombie among them (and no WNOHANG), the caller blocks (state 'blocked',
// waiting 'wait4') and the syscall is set up to restart (%rip back onto the syscall instruction, %rax =
// the syscall number: what Linux does for -ERESTARTSYS with SA_RESTART). exit_notify wakes the parent when
// a child dies; wait4 then runs again and finds the zombie. A signal already pending makes it -EINTR.
//
//   sys_wait4(k, regs): number
//   do_wait(k, upid, options): { pid, status, child } | -errno | 'block'

import type { Machine } from './machine.js';
import { ECHILD, EFAULT, EINTR, EINVAL, ESRCH, PAGE_SIZE } from './mm_constants.js';
import { release_task } from './exit.js';
import { trace_reap } from './proc_trace.js';
import { hi32, lo32, type pt_regs } from './ptrace.js';
import { signal_pending } from './signal.js';
import type { task_struct } from './task.js';
import { copy_to_user } from './uaccess.js';
import { argInt, argPtr } from './syscalls/args.js';

// include/uapi/linux/wait.h
export const WNOHANG = 0x00000001;
export const WUNTRACED = 0x00000002;
export const WCONTINUED = 0x00000008;
export const __WNOTHREAD = 0x20000000;
export const __WALL = 0x40000000;
export const __WCLONE = 0x80000000 | 0;

/** The process group every process of a run is in: the first process's (kernel/exec.ts gives it pid 2). */
const PGRP = 2;
/** The length of the `syscall` instruction (0f 05): how far a restart moves %rip back. */
const SYSCALL_INSN_LEN = 2;
/** sizeof(struct rusage); ru_maxrss at +32, ru_minflt +64, ru_majflt +72. */
const RUSAGE_SIZE = 144;

export interface Reaped {
  pid: number;
  status: number;
  child: task_struct;
}

// Linux 5.10 kernel/exit.c eligible_pid: pid > 0 that child, 0 the caller's group, -1 any, < -1 group -pid
function eligible_pid(upid: number, p: task_struct): boolean {
  if (upid > 0) return p.pid === upid;
  if (upid === -1 || upid === 0) return true; // one process group per run
  return -upid === PGRP;
}

// Linux 5.10 kernel/exit.c wait_task_zombie: the zombie's counts go to the parent's RUSAGE_CHILDREN
// totals (signal->cmin_flt += p's own + its reaped children's; cmaxrss the larger), then it is released
function wait_task_zombie(k: Machine, p: task_struct): Reaped {
  const parent = k.current;
  parent.cmin_flt += p.min_flt + p.cmin_flt;
  parent.cmaj_flt += p.maj_flt + p.cmaj_flt;
  parent.cmaxrss = Math.max(parent.cmaxrss, p.maxrss, p.cmaxrss);
  const status = p.exit_code;
  trace_reap(k, parent, p);
  release_task(k, p);
  return { pid: p.pid, status, child: p };
}

// Linux 5.10 kernel/exit.c do_wait (do_wait_thread over the children, in the order they were forked)
export function do_wait(k: Machine, upid: number, options: number): Reaped | number | 'block' {
  const me = k.current;
  let eligible = false;
  for (const p of me.children) {
    if (!eligible_pid(upid, p)) continue;
    eligible = true;
    if (p.state === 'zombie') return wait_task_zombie(k, p);
  }
  if (!eligible) return -ECHILD;
  if (options & WNOHANG) return 0;
  if (signal_pending(me)) return -EINTR;
  return 'block';
}

/** getrusage(p, RUSAGE_BOTH) as wait4 copies it out: the child's own counts plus its reaped children's. */
function rusage_both(p: task_struct): Uint8Array {
  const b = new Uint8Array(RUSAGE_SIZE);
  const v = new DataView(b.buffer);
  const put = (off: number, value: number): void => {
    v.setInt32(off, lo32(value), true);
    v.setInt32(off + 4, hi32(value), true);
  };
  put(32, Math.max(p.maxrss, p.cmaxrss) * (PAGE_SIZE / 1024));
  put(64, p.min_flt + p.cmin_flt);
  put(72, p.maj_flt + p.cmaj_flt);
  return b;
}

/** Puts the caller to sleep in wait4: it runs the syscall again once woken (see the header). */
function sleep_and_restart(k: Machine, regs: pt_regs): number {
  const me = k.current;
  me.state = 'blocked';
  me.waiting = 'wait4';
  regs.ip = regs.ip - SYSCALL_INSN_LEN;
  k.cpu.stop();
  return regs.orig_ax; // becomes %rax: the syscall number, ready for the restart
}

// Linux 5.10 kernel/exit.c SYSCALL_DEFINE4(wait4) + kernel_wait4: the status (an int) and the rusage are
// copied out after the child is reaped; a fault while copying is -EFAULT, the child stays reaped
export function sys_wait4(k: Machine, regs: pt_regs): number {
  const upid = argInt(regs, 0);
  const stat_addr = argPtr(regs, 1);
  const options = argInt(regs, 2);
  const ru = argPtr(regs, 3);
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) return -EINVAL;
  if (upid === -2147483648) return -ESRCH; // -INT_MIN is undefined
  const r = do_wait(k, upid, options);
  if (r === 'block') return sleep_and_restart(k, regs);
  if (typeof r === 'number') return r;
  if (stat_addr !== 0) {
    const st = new Uint8Array(4);
    new DataView(st.buffer).setInt32(0, r.status, true);
    if (copy_to_user(k, stat_addr, st) !== 0) return -EFAULT;
  }
  if (ru !== 0 && copy_to_user(k, ru, rusage_both(r.child)) !== 0) return -EFAULT;
  return r.pid;
}
