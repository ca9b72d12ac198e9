// Every return of do_user_addr_fault (seed 001, 5.10), reached with a hand-made #PF on a booted machine.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main_extable, search_exception_tables } from '../../kernel/extable.js';
import { file } from '../../kernel/filemap.js';
import { __START_KERNEL } from '../../kernel/kernel_image.js';
import { MAP_ANONYMOUS, MAP_GROWSDOWN, MAP_PRIVATE, MAP_SHARED, PROT_READ, PROT_WRITE } from '../../kernel/mm_constants.js';
import { mmap_write_lock, mmap_write_unlock } from '../../kernel/mmap_lock.js';
import { KernelBug } from '../../kernel/page.js';
import { alloc_page, GFP_KERNEL } from '../../kernel/page_alloc.js';
import { pte_none, pte_write } from '../../kernel/pgtable.js';
import { kernel_siginfo_of } from '../../kernel/signal.js';
import { BUS_ADRERR, SEGV_ACCERR, SEGV_MAPERR, SIGBUS, SIGKILL, SIGSEGV, SI_KERNEL } from '../../kernel/signal_defs.js';
import { CODE, USER_SP, fault, faultMachine, lastFaultTrace, loadCode, mmap, pendingSignals, pteAt, type FaultMachine } from './fault-machine.js';

const PROT = 1, WRITE = 2, USER = 4, RSVD = 8;
const AC = 1 << 18;
const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;

/** A fixup entry of the kernel's exception table: a uaccess instruction and where it resumes. */
function uaccessInsn(): { insn: number; fixup: number } {
  return main_extable()[0];
}

function isMapped(fm: FaultMachine, addr: number): boolean {
  const p = pteAt(fm, addr);
  return p !== null && !pte_none(p);
}

test('success: a user write to fresh anonymous memory maps a page and counts one minor fault', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, RW);
  assert.is(fault(fm, a, USER | WRITE), 'handled');
  assert.ok(pte_write(pteAt(fm, a)!));
  assert.is(fm.t.min_flt, 1);
  assert.is(fm.k.stats.minor_faults, 1);
  assert.is(pendingSignals(fm).length, 0);
  assert.match(lastFaultTrace(fm), 'do_user_addr_fault > find_vma > good_area > handle_mm_fault > do_anonymous_page: new page => minor fault');
});

test('RSVD: pgtable_bad prints the oops and kills the task, not the machine', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, RW);
  fault(fm, a, USER | WRITE);
  assert.is(fault(fm, a, USER | RSVD | PROT), 'killed');
  assert.ok(fm.log.includes(`prog: Corrupted page table at address ${a.toString(16)}`));
  assert.ok(fm.log.some((l) => l.startsWith('Bad pagetable: 000d [#1]')));
  assert.ok(fm.log.some((l) => /^PGD [0-9a-f]+ P4D [0-9a-f]+ PUD [0-9a-f]+ PMD [0-9a-f]+ PTE [0-9a-f]+$/.test(l)));
  assert.ok(fm.t.state === 'dead' || fm.t.state === 'zombie');
});

test('SMAP: a kernel access to user memory with EFLAGS.AC clear is refused, fixed up by the extable', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, RW);
  const { insn, fixup } = uaccessInsn();
  assert.is(fault(fm, a, WRITE, { cpl: 0, ip: insn, flags: 0x2 }), 'handled');
  assert.is(fm.k.regs.ip, fixup);
  assert.not.ok(isMapped(fm, a));
  assert.match(lastFaultTrace(fm), 'do_user_addr_fault > smap > bad_area_nosemaphore > no_context');
  // inside stac/clac (AC set) the same access is served
  assert.is(fault(fm, a, WRITE, { cpl: 0, ip: insn, flags: 0x2 | AC }), 'handled');
  assert.ok(isMapped(fm, a));
});

test('SMAP: 2.6 has no such check', () => {
  const fm = faultMachine({ version: '2.6' });
  const a = mmap(fm, 4096, RW);
  assert.is(fault(fm, a, WRITE, { cpl: 0, ip: uaccessInsn().insn, flags: 0x2 }), 'handled');
  assert.ok(isMapped(fm, a));
});

