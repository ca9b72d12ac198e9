// The fast path of directive arguments (asm/parse-fast.ts) must build exactly what the nearley
// grammar builds, for every directive line of the reference programs and a generated file, plus
// expressions and empty arguments that the generator does not write.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { nearleyParses } from '../../asm/parse.js';
import { tokenizeLine } from '../../asm/lexer.js';
import { fastDirArgs } from '../../asm/parse-fast.js';
import { generate } from '../../bench/asm.js';

const dir = fileURLToPath(new URL('../../../guest-programs/', import.meta.url));
const sources = readdirSync(dir).filter((f) => f.endsWith('.s')).sort().map((f) => readFileSync(join(dir, f), 'utf8'));

const EXTRA = ['.p2align 4,,15', '.byte 1,', '.quad (1 << 4) | 3, -x + 2*y', '.long ~0 & 0xff ^ 3 % 2 >> 1', '.type f, @function',
  '.asciz "a\\tb", "c"', '.byte 0b101, 0x10, 010, 1b - 2f', '.long !1, +2, - -3', '.word (((1)))', '.byte ,1', '.long 1 2', '.long (1'];

test('fast directive arguments equal the nearley parse whenever the fast path takes them', () => {
  const lines = [...sources.join('\n').split('\n'), ...generate(3000, 11).split('\n'), ...EXTRA];
  let fastCount = 0;
  lines.forEach((line, n) => {
    const toks = tokenizeLine(line, n + 1);
    if (toks.length === 0 || toks[0].type !== 'ident' || !toks[0].value.startsWith('.') || toks.some((t) => t.type === ';')) return;
    const args = toks.slice(1);
    let fast: unknown;
    try {
      fast = fastDirArgs(args);
    } catch {
      return; // a mistake in a token (bad octal, bad escape): nearley reports the same one
    }
    if (fast === null) return;
    fastCount++;
    const parses = nearleyParses(args, 'dargs');
    assert.is(parses.length, 1, `one parse of ${line}`);
    assert.equal(fast, parses[0], line);
  });
  assert.ok(fastCount > 200, `fast path used for ${fastCount} lines`);
});

test('the fast path leaves malformed argument lists to the grammar', () => {
  for (const line of ['.byte ,1', '.long 1 2', '.long (1', '.quad 1,,']) {
    const toks = tokenizeLine(line, 1).slice(1);
    if (line === '.quad 1,,') assert.equal(fastDirArgs(toks), nearleyParses(toks, 'dargs')[0], line);
    else assert.is(fastDirArgs(toks), null, line);
  }
});

test.run();
