// x86-64 instruction encoder: one AT&T instruction -> the bytes GNU as 2.40 emits for it.
// The rows live in asm/encode/table-*.ts; this file picks the group, the operation size and
// the first row whose operand patterns match, as GNU as does.

import type { EncodeEnv, EncodeResult, Insn } from './types.js';
import type { Group } from './encode/forms.js';
import { MNEMONICS, knownStem } from './encode/mnemonics.js';
import { matches } from './encode/operands.js';
import { operationSize, fail } from './encode/size.js';
import { emitForm } from './encode/emit.js';

const PREFIX_ONLY: Record<string, number> = { lock: 0xf0, rep: 0xf3, repe: 0xf3, repz: 0xf3, repne: 0xf2, repnz: 0xf2 };

/** Known values of each operand's expression, reused between calls. */
const kv: (bigint | null)[] = [];

export function encode(insn: Insn, env: EncodeEnv): EncodeResult {
  const mi = MNEMONICS.get(insn.mnemonic);
  if (!mi) return unknown(insn);
  const ops = insn.ops;
  let g: Group = mi.g;
  if (mi.wordSrc && ops.length === 2) {
    const src = ops[0];
    if (src.k === 'reg' && src.reg.cls === 'gpr' && src.reg.size === 2) g = mi.wordSrc;
  }
  if (!g.forms.some((f) => f.pats.length === ops.length)) {
    return fail(insn.pos, `number of operands mismatch for \`${g.name}'`);
  }
  const s = operationSize(insn, g, mi.size);
  if (typeof s !== 'number') return s;
  kv.length = ops.length;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    kv[i] = op.k === 'imm' ? env.known(op.e) : op.k === 'mem' && op.disp ? env.known(op.disp) : null;
  }
  const srcSize = g.srcSize ?? 0;
  for (const f of g.forms) {
    if (f.pats.length !== ops.length || (s !== 0 && !(f.sizes & s))) continue;
    let ok = true;
    for (let i = 0; ok && i < ops.length; i++) ok = matches(f.pats[i], ops[i], s, srcSize, kv[i]);
    if (ok) return emitForm(insn, f, s, kv);
  }
  return fail(insn.pos, `operand ${g.mismatch} mismatch for \`${g.name}'`);
}

/** A line that is only a prefix (`rep` alone), a wrong suffix, or no instruction at all. */
function unknown(insn: Insn): EncodeResult {
  const words = insn.mnemonic === '' ? insn.prefixes : [...insn.prefixes, insn.mnemonic];
  if (insn.ops.length === 0 && words.length > 0 && words.every((w) => w in PREFIX_ONLY)) {
    return { ok: true, enc: { bytes: Uint8Array.from(words.map((w) => PREFIX_ONLY[w])), fixups: [] } };
  }
  const stem = knownStem(insn.mnemonic);
  if (stem) return fail(insn.pos, `invalid instruction suffix for \`${stem}'`);
  return fail(insn.pos, `no such instruction: \`${insn.mnemonic}'`);
}
