// The kernel image and its exception table: kernel/uaccess.s assembled by faultline's assembler (and, when
// GNU as is installed, byte-identical to it), the sorted __ex_table, fixups taken on real faults, and an
// unlisted kernel fault ending in an oops that kills only the task it happened in.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assemble } from '../../asm/assemble.js';
import { boot } from '../../kernel/kernel.js';
import { arch_pick_mmap_layout, mm_alloc } from '../../kernel/mm_init.js';
import { RAX, RDI, RSI, hi32, lo32 } from '../../kernel/ptrace.js';
import { context_switch } from '../../kernel/sched.js';
import { TaskExit, task_struct } from '../../kernel/task.js';
import { main_extable, search_exception_tables } from '../../kernel/extable.js';
import { __START_KERNEL, build_kernel_image, ksym } from '../../kernel/kernel_image.js';
import { EFAULT } from '../../kernel/mm_constants.js';
import src from '../../kernel/uaccess.s.js';
import { SigMachine } from './sig-machine.js';

function listing(): Map<number, string> {
  const r = assemble(src, 'kernel/uaccess.s', { textBase: BigInt.asUintN(64, BigInt(__START_KERNEL)) });
  if (!r.ok) throw new Error('uaccess.s does not assemble');
  const starts = new Map<number, string>();
  for (const l of r.listing) if (l.addr !== null && l.bytes.length > 0) starts.set(Number(BigInt.asIntN(64, l.addr)), l.text);
  return starts;
}

test('the image is laid out at __START_KERNEL with the table on pages of its own after the text', () => {
  const img = build_kernel_image();
  assert.is(img.base, -0x7f000000);
  assert.is(img.size % 4096, 0);
  assert.ok(img.text_end > img.base && img.text_end < img.base + img.size);
  assert.is(ksym('copy_user_generic'), img.base);
});

test('the exception table is sorted and every entry pairs a user-memory instruction with an instruction', () => {
  const table = main_extable();
  const insns = listing();
  assert.ok(table.length >= 12);
  for (let i = 1; i < table.length; i++) assert.ok(table[i - 1].insn < table[i].insn, 'sorted by insn');
  const text = build_kernel_image();
  for (const e of table) {
    const at = insns.get(e.insn);
    assert.ok(at !== undefined, `insn ${e.insn.toString(16)} is an instruction`);
    assert.ok(insns.has(e.fixup), `fixup ${e.fixup.toString(16)} is an instruction`);
    assert.ok(e.insn < text.text_end && e.fixup < text.text_end);
    assert.match(at!, /\(|movs|stos/, `a memory access: ${at}`);
    assert.is(search_exception_tables(new SigMachine(), e.insn), e);
  }
  assert.is(search_exception_tables(new SigMachine(), table[0].insn + 1), null);
});

test('every instruction of uaccess.s that dereferences a register is listed (all may touch user memory)', () => {
  const insns = listing();
  const listed = new Set(main_extable().map((e) => e.insn));
  for (const [addr, text] of insns) {
    const t = text.trim().replace(/^\d+:\s*/, '');
    // The stores into the kernel's own buffers (get_user_call's result, strncpy's copy) are not user accesses.
    if (/\(%r(di|ax|cx|si)|movs/.test(t) && !/^lea|%cl, \(%rdi|%rdx, \(%rdi/.test(t)) assert.ok(listed.has(addr), `listed: ${t}`);
  }
});

test('machine code identical to GNU as for every stub', () => {
  if (spawnSync('as', ['--version']).status !== 0) {
    console.log('  (skipped: GNU as is not installed)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'faultline-uaccess-'));
  try {
    writeFileSync(join(dir, 'u.s'), src);
    assert.is(spawnSync('as', ['-o', join(dir, 'u.o'), join(dir, 'u.s')]).status, 0);
    assert.is(spawnSync('objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'u.o'), join(dir, 'u.bin')]).status, 0);
    const gnu = new Uint8Array(readFileSync(join(dir, 'u.bin')));
    const img = build_kernel_image();
    assert.equal(img.bytes.subarray(0, gnu.length), gnu);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a fault at a listed instruction resumes at its fixup: write() of an unmapped buffer returns -EFAULT', () => {
  const k = new SigMachine();
  const syms = k.loadCode(`
    .globl _start
_start:
    mov $1, %edi
    mov $0x10000, %esi
    mov $4, %edx
    mov $1, %eax
    syscall
    mov %rax, %rdi
    neg %rdi
    mov $231, %eax
    syscall
`);
  k.map(0x7ff000000, 0x1000, 3);
  const code = k.runUser(syms.get('_start')!, 0x7ff001000 - 8);
  assert.is(code, EFAULT << 8, 'exit status = -(write result)');
  const [address, error, cpl, rip] = k.faults[0];
  assert.equal([address, error, cpl], [0x10000, 0, 0], 'a kernel-mode read fault on the user address');
  assert.ok(main_extable().some((e) => e.insn === rip), 'taken at a listed instruction');
  assert.is(k.stdout, '');
  assert.is(k.log.length, 0);
});

test('a fault in kernel code that is not listed is an oops that kills only the task it happened in', () => {
  const log: string[] = [];
  const k = boot({ memBytes: 16 << 20, io: { readStdin: () => new Uint8Array(0), write: () => {} }, printk: (_l, s) => log.push(s) });
  const task = (pid: number, name: string): task_struct => {
    const mm = mm_alloc(k.zone, k.tlbflush, k.init_mm)!;
    arch_pick_mmap_layout(mm);
    const t = new task_struct(pid, name, mm);
    k.tasks.set(pid, t);
    return t;
  };
  const victim = task(2, 'victim');
  const bystander = task(3, 'bystander');
  context_switch(k, victim);
  // get_user_call reads a user address through __get_user_8 (a listed load: -EFAULT via its fixup), then
  // stores the value at %rdi, an unmapped vmalloc-area address: that store has no table entry.
  const set = (r: number, v: number): void => {
    k.cpu.regs[2 * r] = lo32(v);
    k.cpu.regs[2 * r + 1] = hi32(v);
  };
  set(RSI, ksym('__get_user_8'));
  set(RAX, 0x10000);
  set(RDI, -0x370000000000); // 0xffffc90000000000
  const rip = ksym('get_user_call');
  let killed: TaskExit | null = null;
  try {
    k.cpu.callKernel(lo32(rip), hi32(rip), lo32(k.kstack_top), hi32(k.kstack_top));
  } catch (e) {
    if (!(e instanceof TaskExit)) throw e;
    killed = e;
  }
  assert.ok(killed !== null && killed.task === victim, 'the task was killed');
  assert.ok(victim.state === 'zombie' || victim.state === 'dead');
  assert.is(bystander.state, 'runnable', 'the other task lives on');
  assert.ok(log.includes('BUG: unable to handle page fault for address: ffffc90000000000'), log.join('\n'));
  assert.ok(log.some((l) => l.startsWith('Oops: 0002')));
});

test.run();
