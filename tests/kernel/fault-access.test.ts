// access_error (seed 001, every return) and what it means for real instructions on the CPU.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { access_error } from '../../kernel/fault.js';
import { PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE, VM_EXEC, VM_READ, VM_WRITE } from '../../kernel/mm_constants.js';
import { vm_area_struct } from '../../kernel/mm_types.js';
import { vm_get_page_prot } from '../../kernel/pgtable.js';
import { CR4_PKE } from '../../vm/paging.js';
import { RAX, RDI, lo32, hi32 } from '../../kernel/ptrace.js';
import { SEGV_ACCERR, SEGV_PKUERR, SIGSEGV } from '../../kernel/signal_defs.js';
import { fault, faultMachine, loadCode, mmap, pendingSignals, runUser, setIp } from './fault-machine.js';

const PROT = 1, WRITE = 2, USER = 4, INSTR = 16, PK = 32;

function vmaWith(fm: ReturnType<typeof faultMachine>, flags: number): vm_area_struct {
  return new vm_area_struct(fm.mm, 0x10000, 0x11000, flags, vm_get_page_prot(flags), 0x10);
}

test('access_error: each return of seed 001', () => {
  const fm = faultMachine();
  const rw = vmaWith(fm, VM_READ | VM_WRITE);
  const ro = vmaWith(fm, VM_READ);
  const none = vmaWith(fm, 0);
  const xo = vmaWith(fm, VM_EXEC);
  assert.is(access_error(fm.k, USER | PK, rw), true, 'PK: always an error');
  assert.is(access_error(fm.k, USER | WRITE, rw), false, 'write, not present, VM_WRITE');
  assert.is(access_error(fm.k, USER | WRITE | PROT, rw), false, 'write, present (COW), VM_WRITE');
  assert.is(access_error(fm.k, USER | WRITE, ro), true, 'write without VM_WRITE');
  assert.is(access_error(fm.k, USER | PROT, rw), true, 'read of a present page');
  assert.is(access_error(fm.k, USER | PROT | INSTR, ro), true, 'fetch of a present NX page');
  assert.is(access_error(fm.k, USER, ro), false, 'read not present, readable');
  assert.is(access_error(fm.k, USER | INSTR, ro), false, 'fetch not present of a readable VMA: allowed (maps it NX)');
  assert.is(access_error(fm.k, USER, xo), false, 'exec-only counts as accessible');
  assert.is(access_error(fm.k, USER, none), true, 'PROT_NONE: not accessible');
});

test('access_error: with protection keys on, a VMA whose key PKRU disables is refused (SEGV_PKUERR)', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, PROT_READ | PROT_WRITE);
  const vma = fm.mm.mmap!;
  vma.vm_pkey = 1;
  assert.is(access_error(fm.k, USER | WRITE, vma), false, 'keys are not checked while CR4.PKE is clear');
  fm.k.mmu.setCr4(fm.k.mmu.cr4 | CR4_PKE);
  assert.is(access_error(fm.k, USER | WRITE, vma), true);
  assert.is(access_error(fm.k, USER | INSTR, vma), false, 'fetches are never keyed');
  fault(fm, a, USER | WRITE);
  assert.equal(pendingSignals(fm), [[SIGSEGV, SEGV_PKUERR, a]]);
  vma.vm_pkey = 0;
  fault(fm, a + 8, USER | WRITE);
  assert.is(pendingSignals(fm).length, 1, 'key 0 is always open');
});

test('a fetch from a fresh PROT_READ page faults twice: zero page mapped NX, then SEGV_ACCERR 0x15', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, PROT_READ);
  setIp(fm.k, a);
  assert.is(runUser(fm, 10), 'killed'); // SIGSEGV, default action
  assert.is(fm.t.min_flt, 1);
  assert.equal(fm.t.thread, { cr2: a, trap_nr: 14, error_code: 0x15 });
  const lines = fm.trace.filter((l) => l.includes('#PF'));
  assert.is(lines.length, 2);
  assert.match(lines[0], 'error 0x14 (user fetch, not present)');
  assert.match(lines[0], 'do_anonymous_page: zero page => minor fault');
  assert.match(lines[1], 'error 0x15 (user fetch, protection)');
  assert.match(lines[1], 'bad_area_access_error => SIGSEGV (SEGV_ACCERR)');
  assert.ok(fm.t.exit_code === SIGSEGV);
});

test('read then write of anonymous memory on the CPU: zero page, then a COW copy of it', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, PROT_READ | PROT_WRITE);
  // mov (%rdi),%al ; movb $1,(%rdi) ; mov %al,1(%rdi) ; jmp .
  loadCode(fm, [0x8a, 0x07, 0xc6, 0x07, 0x01, 0x88, 0x47, 0x01, 0xeb, 0xfe]);
  fm.k.cpu.regs[2 * RDI] = lo32(a);
  fm.k.cpu.regs[2 * RDI + 1] = hi32(a);
  fm.k.cpu.regs[2 * RAX] = 0x55;
  assert.is(runUser(fm, 50), 'ran');
  const pa = fm.k.mmu.translate(lo32(a), hi32(a), 0);
  assert.is(fm.k.mem.u8[pa], 1);
  assert.is(fm.k.mem.u8[pa + 1], 0, 'the read saw the zero page');
  // code page (file, read fault) + zero page read + COW of the zero page
  assert.is(fm.t.min_flt, 3);
  assert.is(fm.k.stats.cow_copies, 1);
  assert.ok(fm.trace.some((l) => l.includes('do_wp_page > wp_page_copy: zero page -> new page')));
  assert.ok(fm.trace.some((l) => l.includes('[cow pid 2]') || l.includes('zero page -> pfn')));
});

test('PROT_NONE: the read is refused as SEGV_ACCERR, error code "not present"', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, PROT_NONE);
  fault(fm, a + 8, USER);
  assert.equal(pendingSignals(fm), [[SIGSEGV, SEGV_ACCERR, a + 8]]);
  assert.is(fm.t.thread.error_code, USER);
});

test('an exec-only mapping can be fetched from', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, PROT_EXEC);
  fault(fm, a, USER | INSTR);
  assert.is(pendingSignals(fm).length, 0);
  assert.is(fm.t.min_flt, 1);
});

test.run();
