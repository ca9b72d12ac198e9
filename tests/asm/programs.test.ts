// Every guest program, assembled by faultline and by GNU as + ld: same layout, same section
// contents, same symbol addresses, and natively the same output and exit status.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { buildFaultline, buildNative, contentsOf, haveBinutils, layoutOf, runNative, symbolsOf, tmp } from './native.js';

const dir = fileURLToPath(new URL('../../../guest-programs/', import.meta.url));
const programs = readdirSync(dir).filter((f) => f.endsWith('.s')).sort();
const binutils = haveBinutils();
const work = tmp();

test('there are at least ten guest programs, each with a comment header', () => {
  assert.ok(programs.length >= 10, `only ${programs.length} programs`);
  for (const p of programs) assert.match(readFileSync(join(dir, p), 'utf8'), /^# \S+\.s: /, p);
});

for (const p of programs) {
  const name = p.replace(/\.s$/, '');
  const src = readFileSync(join(dir, p), 'utf8');
  if (!binutils) {
    test.skip(`${p}: same as GNU as + ld (skipped: as/ld/readelf not installed)`, () => {});
    continue;
  }
  test(`${p}: same layout, bytes, symbols and behaviour as GNU as + ld`, () => {
    const ours = buildFaultline(src, work, name);
    const theirs = buildNative(src, work, name);
    assert.is(layoutOf(ours), layoutOf(theirs), 'program and section headers');
    assert.equal(contentsOf(ours), contentsOf(theirs), 'section contents');
    assert.equal(symbolsOf(ours), symbolsOf(theirs), 'symbols');
    const a = runNative(ours);
    const b = runNative(theirs);
    assert.equal(a, b, 'native run: stdout and exit status');
    assert.is(a.signal, null, 'exits normally');
  });
}

test.run();
