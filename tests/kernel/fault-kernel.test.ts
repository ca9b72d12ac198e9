// Every return of __bad_area_nosemaphore and no_context (5.10; seed 000), the kernel-address side
// (do_kern_addr_fault, spurious_kernel_fault, 2.6's vmalloc_fault) and the oops and segfault formats.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PAGE_OFFSET } from '../../kernel/boot_pagetables.js';
import { main_extable, search_exception_tables } from '../../kernel/extable.js';
import { symbolize_short } from '../../kernel/kallsyms.js';
import { __START_KERNEL } from '../../kernel/kernel_image.js';
import { PROT_READ, PROT_WRITE } from '../../kernel/mm_constants.js';
import { pgd_index, ptep_get, set_pgd } from '../../kernel/pgalloc.js';
import { __pte } from '../../kernel/pgtable.js';
import { SEGV_MAPERR, SIGSEGV } from '../../kernel/signal_defs.js';
import { CODE, fault, faultMachine, lastFaultTrace, loadCode, mmap, pendingSignals } from './fault-machine.js';

const PROT = 1, WRITE = 2, USER = 4, INSTR = 16;
const AC = 1 << 18;
const KTEXT = __START_KERNEL; // 0xffffffff81000000
const hex16 = (v: number): string => BigInt.asUintN(64, BigInt(v)).toString(16).padStart(16, '0');

/** A kernel text address no exception-table entry covers (with code on both sides for the Code: line). */
function unlistedKernelIp(k: Parameters<typeof search_exception_tables>[0]): number {
  let ip = KTEXT + 64;
  while (search_exception_tables(k, ip) !== null) ip++;
  return ip;
}

test('__bad_area_nosemaphore, user mode: a user access to a kernel address reports PROT (err 5 / 7), SEGV_MAPERR', () => {
  const fm = faultMachine();
  fault(fm, KTEXT, USER | PROT);
  assert.equal(pendingSignals(fm), [[SIGSEGV, SEGV_MAPERR, KTEXT]]);
  assert.is(fm.t.thread.error_code, USER | PROT);
  fm.t.pending.length = 0;
  fault(fm, KTEXT, USER | WRITE | PROT);
  assert.equal(pendingSignals(fm), [[SIGSEGV, SEGV_MAPERR, KTEXT]]);
  assert.is(fm.t.thread.error_code, USER | WRITE | PROT);
  // an unmapped kernel address: the hardware says not-present, the signal says protection
  const hole = -0x370000000000; // 0xffffc90000000000 (vmalloc space, nothing mapped)
  fault(fm, hole, USER);
  assert.is(fm.t.thread.error_code, USER | PROT);
  assert.is(fm.t.thread.cr2, hole);
  assert.match(lastFaultTrace(fm), 'do_kern_addr_fault > bad_area_nosemaphore => SIGSEGV (SEGV_MAPERR)');
  assert.ok(fm.log.includes(`prog[2]: segfault at ffffc90000000000 ip 0000000000400000 sp 00007ffffffde000 error 5`));
});

test('__bad_area_nosemaphore, user mode: a faulting prefetch is ignored (is_prefetch), prefixes included', () => {
  const fm = faultMachine();
  // prefetcht0 (%rsi) ; ds prefetcht0 (%rsi) ; rex prefetcht0 (%r14)
  loadCode(fm, [0x0f, 0x18, 0x0e, 0x3e, 0x0f, 0x18, 0x0e, 0x41, 0x0f, 0x18, 0x0e, 0x8a, 0x07]);
  fault(fm, CODE, USER | INSTR); // bring the code page in so the handler can read it
  for (const ip of [CODE, CODE + 3, CODE + 7]) {
    assert.is(fault(fm, 0x1000, USER, { ip }), 'handled');
    assert.match(lastFaultTrace(fm), '=> ignored (prefetch)');
  }
  assert.is(pendingSignals(fm).length, 0);
  fault(fm, 0x1000, USER, { ip: CODE + 11 }); // mov (%rdi),%al: a real fault
  assert.equal(pendingSignals(fm), [[SIGSEGV, SEGV_MAPERR, 0x1000]]);
  fm.t.pending.length = 0;
  // an instruction fetch is never a prefetch
  fault(fm, 0x1000, USER | INSTR, { ip: CODE });
  assert.is(pendingSignals(fm).length, 1);
});

test('no_context: a listed uaccess instruction resumes at its fixup (the syscall returns -EFAULT)', () => {
  const fm = faultMachine();
  const { insn, fixup } = main_extable()[0];
  assert.is(fault(fm, 0x1000, WRITE, { cpl: 0, ip: insn, flags: 0x2 | AC }), 'handled');
  assert.is(fm.k.regs.ip, fixup);
  assert.is(pendingSignals(fm).length, 0);
  const at = symbolize_short(fixup); // the fixup by name, as the oops names a kernel address
  assert.match(at, /^[a-z_0-9]+\+0x[0-9a-f]+$/);
  assert.match(lastFaultTrace(fm), `find_vma > bad_area > no_context => fixup -> ${at} (-EFAULT)`);
});

test('no_context: a kernel prefetch that faulted is ignored', () => {
  const fm = faultMachine();
  loadCode(fm, [0x0f, 0x0d, 0x0e]); // prefetch (%rsi) (AMD 0F 0D)
  fault(fm, CODE, USER | INSTR);
  assert.is(fault(fm, 0x1000, 0, { cpl: 0, ip: CODE, flags: 0x2 | AC }), 'handled');
  assert.match(lastFaultTrace(fm), 'no_context => ignored (prefetch)');
});

