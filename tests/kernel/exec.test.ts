// exec: what the new process's address space and registers look like (Linux 5.10 load_elf_binary,
// setup_arg_pages, create_elf_tables).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exec } from '../../kernel/exec.js';
import { boot, type Kernel } from '../../kernel/kernel.js';
import { VM_EXEC, VM_GROWSDOWN, VM_READ, VM_WRITE } from '../../kernel/mm_constants.js';
import { RSP, from32 } from '../../kernel/ptrace.js';
import type { task_struct } from '../../kernel/task.js';
import { copy_from_user } from '../../kernel/uaccess.js';
import { buildWithFaultline } from './exec_harness.js';

const SRC = `	.globl _start
	.text
_start:
	mov $60, %eax
	syscall
	.section .rodata
ro:	.ascii "read only"
	.data
d:	.quad 1, 2, 3
	.bss
b:	.skip 10000
`;

function machine(): Kernel {
  return boot({ memBytes: 32 << 20, io: { readStdin: () => new Uint8Array(0), write: () => {} } });
}

function load(src = SRC, argv = ['./prog', 'one'], envp = ['A=1']): { k: Kernel; t: task_struct } {
  const k = machine();
  const t = exec(k, buildWithFaultline(src), { filename: './prog', argv, envp });
  if (typeof t === 'string') throw new Error(t);
  return { k, t };
}

function read64(k: Kernel, addr: number): number {
  const b = new Uint8Array(8);
  assert.is(copy_from_user(k, b, addr, 8), 0);
  return Number(new DataView(b.buffer).getBigUint64(0, true));
}

function readStr(k: Kernel, addr: number): string {
  const b = new Uint8Array(Math.min(64, 0x7ffffffff000 - addr)); // access_ok refuses ranges past the top
  assert.is(copy_from_user(k, b, addr, b.length), 0);
  return new TextDecoder().decode(b.subarray(0, b.indexOf(0)));
}

test('pid 2, child of init, every register zero but rsp, rsp 16-byte aligned at argc', () => {
  const { k, t } = load();
  assert.is(t.pid, 2);
  assert.is(t.real_parent?.pid, 1);
  assert.is(k.current, t);
  const regs = k.cpu.regs;
  for (let n = 0; n < 16; n++) if (n !== RSP) assert.is(regs[2 * n] | regs[2 * n + 1], 0, `register ${n}`);
  assert.is(k.cpu.cpl, 3);
  const sp = from32(regs[2 * RSP], regs[2 * RSP + 1]);
  assert.is(sp % 16, 0);
  assert.is(read64(k, sp), 2); // argc
  assert.is(readStr(k, read64(k, sp + 8)), './prog');
  assert.is(readStr(k, read64(k, sp + 16)), 'one');
  assert.is(read64(k, sp + 24), 0);
  assert.is(readStr(k, read64(k, sp + 32)), 'A=1');
  assert.is(read64(k, sp + 40), 0);
  // auxv: AT_PAGESZ 4096, AT_ENTRY = e_entry, AT_EXECFN -> "./prog", AT_PHENT 56
  const aux = new Map<number, number>();
  for (let p = sp + 48; ; p += 16) {
    const type = read64(k, p);
    if (type === 0) break;
    aux.set(type, read64(k, p + 8));
  }
  assert.is(aux.get(6), 4096);
  assert.is(aux.get(9), from32(k.cpu.ripLo, k.cpu.ripHi));
  assert.is(aux.get(4), 56);
  assert.is(readStr(k, aux.get(31)!), './prog');
  assert.is(readStr(k, aux.get(15)!), 'x86_64');
});

test('segments become VMAs with the right permissions; brk starts at the page-aligned end of .bss', () => {
  const { t } = load();
  const mm = t.mm!;
  const vmas = mm.mm_rb;
  const text = vmas.find((v) => v.vm_flags & VM_EXEC)!;
  assert.ok(text.vm_file !== null);
  assert.is(text.vm_flags & VM_WRITE, 0);
  const data = vmas.find((v) => v.vm_flags & VM_WRITE && v.vm_file !== null)!;
  assert.ok(data.vm_flags & VM_READ);
  assert.ok(mm.start_brk > data.vm_start && mm.start_brk % 4096 === 0);
  assert.is(mm.brk, mm.start_brk);
  const stack = vmas[vmas.length - 1];
  assert.ok(stack.vm_flags & VM_GROWSDOWN);
  assert.is(stack.vm_end, 0x7ffffffff000);
  assert.ok(stack.vm_end - stack.vm_start >= 132 * 1024, 'stack VMA spans the arguments plus 128 KiB');
  assert.is(stack.vm_flags & VM_EXEC, 0, 'no PT_GNU_STACK: non-executable stack');
});

test('.bss reads as zero, including the tail of the last file page (padzero)', () => {
  const { k, t } = load();
  const mm = t.mm!;
  const b = new Uint8Array(10000);
  const bssStart = mm.end_data;
  assert.is(copy_from_user(k, b, bssStart, b.length), 0);
  assert.ok(b.every((x) => x === 0));
});

test('a file that is not an ELF, or not x86-64, is refused with one line', () => {
  const k = machine();
  const r = exec(k, new TextEncoder().encode('#!/bin/sh\necho hi\n'), { filename: 'x', argv: ['x'], envp: [] });
  assert.type(r, 'string');
  assert.match(r as string, /ELF/);
});

test.run();
