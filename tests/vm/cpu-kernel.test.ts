// The kernel's side of the CPU: callKernel runs a CPL 0 stub to completion with nested faults
// delivered to trap() (and a fixup RIP honoured), and restores the interrupted context; a faulting
// instruction commits nothing (registers, flags, memory), except the progress of a rep string op.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VEC_DE, VEC_PF } from '../../vm/exceptions.js';
import { PTE_P, PTE_U, PTE_W } from '../../vm/paging.js';
import { STACK_TOP } from './diff/vm-run.js';
import { machine } from './machine.js';

const UNMAPPED = 0x1000_0000;
const KSTACK = STACK_TOP - 0x4000;

const STUBS = [
  '\tud2', // the interrupted user context sits here
  'kread:', '\tmovq (%rdi), %rax', '\tret',
  'kfixup:', '\tmovq $-14, %rax', '\tret',
].join('\n');

test('callKernel: a nested #PF reaches trap(), a fixup RIP is honoured, the user context comes back', () => {
  const m = machine(STUBS);
  m.setReg(3, 0x1111);
  m.setReg(7, 0x2222);
  const faults: number[][] = [];
  m.cpu.trap = (v, err) => {
    faults.push([v, err, m.cpu.cpl, m.cpu.cr2Lo >>> 0, m.rip()]);
    m.cpu.ripLo = m.sym('kfixup'); // as fixup_exception does
  };
  const ret = m.cpu.callKernel(m.sym('kread'), 0, KSTACK, 0, [UNMAPPED]);
  assert.is(ret, -14);
  assert.equal(faults, [[VEC_PF, 0, 0, UNMAPPED, m.sym('kread')]]); // supervisor read, not present
  assert.is(m.cpu.cpl, 3);
  assert.is(m.rip(), m.sym('_start'));
  assert.is(m.reg(3), 0x1111);
  assert.is(m.reg(7), 0x2222);
  assert.is(m.reg(4), STACK_TOP - 64);
});

test('callKernel: a handler that maps the page makes the faulting instruction succeed on retry', () => {
  const m = machine(STUBS);
  const frame = 0x300000;
  m.mem.view.setInt32(frame + 8, 0x5eed, true);
  m.cpu.trap = () => m.pt.map(UNMAPPED, frame, PTE_P | PTE_W | PTE_U);
  assert.is(m.cpu.callKernel(m.sym('kread'), 0, KSTACK, 0, [UNMAPPED + 8]), 0x5eed);
});

test('callKernel: an exception thrown by trap() propagates and the context is restored', () => {
  const m = machine(STUBS);
  m.cpu.trap = () => { throw new Error('oops'); };
  assert.throws(() => m.cpu.callKernel(m.sym('kread'), 0, KSTACK, 0, [UNMAPPED]), /oops/);
  assert.is(m.cpu.cpl, 3);
  assert.is(m.rip(), m.sym('_start'));
  m.cpu.trap = (v) => { m.traps.push({ vector: v, errorCode: 0, rip: m.rip(), cpl: m.cpu.cpl }); m.cpu.stop(); };
  assert.is(m.cpu.run(10), 'stopped'); // the machine still runs
});

function flagsAndRegs(m: ReturnType<typeof machine>): number[] {
  return [...Array.from({ length: 16 }, (_, r) => m.reg(r)), m.cpu.getRflags()];
}

test('a push to an unmapped stack faults with RSP unchanged', () => {
  const m = machine('\tstc\n\tpushq %rax\n\tud2');
  m.setReg(4, UNMAPPED + 8);
  m.cpu.run(1); // stc
  const before = flagsAndRegs(m);
  m.cpu.run(10);
  assert.equal(m.traps[0], { vector: VEC_PF, errorCode: 6, rip: m.sym('_start') + 1, cpl: 3 });
  assert.is(m.cpu.cr2Lo, UNMAPPED);
  assert.equal(flagsAndRegs(m), before);
});

test('a read-modify-write of a read-only page changes neither memory nor flags', () => {
  const m = machine('\tmovq $-1, %rax\n\tcmpq $5, %rax\nsite:\n\taddq %rax, ro(%rip)\n\tud2', { data: '\t.section .rodata\nro:\t.quad 0x1234' });
  m.cpu.run(2);
  const before = flagsAndRegs(m);
  m.cpu.run(10);
  assert.equal(m.traps[0], { vector: VEC_PF, errorCode: 7, rip: m.sym('site'), cpl: 3 });
  assert.equal(flagsAndRegs(m), before);
  assert.is(m.mem.view.getInt32(m.phys(m.sym('ro')), true), 0x1234);
});

test('a store crossing into an unmapped page writes no byte', () => {
  const m = machine('\tmovq $-1, %rax\n\tmovq %rax, buf+4092(%rip)\n\tud2', { data: '\t.data\n\t.balign 4096\nbuf:\t.skip 4096' });
  m.cpu.run(10);
  assert.is(m.traps[0].vector, VEC_PF);
  assert.is(m.cpu.cr2Lo, m.sym('buf') + 4096); // the first byte of the second page
  assert.is(m.mem.view.getInt32(m.phys(m.sym('buf') + 4092), true), 0);
});

test('rep movsb faulting midway leaves its progress in RCX/RSI/RDI and RIP at the instruction', () => {
  const m = machine('\tleaq buf(%rip), %rsi\n\tleaq buf+4086(%rip), %rdi\n\tmovl $20, %ecx\nrep_site:\n\trep movsb\n\tud2',
    { data: '\t.data\n\t.balign 4096\nbuf:\t.skip 4096' });
  m.cpu.run(10);
  assert.equal(m.traps[0], { vector: VEC_PF, errorCode: 6, rip: m.sym('rep_site'), cpl: 3 });
  assert.is(m.reg(1), 10);
  assert.is(m.reg(6), m.sym('buf') + 10);
  assert.is(m.reg(7), m.sym('buf') + 4096);
});

test('#DE commits nothing: divide by zero and quotient overflow', () => {
  for (const body of ['\txorl %ecx, %ecx\n\tmovl $9, %eax\nsite:\n\tdivl %ecx', '\tmovl $2, %ecx\n\tmovl $9, %edx\nsite:\n\tdivl %ecx']) {
    const m = machine(`${body}\n\tud2`);
    m.cpu.run(2);
    const before = flagsAndRegs(m);
    m.cpu.run(10);
    assert.equal(m.traps[0], { vector: VEC_DE, errorCode: 0, rip: m.sym('site'), cpl: 3 });
    assert.equal(flagsAndRegs(m), before);
  }
});

test('an indirect call through unmapped memory pushes nothing', () => {
  const m = machine(`\tmovq $${UNMAPPED}, %rax\nsite:\n\tcall *(%rax)\n\tud2`);
  m.cpu.run(1);
  const before = flagsAndRegs(m);
  m.cpu.run(10);
  assert.equal(m.traps[0], { vector: VEC_PF, errorCode: 4, rip: m.sym('site'), cpl: 3 });
  assert.equal(flagsAndRegs(m), before);
});

test.run();
