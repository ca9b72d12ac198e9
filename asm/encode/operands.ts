// Does an operand fit a row's operand pattern at operation size s?

import type { Operand } from '../types.js';
import type { Pat } from './forms.js';

type Mem = Extract<Operand, { k: 'mem' }>;

const INT8_MIN = -128n, INT8_MAX = 127n;
const INT32_MIN = -0x80000000n, INT32_MAX = 0x7fffffffn;

/**
 * GNU as reads an immediate of an l (w, b) operation that fits the width unsigned as the signed
 * value of that width, so `addl $0xffffffff,%eax` is the imm8 form of -1.
 */
export function normImm(v: bigint, s: number): bigint {
  v = BigInt.asIntN(64, v);
  if (s === 4 && v >= 0n && v <= 0xffffffffn) return BigInt.asIntN(32, v);
  if (s === 2 && v >= 0n && v <= 0xffffn) return BigInt.asIntN(16, v);
  if (s === 1 && v >= 0n && v <= 0xffn) return BigInt.asIntN(8, v);
  return v;
}

export const fitsS8 = (v: bigint) => v >= INT8_MIN && v <= INT8_MAX;
export const fitsS32 = (v: bigint) => v >= INT32_MIN && v <= INT32_MAX;

/** A memory operand made of a displacement alone: `0x1000`, `sym`. */
export function isAbsolute(m: Mem): boolean {
  return m.base === null && m.index === null;
}

/**
 * kv: the known value of the operand's expression (immediate, or displacement for memory);
 * null when not known yet, undefined when it was not asked (no expression).
 */
export function matches(p: Pat, op: Operand, s: number, srcSize: number, kv: bigint | null): boolean {
  switch (p) {
    case 'r': case 'R': case 'rr':
      return op.k === 'reg' && op.reg.cls === 'gpr' && op.reg.size === s && !op.star;
    case 'rm':
      return op.k === 'mem' ? !op.star : op.k === 'reg' && op.reg.cls === 'gpr' && op.reg.size === s && !op.star;
    case 'm':
      return op.k === 'mem' && !op.star;
    case 'srm':
      return op.k === 'mem' ? !op.star : op.k === 'reg' && op.reg.cls === 'gpr' && op.reg.size === srcSize;
    case 'acc':
      return op.k === 'reg' && op.reg.cls === 'gpr' && op.reg.num === 0 && op.reg.size === s && !op.star;
    case 'cl':
      return op.k === 'reg' && op.reg.name === 'cl';
    case 'cr':
      return op.k === 'reg' && op.reg.cls === 'cr';
    case 'one':
      return op.k === 'imm' && kv === 1n;
    case 'three':
      return op.k === 'imm' && kv === 3n;
    case 'i':
      if (op.k !== 'imm') return false;
      return s !== 8 || kv === null || fitsS32(BigInt.asIntN(64, kv));
    case 'i8':
      return op.k === 'imm' && kv !== null && fitsS8(normImm(kv, s));
    case 'u8':
      return op.k === 'imm' && (kv === null || (kv >= -128n && kv <= 255n));
    case 'u16':
      return op.k === 'imm' && (kv === null || (kv >= -32768n && kv <= 65535n));
    case 'i64':
      return op.k === 'imm';
    case 'rel':
      return op.k === 'mem' && !op.star && isAbsolute(op) && op.seg === null && op.disp !== null;
    case 'ind':
      if (op.k === 'reg') return op.reg.cls === 'gpr' && op.reg.size === 8;
      return op.k === 'mem' && (op.star || !isAbsolute(op));
    case 'moffs':
      return op.k === 'mem' && !op.star && isAbsolute(op);
    case 'mofar':
      return op.k === 'mem' && !op.star && isAbsolute(op) && kv !== null && !fitsS32(BigInt.asIntN(64, kv));
  }
}