test('no mm (a kernel thread): bad_area_nosemaphore, then the fixup', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, RW);
  const { insn, fixup } = uaccessInsn();
  fm.k.current = fm.k.init_task;
  assert.is(fault(fm, a, 0, { cpl: 0, ip: insn, flags: 0x2 | AC }), 'handled');
  assert.is(fm.k.regs.ip, fixup);
  assert.match(lastFaultTrace(fm), 'do_user_addr_fault > no mm > bad_area_nosemaphore > no_context');
});

test('mmap_lock taken: a kernel fault outside the exception table is an oops', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, RW);
  let ip = __START_KERNEL;
  while (search_exception_tables(fm.k, ip) !== null) ip++;
  mmap_write_lock(fm.mm);
  assert.is(fault(fm, a, 0, { cpl: 0, ip, flags: 0x2 | AC }), 'killed');
  mmap_write_unlock(fm.mm);
  assert.ok(fm.log.includes(`BUG: unable to handle page fault for address: ${a.toString(16).padStart(16, '0')}`));
  assert.ok(fm.log.includes('#PF: supervisor read access in kernel mode'));
  assert.ok(fm.log.includes('#PF: error_code(0x0000) - not-present page'));
  assert.ok(fm.log.some((l) => l.startsWith('Oops: 0000 [#1]')));
  assert.ok(fm.log.includes(`CR2: ${a.toString(16).padStart(16, '0')}`));
  assert.match(lastFaultTrace(fm), 'mmap_lock held > bad_area_nosemaphore > no_context');
});

test('mmap_lock taken, fault from a uaccess instruction: waiting for the lock would deadlock (kernel bug)', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, RW);
  mmap_write_lock(fm.mm);
  assert.throws(() => fault(fm, a, 0, { cpl: 0, ip: uaccessInsn().insn, flags: 0x2 | AC }), (e: unknown) => e instanceof KernelBug);
});

test('no VMA at or above the address: bad_area, SIGSEGV SEGV_MAPERR, the segfault line', () => {
  const fm = faultMachine();
  loadCode(fm, [0x8a, 0x07]);
  mmap(fm, 4096, RW, ANON, 0x10000000);
  const addr = 0x7ffffffe0000; // above every VMA (no stack in this process)
  assert.is(fault(fm, addr, USER), 'handled');
  assert.equal(pendingSignals(fm), [[SIGSEGV, SEGV_MAPERR, addr]]);
  assert.equal(fm.t.thread, { cr2: addr, trap_nr: 14, error_code: USER });
  assert.ok(fm.log.includes(`prog[2]: segfault at 7ffffffe0000 ip 0000000000400000 sp ${USER_SP.toString(16).padStart(16, '0')} error 4 in prog[400000+1000]`));
  assert.ok(fm.log.some((l) => l.startsWith('Code: Unable to access opcode bytes at RIP 0x3fffd6.')));
  assert.is(fm.t.min_flt, 0); // a failed fault is not counted
  assert.match(lastFaultTrace(fm), 'find_vma > bad_area => SIGSEGV (SEGV_MAPERR)');
});

test('the segfault line is not printed when the program handles SIGSEGV', () => {
  const fm = faultMachine();
  fm.t.sighand[SIGSEGV - 1].sa_handler = CODE;
  assert.is(fault(fm, 0, USER), 'handled');
  assert.equal(pendingSignals(fm), [[SIGSEGV, SEGV_MAPERR, 0]]);
  assert.not.ok(fm.log.some((l) => l.includes('segfault')));
});

test('below a VMA that is not a stack: bad_area', () => {
  const fm = faultMachine();
  mmap(fm, 4096, RW, ANON, 0x10000000);
  assert.is(fault(fm, 0x0ffff000, USER | WRITE), 'handled');
  assert.equal(pendingSignals(fm), [[SIGSEGV, SEGV_MAPERR, 0x0ffff000]]);
  assert.match(lastFaultTrace(fm), 'find_vma > bad_area');
});

test('below a VM_GROWSDOWN VMA: expand_stack grows it and the fault succeeds', () => {
  const fm = faultMachine();
  const top = 0x7ff000000000;
  mmap(fm, 0x4000, RW, ANON | MAP_GROWSDOWN, top - 0x4000);
  const addr = top - 0x10008;
  assert.is(fault(fm, addr, USER | WRITE, { sp: addr }), 'handled');
  const vma = fm.mm.mmap!;
  assert.is(vma.vm_start, top - 0x11000);
  assert.is(vma.vm_pgoff, (top - 0x11000) / 4096);
  assert.ok(isMapped(fm, addr));
  assert.is(fm.t.min_flt, 1);
  assert.match(lastFaultTrace(fm), 'find_vma > expand_stack > good_area > handle_mm_fault');
});

