// Several .s files as one source (as `as a.s b.s`), so the README's examples run as documented:
// faultline run tests/linux/programs/X.s tests/linux/lib.s
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assembleSources, readSources } from '../../cli/sources.js';
import { BIN, ROOT, Scratch, faultline, lines } from './cli-helpers.js';

const scratch = new Scratch();
const PROGRAMS = join(ROOT, 'tests/linux/programs');
const LIB = join(ROOT, 'tests/linux/lib.s');

test('the text runs on from one file into the next, as GNU as reads them: section, labels', () => {
  // a.s ends in .data, so b.s's first line is still in .data: writable (in .text the store would be SIGSEGV).
  // The local label 1: of a.s is found by b.s's 1b.
  const a = scratch.file('a.s', lines('\t.globl _start', '\t.text', '_start:', '\tjmp main', '1:\tmov $60, %eax', '\tsyscall', '\t.data'));
  const b = scratch.file('b.s', lines('val:\t.long 7', '\t.text', 'main:\taddl $2, val(%rip)', '\tmov val(%rip), %edi', '\tjmp 1b'));
  assert.is(faultline(['run', a, b]).status, 9);
  assert.is(faultline(['asm', a, b, '-o', join(scratch.dir, 'ab')]).status, 0);
});

test('an error in the second file names that file and its own line', () => {
  const a = scratch.file('one.s', lines('\t.globl _start', '_start:', '\tcall helper'));
  const b = scratch.file('two.s', lines('helper:', '\tfrobnicate %rax'));
  const r = faultline(['run', a, b]);
  assert.is(r.status, 126);
  assert.match(r.stderr, /two\.s:2:\d+: error: .*\n frobnicate %rax\n/);
  assert.not.match(r.stderr, /one\.s:\d+:\d+: error/);
});

test('guest arguments: a .s after -- is the guest\'s, not a source; ELF programs take every word as arguments', () => {
  // Exits with the number of arguments (argc - 1).
  const argc = scratch.file('argc.s', lines('\t.globl _start', '_start:', '\tmov (%rsp), %rdi', '\tdec %rdi', '\tmov $60, %eax', '\tsyscall'));
  const lib = scratch.file('empty.s', '');
  assert.is(faultline(['run', argc, lib, 'x']).status, 1);
  assert.is(faultline(['run', argc, '--', lib, 'x']).status, 2);
  assert.is(faultline(['run', argc, 'x', lib]).status, 2); // after the first argument, .s files are arguments
});

/** f's result with process.stderr.write silenced (the diagnostics a failing assembly prints). */
function quietly<T>(f: () => T): T {
  const write = process.stderr.write;
  process.stderr.write = () => true;
  try {
    return f();
  } finally {
    process.stderr.write = write;
  }
}

/** `faultline run ./prog.s LIB` in a directory holding a copy of the program, with the harness's stdin. */
function runDocumented(name: string): Promise<string> {
  // argv[0] is ./prog, as in the native reference runs (tests/linux/harness.ts).
  const dir = join(scratch.dir, name);
  mkdirSync(dir);
  copyFileSync(join(PROGRAMS, `${name}.s`), join(dir, 'prog.s'));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'run', './prog.s', LIB], { cwd: dir });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code, signal) => resolve(`${out}${signal !== null ? 'signal=?' : code !== null && code > 128 ? `signal=${code - 128}` : `exit=${code}`}\n`));
    child.stdin.end('0123456789\n');
  });
}

test('every program in tests/linux/programs assembles with the library as the README says', () => {
  const names = readdirSync(PROGRAMS).filter((f) => f.endsWith('.s')).map((f) => f.slice(0, -2)).sort();
  assert.ok(names.length >= 40);
  for (const name of names) {
    const src = readSources([join(PROGRAMS, `${name}.s`), LIB]);
    assert.ok(src !== null && assembleSources(src).ok, name);
    const alone = readSources([join(PROGRAMS, `${name}.s`)]);
    if (alone !== null) assert.not.ok(quietly(() => assembleSources(alone).ok), `${name} needs the library`);
  }
});

// One of each kind (a fault count, a signal, fork and wait, brk, the startup state): run as documented,
// they print what Linux printed (every program's output is checked through the harness in tests/kernel).
const DOCUMENTED = ['fault-bss', 'segv-null-read', 'proc-wait-status', 'brk-grow-shrink', 'startup-state', 'efault-bad-pointers'];

test('programs run as the README says print their .expected', async () => {
  for (let i = 0; i < DOCUMENTED.length; i += 2) {
    const pair = DOCUMENTED.slice(i, i + 2); // two at a time: the machine has two cores
    const got = await Promise.all(pair.map(runDocumented));
    pair.forEach((name, j) => assert.fixture(got[j], readFileSync(join(PROGRAMS, `${name}.expected`), 'utf8')));
  }
});

test.after(() => scratch.remove());

test.run();
