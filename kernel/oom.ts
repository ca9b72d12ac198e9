// The OOM killer (Linux 5.10 mm/oom_kill.c out_of_memory, select_bad_process, oom_badness,
// oom_kill_process; seed 002 for 2.6.11's out_of_memory label, where init is never the one to die).
// When a fault cannot get a page, the process with the most memory is sent SIGKILL; its memory comes
// back when it exits. Until then no second victim is chosen.

import type { Machine } from './machine.js';
import { MM_ANONPAGES, MM_FILEPAGES, MM_SHMEMPAGES, MM_SWAPENTS, PAGE_SIZE } from './mm_constants.js';
import { get_mm_counter, get_mm_rss } from './mm_types.js';
import { kernel_siginfo_of, send_sig_info } from './signal.js';
import { SIGKILL, SI_KERNEL } from './signal_defs.js';
import type { task_struct } from './task.js';
import { fault_path } from './fault_trace.js';

/** Tasks already sent the OOM SIGKILL (tsk_is_oom_victim): no one else is chosen while one lives. */
const oom_victims = new WeakSet<task_struct>();

// Linux 5.10 mm/oom_kill.c oom_unkillable_task: init and kernel threads are never chosen
function oom_unkillable_task(p: task_struct): boolean {
  return p.pid === 1 || p.mm === null;
}

// Linux 5.10 mm/oom_kill.c oom_badness: pages the victim would give back (oom_score_adj is always 0)
export function oom_badness(p: task_struct): number {
  const mm = p.mm;
  if (mm === null || oom_unkillable_task(p)) return -Infinity;
  return get_mm_rss(mm) + get_mm_counter(mm, MM_SWAPENTS) + mm.pgtables_bytes / PAGE_SIZE;
}

const alive = (p: task_struct): boolean => p.state === 'runnable' || p.state === 'blocked';

// Linux 5.10 mm/oom_kill.c select_bad_process + oom_evaluate_task: the highest badness (a later task wins
// a tie); 'abort' while an earlier victim has not exited yet
export function select_bad_process(k: Machine): task_struct | null | 'abort' {
  let chosen: task_struct | null = null;
  let chosen_points = -Infinity;
  for (const p of k.tasks.values()) {
    if (!alive(p) || oom_unkillable_task(p)) continue;
    if (oom_victims.has(p)) return 'abort';
    const points = oom_badness(p);
    if (points === -Infinity || points < chosen_points) continue;
    chosen = p;
    chosen_points = points;
  }
  return chosen;
}

const K = (pages: number): number => pages * (PAGE_SIZE / 1024);

// Linux 5.10 mm/oom_kill.c oom_kill_process + __oom_kill_process: report, then SIGKILL the victim
function oom_kill_process(k: Machine, victim: task_struct): void {
  const mm = victim.mm;
  if (mm === null) return;
  const cur = k.current;
  k.printk('warn', `${cur.comm} invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0`);
  k.printk('info', `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=${victim.comm},pid=${victim.pid},uid=0`);
  k.printk('warn',
    `Out of memory: Killed process ${victim.pid} (${victim.comm}) total-vm:${K(mm.total_vm)}kB, ` +
    `anon-rss:${K(get_mm_counter(mm, MM_ANONPAGES))}kB, file-rss:${K(get_mm_counter(mm, MM_FILEPAGES))}kB, ` +
    `shmem-rss:${K(get_mm_counter(mm, MM_SHMEMPAGES))}kB, UID:0 pgtables:${mm.pgtables_bytes / 1024}kB oom_score_adj:0`);
  oom_victims.add(victim); // mark_oom_victim
  k.stats.oom_kills++;
  send_sig_info(k, SIGKILL, kernel_siginfo_of(SIGKILL, SI_KERNEL, 0), victim); // SEND_SIG_PRIV
}

// Linux 5.10 mm/oom_kill.c out_of_memory: true if memory is on its way back (a victim exists)
export function out_of_memory(k: Machine): boolean {
  const cur = k.current;
  // A task that is already dying will free its memory soon: let it be the victim (task_will_free_mem).
  if (cur.mm !== null && cur.pending.some((s) => s.si_signo === SIGKILL)) {
    oom_victims.add(cur);
    return true;
  }
  const chosen = select_bad_process(k);
  if (chosen === 'abort') return true;
  if (chosen === null) {
    // Linux panics ("System is deadlocked on memory"); faultline kills the faulting task instead, so a
    // guest can never stop the machine.
    k.printk('emerg', 'Out of memory and no killable processes...');
    if (cur.mm !== null) oom_kill_process(k, cur);
    return false;
  }
  oom_kill_process(k, chosen);
  return true;
}

// Linux 5.10 mm/oom_kill.c pagefault_out_of_memory: a fault ran out of memory; after this the task
// returns to user space and either retries the fault or dies of the SIGKILL
export function pagefault_out_of_memory(k: Machine): void {
  fault_path(k, 'pagefault_out_of_memory');
  out_of_memory(k);
}