test('4.19: a user fault more than 64 KiB + 256 below %sp is refused before expand_stack; 5.10 grows', () => {
  for (const [version, refused] of [['4.19', true], ['5.10', false]] as const) {
    const fm = faultMachine({ version });
    const top = 0x7ff000000000;
    mmap(fm, 0x4000, RW, ANON | MAP_GROWSDOWN, top - 0x4000);
    const sp = top - 0x1000;
    const addr = sp - 65536 - 256 - 8;
    fault(fm, addr, USER | WRITE, { sp });
    assert.is(pendingSignals(fm).length === 1, refused, version);
    if (refused) assert.match(lastFaultTrace(fm), 'below %sp > bad_area');
    // within the cushion 4.19 grows too
    const fm2 = faultMachine({ version });
    mmap(fm2, 0x4000, RW, ANON | MAP_GROWSDOWN, top - 0x4000);
    fault(fm2, sp - 65536, USER | WRITE, { sp });
    assert.is(pendingSignals(fm2).length, 0, version);
  }
});

test('2.6: below %sp - 128 (the red zone) is refused', () => {
  const fm = faultMachine({ version: '2.6' });
  const top = 0x7ff000000000;
  mmap(fm, 0x4000, RW, ANON | MAP_GROWSDOWN, top - 0x4000);
  const sp = top - 0x4000;
  fault(fm, sp - 128, USER | WRITE, { sp });
  assert.is(pendingSignals(fm).length, 0);
  fault(fm, sp - 0x1000 - 136, USER | WRITE, { sp: sp - 0x1000 });
  assert.equal(pendingSignals(fm), [[SIGSEGV, SEGV_MAPERR, sp - 0x1000 - 136]]);
});

test('expand_stack refused (RLIMIT_STACK, stack_guard_gap): bad_area SEGV_MAPERR', () => {
  const fm = faultMachine();
  const top = 0x7ff000000000;
  mmap(fm, 0x4000, RW, ANON | MAP_GROWSDOWN, top - 0x4000);
  fm.mm.rlim.RLIMIT_STACK = 0x8000;
  assert.is(fault(fm, top - 0x9000, USER | WRITE, { sp: top - 0x9000 }), 'handled');
  assert.equal(pendingSignals(fm), [[SIGSEGV, SEGV_MAPERR, top - 0x9000]]);
  assert.match(lastFaultTrace(fm), 'expand_stack > acct_stack_growth: RLIMIT_STACK > bad_area');

  const fm2 = faultMachine();
  mmap(fm2, 0x4000, RW, ANON | MAP_GROWSDOWN, top - 0x4000);
  const below = top - 0x4000 - (1 << 20) - 0x2000;
  mmap(fm2, 0x1000, RW, ANON, below); // ends 1 MiB + 4 KiB below the stack's start
  fault(fm2, below + 0x1000 + 0xff000, USER | WRITE);
  assert.equal(pendingSignals(fm2), [[SIGSEGV, SEGV_MAPERR, below + 0x1000 + 0xff000]]);
  assert.match(lastFaultTrace(fm2), 'expand_downwards: stack_guard_gap > bad_area');
  fault(fm2, below + 0x1000 + 0x100000, USER | WRITE); // exactly the gap: allowed
  assert.is(pendingSignals(fm2).length, 1);
});

test('access_error: a write to a read-only VMA is bad_area_access_error, SEGV_ACCERR', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, PROT_READ);
  fault(fm, a, USER | WRITE);
  assert.equal(pendingSignals(fm), [[SIGSEGV, SEGV_ACCERR, a]]);
  assert.is(fm.t.thread.error_code, USER | WRITE);
  assert.match(lastFaultTrace(fm), 'good_area > bad_area_access_error => SIGSEGV (SEGV_ACCERR)');
});

