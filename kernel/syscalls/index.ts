// The system call table and dispatcher (Linux 5.10 arch/x86/entry/common.c do_syscall_64,
// arch/x86/entry/syscalls/syscall_64.tbl). The entry code (kernel/traps.ts entry_SYSCALL_64) has saved
// the user context in regs and set regs.orig_ax; this looks the number up, runs the handler and puts its
// result in regs.ax. Unknown numbers return -ENOSYS.
//
//   do_syscall_64(k, regs): void
//   sys_call_table: the handlers by Linux x86-64 number

import { sys_exit, sys_exit_group } from '../exit.js';
import type { Machine } from '../machine.js';
import { ENOSYS } from '../mm_constants.js';
import type { pt_regs } from '../ptrace.js';
import { sys_getpid, sys_getppid, sys_sched_yield } from '../sched.js';
import { argInt, type syscall_fn } from './args.js';
import { sys_close, sys_read, sys_write } from './io.js';
import { sys_brk, sys_madvise, sys_mmap, sys_mprotect, sys_munmap } from './mm.js';
import { sys_fork, sys_vfork } from '../fork.js';
import { sys_wait4 } from '../wait.js';
import { sys_prlimit64 } from './resource.js';
import { sys_getrusage } from './rusage.js';
import { sys_kill, sys_rt_sigaction, sys_rt_sigprocmask, sys_rt_sigreturn } from './signal.js';

export const __NR_read = 0, __NR_write = 1, __NR_close = 3, __NR_mmap = 9, __NR_mprotect = 10, __NR_munmap = 11;
export const __NR_brk = 12, __NR_rt_sigaction = 13, __NR_rt_sigprocmask = 14, __NR_rt_sigreturn = 15;
export const __NR_sched_yield = 24, __NR_madvise = 28, __NR_getpid = 39, __NR_exit = 60, __NR_kill = 62;
export const __NR_getrusage = 98, __NR_getppid = 110, __NR_exit_group = 231;
export const __NR_fork = 57, __NR_vfork = 58, __NR_wait4 = 61, __NR_prlimit64 = 302;

export const sys_call_table: Array<syscall_fn | undefined> = [];
sys_call_table[__NR_read] = sys_read;
sys_call_table[__NR_write] = sys_write;
sys_call_table[__NR_close] = sys_close;
sys_call_table[__NR_mmap] = sys_mmap;
sys_call_table[__NR_mprotect] = sys_mprotect;
sys_call_table[__NR_munmap] = sys_munmap;
sys_call_table[__NR_brk] = sys_brk;
sys_call_table[__NR_rt_sigaction] = sys_rt_sigaction;
sys_call_table[__NR_rt_sigprocmask] = sys_rt_sigprocmask;
sys_call_table[__NR_rt_sigreturn] = sys_rt_sigreturn;
sys_call_table[__NR_sched_yield] = (k) => sys_sched_yield(k);
sys_call_table[__NR_madvise] = sys_madvise;
sys_call_table[__NR_getpid] = (k) => sys_getpid(k);
sys_call_table[__NR_exit] = (k, regs) => sys_exit(k, argInt(regs, 0));
sys_call_table[__NR_kill] = sys_kill;
sys_call_table[__NR_getrusage] = sys_getrusage;
sys_call_table[__NR_getppid] = (k) => sys_getppid(k);
sys_call_table[__NR_exit_group] = (k, regs) => sys_exit_group(k, argInt(regs, 0));
sys_call_table[__NR_fork] = (k) => sys_fork(k);
sys_call_table[__NR_vfork] = (k) => sys_vfork(k);
sys_call_table[__NR_wait4] = sys_wait4;
sys_call_table[__NR_prlimit64] = sys_prlimit64;

// Linux 5.10 arch/x86/entry/common.c do_syscall_64: nr from orig_ax, -ENOSYS unless a handler exists
export function do_syscall_64(k: Machine, regs: pt_regs): void {
  const nr = regs.orig_ax;
  const fn = nr >= 0 && nr < sys_call_table.length ? sys_call_table[nr] : undefined;
  regs.ax = fn === undefined ? -ENOSYS : fn(k, regs);
}
