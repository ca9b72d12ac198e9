// mul imul div idiv with 64-bit values as int32 halves: a 64x64->128 multiply on 16-bit limbs and
// a restoring 128/64 division. #DE on a zero divisor or a quotient that does not fit.
// div and idiv leave every flag unchanged on this CPU (measured; the manual says undefined).

import type { Cpu } from '../cpu.js';
import type { Decoded } from '../decode.js';
import { CpuException, VEC_DE } from '../exceptions.js';
import { F_CF, F_OF, F_PF, F_SF, setArith, szp } from '../flags.js';
import { Loc, Op, ea, getReg, readLoc, setReg, sext } from './common.js';

/** 128-bit scratch: words 0..3, least significant first. */
const W = new Int32Array(4);
const A16 = new Float64Array(4);
const B16 = new Float64Array(4);
const P16 = new Float64Array(8);

/** Unsigned 64x64 -> 128 into W. */
function mulu64(alo: number, ahi: number, blo: number, bhi: number): void {
  A16[0] = alo & 0xffff; A16[1] = alo >>> 16; A16[2] = ahi & 0xffff; A16[3] = ahi >>> 16;
  B16[0] = blo & 0xffff; B16[1] = blo >>> 16; B16[2] = bhi & 0xffff; B16[3] = bhi >>> 16;
  P16.fill(0);
  for (let i = 0; i < 4; i++) {
    if (A16[i] === 0) continue;
    for (let j = 0; j < 4; j++) P16[i + j] += A16[i] * B16[j];
  }
  let carry = 0;
  for (let k = 0; k < 8; k++) {
    const v = P16[k] + carry;
    const low = v % 65536;
    carry = (v - low) / 65536;
    P16[k] = low;
  }
  for (let k = 0; k < 4; k++) W[k] = P16[2 * k] | (P16[2 * k + 1] << 16);
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
    if (signed) muls64(a, a >> 31, b, b >> 31); else mulu64(a, 0, b, 0);
    lo = W[0]; hi = W[1];
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

/** Two- and three-operand imul: dst = trunc(a * b), CF = OF = the product did not fit. */
function imulTrunc(cpu: Cpu, size: number, a: number, aH: number, b: number, bH: number): number {
  let lo: number, hi: number, ov: boolean;
  if (size === 8) {
    muls64(a, aH, b, bH);
    lo = W[0]; hi = W[1];
    ov = !(W[2] === hi >> 31 && W[3] === hi >> 31);
  } else if (size === 4) {
    muls64(a, a >> 31, b, b >> 31);
    lo = W[0]; hi = 0;
    ov = W[1] !== lo >> 31;
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
