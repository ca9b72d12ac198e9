// add or adc sbb and sub xor cmp test, inc dec neg not: two-operand integer arithmetic with lazy flags.

import type { Cpu } from '../cpu.js';
import type { Decoded } from '../decode.js';
import { K_ADC1, K_ADD, K_DEC, K_INC, K_LOGIC, K_SBB1, K_SUB, getCF } from '../flags.js';
import { fastAlu } from './alu-fast.js';
import { Loc, Op, checkWrite, ea, readLoc, writeLoc } from './common.js';

// Operation numbers: the /reg field order of the 0x80 group, then test.
export const ADD = 0, OR = 1, ADC = 2, SBB = 3, AND = 4, SUB = 5, XOR = 6, CMP = 7, TEST = 8;
const NAMES: Record<string, number> = { add: ADD, or: OR, adc: ADC, sbb: SBB, and: AND, sub: SUB, xor: XOR, cmp: CMP, test: TEST };

function setLazy(cpu: Cpu, k: number, size: number, a: number, aH: number, b: number, bH: number, r: number, rH: number): void {
  cpu.fk = k;
  cpu.fs = size;
  cpu.fa = a;
  cpu.fb = b;
  cpu.fr = r;
  cpu.faH = aH;
  cpu.fbH = bH;
  cpu.frH = rH;
}

/** a op b at `size` bytes; returns the low half (untruncated for sizes 1, 2), high half in cpu.vH. */
export function alu(cpu: Cpu, op: number, size: number, a: number, aH: number, b: number, bH: number): number {
  let r: number, rH = 0;
  switch (op) {
    case ADD:
      r = (a + b) | 0;
      if (size === 8) rH = (aH + bH + (r >>> 0 < a >>> 0 ? 1 : 0)) | 0;
      setLazy(cpu, K_ADD, size, a, aH, b, bH, r, rH);
      break;
    case ADC: {
      const c = getCF(cpu);
      r = (a + b + c) | 0;
      if (size === 8) rH = (aH + bH + (c ? (r >>> 0 <= a >>> 0 ? 1 : 0) : r >>> 0 < a >>> 0 ? 1 : 0)) | 0;
      setLazy(cpu, c ? K_ADC1 : K_ADD, size, a, aH, b, bH, r, rH);
      break;
    }
    case SUB: case CMP:
      r = (a - b) | 0;
      if (size === 8) rH = (aH - bH - (a >>> 0 < b >>> 0 ? 1 : 0)) | 0;
      setLazy(cpu, K_SUB, size, a, aH, b, bH, r, rH);
      break;
    case SBB: {
      const c = getCF(cpu);
      r = (a - b - c) | 0;
      if (size === 8) rH = (aH - bH - (c ? (a >>> 0 <= b >>> 0 ? 1 : 0) : a >>> 0 < b >>> 0 ? 1 : 0)) | 0;
      setLazy(cpu, c ? K_SBB1 : K_SUB, size, a, aH, b, bH, r, rH);
      break;
    }
    case OR: r = a | b; rH = aH | bH; setLazy(cpu, K_LOGIC, size, a, aH, b, bH, r, rH); break;
    case XOR: r = a ^ b; rH = aH ^ bH; setLazy(cpu, K_LOGIC, size, a, aH, b, bH, r, rH); break;
    default: r = a & b; rH = aH & bH; setLazy(cpu, K_LOGIC, size, a, aH, b, bH, r, rH); break; // and, test
  }
  cpu.vH = rH;
  return r;
}

