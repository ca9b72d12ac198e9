// The encoder against GNU as: every corpus line must encode to the same bytes, with a fixup
// wherever as leaves a relocation (same place, kind and addend); and malformed instructions
// must be refused with as's words.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encode } from '../../asm/encode.js';
import type { EncodeEnv, Expr, Fixup } from '../../asm/types.js';
import { encoderCorpus } from './corpus.js';
import { haveGnuAs, gnuAssemble, gnuErrors, type Reloc } from './gnu-as.js';
import { ERROR_CASES, JUMP_CASES } from './encoding-cases.js';
import { line, mem } from './corpus-build.js';

const HAVE_AS = haveGnuAs();
if (!HAVE_AS) console.log('encodings: GNU as not found; skipping the comparisons with it');

/** Numbers fold; symbols are not known while parsing (they are external to the corpus). */
function evalKnown(e: Expr): bigint | null {
  switch (e.k) {
    case 'num': return e.v;
    case 'un': {
      const a = evalKnown(e.a);
      if (a === null) return null;
      return e.op === '-' ? -a : e.op === '~' ? ~a : e.op === '!' ? (a === 0n ? 1n : 0n) : a;
    }
    case 'bin': {
      const a = evalKnown(e.a), b = evalKnown(e.b);
      if (a === null || b === null) return null;
      return e.op === '+' ? a + b : e.op === '-' ? a - b : e.op === '*' ? a * b : null;
    }
    default: return null;
  }
}
const env: EncodeEnv = { known: evalKnown };

/** `sym+8` -> ['sym', 8n]. */
function symPlus(e: Expr): [string, bigint] {
  if (e.k === 'sym') return [e.name, 0n];
  if (e.k === 'bin' && e.a.k === 'sym' && e.b.k === 'num') return [e.a.name, e.op === '-' ? -e.b.v : e.b.v];
  throw new Error('corpus fixups are sym or sym+-n');
}

function relocType(f: Fixup): string[] {
  if (f.pcrel) return f.size === 4 ? ['R_X86_64_PC32', 'R_X86_64_PLT32'] : [`R_X86_64_PC${f.size * 8}`];
  if (f.size === 4) return [f.range === 'signed' ? 'R_X86_64_32S' : 'R_X86_64_32'];
  return [`R_X86_64_${f.size * 8}`];
}

function fixupMismatch(f: Fixup, len: number, r: Reloc | undefined): string | null {
  if (!r) return `fixup at +${f.offset} but as has no relocation there`;
  const [sym, c] = symPlus(f.e);
  const addend = f.pcrel ? c - BigInt(len - f.offset) : c;
  if (!relocType(f).includes(r.type)) return `fixup at +${f.offset} is ${relocType(f)[0]}, as says ${r.type}`;
  if (r.sym !== sym || r.addend !== addend) return `fixup ${sym}${addend}, as has ${r.sym}${r.addend}`;
  return null;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

test('the corpus covers the v1 subset (at least 1500 lines)', () => {
  const c = encoderCorpus();
  assert.ok(c.length >= 1500, `only ${c.length} lines`);
});

test('every corpus line encodes byte-identical to GNU as, fixups where as relocates', () => {
  if (!HAVE_AS) return;
  const corpus = encoderCorpus();
  const src = ['.text', ...corpus.flatMap((l, i) => [`__c${i}:`, `\t${l.text}`]), `__c${corpus.length}:`, ''].join('\n');
  const as = gnuAssemble(src);
  const bad: string[] = [];
  corpus.forEach((l, i) => {
    const start = as.labels.get(`__c${i}`) ?? 0, end = as.labels.get(`__c${i + 1}`) ?? 0;
    const want = as.text.subarray(start, end);
    const r = encode(l.insn, env);
    if (!r.ok) { bad.push(`${l.text}: error ${r.msg}; as: ${hex(want)}`); return; }
    const got = r.enc.bytes;
    if (hex(got) !== hex(want)) { bad.push(`${l.text}: got ${hex(got)}; as: ${hex(want)}`); return; }
    const fixed = new Set<number>();
    for (const f of r.enc.fixups) {
      fixed.add(start + f.offset);
      const why = fixupMismatch(f, got.length, as.relocs.get(start + f.offset));
      if (why) bad.push(`${l.text}: ${why}`);
    }
    for (const at of as.relocs.keys()) {
      if (at >= start && at < end && !fixed.has(at)) bad.push(`${l.text}: as relocates +${at - start}, no fixup`);
    }
  });
  assert.ok(bad.length === 0, `${bad.length} of ${corpus.length} lines differ:\n${bad.slice(0, 25).join('\n')}`);
});

test('jmp/jcc to a label: rel32 encoding plus the rel8 form GNU as relaxes to', () => {
  if (!HAVE_AS) return;
  // as emits the short form for a target just after the jump: `jne 1f; 1:`
  const src = ['.text', ...JUMP_CASES.map((l) => `${l.text.replace(/ sym$/, ' 1f')}\n1:`), ''].join('\n');
  const as = gnuAssemble(src);
  JUMP_CASES.forEach((l, i) => {
    const r = encode(l.insn, env);
    if (!r.ok) throw new Error(`${l.text}: ${r.msg}`);
    assert.ok(r.relax, `${l.text} has no short form`);
    assert.is(hex(r.relax.short.bytes), hex(as.text.subarray(2 * i, 2 * i + 2)), l.text);
    assert.is(r.relax.short.fixups[0].pcrel, true);
    const f = r.enc.fixups[0];
    assert.equal([f.offset + f.size, f.pcrel], [r.enc.bytes.length, true], `${l.text} rel32 ends the instruction`);
  });
  const call = encode(line('call', [mem('sym')]).insn, env);
  assert.ok(call.ok && !call.relax && call.enc.bytes[0] === 0xe8, 'call is never relaxed');
});

test('malformed instructions are refused with GNU as messages', () => {
  const want = HAVE_AS ? gnuErrors(ERROR_CASES.map((c) => c.line.text).join('\n') + '\n') : null;
  ERROR_CASES.forEach((c, i) => {
    const r = encode(c.line.insn, env);
    assert.is(r.ok, false, `${c.line.text} should fail`);
    if (r.ok) return;
    assert.is(r.msg, c.msg, c.line.text);
    if (want) assert.is(want.get(i + 1), c.msg, `as says for ${c.line.text}`);
  });
});

test.run();
