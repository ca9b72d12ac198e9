// The scheduler (Linux 5.10 kernel/sched/core.c schedule/context_switch, reduced): one CPU, round robin
// over the runnable tasks in pid order on a fixed instruction quantum, so every run of a program is the
// same run. A task on the CPU keeps its registers in the CPU; a task off it keeps them in task.context.
// pid 1 (init) is built into the kernel: it never runs on the CPU, it only reaps (kernel/exit.ts).

import type { Machine } from './machine.js';
import type { mm_struct } from './mm_types.js';
import { TaskExit, type task_struct } from './task.js';
import { exit_task } from './exit.js';
import { SIGKILL } from './signal_defs.js';
import { exit_to_user_mode, signal_pending } from './signal.js';
import { report_kernel_bug } from './dumpstack.js';
import { user_instructions } from './perf_event.js';

/** Instructions a task may run before the next one gets the CPU. */
export const SCHED_QUANTUM = 20_000;

export type RunResult = 'idle' | 'max-steps' | 'fork-bomb';

/** Forks refused for a full process table before the machine stops the guest as a fork bomb. */
export const FORK_BOMB_LIMIT_HITS = 100_000;

// Linux 5.10 kernel/sched/core.c pick_next_task: the next runnable user task after current, in pid order
export function pick_next_task(k: Machine): task_struct | null {
  let first: task_struct | null = null;
  for (const t of k.tasks.values()) {
    if (t.state !== 'runnable' || t.mm === null) continue;
    if (t.pid > k.current.pid) return t;
    first ??= t;
  }
  return first;
}

// Linux 5.10 arch/x86/mm/tlb.c switch_mm_irqs_off: load the next address space (CR3 write flushes the
// non-global TLB entries) and move the mm_cpumask bit, so flushes of an mm that is not loaded are skipped
export function switch_mm(k: Machine, prev: mm_struct | null, next: mm_struct): void {
  if (k.mmu.cr3 === next.pgd) return;
  if (prev !== null) prev.mm_cpumask = false;
  next.mm_cpumask = true;
  k.mmu.setCr3(next.pgd);
}

/** The mm whose page tables CR3 holds (Linux's active_mm), found among the live tasks and init_mm. */
function loaded_mm(k: Machine): mm_struct | null {
  if (k.mmu.cr3 === k.init_mm.pgd) return k.init_mm;
  for (const t of k.tasks.values()) if (t.mm !== null && t.mm.pgd === k.mmu.cr3) return t.mm;
  return null;
}

// Linux 5.10 kernel/sched/core.c context_switch: switch_mm, then switch_to (the register state)
export function context_switch(k: Machine, next: task_struct): void {
  const prev = k.current;
  if (prev === next && next.context === null) return;
  if (prev !== next && prev.context === null && (prev.state === 'runnable' || prev.state === 'blocked') && prev.mm !== null) {
    prev.context = k.cpu.saveState();
  }
  if (next.mm !== null) switch_mm(k, loaded_mm(k), next.mm);
  if (next.context !== null) {
    k.cpu.loadState(next.context);
    next.context = null;
  }
  k.current = next;
}

/**
 * Runs the current task for up to `steps` instructions; a task that dies on the way just ends its turn.
 * Signals sent to it while it was off the CPU (kill, SIGCHLD) are delivered first, as on the return to
 * user mode from the timer interrupt that scheduled it (irqentry_exit_to_user_mode): a task spinning in
 * user mode, which never enters the kernel itself, can still be killed.
 */
function run_quantum(k: Machine, steps: number): void {
  try {
    if (k.current.pending.length > 0 && signal_pending(k.current)) exit_to_user_mode(k);
    k.cpu.run(steps);
  } catch (e) {
    if (e instanceof TaskExit) return;
    // Something escaped the trap dispatcher: a bug in the kernel. Oops and kill the task, keep the machine.
    kernel_bug(k, e);
  }
}

/** A kernel bug on behalf of the current task: the report, then the task is killed (no unwinding needed here). */
export function kernel_bug(k: Machine, e: unknown): void {
  report_kernel_bug(k, e);
  exit_task(k, k.current, SIGKILL);
}

/**
 * The machine's main loop: run tasks round robin until none is runnable ('idle'), `maxSteps`
 * instructions have retired ('max-steps'), or forks keep failing on a full process table ('fork-bomb':
 * Linux would churn on forever; faultline stops the guest). When it stops, the tasks are left as they are.
 */
export function run(k: Machine, maxSteps = Infinity): RunResult {
  let left = maxSteps;
  for (;;) {
    const next = pick_next_task(k);
    if (next === null) return 'idle';
    if (left <= 0) return 'max-steps';
    if (k.stats.fork_limit_hits >= FORK_BOMB_LIMIT_HITS) return 'fork-bomb';
    context_switch(k, next);
    const before = user_instructions(k); // the budget is the guest's own instructions, as perf's :u
    run_quantum(k, Math.min(SCHED_QUANTUM, left));
    const ran = user_instructions(k) - before;
    next.instructions += ran;
    left -= ran;
  }
}

// Linux 5.10 kernel/sched/core.c do_sched_yield: give up the rest of the quantum
export function sys_sched_yield(k: Machine): number {
  k.cpu.stop();
  return 0;
}

// Linux 5.10 kernel/sys.c getpid: the thread group id (one thread per process here)
export function sys_getpid(k: Machine): number {
  return k.current.pid;
}

// Linux 5.10 kernel/sys.c getppid: the parent's tgid (init after reparenting)
export function sys_getppid(k: Machine): number {
  return k.current.real_parent?.pid ?? 0;
}

const last_pid = new WeakMap<Machine, number>();

// Linux 5.10 kernel/pid.c alloc_pid: the next pid after the last one handed out (1 is init); no reuse
export function alloc_pid(k: Machine): number {
  let pid = last_pid.get(k) ?? 1;
  do pid++; while (k.tasks.has(pid));
  last_pid.set(k, pid);
  return pid;
}

// Linux 5.10 kernel/sched/core.c wake_up_process
export function wake_up_process(t: task_struct): void {
  if (t.state === 'blocked') {
    t.state = 'runnable';
    t.waiting = null;
  }
}
