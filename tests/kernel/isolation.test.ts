// A guest cannot touch the kernel, cannot run forever, and cannot take the host down by eating memory.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildWithFaultline, runGuest } from './exec_harness.js';

/** A program whose _start runs `body`, then exit(0). */
function program(body: string, extra = ''): Uint8Array {
  return buildWithFaultline(`\t.globl _start\n\t.text\n_start:\n${body}\n\tmov $60, %eax\n\txor %edi, %edi\n\tsyscall\n${extra}`);
}

test('a read of the direct map (supervisor-only) is SIGSEGV with error 5 (user read, protection)', () => {
  const r = runGuest(program('\tmovabs $0xffff888000001000, %rax\n\tmov (%rax), %rbx'));
  assert.is(r.outcome.signal, 11);
  assert.is(r.outcome.status, 139);
  assert.ok(r.log.some((l) => /segfault at ffff888000001000 ip [0-9a-f]+ sp [0-9a-f]+ error 5/.test(l)), r.log.join('\n'));
});

test('a write to the kernel text is SIGSEGV with error 7 (user write, protection)', () => {
  const r = runGuest(program('\tmovabs $0xffffffff81000000, %rax\n\tmovq $0, (%rax)'));
  assert.is(r.outcome.signal, 11);
  assert.ok(r.log.some((l) => / error 7/.test(l)), r.log.join('\n'));
});

test('a jump into the kernel text is SIGSEGV with error 0x15 (user instruction fetch, protection)', () => {
  const r = runGuest(program('\tmovabs $0xffffffff81000000, %rax\n\tjmp *%rax'));
  assert.is(r.outcome.signal, 11);
  assert.ok(r.log.some((l) => / error 15/.test(l)), r.log.join('\n'));
});

test('the kernel image is intact after a guest tried to write it: uaccess still works (write prints)', () => {
  const r = runGuest(program('\tmov $1, %eax\n\tmov $1, %edi\n\tlea msg(%rip), %rsi\n\tmov $3, %edx\n\tsyscall', '\t.data\nmsg: .ascii "ok\\n"\n'));
  assert.is(r.stdout, 'ok\n');
  assert.is(r.outcome.status, 0);
});

test('privileged instructions at CPL 3 are SIGSEGV (#GP), not executed', () => {
  for (const insn of ['hlt', 'mov %cr3, %rax', 'mov %rax, %cr3', 'invlpg (%rsp)', 'stac']) {
    const r = runGuest(program(`\t${insn}`));
    assert.is(r.outcome.signal, 11, insn);
  }
});

test('--max-steps stops an infinite loop with status 124', () => {
  const r = runGuest(program('1:\tjmp 1b'), { maxSteps: 200_000 });
  assert.is(r.outcome.stopped, 'max-steps');
  assert.is(r.outcome.status, 124);
  assert.ok(r.outcome.k.cpu.instret >= 200_000 && r.outcome.k.cpu.instret < 300_000);
});

test('a guest touching more memory than the machine has is OOM-killed; the host goes on', () => {
  // 64 MiB of anonymous memory written page by page on a 16 MiB machine.
  const body = [
    '\tmov $9, %eax', '\txor %edi, %edi', '\tmov $64 << 20, %esi', '\tmov $3, %edx', '\tmov $0x22, %r10d',
    '\tmov $-1, %r8', '\txor %r9d, %r9d', '\tsyscall', '\tmov %rax, %rbx', '\tmov $64 << 8, %ecx',
    '1:\tmovb $1, (%rbx)', '\tadd $4096, %rbx', '\tdec %ecx', '\tjnz 1b',
  ].join('\n');
  const r = runGuest(program(body), { memBytes: 16 << 20 });
  assert.is(r.outcome.signal, 9);
  assert.ok(r.log.some((l) => /^Out of memory: Killed process 2 \(prog\)/.test(l)), r.log.join('\n'));
  // Everything the task had is back in the allocator, and a new machine runs normally.
  const again = runGuest(program('\tmov $1, %eax\n\tmov $1, %edi\n\tlea msg(%rip), %rsi\n\tmov $3, %edx\n\tsyscall', '\t.data\nmsg: .ascii "ok\\n"\n'));
  assert.is(again.stdout, 'ok\n');
});

test.run();