test('no_context: a kernel NULL pointer dereference is an oops (5.10 format); the task dies, the machine lives', () => {
  const fm = faultMachine();
  const ip = unlistedKernelIp(fm.k);
  assert.is(fault(fm, 0x10, WRITE, { cpl: 0, ip, flags: 0x2 | AC }), 'killed');
  const log = fm.log;
  const at = log.indexOf('BUG: kernel NULL pointer dereference, address: 0000000000000010');
  assert.ok(at >= 0);
  assert.is(log[at + 1], '#PF: supervisor write access in kernel mode');
  assert.is(log[at + 2], '#PF: error_code(0x0002) - not-present page');
  assert.is(log[at + 3], 'PGD 0', 'nothing mapped in the first 512 GiB: the walk stops at the pgd');
  assert.is(log[at + 4], 'Oops: 0002 [#1] NOPTI');
  assert.is(log[at + 5], 'CPU: 0 PID: 2 Comm: prog Not tainted 5.10.0 #1');
  assert.match(log[at + 6], /^RIP: 0010:[a-z_0-9]+\+0x[0-9a-f]+\/0x[0-9a-f]+$/);
  assert.match(log[at + 7], /^Code: ([0-9a-f]{2} ){42}<[0-9a-f]{2}>( [0-9a-f]{2}){21}$/);
  assert.ok(log.includes('CR2: 0000000000000010'));
  assert.ok(fm.t.state === 'dead' || fm.t.state === 'zombie');
  assert.is(fm.t.exit_code, 9);
});

test('no_context: an implicit supervisor access from user mode goes straight to the oops', () => {
  const fm = faultMachine();
  assert.is(fault(fm, KTEXT, 0), 'killed'); // CPL 3, but the error code has no USER bit
  assert.ok(fm.log.includes(`BUG: unable to handle page fault for address: ${hex16(KTEXT)}`));
  assert.ok(fm.log.includes('#PF: supervisor read access in user mode'));
});

test('oops formats of 4.19 and 2.6', () => {
  const fm = faultMachine({ version: '4.19' });
  fault(fm, 0x10, 0, { cpl: 0, ip: unlistedKernelIp(fm.k), flags: 0x2 | AC });
  assert.ok(fm.log.includes('BUG: unable to handle kernel NULL pointer dereference at 0000000000000010'));
  const fm2 = faultMachine({ version: '2.6' });
  mmap(fm2, 4096, PROT_READ, undefined, 0x10000000);
  fault(fm2, 0x10000000, USER); // page tables down to the pte now exist for that region
  fault(fm2, 0x123000, 0, { cpl: 0, ip: unlistedKernelIp(fm2.k) });
  assert.ok(fm2.log.some((l) => l.startsWith('Unable to handle kernel paging request at 0000000000123000 RIP: ')));
  assert.ok(fm2.log.some((l) => /^PGD [0-9a-f]+ PUD [0-9a-f]+ PMD 0$/.test(l)), '2.6 has no P4D level');
});

test('segfault line: 2.6 format', () => {
  const fm = faultMachine({ version: '2.6' });
  fault(fm, 0, USER | WRITE);
  assert.ok(fm.log.includes('prog[2]: segfault at 0000000000000000 rip 0000000000400000 rsp 00007ffffffde000 error 6'));
});

test('do_kern_addr_fault: spurious_kernel_fault returns when the page table already allows the access', () => {
  const fm = faultMachine();
  const direct = PAGE_OFFSET + 0x5000; // the direct map: RW, NX
  assert.is(fault(fm, direct, WRITE | PROT, { cpl: 0, ip: unlistedKernelIp(fm.k) }), 'handled');
  assert.match(lastFaultTrace(fm), 'do_kern_addr_fault => spurious (stale TLB entry)');
  // a fetch from the NX direct map is not spurious: an oops
  assert.is(fault(fm, direct, INSTR | PROT, { cpl: 0, ip: direct }), 'killed');
  assert.ok(fm.log.includes('#PF: supervisor instruction fetch in kernel mode'));
  assert.ok(fm.log.includes('#PF: error_code(0x0011) - permissions violation'));
});

test('do_kern_addr_fault: a write to kernel text is not spurious', () => {
  const fm = faultMachine();
  assert.is(fault(fm, KTEXT, WRITE | PROT, { cpl: 0, ip: unlistedKernelIp(fm.k) }), 'killed');
  assert.ok(fm.log.includes('#PF: error_code(0x0003) - permissions violation'));
});

test('2.6 vmalloc_fault: a kernel pgd entry missing from the process is copied from init_mm', () => {
  const fm = faultMachine({ version: '2.6' });
  const direct = PAGE_OFFSET + 0x5000;
  const slot = fm.mm.pgd + pgd_index(direct) * 8;
  const ref = ptep_get(fm.k.mem, fm.k.init_mm.pgd + pgd_index(direct) * 8);
  set_pgd(fm.k.mem, slot, __pte(0, 0));
  assert.is(fault(fm, direct, 0, { cpl: 0, ip: unlistedKernelIp(fm.k) }), 'handled');
  assert.equal(ptep_get(fm.k.mem, slot), ref);
  assert.match(lastFaultTrace(fm), 'vmalloc_fault: pgd entry copied from init_mm');
  // nothing in init_mm either: bad_area_nosemaphore, and an oops outside the exception table
  assert.is(fault(fm, -0x370000000000, 0, { cpl: 0, ip: unlistedKernelIp(fm.k) }), 'killed');
});

test('the fault path from a kernel uaccess to a good user address pages it in like a user fault', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, PROT_READ | PROT_WRITE);
  const { insn } = main_extable()[0];
  assert.is(fault(fm, a, WRITE, { cpl: 0, ip: insn, flags: 0x2 | AC }), 'handled');
  assert.is(fm.k.regs.ip, insn, 'no fixup: the instruction is retried');
  assert.is(fm.t.min_flt, 1);
});

test.run();
