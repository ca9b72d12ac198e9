// The operation size of an instruction: from its suffix, else from its register operands, else
// the mnemonic's default; with GNU as's words when they disagree.

import type { Insn, SrcPos } from '../types.js';
import type { Group } from './forms.js';

export interface Fail {
  ok: false;
  pos: SrcPos;
  msg: string;
}

export const fail = (pos: SrcPos, msg: string): Fail => ({ ok: false, pos, msg });

const SUFFIX_LETTER: Record<number, string> = { 2: 'w', 4: 'l', 8: 'q' };

/** suffix: the size the mnemonic's suffix names, 0 if none. Returns 0 for an instruction with no size. */
export function operationSize(insn: Insn, g: Group, suffix: number): number | Fail {
  const ops = insn.ops;
  for (const op of ops) {
    if (op.k === 'reg' && op.reg.cls === 'gpr' && !(op.reg.size & g.regSizes)) {
      return fail(op.pos, `operand size mismatch for \`${g.name}'`);
    }
  }
  const first = g.sizeFrom === 'last' ? ops.length - 1 : 0;
  let regSize = 0;
  for (let i = first; i < ops.length; i++) {
    const op = ops[i];
    if (op.k !== 'reg' || op.reg.cls !== 'gpr') continue;
    if (regSize !== 0 && op.reg.size !== regSize) {
      // mov has rows for every size pair GNU as tries first, so it words the failure differently
      const what = g.name === 'mov' ? 'operand' : 'register';
      return fail(insn.pos, `${what} type mismatch for \`${g.name}'`);
    }
    regSize = op.reg.size;
  }
  if (suffix === 0) return regSize || g.defSize;
  for (let i = ops.length - 1; i >= first; i--) {
    const op = ops[i];
    if (op.k !== 'reg' || op.reg.cls !== 'gpr' || op.reg.size === suffix) continue;
    if (suffix === 1) return fail(op.pos, `\`%${op.reg.name}' not allowed with \`${insn.mnemonic}'`);
    return fail(op.pos, `incorrect register \`%${op.reg.name}' used with \`${SUFFIX_LETTER[suffix]}' suffix`);
  }
  return suffix;
}
