// Bit tests, scans and counts, byte swaps and the exchange-and-operate instructions: bt bts btr btc,
// bsf bsr tzcnt lzcnt popcnt, bswap, xadd, cmpxchg (Intel SDM vol. 2, each instruction's Operation).
// Flags the SDM leaves undefined keep their previous values here (tests/vm/diff/undefined.ts lists
// them, so a CPU of another vendor is not compared on them).

import type { Cpu } from '../cpu.js';
import type { Decoded } from '../decode.js';
import { F_CF, F_ZF, materialize, setArith } from '../flags.js';
import { ADD, CMP, alu } from './alu.js';
import { Loc, Op, add64, checkWrite, ea, getReg, readLoc, setReg, store, trunc, writeLoc } from './common.js';

/** Index of the lowest set bit of a non-zero int32. */
const ctz32 = (x: number): number => 31 - Math.clz32(x & -x);

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function bswap32(x: number): number {
  return ((x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) | 0;
}

/** Sets CF (and ZF when `zf` is not -1) and keeps the other flags as they were. */
function setCfZf(cpu: Cpu, cf: number, zf: number): void {
  materialize(cpu);
  let f = (cpu.rflags & ~F_CF) | cf;
  if (zf >= 0) f = (f & ~F_ZF) | (zf ? F_ZF : 0);
  cpu.rflags = f;
}

/**
 * The byte displacement a register bit offset adds to a memory operand: the offset is a signed
 * integer of the operand size, and selects the operand-sized unit at EA + size * (offset DIV bits).
 * Returns the low half; the high half is in cpu.vH.
 */
function bitDisplacement(cpu: Cpu, lo: number, hi: number, size: number): number {
  if (size === 8) {
    cpu.vH = hi >> 3;
    return ((lo >>> 3) | (hi << 29)) & ~7;
  }
  const off = size === 2 ? (lo << 16) >> 16 : lo;
  const d = size === 2 ? (off >> 4) * 2 : (off >> 3) & ~3;
  cpu.vH = d < 0 ? -1 : 0;
  return d;
}

/** bt bts btr btc: CF is the selected bit; the others set, clear or complement it. */
export function compileBitTest(cpu: Cpu, d: Decoded): Op {
  const kind = d.mnemonic;
  const dst = Loc.of(d.operands[0]);
  const src = d.operands[1];
  const size = dst.size, bits = size * 8;
  const writes = kind !== 'bt';
  const r = cpu.regs;
  const srcReg = src.kind === 'reg' ? src.reg : -1;
  const imm = src.kind === 'imm' ? src.lo & (bits - 1) : 0;
  return () => {
    let off = imm, alo = 0, ahi = 0;
    if (srcReg >= 0) off = r[2 * srcReg] & (bits - 1);
    if (dst.kind === 1) {
      alo = ea(cpu, dst.mem!);
      ahi = cpu.eaHi;
      if (srcReg >= 0) {
        const dl = bitDisplacement(cpu, r[2 * srcReg], r[2 * srcReg + 1], size);
        alo = add64(cpu, alo, ahi, dl, cpu.vH);
        ahi = dst.mem!.addr32 ? 0 : cpu.vH;
      }
      if (writes) checkWrite(cpu, alo, ahi, size);
    }
    const v = readLoc(cpu, dst, alo, ahi);
    const vH = cpu.vH;
    const word = off >= 32 ? vH : v;
    const m = 1 << (off & 31);
    setCfZf(cpu, (word & m) !== 0 ? 1 : 0, -1);
    if (!writes) return;
    const nw = kind === 'bts' ? word | m : kind === 'btr' ? word & ~m : word ^ m;
    if (off >= 32) writeLoc(cpu, dst, alo, ahi, v, nw);
    else writeLoc(cpu, dst, alo, ahi, nw, vH);
  };
}

/** bsf bsr tzcnt lzcnt popcnt: a register destination, a register or memory source. */
export function compileBitScan(cpu: Cpu, d: Decoded): Op {
  const kind = d.mnemonic;
  const dstOp = d.operands[0];
  if (dstOp.kind !== 'reg') throw new Error('bit scan: destination is a register');
  const di = dstOp.reg;
  const src = Loc.of(d.operands[1]);
  const size = src.size, bits = size * 8;
  const r = cpu.regs;
  return () => {
    let alo = 0, ahi = 0;
    if (src.kind === 1) {
      alo = ea(cpu, src.mem!);
      ahi = cpu.eaHi;
    }
    const raw = readLoc(cpu, src, alo, ahi);
    const lo = trunc(raw, size), hi = size === 8 ? cpu.vH : 0;
    const zero = (lo | hi) === 0;
    switch (kind) {
      case 'popcnt': {
        setReg(r, di, size, popcount32(lo) + popcount32(hi), 0);
        setArith(cpu, zero ? F_ZF : 0);
        return;
      }
      case 'bsf': case 'bsr': {
        // A zero source leaves the destination as it was (SDM: undefined; both vendors keep it) and sets ZF.
        if (zero) { setZfOnly(cpu, 1); return; }
        const n = kind === 'bsf' ? (lo !== 0 ? ctz32(lo) : 32 + ctz32(hi)) : hi !== 0 ? 63 - Math.clz32(hi) : 31 - Math.clz32(lo);
        setReg(r, di, size, n, 0);
        setZfOnly(cpu, 0);
        return;
      }
      default: {
        let n: number;
        if (zero) n = bits;
        else if (kind === 'tzcnt') n = lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
        else n = size === 8 ? (hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo)) : Math.clz32(lo) - (32 - bits);
        setReg(r, di, size, n, 0);
        setCfZf(cpu, zero ? 1 : 0, n === 0 ? 1 : 0);
      }
    }
  };
}

