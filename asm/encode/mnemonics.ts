// Mnemonic spellings -> table groups. Exact spellings (movsb the string op, movsbl the sign
// extension, setb, cltq) win over stem+suffix splits.

import type { Group } from './forms.js';
import { ALU_GROUPS } from './table-alu.js';
import { MOVE_GROUPS, MOVZB, MOVZW, MOVSB, MOVSW, MOVSL } from './table-move.js';
import { MISC_GROUPS } from './table-misc.js';
import { BIT_GROUPS } from './table-bits.js';

export interface Mnemonic {
  g: Group;
  /** Operation size from the suffix, 0 when none was written. */
  size: number;
  /** movzx/movsx with no source size in the name: the word-source group, chosen by the source register. */
  wordSrc?: Group;
}

const SUFFIX_SIZE: Record<string, number> = { b: 1, w: 2, l: 4, q: 8 };

function build(): Map<string, Mnemonic> {
  const m = new Map<string, Mnemonic>();
  const groups = [...ALU_GROUPS, ...MOVE_GROUPS, ...MISC_GROUPS, ...BIT_GROUPS];
  const put = (name: string, g: Group, size: number, wordSrc?: Group) => {
    if (!m.has(name)) m.set(name, wordSrc ? { g, size, wordSrc } : { g, size });
  };
  // Sign/zero extensions: the second letter is the destination size (movzbl: byte -> long).
  const ext: [string, Group, string][] = [['movzb', MOVZB, 'wlq'], ['movzw', MOVZW, 'lq'],
    ['movsb', MOVSB, 'wlq'], ['movsw', MOVSW, 'lq'], ['movsl', MOVSL, 'q']];
  for (const [stem, g, dst] of ext) for (const c of dst) put(stem + c, g, SUFFIX_SIZE[c]);
  put('movzb', MOVZB, 0);
  put('movzw', MOVZW, 0);
  put('movzx', MOVZB, 0, MOVZW);
  put('movzxb', MOVZB, 0);
  put('movzxw', MOVZW, 0);
  put('movsx', MOVSB, 0, MOVSW);
  put('movsxb', MOVSB, 0);
  put('movsxw', MOVSW, 0);
  put('movsxd', MOVSL, 0);
  for (const g of groups) {
    put(g.name, g, 0);
    for (const c of g.suffixes) put(g.name + c, g, SUFFIX_SIZE[c]);
  }
  return m;
}

export const MNEMONICS: ReadonlyMap<string, Mnemonic> = build();

/** For an unknown `pushl`: the stem `push` when it exists, so the error can say the suffix is wrong. */
export function knownStem(name: string): string | null {
  if (name.length < 2 || !(name[name.length - 1] in SUFFIX_SIZE)) return null;
  const stem = name.slice(0, -1);
  return MNEMONICS.has(stem) ? stem : null;
}