test('VM_FAULT_RETRY: a cold file page is read, the fault retried once and counted as major', () => {
  const fm = faultMachine();
  const f = new file('cold', new Uint8Array(8192).fill(7), { cached: false });
  const a = mmap(fm, 8192, PROT_READ, MAP_PRIVATE, 0, f, 0);
  assert.is(fault(fm, a + 4096, USER), 'handled');
  assert.is(fm.t.maj_flt, 1);
  assert.is(fm.t.min_flt, 0);
  assert.ok(isMapped(fm, a + 4096));
  assert.match(lastFaultTrace(fm), 'filemap_fault: read from file > retry > find_vma > good_area > handle_mm_fault > do_read_fault');
  assert.match(lastFaultTrace(fm), '=> major fault');
  // the other page is still cold: no fault-around of pages not in the cache
  assert.not.ok(isMapped(fm, a));
});

test('fault_signal_pending: a fatal signal while waiting for the file ends the fault (user: plain return)', () => {
  const fm = faultMachine();
  const f = new file('cold', new Uint8Array(4096), { cached: false });
  const a = mmap(fm, 4096, PROT_READ, MAP_PRIVATE, 0, f, 0);
  fm.t.pending.push(kernel_siginfo_of(SIGKILL, SI_KERNEL, 0));
  assert.is(fault(fm, a, USER), 'handled');
  assert.not.ok(isMapped(fm, a));
  assert.is(fm.t.min_flt + fm.t.maj_flt, 0);
});

test('fault_signal_pending in kernel mode: no_context with SIGBUS, the uaccess fixup runs', () => {
  const fm = faultMachine();
  const f = new file('cold', new Uint8Array(4096), { cached: false });
  const a = mmap(fm, 4096, PROT_READ, MAP_PRIVATE, 0, f, 0);
  fm.t.pending.push(kernel_siginfo_of(SIGKILL, SI_KERNEL, 0));
  const { insn, fixup } = uaccessInsn();
  assert.is(fault(fm, a, 0, { cpl: 0, ip: insn, flags: 0x2 | AC }), 'handled');
  assert.is(fm.k.regs.ip, fixup);
});

test('VM_FAULT_SIGBUS: a file mapping past the end of the file gets SIGBUS BUS_ADRERR', () => {
  const fm = faultMachine();
  const f = new file('short', new Uint8Array(100));
  const a = mmap(fm, 8192, PROT_READ, MAP_PRIVATE, 0, f, 0);
  fault(fm, a + 4096, USER);
  assert.equal(pendingSignals(fm), [[SIGBUS, BUS_ADRERR, a + 4096]]);
  assert.match(lastFaultTrace(fm), 'mm_fault_error > do_sigbus => SIGBUS (BUS_ADRERR)');
  fault(fm, a, USER); // the first page exists (100 bytes, the rest zero)
  assert.ok(isMapped(fm, a));
});

test('VM_FAULT_OOM: the OOM killer picks the process and sends SIGKILL; in kernel mode the fixup runs', () => {
  const fm = faultMachine();
  const a = mmap(fm, 8192, RW, MAP_SHARED | MAP_ANONYMOUS);
  fault(fm, a, USER | WRITE); // page table pages exist now
  while (alloc_page(fm.k.zone, GFP_KERNEL) !== null) { /* exhaust memory */ }
  const { insn, fixup } = uaccessInsn();
  assert.is(fault(fm, a + 4096, WRITE, { cpl: 0, ip: insn, flags: 0x2 | AC }), 'handled');
  assert.is(fm.k.regs.ip, fixup);
  assert.is(fault(fm, a + 4096, USER | WRITE), 'handled');
  assert.ok(fm.log.some((l) => /^Out of memory: Killed process 2 \(prog\) total-vm:\d+kB, anon-rss:0kB, file-rss:0kB, shmem-rss:4kB, UID:0 pgtables:\d+kB oom_score_adj:0$/.test(l)));
  assert.equal(pendingSignals(fm).map((s) => s[0]), [SIGKILL]);
  assert.is(fm.k.stats.oom_kills, 1);
  assert.match(lastFaultTrace(fm), 'mm_fault_error > pagefault_out_of_memory => out of memory');
});

test('VM_FAULT_OOM, 2.6: "VM: killing process" and the task dies at once', () => {
  const fm = faultMachine({ version: '2.6' });
  const a = mmap(fm, 8192, RW);
  fault(fm, a, USER | WRITE);
  while (alloc_page(fm.k.zone, GFP_KERNEL) !== null) { /* exhaust memory */ }
  assert.is(fault(fm, a + 4096, USER | WRITE), 'killed');
  assert.ok(fm.log.includes('VM: killing process prog'));
});

test.run();
