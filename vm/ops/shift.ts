// shl/sal shr sar rol ror by an immediate, %cl or 1. A shift records its flags lazily (K_SHIFT: the
// result, with CF and OF computed); a rotate changes only CF and OF of the materialised flags. Where the
// manual leaves flags undefined (count > 1) the values are what the reference CPU produces, as found by
// the differential test (tests/vm/diff) and kept by the self-differential one (tests/vm/alu-model.test.ts).
// 32- and 64-bit register shifts and rotates by a constant count get closures of their own.

import type { Cpu } from '../cpu.js';
import type { Decoded } from '../decode.js';
import { F_CF, F_OF, K_SHIFT, materialize } from '../flags.js';
import { Loc, Op, checkWrite, ea, getReg, readLoc, sext, ud, writeLoc } from './common.js';

const SHL = 0, SHR = 1, SAR = 2, ROL = 3, ROR = 4;
const KINDS: Record<string, number> = { shl: SHL, shr: SHR, sar: SAR, rol: ROL, ror: ROR };

/** Bit k (0..63) of a 64-bit value. */
function bit64(a: number, aH: number, k: number): number {
  return k < 32 ? (a >>> k) & 1 : (aH >>> (k - 32)) & 1;
}

function shl64(cpu: Cpu, a: number, aH: number, n: number): number {
  if (n === 0) { cpu.vH = aH; return a; }
  if (n < 32) { cpu.vH = (aH << n) | (a >>> (32 - n)); return a << n; }
  cpu.vH = a << (n - 32);
  return 0;
}

function shr64(cpu: Cpu, a: number, aH: number, n: number, arith: boolean): number {
  if (n === 0) { cpu.vH = aH; return a; }
  if (n < 32) {
    cpu.vH = arith ? aH >> n : aH >>> n;
    return (a >>> n) | (aH << (32 - n));
  }
  cpu.vH = arith ? aH >> 31 : 0;
  return arith ? aH >> (n - 32) : aH >>> (n - 32);
}

/** The shift or rotate of `a` (size bytes) by a masked, non-zero count; sets the flags; high half in cpu.vH. */
export function shift(cpu: Cpu, kind: number, size: number, a: number, aH: number, n: number, byImm: boolean): number {
  const bits = size * 8;
  let r: number, rH = 0, cf: number, of: number;
  if (size === 8) {
    switch (kind) {
      case SHL: r = shl64(cpu, a, aH, n); rH = cpu.vH; cf = bit64(a, aH, 64 - n); break;
      case SHR: r = shr64(cpu, a, aH, n, false); rH = cpu.vH; cf = bit64(a, aH, n - 1); break;
      case SAR: r = shr64(cpu, a, aH, n, true); rH = cpu.vH; cf = bit64(a, aH, n - 1); break;
      case ROL: {
        const lo = shl64(cpu, a, aH, n), hi = cpu.vH;
        r = lo | shr64(cpu, a, aH, 64 - n, false); rH = hi | cpu.vH; cf = r & 1; break;
      }
      default: {
        const lo = shr64(cpu, a, aH, n, false), hi = cpu.vH;
        r = lo | shl64(cpu, a, aH, 64 - n); rH = hi | cpu.vH; cf = rH >>> 31; break;
      }
    }
  } else {
    const mask = size === 4 ? -1 : (1 << bits) - 1;
    const ua = size === 4 ? a : a & mask;
    switch (kind) {
      case SHL: r = n < 32 ? ua << n : 0; cf = n <= bits ? (ua >>> (bits - n)) & 1 : 0; break;
      case SHR: r = ua >>> n; cf = (ua >>> (n - 1)) & 1; break;
      case SAR: { const sa = sext(a, size); r = sa >> n; cf = (sa >> (n - 1)) & 1; break; }
      case ROL: { const c = n % bits; r = c === 0 ? ua : (ua << c) | (ua >>> (bits - c)); cf = r & 1; break; }
      default: { const c = n % bits; r = c === 0 ? ua : (ua >>> c) | (ua << (bits - c)); cf = (r >>> (bits - 1)) & 1; break; }
    }
    r &= mask;
  }
  // OF: for any count, this CPU reports what a 1-bit shift of the original operand would (measured:
  // the manual defines only count 1, where the two agree).
  const amsb = size === 8 ? aH >>> 31 : (a >>> (bits - 1)) & 1;
  const anext = size === 8 ? (aH >>> 30) & 1 : (a >>> (bits - 2)) & 1;
  switch (kind) {
    case SHL: case ROL: of = amsb ^ anext; break;
    case SHR: of = amsb; break;
    case SAR: of = 0; break;
    default: of = amsb ^ (a & 1); break;
  }
  if (kind >= ROL) rotateFlags(cpu, cf, of, byImm && n > 1);
  else shiftFlags(cpu, size, r, rH, cf, of);
  cpu.vH = rH;
  return r;
}

/** A shift's flags, lazily: ZF SF PF of the result, CF and OF (0/1) as computed; AF clear (measured). */
function shiftFlags(cpu: Cpu, size: number, r: number, rH: number, cf: number, of: number): void {
  cpu.fk = K_SHIFT;
  cpu.fs = size;
  cpu.fr = r;
  cpu.frH = rH;
  cpu.fc = cf | (of << 11);
}

/**
 * A rotate's flags: CF and OF, the rest kept. A rotate of a register by an immediate count above 1 leaves
 * OF alone on the reference CPU (measured); by %cl, or of a memory operand, it does not.
 */
