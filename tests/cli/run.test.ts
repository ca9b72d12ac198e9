// faultline run: the command-line face of the machine.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin/faultline.js');
const run = (args: string[], input = '') => spawnSync(process.execPath, [bin, 'run', ...args], { encoding: 'utf8', cwd: root, input });
const dir = mkdtempSync(join(tmpdir(), 'faultline-run-'));

function source(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

test('hello.s prints through the write syscall and exits 0', () => {
  const r = run(['guest-programs/hello.s']);
  assert.is(r.stdout, 'Hello, world!\n');
  assert.is(r.stderr, '');
  assert.is(r.status, 0);
});

test('the exit status is the guest\'s exit code', () => {
  const p = source('exit3.s', '\t.globl _start\n_start:\n\tmov $231, %eax\n\tmov $3, %edi\n\tsyscall\n');
  assert.is(run([p]).status, 3);
});

test('a segfault prints the kernel line on stderr and exits 128 + 11', () => {
  const p = source('null.s', '\t.globl _start\n_start:\n\tmov 0, %rax\n');
  const r = run([p]);
  assert.is(r.status, 139);
  assert.match(r.stderr, /null\[2\]: segfault at 0 ip [0-9a-f]+ sp [0-9a-f]+ error 4 in null\[/);
});

test('guest arguments come after the program', () => {
  // Prints argv[1] (its length found by scanning for the NUL).
  const p = source('arg.s', [
    '\t.globl _start', '_start:', '\tmov 16(%rsp), %rsi', '\txor %edx, %edx',
    '1:\tcmpb $0, (%rsi,%rdx)', '\tje 2f', '\tinc %rdx', '\tjmp 1b',
    '2:\tmov $1, %eax', '\tmov $1, %edi', '\tsyscall', '\tmov $60, %eax', '\txor %edi, %edi', '\tsyscall', '',
  ].join('\n'));
  const r = run([p, 'hello-arg', '--stats']);
  assert.is(r.stdout, 'hello-arg');
  assert.is(r.status, 0);
});

test('assembly errors are file:line:col diagnostics, then "not run", and exit 126 (not a guest\'s exit(1))', () => {
  const p = source('bad.s', '\t.globl _start\n_start:\n\tfrobnicate %rax\n');
  const r = run([p]);
  assert.is(r.status, 126);
  assert.match(r.stderr, /bad\.s:3:\d+: error: /);
  assert.match(r.stderr, /\nfaultline: not run: 1 assembly error\n$/);
});

test('a file that is not an ELF is "not run" with 126', () => {
  const r = run([source('notelf', 'hello\n')]);
  assert.is(r.status, 126);
  assert.match(r.stderr, /^faultline: not run: .*notelf: not a valid ELF file/);
});

test('--max-steps stops a loop with status 124 and a message', () => {
  const p = source('loop.s', '\t.globl _start\n_start:\n1:\tjmp 1b\n');
  const r = run(['--max-steps', '100000', p]);
  assert.is(r.status, 124);
  assert.is(r.stderr, 'faultline: stopped: the guest ran 100,000 instructions (--max-steps 100000; 0 for no limit)\n');
});

test('--max-steps 0 means no limit; a negative or fractional budget is a usage error', () => {
  assert.is(run(['--max-steps', '0', 'guest-programs/hello.s']).status, 0);
  for (const bad of ['-1', '1.5', 'lots']) {
    const r = run(['--max-steps', bad, 'guest-programs/hello.s']);
    assert.is(r.status, 2, bad);
    assert.is(r.stderr, 'faultline: --max-steps needs a whole number (0 for no limit)\n');
  }
});

test('a fork bomb is stopped with a message once forks keep failing on a full process table', () => {
  // Every process forks forever; on a 16 MiB machine the table holds 128 tasks (max_threads).
  const p = source('bomb.s', '\t.globl _start\n_start:\n1:\tmov $57, %eax\n\tsyscall\n\tjmp 1b\n');
  const r = run(['--mem', '16M', p]);
  assert.is(r.status, 125); // not 124, the instruction budget's
  const m = /^faultline: stopped: fork bomb: ([\d,]+) forks refused because the process table was full \(128 tasks\)\n$/.exec(r.stderr);
  assert.ok(m, r.stderr);
  assert.ok(Number(m[1].replaceAll(',', '')) >= 100_000); // checked between scheduling quanta
});

test('--trace faults on the demand-paging demo shows zero-page and write faults; counts as natively', () => {
  const r = run(['--trace', 'faults', 'guest-programs/demand-paging.s']);
  assert.is(r.stdout, 'mmap 4 pages: 0 faults\nread page 0:  1 faults\nwrite page 0: 1 faults\nwrite 1..3:   3 faults\nwrite again:  0 faults\nmunmap, remap: 1 faults\n');
  assert.is(r.status, 0);
  assert.match(r.stderr, /zero page/);
  assert.match(r.stderr, /do_wp_page/);
});

test('the uaccess demo: bad pointers give -EFAULT through the exception-table fixup, as on Linux', () => {
  const r = run(['--trace', 'faults', 'guest-programs/uaccess-efault.s']);
  assert.is(r.stdout, [
    'case 1: write(1, 0x10000, 8) = -EFAULT', 'case 2: write(1, 0xffff888000000000, 8) = -EFAULT', 'message!',
    'case 3: write(1, msg, 8) = returned 8', '',
  ].join('\n'));
  assert.is(r.status, 0);
  assert.match(r.stderr, /addr 0x10000 error 0x0 \(supervisor read, not present\).*fixup/);
});

test('--stats prints the summary on stderr', () => {
  const r = run(['--stats', 'guest-programs/hello.s']);
  assert.is(r.stdout, 'Hello, world!\n');
  for (const word of ['instructions:u', 'instructions:k', 'page-faults', 'minor-faults', 'syscalls', 'tlb-misses', 'cow-copies']) assert.match(r.stderr, word);
});

test('--help documents every exit status faultline itself gives, and the smallest --mem', () => {
  const help = run(['--help']).stdout;
  for (const status of ['2', '123', '124', '125', '126', '127', '70']) assert.match(help, new RegExp(`^  ${status} +\\S`, 'm'));
  assert.match(help, /at least 4M/);
  assert.is(run(['--mem', '3M', 'guest-programs/hello.s']).stderr, 'faultline: --mem must be between 4M and 2047M\n');
});

test('bad options are one line and exit 2', () => {
  for (const args of [['--mem', 'lots', 'x.s'], ['--kernel', '3.0', 'x.s'], ['--trace', 'everything', 'x.s'], []]) {
    const r = run(args);
    assert.is(r.status, 2, args.join(' '));
    assert.is(r.stderr.split('\n').length, 2, r.stderr);
  }
});

test('a missing program is one line and exit 127', () => {
  const r = run([join(dir, 'nope.s')]);
  assert.is(r.status, 127);
  assert.match(r.stderr, /cannot read/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
