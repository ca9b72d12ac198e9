// The OOM killer as the fault path reaches it (5.10 mm_fault_error -> pagefault_out_of_memory; seed 002's
// out_of_memory label for 2.6): the largest process dies, one victim at a time, init never.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exit_task } from '../../kernel/exit.js';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from '../../kernel/mm_constants.js';
import { oom_badness, out_of_memory, select_bad_process } from '../../kernel/oom.js';
import { alloc_page, free_page, GFP_KERNEL } from '../../kernel/page_alloc.js';
import { pte_none } from '../../kernel/pgtable.js';
import { kernel_siginfo_of } from '../../kernel/signal.js';
import { SIGKILL, SI_KERNEL } from '../../kernel/signal_defs.js';
import { addProcess, fault, faultMachine, lastFaultTrace, mmap, pteAt, switchTo, type FaultMachine } from './fault-machine.js';

const WRITE = 2, USER = 4;
const RW = PROT_READ | PROT_WRITE;

function touchPages(fm: FaultMachine, n: number): number {
  const a = mmap(fm, (n + 1) * 4096, RW, MAP_PRIVATE | MAP_ANONYMOUS);
  for (let i = 0; i < n; i++) fault(fm, a + i * 4096, USER | WRITE);
  return a;
}

function exhaust(fm: FaultMachine): number[] {
  const held: number[] = [];
  for (let p = alloc_page(fm.k.zone, GFP_KERNEL); p !== null; p = alloc_page(fm.k.zone, GFP_KERNEL)) held.push(p);
  return held;
}

test('the largest process is killed, not the one that faulted; no second victim while it lives', () => {
  const fm = faultMachine();
  const small = touchPages(fm, 4);
  const big = addProcess(fm, 3, 'big');
  touchPages(fm, 20);
  assert.ok(oom_badness(big) > oom_badness(fm.t));
  switchTo(fm, fm.t);
  const held = exhaust(fm);
  assert.is(fault(fm, small + 4 * 4096, USER | WRITE), 'handled');
  assert.ok(fm.log.includes('prog invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0'));
  assert.ok(fm.log.some((l) => l.startsWith('Out of memory: Killed process 3 (big) total-vm:84kB, anon-rss:80kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:')));
  assert.equal(big.pending.map((s) => s.si_signo), [SIGKILL]);
  assert.is(fm.t.pending.length, 0);
  assert.is(fm.t.min_flt, 4, 'the failed fault is not counted');
  // the victim has not run yet: the retried fault fails again, but nobody else is chosen
  assert.is(select_bad_process(fm.k), 'abort');
  fault(fm, small + 4 * 4096, USER | WRITE);
  assert.is(fm.k.stats.oom_kills, 1);
  // the victim dies and gives its memory back: the fault goes through
  exit_task(fm.k, big, SIGKILL);
  for (const p of held.splice(0, 8)) free_page(fm.k.zone, p);
  fault(fm, small + 4 * 4096, USER | WRITE);
  assert.not.ok(pte_none(pteAt(fm, small + 4 * 4096)!));
  assert.match(lastFaultTrace(fm), 'do_anonymous_page: new page => minor fault');
});

test('init is never chosen; a task already dying with SIGKILL is left to free its memory', () => {
  const fm = faultMachine();
  touchPages(fm, 2);
  fm.k.init_task.mm = fm.mm; // even with memory, pid 1 is unkillable
  assert.is(select_bad_process(fm.k), fm.t);
  fm.k.init_task.mm = null;
  fm.t.pending.push(kernel_siginfo_of(SIGKILL, SI_KERNEL, 0));
  assert.is(out_of_memory(fm.k), true);
  assert.not.ok(fm.log.some((l) => l.startsWith('Out of memory')));
});

test('2.6: init retries the fault instead of dying', () => {
  const fm = faultMachine({ version: '2.6' });
  const a = touchPages(fm, 1);
  fm.k.init_task.mm = fm.mm;
  fm.k.current = fm.k.init_task;
  exhaust(fm);
  assert.is(fault(fm, a + 4096, USER | WRITE), 'handled');
  assert.match(lastFaultTrace(fm), 'out of memory: init retries');
  assert.not.ok(fm.log.some((l) => l.startsWith('VM: killing')));
  fm.k.init_task.mm = null;
});

test.run();
