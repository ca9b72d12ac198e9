// --stats counts as perf stat does: instructions:u are the guest's own (the kernel's uaccess stubs on their
// own line), page-faults is perf's software event; minor/major faults stay getrusage's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { FAULTLINE, Scratch, faultline, lines, shell } from './cli-helpers.js';

const scratch = new Scratch();

/** The number on a --stats row. */
function stat(stderr: string, name: string): number {
  const m = new RegExp(`^\\s*([\\d,]+)\\s+${name.replace(/[.:]/g, '\\$&')}(\\s|$)`, 'm').exec(stderr);
  if (m === null) throw new Error(`no ${name} row in:\n${stderr}`);
  return Number(m[1].replaceAll(',', ''));
}

test('instructions:u is the guest\'s retired instructions: 8 for hello.s, the kernel\'s apart', () => {
  const r = faultline(['run', '--stats', 'guest-programs/hello.s']);
  assert.is(r.status, 0);
  assert.is(stat(r.stderr, 'instructions:u'), 8); // 4 movs + lea... see the file: 8 instructions, 2 of them syscalls
  assert.ok(stat(r.stderr, 'instructions:k') > 0, 'the copy_user_generic stub ran for the write');
});

test('a counted loop retires exactly the instructions it should', () => {
  // 1 + 2 * 1000 (dec, jnz) + 3 (exit) = 2004
  const p = scratch.file('loop.s', lines('\t.globl _start', '_start:', '\tmov $1000, %ecx', '1:\tdec %ecx', '\tjnz 1b', '\tmov $60, %eax', '\txor %edi, %edi', '\tsyscall'));
  assert.is(stat(faultline(['run', '--stats', p]).stderr, 'instructions:u'), 2004);
});

test('--max-steps counts the guest\'s instructions only: a writing loop stops at exactly the budget', () => {
  const p = scratch.file('yes.s', lines(
    '\t.globl _start', '_start:', '1:\tmov $1, %eax', '\tmov $1, %edi', '\tlea msg(%rip), %rsi', '\tmov $2, %edx',
    '\tsyscall', '\tjmp 1b', '\t.section .rodata', 'msg:\t.ascii "y\\n"',
  ));
  const r = faultline(['run', '--stats', '--max-steps', '1000000', p]);
  assert.is(r.status, 124);
  assert.is(stat(r.stderr, 'instructions:u'), 1_000_000);
  assert.ok(stat(r.stderr, 'instructions:k') > 100_000, 'every write ran the uaccess stub');
});

/** Two writes from an unmapped buffer (the kernel faults on a user address, -EFAULT), then a NULL read. */
const BAD_POINTERS_THEN_NULL = lines(
  '\t.globl _start', '_start:',
  '\tmov $1, %eax', '\tmov $1, %edi', '\tmov $0x10000, %esi', '\tmov $8, %edx', '\tsyscall',
  '\tmov $1, %eax', '\tmov $1, %edi', '\tmov $0x20000, %esi', '\tmov $8, %edx', '\tsyscall',
  '\tmov 0, %rax',
);

test('page-faults counts the faults that end in a signal or a fixup, and not exec\'s own; minor-faults as getrusage', () => {
  const p = scratch.file('bad.s', BAD_POINTERS_THEN_NULL);
  const r = faultline(['run', '--stats', p]);
  assert.is(r.status, 139);
  assert.is(stat(r.stderr, 'page-faults'), 4); // the text page, two -EFAULT faults, the SIGSEGV
  assert.is(stat(r.stderr, 'minor-faults'), 2); // exec's stack page and the text page: the failures count not
});

/**
 * `perf stat -e page-faults` of a native run as faultline runs a program: no address randomization (a
 * randomized stack may put the initial stack's tables across a page boundary, one fault more), an empty
 * environment, the same argv[0], stdout a pipe (write() reads the buffer, as faultline's does; to /dev/null
 * it would not). A string says why it cannot be had here.
 */
function perfPageFaults(elf: string): number | string {
  const where = (cmd: string): string => shell(`command -v ${cmd}`).stdout.trim();
  const perf = where('perf');
  const setarch = where('setarch');
  if (perf === '') return 'perf is not installed (Debian package linux-perf)';
  if (setarch === '') return 'setarch is not installed (util-linux)';
  const r = spawnSync(setarch, ['-R', perf, 'stat', '-x,', '-e', 'page-faults', elf], { encoding: 'utf8', env: {}, cwd: scratch.dir });
  const m = /^(\d+),,page-faults/m.exec(r.stderr);
  return m === null ? `perf software events are unavailable here (${r.stderr.trim().split('\n').pop()})` : Number(m[1]);
}

// Every demo whose count depends on nothing host-specific (bss.s and demand-paging.s read pages before
// writing them: their counts depend on the zero page), and a program whose faults end in fixups and a signal.
const PERF_PROGRAMS = [
  'cow-fork', 'data-tables', 'exit-group', 'hello', 'jump-table', 'local-labels', 'loops', 'p2align', 'recursion',
  'rep-movs', 'strings', 'uaccess-efault',
].map((n) => `guest-programs/${n}.s`);

test('page-faults equals perf stat\'s count of the same ELF natively', () => {
  const bad = scratch.file('bad.s', BAD_POINTERS_THEN_NULL);
  for (const prog of [...PERF_PROGRAMS, bad]) {
    const elf = `./${prog.replace(/^.*\//, '').replace(/\.s$/, '')}`; // argv[0] as faultline run gives it
    assert.is(faultline(['asm', prog, '-o', `${scratch.dir}/${elf}`]).status, 0);
    const native = perfPageFaults(elf);
    if (typeof native === 'string') {
      console.log(`  (skipped: ${native})`);
      return;
    }
    const here = shell(`cd '${scratch.dir}' && ${FAULTLINE} run --stats '${elf}' 2>&1 >/dev/null </dev/null`);
    assert.is(stat(here.stdout, 'page-faults'), native, prog);
  }
});

test.after(() => scratch.remove());

test.run();