export function compileAlu(cpu: Cpu, d: Decoded): Op {
  const op = NAMES[d.mnemonic];
  const dst = Loc.of(d.operands[0]);
  const src = Loc.of(d.operands[1]);
  const size = dst.size;
  const writes = op !== CMP && op !== TEST;
  const r = cpu.regs;
  // Register destinations of 32 and 64 bits: the hot forms, without the generic operand plumbing.
  if (dst.kind === 0 && src.kind !== 1 && size >= 4) {
    const di = 2 * dst.reg;
    const si = 2 * src.reg;
    const ilo = src.lo, ihi = src.hi;
    const fast = fastAlu(cpu, op, size, di, src.kind === 0 ? si : -1, ilo, ihi);
    if (fast !== null) return fast;
    if (size === 4) {
      if (src.kind === 0) {
        return writes ? () => { r[di] = alu(cpu, op, 4, r[di], 0, r[si], 0); r[di + 1] = 0; }
          : () => { alu(cpu, op, 4, r[di], 0, r[si], 0); };
      }
      return writes ? () => { r[di] = alu(cpu, op, 4, r[di], 0, ilo, 0); r[di + 1] = 0; }
        : () => { alu(cpu, op, 4, r[di], 0, ilo, 0); };
    }
    if (src.kind === 0) {
      return writes ? () => { const lo = alu(cpu, op, 8, r[di], r[di + 1], r[si], r[si + 1]); r[di + 1] = cpu.vH; r[di] = lo; }
        : () => { alu(cpu, op, 8, r[di], r[di + 1], r[si], r[si + 1]); };
    }
    return writes ? () => { const lo = alu(cpu, op, 8, r[di], r[di + 1], ilo, ihi); r[di + 1] = cpu.vH; r[di] = lo; }
      : () => { alu(cpu, op, 8, r[di], r[di + 1], ilo, ihi); };
  }
  const m = dst.mem ?? src.mem;
  return () => {
    let alo = 0, ahi = 0;
    if (m !== null) {
      alo = ea(cpu, m);
      ahi = cpu.eaHi;
      if (dst.kind === 1 && writes) checkWrite(cpu, alo, ahi, size);
    }
    const a = readLoc(cpu, dst, alo, ahi);
    const aH = cpu.vH;
    const b = readLoc(cpu, src, alo, ahi);
    const res = alu(cpu, op, size, a, aH, b, cpu.vH);
    if (writes) writeLoc(cpu, dst, alo, ahi, res, cpu.vH);
  };
}

/** inc dec neg not: one read-modify-write operand. */
export function compileUnary(cpu: Cpu, d: Decoded): Op {
  const dst = Loc.of(d.operands[0]);
  const size = dst.size;
  const m = dst.mem;
  const kind = d.mnemonic;
  const r = cpu.regs;
  if (dst.kind === 0 && size === 8 && (kind === 'inc' || kind === 'dec')) {
    const di = 2 * dst.reg;
    const delta = kind === 'inc' ? 1 : -1;
    const k = kind === 'inc' ? K_INC : K_DEC;
    return () => {
      const a = r[di], aH = r[di + 1];
      const lo = (a + delta) | 0;
      const hi = (aH + (delta > 0 ? (lo === 0 ? 1 : 0) : a === 0 ? -1 : 0)) | 0;
      cpu.fc = getCF(cpu);
      setLazy(cpu, k, 8, a, aH, 1, 0, lo, hi);
      r[di] = lo;
      r[di + 1] = hi;
    };
  }
  return () => {
    let alo = 0, ahi = 0;
    if (m !== null) {
      alo = ea(cpu, m);
      ahi = cpu.eaHi;
      checkWrite(cpu, alo, ahi, size);
    }
    const a = readLoc(cpu, dst, alo, ahi);
    const aH = cpu.vH;
    let res: number, rH: number;
    switch (kind) {
      case 'not': res = ~a; rH = ~aH; break;
      case 'neg':
        res = alu(cpu, SUB, size, 0, 0, a, aH);
        rH = cpu.vH;
        break;
      default: {
        const cf = getCF(cpu);
        res = alu(cpu, kind === 'inc' ? ADD : SUB, size, a, aH, 1, 0);
        rH = cpu.vH;
        cpu.fk = kind === 'inc' ? K_INC : K_DEC;
        cpu.fc = cf;
      }
    }
    writeLoc(cpu, dst, alo, ahi, res, rH);
  };
}
