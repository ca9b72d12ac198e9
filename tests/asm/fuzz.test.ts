// Bounded fuzzing of the assembler front end: random mutations of valid sources (fixed seed) must
// give either a program or diagnostics, never an exception; and the fast operand path must build
// exactly the AST the nearley grammar builds, which must be unambiguous.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { assemble } from '../../asm/assemble.js';
import { nearleyParses, parseOperands } from '../../asm/parse.js';
import { tokenizeLine, type Tok } from '../../asm/lexer.js';
import { fastOperands } from '../../asm/parse-fast.js';
import { generate } from '../../bench/asm.js';

const dir = fileURLToPath(new URL('../../../guest-programs/', import.meta.url));
const sources = readdirSync(dir).filter((f) => f.endsWith('.s')).sort().map((f) => readFileSync(join(dir, f), 'utf8'));

function rng(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

const PIECES = ['%', '$', '(', ')', ',', ':', ';', '"', "'", '#', '/*', '*/', '1b', '1f', '.', '-', '*', '<<', '\\', '0x', '%rax',
  '%ah', '%r8b', '%fs:', '.p2align 4', '.byte 300', 'jmp 1f', '1:', 'x = . - x', '.section .foo,"awx"', '9999999999999999999999',
  '\t', ' ', '\n', 'é', '\u0000', '.set', 'rep', 'lock', '.quad _start', '(%rip)', '.fill 3,9,1', '.align 0', '/'];

function mutate(src: string, r: (n: number) => number): string {
  let s = src;
  const edits = 1 + r(4);
  for (let i = 0; i < edits; i++) {
    const at = r(s.length + 1);
    switch (r(5)) {
      case 0: s = s.slice(0, at) + s.slice(at + 1 + r(6)); break; // delete a few characters
      case 1: s = s.slice(0, at) + PIECES[r(PIECES.length)] + s.slice(at); break; // insert a piece
      case 2: s = s.slice(0, at) + String.fromCharCode(32 + r(95)) + s.slice(at + 1); break; // replace one
      case 3: { // duplicate or drop a line
        const lines = s.split('\n');
        const k = r(lines.length);
        if (r(2)) lines.splice(k, 0, lines[r(lines.length)]);
        else lines.splice(k, 1);
        s = lines.join('\n');
        break;
      }
      default: { // swap two lines
        const lines = s.split('\n');
        const a = r(lines.length);
        const b = r(lines.length);
        [lines[a], lines[b]] = [lines[b], lines[a]];
        s = lines.join('\n');
      }
    }
  }
  return s;
}

test('10,000 mutated sources: assemble() returns a program or diagnostics, never throws', () => {
  const r = rng(0x5eed);
  let ok = 0;
  let failed = 0;
  for (let i = 0; i < 10000; i++) {
    const src = mutate(sources[r(sources.length)], r);
    let res;
    try {
      res = assemble(src, 'fuzz.s');
    } catch (err) {
      assert.unreachable(`mutation ${i} threw ${err instanceof Error ? err.stack : String(err)}\n--- source ---\n${src}`);
      return;
    }
    if (res.ok) ok++;
    else {
      failed++;
      for (const d of res.diagnostics) {
        assert.ok(d.line >= 1 && d.col >= 1 && d.msg.length > 0, `bad diagnostic ${JSON.stringify(d)} for mutation ${i}`);
      }
    }
  }
  assert.ok(ok > 500 && failed > 500, `both outcomes exercised (ok ${ok}, failed ${failed})`);
});

function operandTokens(line: string, n: number): Tok[] | null {
  const toks = tokenizeLine(line, n);
  let i = 0;
  while (i + 1 < toks.length && toks[i + 1].type === ':' && toks[i].type !== 'reg') i += 2;
  if (i >= toks.length || toks[i].type !== 'ident' || toks[i].value.startsWith('.') || toks.some((t) => t.type === ';')) return null;
  if (toks[i + 1]?.type === '=') return null;
  return toks.slice(i + 1);
}

test('the fast operand path and the nearley grammar agree, and the grammar is unambiguous', () => {
  const lines = [...sources.join('\n').split('\n'), ...generate(3000, 7).split('\n'),
    'movq %fs:0x28, %rax', 'jmp *8(%rax)', 'movl $(1+2)*3, -4(%rbp)', 'movq (,%rbx,4), %rax', 'lea -0x10(%rsp), %rsp', 'call *%r11',
    'movb $\'a, (%rdi)', 'movq $-1, x+8(%rip)', 'addq $~0, %rax', 'movq 1b, %rax'];
  let fastCount = 0;
  lines.forEach((line, n) => {
    const toks = operandTokens(line.replace(/#.*/, ''), n + 1);
    if (!toks) return;
    const end = { line: n + 1, col: line.length + 1 };
    let viaNearley: unknown;
    try {
      viaNearley = parseOperands(toks, end, true);
      assert.is(nearleyParses(toks, 'operands').length, 1, `one parse of ${line}`);
    } catch {
      return; // not valid operands: nothing to compare
    }
    const fast = fastOperands(toks);
    if (fast === null) return;
    fastCount++;
    assert.equal(parseOperands(toks, end), viaNearley, line);
  });
  assert.ok(fastCount > 1000, `fast path used for ${fastCount} lines`);
});

test.run();