function rotateFlags(cpu: Cpu, cf: number, of: number, keepOF: boolean): void {
  materialize(cpu);
  const fl = cpu.rflags;
  cpu.rflags = keepOF ? (fl & ~F_CF) | cf : (fl & ~(F_CF | F_OF)) | cf | (of << 11);
}

/** A 32-bit register shifted or rotated by a constant count n (1..31). */
function fast32(cpu: Cpu, kind: number, di: number, n: number, byImm: boolean): Op {
  const r = cpu.regs;
  const keepOF = byImm && n > 1;
  switch (kind) {
    case SHL: return () => {
      const a = r[di], res = a << n;
      shiftFlags(cpu, 4, res, 0, (a >>> (32 - n)) & 1, ((a >>> 31) ^ (a >>> 30)) & 1);
      r[di] = res; r[di + 1] = 0;
    };
    case SHR: return () => {
      const a = r[di], res = a >>> n;
      shiftFlags(cpu, 4, res, 0, (a >>> (n - 1)) & 1, a >>> 31);
      r[di] = res; r[di + 1] = 0;
    };
    case SAR: return () => {
      const a = r[di], res = a >> n;
      shiftFlags(cpu, 4, res, 0, (a >> (n - 1)) & 1, 0);
      r[di] = res; r[di + 1] = 0;
    };
    case ROL: return () => {
      const a = r[di], res = (a << n) | (a >>> (32 - n));
      rotateFlags(cpu, res & 1, ((a >>> 31) ^ (a >>> 30)) & 1, keepOF);
      r[di] = res; r[di + 1] = 0;
    };
    default: return () => {
      const a = r[di], res = (a >>> n) | (a << (32 - n));
      rotateFlags(cpu, res >>> 31, ((a >>> 31) ^ a) & 1, keepOF);
      r[di] = res; r[di + 1] = 0;
    };
  }
}

/** A 64-bit register shifted or rotated by a constant count n (1..63). */
function fast64(cpu: Cpu, kind: number, di: number, n: number, byImm: boolean): Op {
  const r = cpu.regs;
  const keepOF = byImm && n > 1;
  switch (kind) {
    case SHL: return () => {
      const a = r[di], aH = r[di + 1], lo = shl64(cpu, a, aH, n), hi = cpu.vH;
      shiftFlags(cpu, 8, lo, hi, bit64(a, aH, 64 - n), ((aH >>> 31) ^ (aH >>> 30)) & 1);
      r[di] = lo; r[di + 1] = hi;
    };
    case SHR: case SAR: {
      const arith = kind === SAR;
      return () => {
        const a = r[di], aH = r[di + 1], lo = shr64(cpu, a, aH, n, arith), hi = cpu.vH;
        shiftFlags(cpu, 8, lo, hi, bit64(a, aH, n - 1), arith ? 0 : aH >>> 31);
        r[di] = lo; r[di + 1] = hi;
      };
    }
    case ROL: return () => {
      const a = r[di], aH = r[di + 1];
      const lo = shl64(cpu, a, aH, n) | shr64(cpu, a, aH, 64 - n, false), hi = shl64hi(a, aH, n) | cpu.vH;
      rotateFlags(cpu, lo & 1, ((aH >>> 31) ^ (aH >>> 30)) & 1, keepOF);
      r[di] = lo; r[di + 1] = hi;
    };
    default: return () => {
      const a = r[di], aH = r[di + 1];
      const lo = shr64(cpu, a, aH, n, false) | shl64(cpu, a, aH, 64 - n), hi = shr64hi(aH, n) | cpu.vH;
      rotateFlags(cpu, hi >>> 31, ((aH >>> 31) ^ a) & 1, keepOF);
      r[di] = lo; r[di + 1] = hi;
    };
  }
}

/** Bits 63:32 of a 64-bit value shifted left by n (1..63). */
function shl64hi(a: number, aH: number, n: number): number {
  return n < 32 ? (aH << n) | (a >>> (32 - n)) : a << (n - 32);
}

/** Bits 63:32 of a 64-bit value shifted right (logically) by n (1..63). */
function shr64hi(aH: number, n: number): number {
  return n < 32 ? aH >>> n : 0;
}

export function compileShift(cpu: Cpu, d: Decoded): Op {
  const kind = KINDS[d.mnemonic];
  if (kind === undefined) return ud; // rcl rcr are rotate-carry.ts's
  const dst = Loc.of(d.operands[0]);
  const cnt = d.operands[1];
  const size = dst.size;
  const cmask = size === 8 ? 63 : 31;
  const fixed = cnt.kind === 'imm' ? cnt.lo & cmask : cnt.kind === 'one' ? 1 : -1;
  const byImm = cnt.kind === 'imm' && dst.kind === 0;
  if (dst.kind === 0 && fixed > 0 && (size === 4 || size === 8)) {
    return size === 4 ? fast32(cpu, kind, 2 * dst.reg, fixed, byImm) : fast64(cpu, kind, 2 * dst.reg, fixed, byImm);
  }
  const m = dst.mem;
  const r = cpu.regs;
  return () => {
    let alo = 0, ahi = 0;
    if (m !== null) {
      alo = ea(cpu, m);
      ahi = cpu.eaHi;
      checkWrite(cpu, alo, ahi, size);
    }
    const n = fixed >= 0 ? fixed : getReg(r, 1, 1) & cmask;
    const a = readLoc(cpu, dst, alo, ahi);
    const aH = cpu.vH;
    if (n === 0) {
      writeLoc(cpu, dst, alo, ahi, a, aH); // a 32-bit register still has bits 63:32 cleared
      return;
    }
    const res = shift(cpu, kind, size, a, aH, n, byImm);
    writeLoc(cpu, dst, alo, ahi, res, cpu.vH);
  };
}
