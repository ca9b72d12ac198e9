// mul imul div idiv with 64-bit values as int32 halves: multiplies from 32x32 products (Math.imul for
// the low half, 16-bit limbs for the high one; the full 128 bits only where the result needs them) and
// a restoring 128/64 division. #DE on a zero divisor or a quotient that does not fit.
// div and idiv leave every flag unchanged on this CPU (measured; the manual says undefined).

import type { Cpu } from '../cpu.js';
import type { Decoded } from '../decode.js';
import { CpuException, VEC_DE } from '../exceptions.js';
import { F_CF, F_OF, F_PF, F_SF, setArith, szp } from '../flags.js';
import { Loc, Op, ea, getReg, readLoc, setReg, sext } from './common.js';

/** 128-bit scratch: words 0..3, least significant first. */
const W = new Int32Array(4);

/** Bits 63:32 of the unsigned product of two 32-bit values (int32 or uint32 bit patterns). */
function mulhu32(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p01 = a0 * b1, p10 = a1 * b0; // each below 2^32: exact
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/** Bits 63:32 of the signed product of two int32 values. */
function mulhs32(a: number, b: number): number {
  return (mulhu32(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}

const TWO32 = 0x1_0000_0000;

/** Unsigned 64x64 -> 128 into W, from the four 32x32 -> 64 products. */
function mulu64(alo: number, ahi: number, blo: number, bhi: number): void {
  const lh = Math.imul(alo, bhi), hl = Math.imul(ahi, blo);
  const s1 = (mulhu32(alo, blo) >>> 0) + (lh >>> 0) + (hl >>> 0); // below 3 * 2^32
  const c1 = s1 >= 2 * TWO32 ? 2 : s1 >= TWO32 ? 1 : 0;
  const s2 = (mulhu32(alo, bhi) >>> 0) + (mulhu32(ahi, blo) >>> 0) + (Math.imul(ahi, bhi) >>> 0) + c1;
  const c2 = s2 >= 2 * TWO32 ? 2 : s2 >= TWO32 ? 1 : 0;
  W[0] = Math.imul(alo, blo);
  W[1] = s1 | 0;
  W[2] = s2 | 0;
  W[3] = (mulhu32(ahi, bhi) + c2) | 0;
}

/** Signed 64x64 -> 128 into W: the unsigned product, corrected in the high half for negative factors. */
function muls64(alo: number, ahi: number, blo: number, bhi: number): void {
  mulu64(alo, ahi, blo, bhi);
  if (ahi < 0) subHigh(blo, bhi);
  if (bhi < 0) subHigh(alo, ahi);
}

function subHigh(lo: number, hi: number): void {
  const s = (W[2] - lo) | 0;
  W[3] = (W[3] - hi - (W[2] >>> 0 < lo >>> 0 ? 1 : 0)) | 0;
  W[2] = s;
}

function below64(a: number, aH: number, b: number, bH: number): boolean {
  return aH !== bH ? aH >>> 0 < bH >>> 0 : a >>> 0 < b >>> 0;
}

/** Unsigned W / (d0, d1): quotient into W[0..1], remainder into W[2..3]; false when it does not fit 64 bits. */
function divu128(d0: number, d1: number): boolean {
  if (!below64(W[2], W[3], d0, d1)) return false;
  let rLo = W[2], rHi = W[3], qLo = W[0], qHi = W[1];
  for (let i = 0; i < 64; i++) {
    const top = rHi >>> 31;
    rHi = (rHi << 1) | (rLo >>> 31);
    rLo = (rLo << 1) | (qHi >>> 31);
    qHi = (qHi << 1) | (qLo >>> 31);
    qLo <<= 1;
    if (top || !below64(rLo, rHi, d0, d1)) {
      const s = (rLo - d0) | 0;
      rHi = (rHi - d1 - (rLo >>> 0 < d0 >>> 0 ? 1 : 0)) | 0;
      rLo = s;
      qLo |= 1;
    }
  }
  W[0] = qLo; W[1] = qHi; W[2] = rLo; W[3] = rHi;
  return true;
}

function neg128(): void {
  let carry = 1;
  for (let k = 0; k < 4; k++) {
    const v = (~W[k] >>> 0) + carry;
    W[k] = v | 0;
    carry = v > 0xffffffff ? 1 : 0;
  }
}

function de(): never {
  throw new CpuException(VEC_DE, 0, 0);
}

/**
 * Flags after a multiply: CF = OF = overflow. The manual leaves SF ZF AF PF undefined; this CPU sets
 * SF and PF from the low half of the result and clears ZF and AF (measured).
 */
function mulFlags(cpu: Cpu, overflow: boolean, lo: number, loH: number, size: number): void {
  setArith(cpu, (szp(lo, loH, size) & (F_SF | F_PF)) | (overflow ? F_CF | F_OF : 0));
}

/** The dividend of `size`, sign- or zero-extended into W. */
function loadDividend(r: Int32Array, size: number, signed: boolean): void {
  let n0: number, n1: number, n2: number, n3: number;
  switch (size) {
    case 1: n0 = r[0] & 0xffff; if (signed) n0 = (n0 << 16) >> 16; n1 = n0 >> 31; break;
    case 2: n0 = (r[0] & 0xffff) | (r[4] << 16); n1 = signed ? n0 >> 31 : 0; break;
    case 4: n0 = r[0]; n1 = r[4]; break;
    default: n0 = r[0]; n1 = r[1]; n2 = r[4]; n3 = r[5]; W[0] = n0; W[1] = n1; W[2] = n2; W[3] = n3; return;
  }
  n2 = n3 = signed ? n1 >> 31 : 0;
  if (!signed && size < 4) n1 = 0;
  W[0] = n0; W[1] = n1; W[2] = n2; W[3] = n3;
}

/** div / idiv: RDX:RAX (or the narrower pair) by the operand. */
function divide(cpu: Cpu, size: number, signed: boolean, s: number, sH: number): void {
  const r = cpu.regs;
  let d0: number, d1: number;
  if (size === 8) { d0 = s; d1 = sH; } else { d0 = signed ? sext(s, size) : s; d1 = signed && size < 8 ? d0 >> 31 : 0; }
  if ((d0 | d1) === 0) de();
  loadDividend(r, size, signed);
  const nNeg = signed && W[3] < 0, dNeg = signed && d1 < 0;
  if (nNeg) neg128();
  if (dNeg) { const lo = (-d0) | 0; d1 = (~d1 + (lo === 0 ? 1 : 0)) | 0; d0 = lo; }
  if (!divu128(d0, d1)) de();
  let qLo = W[0], qHi = W[1], rLo = W[2], rHi = W[3];
  const bits = size * 8;
  // The quotient must fit `size` bytes (signed: in range once its sign is applied).
  if (size === 8) {
    if (signed && (qHi < 0 && !(nNeg !== dNeg && qHi === (0x80000000 | 0) && qLo === 0))) de();
  } else if (qHi !== 0 || (size < 4 && qLo >>> bits !== 0)) de();
  else if (signed) {
    const lim = bits === 32 ? 0x80000000 : 1 << (bits - 1);
    if (qLo >>> 0 > (nNeg !== dNeg ? lim : lim - 1)) de();
  }
  if (nNeg !== dNeg) { const lo = (-qLo) | 0; qHi = (~qHi + (lo === 0 ? 1 : 0)) | 0; qLo = lo; }
  if (nNeg) { const lo = (-rLo) | 0; rHi = (~rHi + (lo === 0 ? 1 : 0)) | 0; rLo = lo; }
  switch (size) {
    case 1: r[0] = (r[0] & ~0xffff) | (qLo & 0xff) | ((rLo & 0xff) << 8); break;
    case 2: setReg(r, 0, 2, qLo, 0); setReg(r, 2, 2, rLo, 0); break;
    case 4: setReg(r, 0, 4, qLo, 0); setReg(r, 2, 4, rLo, 0); break;
    default: setReg(r, 0, 8, qLo, qHi); setReg(r, 2, 8, rLo, rHi);
  }
}

/** One-operand mul / imul: the accumulator times the operand into (R|E)DX:(R|E)AX or AX. */
function widen(cpu: Cpu, size: number, signed: boolean, s: number, sH: number): void {
  const r = cpu.regs;
  if (size === 8) {
    if (signed) muls64(r[0], r[1], s, sH); else mulu64(r[0], r[1], s, sH);
    const ov = signed ? !(W[2] === W[1] >> 31 && W[3] === W[1] >> 31) : (W[2] | W[3]) !== 0;
    setReg(r, 0, 8, W[0], W[1]);
    setReg(r, 2, 8, W[2], W[3]);
    mulFlags(cpu, ov, W[0], W[1], 8);
    return;
  }
  const a = signed ? sext(getReg(r, 0, size), size) : getReg(r, 0, size) >>> 0;
  const b = signed ? sext(s, size) : size === 4 ? s >>> 0 : s;
  let lo: number, hi: number;
  if (size === 4) {
    lo = Math.imul(a, b);
    hi = signed ? mulhs32(a, b) : mulhu32(a, b);
  } else {
    const p = a * b; // exact: at most 32 bits
    lo = p | 0; hi = 0;
  }
  const bits = size * 8;
  let ov: boolean;
  switch (size) {
    case 1: r[0] = (r[0] & ~0xffff) | (lo & 0xffff); ov = signed ? sext(lo, 1) !== sext(lo, 2) : (lo & 0xff00) !== 0; break;
    case 2: setReg(r, 0, 2, lo, 0); setReg(r, 2, 2, lo >> 16, 0); ov = signed ? sext(lo, 2) !== lo : lo >>> 16 !== 0; break;
    default: setReg(r, 0, 4, lo, 0); setReg(r, 2, 4, hi, 0); ov = signed ? hi !== lo >> 31 : hi !== 0; break;
  }
  mulFlags(cpu, ov, lo, 0, size === 4 ? 4 : bits === 8 ? 1 : 2);
}

/**
 * Whether the signed 64-bit product of a and b (as halves) overflows 64 bits, from the product of their
 * approximations as doubles where that decides it (it is far from the limit either way), exactly otherwise.
 */
function imul64Overflows(a: number, aH: number, b: number, bH: number): boolean {
  const p = Math.abs((aH * TWO32 + (a >>> 0)) * (bH * TWO32 + (b >>> 0)));
  if (p < 2 ** 62) return false; // the error of the estimate is far below 2^62
  if (p > 2 ** 64) return true;
  muls64(a, aH, b, bH);
  return !(W[2] === W[1] >> 31 && W[3] === W[1] >> 31);
}

/** Two- and three-operand imul: dst = trunc(a * b), CF = OF = the product did not fit. */
function imulTrunc(cpu: Cpu, size: number, a: number, aH: number, b: number, bH: number): number {
  let lo: number, hi: number, ov: boolean;
  if (size === 8) {
    // Only the low 64 bits are kept: three 32-bit products and one high half.
    lo = Math.imul(a, b);
    hi = (mulhu32(a, b) + Math.imul(a, bH) + Math.imul(aH, b)) | 0;
    ov = aH === a >> 31 && bH === b >> 31 ? false : imul64Overflows(a, aH, b, bH); // 32-bit factors always fit
  } else if (size === 4) {
    lo = Math.imul(a, b);
    hi = 0;
    const p = (a | 0) * (b | 0); // exact when it fits 32 bits, and beyond the int32 range (rounded) when it does not
    ov = p !== (p | 0);
  } else {
    const p = sext(a, 2) * sext(b, 2);
    lo = p | 0; hi = 0;
    ov = sext(p, 2) !== p;
  }
  mulFlags(cpu, ov, lo, hi, size);
  cpu.vH = hi;
  return lo;
}

export function compileMulDiv(cpu: Cpu, d: Decoded): Op {
  const ops = d.operands;
  const r = cpu.regs;
  if (d.mnemonic === 'imul' && ops.length >= 2) {
    const dst = ops[0];
    if (dst.kind !== 'reg') throw new Error('imul: register destination expected');
    const src = Loc.of(ops[1]);
    const third = ops.length === 3 ? Loc.of(ops[2]) : null;
    const size = dst.size, di = dst.reg, m = src.mem;
    return () => {
      let alo = 0, ahi = 0;
      if (m !== null) { alo = ea(cpu, m); ahi = cpu.eaHi; }
      const a = readLoc(cpu, src, alo, ahi), aH = cpu.vH;
      const b = third !== null ? third.lo : getReg(r, di, size);
      const bH = third !== null ? third.hi : r[2 * di + 1];
      const res = imulTrunc(cpu, size, a, aH, b, bH);
      setReg(r, di, size, res, cpu.vH);
    };
  }
  const src = Loc.of(ops[0]);
  const size = src.size, m = src.mem;
  const kind = d.mnemonic;
  const signed = kind === 'imul' || kind === 'idiv';
  const isDiv = kind === 'div' || kind === 'idiv';
  return () => {
    let alo = 0, ahi = 0;
    if (m !== null) { alo = ea(cpu, m); ahi = cpu.eaHi; }
    const s = readLoc(cpu, src, alo, ahi);
    if (isDiv) divide(cpu, size, signed, s, cpu.vH);
    else widen(cpu, size, signed, s, cpu.vH);
  };
}
