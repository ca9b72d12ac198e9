// Self-modifying code: a store into code the CPU has already decoded must change what runs next,
// whether it hits the very next instruction of the running block, a block executed later, or comes
// from a writer outside the CPU (the kernel or loader writing physical memory).

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VEC_UD } from '../../vm/exceptions.js';
import { machine } from './machine.js';

test('a store into the next instruction takes effect at once', () => {
  // patch: movl $1, %eax (b8 01 00 00 00); the store rewrites its immediate before it runs.
  const m = machine(['\tmovb $2, patch+1(%rip)', 'patch:', '\tmovl $1, %eax', '\tud2'].join('\n'), { writableText: true });
  assert.is(m.cpu.run(100), 'stopped');
  assert.equal(m.traps.map((t) => t.vector), [VEC_UD]);
  assert.is(m.reg(0), 2);
});

test('a store into a block that already ran changes it the next time', () => {
  const m = machine([
    '\tcall f', '\tmovl %eax, %ebx', // first call: 5
    '\tmovb $7, f+1(%rip)', // f's immediate
    '\tcall f', '\tmovl %eax, %ecx', '\tud2',
    'f:', '\tmovl $5, %eax', '\tret',
  ].join('\n'), { writableText: true });
  assert.is(m.cpu.run(100), 'stopped');
  assert.is(m.traps[0].vector, VEC_UD);
  assert.is(m.reg(3), 5);
  assert.is(m.reg(1), 7);
});

test('a loop that rewrites its own body each iteration', () => {
  // Each pass increments the immediate of `addl $0, %eax` in place: 0 + 1 + 2 + 3 = 6.
  const m = machine([
    '\tmovl $4, %ecx', '\txorl %eax, %eax',
    'loop:', 'site:', '\taddl $0, %eax', '\tincb site+2(%rip)', '\tdecl %ecx', '\tjnz loop', '\tud2',
  ].join('\n'), { writableText: true });
  assert.is(m.cpu.run(1000), 'stopped');
  assert.is(m.reg(0), 6);
});

test('a write to physical memory from outside the CPU invalidates decoded code', () => {
  const m = machine(['\tmovl $1, %eax', '\tud2'].join('\n'));
  m.cpu.run(100);
  assert.is(m.reg(0), 1);
  const pa = m.phys(m.sym('_start'));
  m.mem.writeBytes(pa + 1, Uint8Array.of(9)); // as the kernel or loader would, then mem.noteWrite
  m.cpu.ripLo = m.sym('_start');
  m.cpu.run(100);
  assert.is(m.reg(0), 9);
});

test.run();
