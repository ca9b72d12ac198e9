// shl/sal shr sar rol ror by an immediate, %cl or 1. Flags are computed at once (K_EAGER); where the
// manual leaves them undefined (count > 1) the values are what this machine's CPU produces, as found
// by the differential test (tests/vm/diff).

import type { Cpu } from '../cpu.js';
import type { Decoded } from '../decode.js';
import { F_AF, F_CF, F_OF, materialize, setArith, szp } from '../flags.js';
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
  if (kind >= ROL) {
    materialize(cpu);
    // A rotate of a register by an immediate count above 1 leaves OF alone on this CPU (measured); by %cl,
    // or of a memory operand, it does not.
    if (byImm && n > 1) of = (cpu.rflags >>> 11) & 1;
    cpu.rflags = (cpu.rflags & ~(F_CF | F_OF)) | cf | (of << 11);
  } else {
    // AF after a shift: this CPU leaves it clear.
    setArith(cpu, (szp(r, rH, size) & ~F_AF) | cf | (of << 11));
  }
  cpu.vH = rH;
  return r;
}

export function compileShift(cpu: Cpu, d: Decoded): Op {
  const kind = KINDS[d.mnemonic];
  if (kind === undefined) return ud; // rcl rcr: not implemented
  const dst = Loc.of(d.operands[0]);
  const cnt = d.operands[1];
  const size = dst.size;
  const cmask = size === 8 ? 63 : 31;
  const fixed = cnt.kind === 'imm' ? cnt.lo & cmask : cnt.kind === 'one' ? 1 : -1;
  const byImm = cnt.kind === 'imm' && dst.kind === 0;
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