/** Sets ZF and keeps the other flags. */
function setZfOnly(cpu: Cpu, zf: number): void {
  materialize(cpu);
  cpu.rflags = (cpu.rflags & ~F_ZF) | (zf ? F_ZF : 0);
}

/** bswap r32 / r64 (r16 is undefined: both vendors clear the word). */
export function compileBswap(cpu: Cpu, d: Decoded): Op {
  const o = d.operands[0];
  if (o.kind !== 'reg') throw new Error('bswap: a register');
  const i = 2 * o.reg;
  const r = cpu.regs;
  if (o.size === 8) return () => { const lo = r[i]; r[i] = bswap32(r[i + 1]); r[i + 1] = bswap32(lo); };
  if (o.size === 4) return () => { r[i] = bswap32(r[i]); r[i + 1] = 0; };
  return () => { r[i] &= ~0xffff; };
}

/** xadd: TEMP = SRC + DEST; SRC = DEST; DEST = TEMP, flags as add. */
export function compileXadd(cpu: Cpu, d: Decoded): Op {
  const dst = Loc.of(d.operands[0]);
  const so = d.operands[1];
  if (so.kind !== 'reg') throw new Error('xadd: a register source');
  const sr = so.reg, size = dst.size;
  const r = cpu.regs;
  return () => {
    let alo = 0, ahi = 0;
    if (dst.kind === 1) {
      alo = ea(cpu, dst.mem!);
      ahi = cpu.eaHi;
      checkWrite(cpu, alo, ahi, size);
    }
    const a = readLoc(cpu, dst, alo, ahi), aH = cpu.vH;
    const b = getReg(r, sr, size), bH = sr < 16 ? r[2 * sr + 1] : 0;
    const s = alu(cpu, ADD, size, a, aH, b, bH), sH = cpu.vH;
    setReg(r, sr, size, a, aH);
    writeLoc(cpu, dst, alo, ahi, s, sH);
  };
}

/**
 * cmpxchg: compare the accumulator with DEST; equal: DEST = SRC; else the accumulator = DEST, and a memory
 * DEST is written back (so it must be writable either way). A register DEST is not written on failure:
 * its bits 63:32 stay, as the CPU does (the SDM's pseudo-code writes it back).
 */
export function compileCmpxchg(cpu: Cpu, d: Decoded): Op {
  const dst = Loc.of(d.operands[0]);
  const so = d.operands[1];
  if (so.kind !== 'reg') throw new Error('cmpxchg: a register source');
  const sr = so.reg, size = dst.size;
  const r = cpu.regs;
  const mask = size === 1 ? 0xff : size === 2 ? 0xffff : -1;
  return () => {
    let alo = 0, ahi = 0;
    if (dst.kind === 1) {
      alo = ea(cpu, dst.mem!);
      ahi = cpu.eaHi;
      checkWrite(cpu, alo, ahi, size);
    }
    const t = readLoc(cpu, dst, alo, ahi), tH = size === 8 ? cpu.vH : 0;
    const a = getReg(r, 0, size), aH = size === 8 ? r[1] : 0;
    alu(cpu, CMP, size, a, aH, t, tH);
    if (((a ^ t) & mask) === 0 && aH === tH) {
      writeLoc(cpu, dst, alo, ahi, getReg(r, sr, size), sr < 16 ? r[2 * sr + 1] : 0);
    } else {
      setReg(r, 0, size, t, tH);
      if (dst.kind === 1) store(cpu, alo, ahi, size, t, tH);
    }
  };
}
