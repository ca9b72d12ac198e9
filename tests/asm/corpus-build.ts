// Building blocks for the encoder corpus: each operand is made at once as AT&T text and as the
// parser's AST, so the encoder can be checked against GNU as without the parser.

import type { Expr, Insn, Operand } from '../../asm/types.js';
import { lookupRegister, type Reg } from '../../asm/registers.js';

export interface Op {
  t: string;
  o: Operand;
}

export interface CorpusLine {
  text: string;
  insn: Insn;
}

const POS = { line: 1, col: 1 };

function regOf(name: string): Reg {
  const r = lookupRegister(name);
  if (!r) throw new Error(`corpus: no register ${name}`);
  return r;
}

export function hex(v: bigint): string {
  return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

export const reg = (name: string): Op => ({ t: `%${name}`, o: { k: 'reg', reg: regOf(name), star: false, pos: POS } });

/** A displacement or immediate: a number, or a symbol with an optional addend (`sym+8`). */
export type Val = bigint | string;

export function expr(v: Val): { t: string; e: Expr } {
  if (typeof v === 'bigint') return { t: hex(v), e: { k: 'num', v } };
  const m = /^([A-Za-z_.][\w.]*)([+-]\d+)?$/.exec(v);
  if (!m) throw new Error(`corpus: bad expression ${v}`);
  const s: Expr = { k: 'sym', name: m[1], pos: POS };
  if (!m[2]) return { t: v, e: s };
  const n = BigInt(m[2]);
  return { t: v, e: { k: 'bin', op: n < 0n ? '-' : '+', a: s, b: { k: 'num', v: n < 0n ? -n : n } } };
}

export function imm(v: Val): Op {
  const { t, e } = expr(v);
  return { t: `$${t}`, o: { k: 'imm', e, pos: POS } };
}

/** `disp(base,index,scale)` with any part left out; seg like 'fs'. */
export function mem(disp: Val | null, base: string | null = null, index: string | null = null,
  scale: 1 | 2 | 4 | 8 = 1, seg: string | null = null): Op {
  const d = disp === null ? null : expr(disp);
  let t = seg ? `%${seg}:` : '';
  t += d ? d.t : '';
  if (base || index) t += `(${base ? `%${base}` : ''}${index ? `,%${index}${scale !== 1 || !base ? `,${scale}` : ''}` : ''})`;
  return {
    t,
    o: {
      k: 'mem', disp: d ? d.e : null, base: base ? regOf(base) : null, index: index ? regOf(index) : null,
      scale, seg: seg ? regOf(seg) : null, star: false, pos: POS,
    },
  };
}

export function star(op: Op): Op {
  return { t: `*${op.t}`, o: { ...op.o, star: true } as Operand };
}

export function line(mnemonic: string, ops: Op[] = [], prefixes: string[] = []): CorpusLine {
  const head = [...prefixes, mnemonic].join(' ');
  return {
    text: ops.length ? `${head} ${ops.map((o) => o.t).join(', ')}` : head,
    insn: { prefixes, mnemonic, ops: ops.map((o) => o.o), pos: POS },
  };
}
