// Malformed sources through `faultline asm`: each gives exactly `file:line:col: error: msg`, the
// source line and a caret, exit status 1, and no stack trace; a file with several errors reports
// all of them in line order.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmp } from './native.js';
import { formatDiagnostic } from '../../asm/diagnostics.js';

const bin = fileURLToPath(new URL('../../../bin/faultline.js', import.meta.url));
const work = tmp();
const HEAD = '.globl _start\n_start:\n'; // lines 1-2 of every case

function asm(name: string, body: string | Uint8Array): { status: number | null; stderr: string; file: string } {
  const file = join(work, `${name}.s`);
  writeFileSync(file, typeof body === 'string' ? HEAD + body : body);
  const r = spawnSync(process.execPath, [bin, 'asm', file, '-o', join(work, name)], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr, file };
}

// [name, source after the two-line head, expected "line:col: message"]
const cases: [string, string, string][] = [
  ['unknown mnemonic', '  frob %rax\n', '3:3: no such instruction: `frob\''],
  ['wrong operand count', '  movq %rax\n', '3:3: number of operands mismatch for `mov\''],
  ['64-bit register with l suffix', '  movl %rax, %ebx\n', '3:3: operand type mismatch for `mov\''],
  ['imm8 out of range', '  int $300\n', '3:3: operand size mismatch for `int\''],
  ['%ah with a REX register', '  movb %ah, %sil\n', '3:8: can\'t encode register \'%ah\' in an instruction requiring REX prefix.'],
  ['undefined symbol, reported at the use', '  nop\n  jmp nowhere\n', '4:7: undefined symbol `nowhere\''],
  ['duplicate label', 'x: nop\nx: nop\n', '4:1: symbol `x\' is already defined'],
  ['unknown directive', '  .frobnicate 1\n', '3:3: unknown pseudo-op: `.frobnicate\''],
  ['unterminated string', '  .ascii "abc\n', '3:10: unterminated string'],
  ['unterminated comment', '  nop /* never closed\n  nop\n', '3:7: end of file inside a /* comment'],
  ['bad register name', '  movq %rax, %foo\n', '3:14: bad register name `%foo\''],
  ['bad scale factor', '  movq (%rax,%rbx,3), %rcx\n', '3:19: expecting scale factor of 1, 2, 4, or 8: got `3\''],
  ['missing operand after comma', '  movl $1, 2(\n', '3:14: unexpected end of statement'],
  ['junk between operands', '  movl $1 %eax\n', '3:11: junk `%eax\' in operands'],
  ['backward local label never defined', '  jne 1b\n', '3:7: undefined local label `1b\''],
  ['forward local label never defined', '  jne 7f\n', '3:7: undefined symbol `7f\''],
  ['alignment not a power of two', '  .align 3\n', '3:3: alignment not a power of 2'],
  ['division by zero', '  .quad 1/0\n', '3:3: division by zero'],
  ['symbol defined in terms of itself', '  movq $a, %rax\na = b\nb = a\n', '5:5: symbol `a\' is defined in terms of itself'],
  ['bad number', '  .byte 0x\n', '3:9: invalid number `0x\''],
  ['bad octal number', '  movq 08, %rax\n', '3:8: bad octal number `08\''],
  ['data in .bss', '  nop\n  .bss\n  .byte 1\n', '5:3: attempt to store non-zero value in section `.bss\''],
  ['intel syntax', '  .intel_syntax noprefix\n', '3:3: .intel_syntax is not supported (AT&T syntax only)'],
  ['rip with an index', '  movq %rax, (%rip,%rbx)\n', '3:14: `(%rip,%rbx)\' is not a valid base/index expression'],
  ['missing section name', '  .section\n', '3:3: missing section name'],
  ['junk at start of statement', '  @\n', '3:3: junk `@\' at start of statement'],
  ['backward local label used in data', '  .byte 0\n  .quad 1b\n', '4:9: undefined local label `1b\''],
  ['value out of range in a fixup', '  movb $x, %al\n  .data\nx: .quad 0\n', '3:8: value 4202496 does not fit in 1 byte'],
];

for (const [name, body, expected] of cases) {
  test(`error: ${name}`, () => {
    const r = asm(name.replace(/\W+/g, '-'), body);
    assert.is(r.status, 1);
    const lines = r.stderr.split('\n');
    const [pos, ...msg] = expected.split(': ');
    assert.is(lines[0], `${r.file}:${pos}: error: ${msg.join(': ')}`);
    const col = Number(pos.split(':')[1]);
    assert.is(lines[2], `${' '.repeat(col - 1)}^`, 'caret under the column');
    assert.not.match(r.stderr, /at .*\.js:\d+/, 'no stack trace');
  });
}

test('every error of a file is reported in one run, in line order', () => {
  const r = asm('several', '  frob\n  movl %rax, %ebx\n  jmp nowhere\nok: nop\nok: nop\n  .ascii "x\n  movq $1, %rax\n');
  assert.is(r.status, 1);
  const heads = r.stderr.split('\n').filter((l) => l.startsWith(r.file)).map((l) => l.slice(r.file.length + 1));
  assert.equal(heads, [
    '3:3: error: no such instruction: `frob\'',
    '4:3: error: operand type mismatch for `mov\'',
    '5:7: error: undefined symbol `nowhere\'',
    '7:1: error: symbol `ok\' is already defined',
    '8:10: error: unterminated string',
  ]);
  assert.not.ok(existsSync(join(work, 'several')), 'no output file on error');
});

test('an empty file is a clear error', () => {
  const r = asm('empty', new Uint8Array(0));
  assert.is(r.status, 1);
  assert.is(r.stderr.split('\n')[0], `${r.file}:1:1: error: empty program: nothing to assemble (a program needs a _start label and code)`);
});

test('a byte that is not UTF-8 is reported at its line and column', () => {
  const bytes = new Uint8Array([...new TextEncoder().encode('_start:\n  nop # caf'), 0xe9, 0x0a]);
  const r = asm('latin1', bytes);
  assert.is(r.status, 1);
  assert.is(r.stderr, `${r.file}:2:12: error: invalid UTF-8 byte 0xe9 in source\n`);
});

test('formatDiagnostic: header, source line with tabs shown as spaces, caret', () => {
  const d = { file: 'f.s', line: 2, col: 3, msg: 'oops' };
  assert.is(formatDiagnostic(d, 'a\n\tb c\n'), 'f.s:2:3: error: oops\n b c\n  ^');
});

test('asm --help describes the options', () => {
  const r = spawnSync(process.execPath, [bin, 'asm', '--help'], { encoding: 'utf8' });
  assert.is(r.status, 0);
  for (const o of ['-o, --output', '--listing']) assert.ok(r.stdout.includes(o), o);
});

test.run();
