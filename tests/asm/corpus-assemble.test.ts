// The encoder corpus as source text, through the whole of faultline's assembler (lexer, grammar, encoder,
// relaxation, layout, ELF) and through GNU as + ld: the linked .text must be byte-identical, line by line.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync } from 'node:fs';
import { readElf } from '../../asm/elf.js';
import { encoderCorpusText } from './corpus.js';
import { buildFaultline, buildNative, haveBinutils, tmp } from './native.js';

interface Text {
  bytes: Uint8Array;
  addr: bigint;
  labels: Map<string, bigint>;
}

function textOf(file: string): Text {
  const elf = readElf(readFileSync(file));
  if (typeof elf === 'string') throw new Error(`${file}: ${elf}`);
  const sec = elf.sections.find((s) => s.name === '.text');
  if (!sec) throw new Error(`${file}: no .text`);
  const labels = new Map<string, bigint>();
  for (const s of elf.symbols) if (/^L\d+$/.test(s.name)) labels.set(s.name, s.value);
  return { bytes: elf.bytes.subarray(sec.offset, sec.offset + sec.size), addr: sec.addr, labels };
}

function lineBytes(t: Text, i: number, count: number): string {
  const start = Number(t.labels.get(`L${i}`)! - t.addr);
  const end = i + 1 < count ? Number(t.labels.get(`L${i + 1}`)! - t.addr) : t.bytes.length;
  return Array.from(t.bytes.subarray(start, end), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

const missing = haveBinutils() ? null : 'GNU as/ld not found';

test('every corpus line assembles to the same bytes as GNU as + ld', () => {
  if (missing) return console.log(`  skipped: ${missing}`);
  const lines = encoderCorpusText();
  assert.ok(lines.length >= 1500, `corpus has ${lines.length} lines`);
  // `sym` is defined only after every use (with a value every field can hold), so neither assembler knows it while choosing a form.
  const src = ['.text', '.globl _start', '_start:', ...lines.map((l, i) => `L${i}: ${l}`), '.set sym, 0x40', ''].join('\n');
  const dir = tmp();
  try {
    const ours = textOf(buildFaultline(src, dir, 'corpus'));
    const gnu = textOf(buildNative(src, dir, 'corpus'));
    const bad: string[] = [];
    for (let i = 0; i < lines.length && bad.length < 10; i++) {
      const a = lineBytes(ours, i, lines.length), b = lineBytes(gnu, i, lines.length);
      if (a !== b) bad.push(`${lines[i]}\n    faultline: ${a}\n    GNU as:    ${b}`);
    }
    assert.is(bad.length, 0, `mismatches:\n${bad.join('\n')}`);
    assert.equal(ours.bytes, gnu.bytes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
