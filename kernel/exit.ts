// Process exit (Linux 5.10 kernel/exit.c): do_exit tears the task down (its mm, its children) and leaves
// a zombie for the parent to reap; init (pid 1, built in) reaps its children at once. A task that exits
// while the kernel is inside a nested CPU run (a uaccess stub) must not return into it: do_exit throws
// TaskExit, which unwinds to the scheduler.
//
//   do_exit(k, code): never           code is the wait status: (status & 0xff) << 8, or a signal number
//   do_group_exit(k, exit_code): never
//   sys_exit(k, error_code), sys_exit_group(k, error_code): never   the syscalls (status & 0xff) << 8
//   exit_task(k, tsk, code)           the same teardown without the throw (for callers outside any run)

import type { Machine } from './machine.js';
import { update_hiwater_rss } from './mm_types.js';
import { mmput } from './mm_init.js';
import { wake_up_process } from './sched.js';
import { trace_exit, trace_reparent } from './proc_trace.js';
import { send_sig_info } from './signal.js';
import { CLD_EXITED, CLD_KILLED, SA_NOCLDWAIT, SIGCHLD, SIG_IGN } from './signal_defs.js';
import { TaskExit, type kernel_siginfo, type task_struct } from './task.js';

// Linux 5.10 kernel/exit.c do_exit: never returns to the task
export function do_exit(k: Machine, code: number): never {
  const tsk = k.current;
  exit_task(k, tsk, code);
  throw new TaskExit(tsk);
}

// Linux 5.10 kernel/exit.c do_group_exit: the whole thread group goes (one thread per process here)
export function do_group_exit(k: Machine, exit_code: number): never {
  do_exit(k, exit_code);
}

// Linux 5.10 kernel/exit.c SYSCALL_DEFINE1(exit)
export function sys_exit(k: Machine, error_code: number): never {
  do_exit(k, (error_code & 0xff) << 8);
}

// Linux 5.10 kernel/exit.c SYSCALL_DEFINE1(exit_group)
export function sys_exit_group(k: Machine, error_code: number): never {
  do_group_exit(k, (error_code & 0xff) << 8);
}

/** do_exit's work for any task; a second exit of a dying task does nothing (Linux: "recursive fault"). */
export function exit_task(k: Machine, tsk: task_struct, code: number): void {
  if (tsk.state === 'zombie' || tsk.state === 'dead') return;
  tsk.exit_code = code;
  trace_exit(k, tsk);
  exit_mm(k, tsk);
  exit_notify(k, tsk);
}

// Linux 5.10 kernel/exit.c exit_mm: remember the peak RSS, detach, drop the mm. Faultline frees the page
// tables at once, so the CPU first leaves them for init_mm's (Linux keeps them as a lazy-TLB active_mm).
function exit_mm(k: Machine, tsk: task_struct): void {
  const mm = tsk.mm;
  if (mm === null) return;
  update_hiwater_rss(mm);
  if (mm.hiwater_rss > tsk.maxrss) tsk.maxrss = mm.hiwater_rss; // setmax_mm_hiwater_rss(&sig->maxrss, mm)
  mm_release(tsk);
  tsk.mm = null;
  if (k.mmu.cr3 === mm.pgd) {
    mm.mm_cpumask = false;
    k.init_mm.mm_cpumask = true;
    k.mmu.setCr3(k.init_mm.pgd);
  }
  mmput(mm);
}

// Linux 5.10 kernel/fork.c mm_release -> complete_vfork_done: a vfork child gives the mm back, and its
// parent, asleep in vfork since, may run again
function mm_release(tsk: task_struct): void {
  const parent = tsk.vfork_done;
  if (parent === null) return;
  tsk.vfork_done = null;
  if (parent.state === 'blocked' && parent.waiting === 'vfork') wake_up_process(parent);
}

// Linux 5.10 kernel/exit.c forget_original_parent + reparent_leader: the children go to init
function forget_original_parent(k: Machine, father: task_struct): void {
  const reaper = k.tasks.get(1);
  if (reaper === undefined || reaper === father) return;
  for (const child of father.children) {
    child.real_parent = reaper;
    reaper.children.push(child);
    trace_reparent(k, child, reaper);
    if (child.state === 'zombie') release_task(k, child); // init reaps the zombies it inherits
  }
  father.children.length = 0;
}

// Linux 5.10 kernel/exit.c exit_notify: reparent the children, then become a zombie the parent will
// reap (init reaps at once: it waits for everything); the parent gets SIGCHLD, and wakes if in wait4
function exit_notify(k: Machine, tsk: task_struct): void {
  forget_original_parent(k, tsk);
  tsk.state = 'zombie';
  const parent = tsk.real_parent;
  if (parent === null || parent.pid === 1) {
    release_task(k, tsk);
    return;
  }
  if (do_notify_parent(k, tsk, parent)) {
    release_task(k, tsk);
    return;
  }
  if (parent.state === 'blocked' && parent.waiting === 'wait4') wake_up_process(parent); // __wake_up_parent
}

// Linux 5.10 kernel/signal.c do_notify_parent: SIGCHLD with CLD_EXITED/CLD_KILLED; returns true when the
// parent does not want zombies (SIGCHLD set to SIG_IGN, or SA_NOCLDWAIT): the child is reaped at once
function do_notify_parent(k: Machine, tsk: task_struct, parent: task_struct): boolean {
  const sig = tsk.exit_code & 0x7f;
  const info: kernel_siginfo = {
    si_signo: SIGCHLD, si_errno: 0, si_code: sig === 0 ? CLD_EXITED : CLD_KILLED, si_addr: 0,
    si_pid: tsk.pid, si_uid: 0, si_status: sig === 0 ? (tsk.exit_code >> 8) & 0xff : sig,
  };
  const action = parent.sighand[SIGCHLD - 1];
  const autoreap = action.sa_handler === SIG_IGN || (action.sa_flags & SA_NOCLDWAIT) !== 0;
  send_sig_info(k, SIGCHLD, info, parent);
  return autoreap;
}

// Linux 5.10 kernel/exit.c release_task: the task leaves its parent's children and the task table (the
// RUSAGE_CHILDREN accounting is wait_task_zombie's, kernel/wait.ts: a child nobody waits for adds nothing)
export function release_task(k: Machine, p: task_struct): void {
  const parent = p.real_parent;
  if (parent !== null) {
    const i = parent.children.indexOf(p);
    if (i >= 0) parent.children.splice(i, 1);
  }
  p.state = 'dead';
  k.tasks.delete(p.pid);
}
