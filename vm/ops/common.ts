// Shared pieces of instruction semantics: effective addresses, sized register and memory access,
// and the read-modify-write discipline (the store target is translated for writing before anything
// is read or committed, so a faulting instruction changes nothing).

import type { Cpu } from '../cpu.js';
import type { MemOperand, Operand } from '../decode.js';
import { REG_AH } from '../decode.js';
import { CpuException, VEC_GP, VEC_UD } from '../exceptions.js';
import { ACCESS_WRITE } from '../mmu.js';

/** A compiled instruction: everything it needs is bound in the closure. */
export type Op = () => void;

export function ud(): never {
  throw new CpuException(VEC_UD, 0, 0);
}

export function gp0(): never {
  throw new CpuException(VEC_GP, 0, 0);
}

/** Effective address of a memory operand: returns bits 31:0, bits 63:32 in cpu.eaHi. */
export function ea(cpu: Cpu, m: MemOperand): number {
  const r = cpu.regs;
  let lo = m.absLo, hi = m.absHi;
  const base = m.base;
  if (base >= 0) {
    const x = r[2 * base];
    const s = (lo + x) | 0;
    hi = (hi + r[2 * base + 1] + (s >>> 0 < lo >>> 0 ? 1 : 0)) | 0;
    lo = s;
  }
  const index = m.index;
  if (index >= 0) {
    const sh = m.scale === 1 ? 0 : m.scale === 2 ? 1 : m.scale === 4 ? 2 : 3;
    const il = r[2 * index];
    const xl = il << sh;
    const xh = sh === 0 ? r[2 * index + 1] : (r[2 * index + 1] << sh) | (il >>> (32 - sh));
    const s = (lo + xl) | 0;
    hi = (hi + xh + (s >>> 0 < lo >>> 0 ? 1 : 0)) | 0;
    lo = s;
  }
  cpu.eaHi = m.addr32 ? 0 : hi;
  return lo;
}

/** Register value of `size` bytes, zero-extended (sizes 1, 2) or int32 (4, and the low half of 8). */
export function getReg(r: Int32Array, reg: number, size: number): number {
  switch (size) {
    case 1: return reg >= REG_AH ? (r[2 * (reg - REG_AH)] >>> 8) & 0xff : r[2 * reg] & 0xff;
    case 2: return r[2 * reg] & 0xffff;
    default: return r[2 * reg];
  }
}

/** Writes a register as x86-64 does: 8/16-bit writes merge, 32-bit writes zero bits 63:32. */
export function setReg(r: Int32Array, reg: number, size: number, v: number, vH: number): void {
  switch (size) {
    case 1:
      if (reg >= REG_AH) {
        const i = 2 * (reg - REG_AH);
        r[i] = (r[i] & ~0xff00) | ((v & 0xff) << 8);
      } else r[2 * reg] = (r[2 * reg] & ~0xff) | (v & 0xff);
      return;
    case 2: r[2 * reg] = (r[2 * reg] & ~0xffff) | (v & 0xffff); return;
    case 4: r[2 * reg] = v; r[2 * reg + 1] = 0; return;
    default: r[2 * reg] = v; r[2 * reg + 1] = vH;
  }
}

/** Loads `size` bytes: the value as getReg returns it; for size 8 the high half in cpu.vH. */
export function load(cpu: Cpu, lo: number, hi: number, size: number): number {
  const mmu = cpu.mmu;
  switch (size) {
    case 1: return mmu.read8(lo, hi);
    case 2: return mmu.read16(lo, hi);
    case 4: return mmu.read32(lo, hi);
    default:
      mmu.read64(lo, hi);
      cpu.vH = mmu.rhi;
      return mmu.rlo;
  }
}

export function store(cpu: Cpu, lo: number, hi: number, size: number, v: number, vH: number): void {
  const mmu = cpu.mmu;
  switch (size) {
    case 1: mmu.write8(lo, hi, v); return;
    case 2: mmu.write16(lo, hi, v); return;
    case 4: mmu.write32(lo, hi, v); return;
    default: mmu.write64(lo, hi, v, vH);
  }
}

/**
 * Checks that `size` bytes at lo/hi may be written (both pages when the access crosses one), before
 * the instruction reads its operands: the later store then cannot fault.
 */
export function checkWrite(cpu: Cpu, lo: number, hi: number, size: number): void {
  const mmu = cpu.mmu;
  mmu.translate(lo, hi, ACCESS_WRITE);
  if ((lo & 0xfff) > 0x1000 - size) {
    const lo2 = ((lo | 0xfff) + 1) | 0;
    mmu.translate(lo2, lo2 === 0 ? (hi + 1) | 0 : hi, ACCESS_WRITE);
  }
}

/** 64-bit add of halves: returns lo, hi in cpu.vH. */
export function add64(cpu: Cpu, lo: number, hi: number, blo: number, bhi: number): number {
  const s = (lo + blo) | 0;
  cpu.vH = (hi + bhi + (s >>> 0 < lo >>> 0 ? 1 : 0)) | 0;
  return s;
}

/**
 * A data operand compiled for the generic paths: one shape for every kind, so the accessors below
 * stay monomorphic. kind 0 register, 1 memory, 2 immediate.
 */
export class Loc {
  constructor(
    readonly kind: number,
    readonly reg: number,
    readonly size: number,
    readonly mem: MemOperand | null,
    readonly lo: number,
    readonly hi: number,
  ) {}

  static of(o: Operand): Loc {
    switch (o.kind) {
      case 'reg': return new Loc(0, o.reg, o.size, null, 0, 0);
      case 'mem': return new Loc(1, -1, o.size, o.mem, 0, 0);
      case 'imm': return new Loc(2, -1, o.size, null, o.lo, o.hi);
      case 'one': return new Loc(2, -1, 1, null, 1, 0);
      default: throw new Error(`not a data operand: ${o.kind}`);
    }
  }
}

/** Reads a Loc (memory at the address given); high half in cpu.vH for size 8. */
export function readLoc(cpu: Cpu, l: Loc, alo: number, ahi: number): number {
  if (l.kind === 0) {
    cpu.vH = cpu.regs[2 * l.reg + 1];
    return getReg(cpu.regs, l.reg, l.size);
  }
  if (l.kind === 1) return load(cpu, alo, ahi, l.size);
  cpu.vH = l.hi;
  return l.lo;
}

export function writeLoc(cpu: Cpu, l: Loc, alo: number, ahi: number, v: number, vH: number): void {
  if (l.kind === 0) setReg(cpu.regs, l.reg, l.size, v, vH);
  else store(cpu, alo, ahi, l.size, v, vH);
}

/** Sign-extends a value of `size` bytes to 32 bits. */
export function sext(v: number, size: number): number {
  return size === 1 ? (v << 24) >> 24 : size === 2 ? (v << 16) >> 16 : v | 0;
}

/** Truncates to `size` bytes (sizes 1, 2; 4 and 8 keep the int32). */
export function trunc(v: number, size: number): number {
  return size === 1 ? v & 0xff : size === 2 ? v & 0xffff : v | 0;
}
