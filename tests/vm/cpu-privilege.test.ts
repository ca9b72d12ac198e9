// Privilege and traps: each privileged instruction raises #GP(0) at CPL 3 and works at CPL 0; ud2 and
// undefined opcodes raise #UD at the instruction; int3 raises #BP with RIP after it; syscall and
// sysret move between CPL 3 and 0 with RCX/R11 as the manual says.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VEC_BP, VEC_GP, VEC_SYSCALL, VEC_UD } from '../../vm/exceptions.js';
import { machine } from './machine.js';

const PRIVILEGED = [
  'hlt', 'stac', 'clac', 'invlpg (%rax)', 'sysretq',
  'movq %cr0, %rax', 'movq %cr2, %rax', 'movq %cr3, %rax', 'movq %cr4, %rax',
  'movq %rax, %cr0', 'movq %rax, %cr2', 'movq %rax, %cr3', 'movq %rax, %cr4',
];

for (const insn of PRIVILEGED) {
  test(`${insn} at CPL 3 raises #GP(0) and changes nothing`, () => {
    const m = machine(`\tmovl $0x1234, %eax\n\t${insn}\n\tud2`);
    const before = m.cpu.mmu.cr3;
    assert.is(m.cpu.run(100), 'stopped');
    assert.equal(m.traps, [{ vector: VEC_GP, errorCode: 0, rip: m.sym('_start') + 5, cpl: 3 }]);
    assert.is(m.reg(0), 0x1234);
    assert.is(m.cpu.mmu.cr3, before);
    assert.is(m.cpu.instret, 1);
  });
}

test('privileged instructions work at CPL 0', () => {
  const m = machine(['\tmovq %cr3, %rbx', '\tmovq $0x5000, %rax', '\tmovq %rax, %cr2', '\tmovq %cr2, %rcx', '\tstac', '\tclac', '\tinvlpg (%rax)', '\thlt', 'next:', '\tud2'].join('\n'), { cpl: 0 });
  assert.is(m.cpu.run(100), 'halted');
  assert.is(m.reg(3), m.cpu.mmu.cr3);
  assert.is(m.reg(1), 0x5000);
  assert.is(m.traps.length, 0);
  assert.is(m.rip(), m.sym('next')); // RIP after hlt
  assert.is(m.cpu.run(100), 'stopped'); // resumes after hlt: ud2
  assert.is(m.traps[0].vector, VEC_UD);
});

test('ud2 and undefined opcodes raise #UD at the instruction', () => {
  for (const bytes of ['ud2', '.byte 0x0f, 0x04', '.byte 0x82, 0xc0, 0x01', '.byte 0xff, 0xf8']) {
    const m = machine(`\tnop\n\t${bytes}`);
    m.cpu.run(100);
    assert.equal(m.traps.map((t) => [t.vector, t.rip]), [[VEC_UD, m.sym('_start') + 1]], bytes);
  }
});

test('int3 raises #BP with RIP after it', () => {
  const m = machine('\tnop\n\tint3\n\tud2');
  m.cpu.run(100);
  assert.equal(m.traps[0], { vector: VEC_BP, errorCode: 0, rip: m.sym('_start') + 2, cpl: 3 });
  assert.is(m.cpu.instret, 2);
});

test('syscall: RCX = next RIP, R11 = RFLAGS, CPL 0; sysret() returns to user mode', () => {
  const m = machine(['\tstc', '\tsyscall', 'after:', '\tmovl $7, %ebx', '\tud2'].join('\n'));
  m.cpu.setRflags(0x202); // IF, as in user mode
  let seen: number[] = [];
  m.cpu.trap = (vector) => {
    seen = [vector, m.cpu.cpl, m.reg(1), m.reg(11), m.rip()];
    m.cpu.sysret();
    m.cpu.trap = () => m.cpu.stop();
  };
  m.cpu.run(100);
  assert.equal(seen, [VEC_SYSCALL, 0, m.sym('after'), 0x203, m.sym('after')]);
  assert.is(m.cpu.cpl, 3);
  assert.is(m.reg(3), 7);
  assert.is(m.cpu.getRflags() & 1, 1); // CF restored from R11
});

test('sysretq at CPL 0: RIP = RCX, RFLAGS = R11, CPL 3', () => {
  const m = machine(['\tleaq user(%rip), %rcx', '\tmovq $0x246, %r11', '\tsysretq', 'user:', '\tud2'].join('\n'), { cpl: 0 });
  m.cpu.run(100);
  assert.equal(m.traps, [{ vector: VEC_UD, errorCode: 0, rip: m.sym('user'), cpl: 3 }]);
  assert.is(m.cpu.getRflags() & 0xfff, 0x246);
});

test('rdtsc returns the retired-instruction count', () => {
  const m = machine('\tnop\n\tnop\n\tnop\n\trdtsc\n\tud2');
  m.cpu.run(100);
  assert.is(m.reg(0), 3);
  assert.is(m.reg(2), 0);
});

test.run();
