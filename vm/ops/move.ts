// Data movement: mov movzx movsx movsxd lea xchg cmovcc setcc cbw/cwd families push pop pushf popf.

import type { Cpu } from '../cpu.js';
import type { Decoded } from '../decode.js';
import { F_AC, F_ARITH, F_DF, F_IF, F_OF, F_TF, testCC } from '../flags.js';
import { Loc, Op, checkWrite, ea, getReg, load, readLoc, setReg, sext, store, writeLoc } from './common.js';

const RSP = 4;

export function compileMov(cpu: Cpu, d: Decoded): Op {
  const dst = Loc.of(d.operands[0]);
  const src = Loc.of(d.operands[1]);
  const size = dst.size;
  const r = cpu.regs;
  const mmu = cpu.mmu;
  if (dst.kind === 0 && size >= 4) {
    const di = 2 * dst.reg, si = 2 * src.reg;
    const lo = src.lo, hi = size === 8 ? src.hi : 0;
    if (src.kind === 0) return size === 8 ? () => { r[di] = r[si]; r[di + 1] = r[si + 1]; } : () => { r[di] = r[si]; r[di + 1] = 0; };
    if (src.kind === 2) return () => { r[di] = lo; r[di + 1] = hi; };
    const m = src.mem!;
    if (size === 8) return () => { mmu.read64(ea(cpu, m), cpu.eaHi); r[di] = mmu.rlo; r[di + 1] = mmu.rhi; };
    return () => { r[di] = mmu.read32(ea(cpu, m), cpu.eaHi); r[di + 1] = 0; };
  }
  if (dst.kind === 1 && src.kind === 0 && size >= 4) {
    const m = dst.mem!, si = 2 * src.reg;
    if (size === 8) return () => { const a = ea(cpu, m); mmu.write64(a, cpu.eaHi, r[si], r[si + 1]); };
    return () => { const a = ea(cpu, m); mmu.write32(a, cpu.eaHi, r[si]); };
  }
  const m = dst.mem ?? src.mem;
  return () => {
    let alo = 0, ahi = 0;
    if (m !== null) { alo = ea(cpu, m); ahi = cpu.eaHi; }
    const v = readLoc(cpu, src, alo, ahi);
    writeLoc(cpu, dst, alo, ahi, v, cpu.vH);
  };
}

/** movzx movsx movsxd: a narrower source widened into a register. */
export function compileExtend(cpu: Cpu, d: Decoded): Op {
  const dst = d.operands[0];
  if (dst.kind !== 'reg') throw new Error('extend: register destination expected');
  const src = Loc.of(d.operands[1]);
  const signed = d.mnemonic !== 'movzx';
  const size = dst.size, ss = src.size, di = dst.reg, m = src.mem;
  const r = cpu.regs;
  return () => {
    let alo = 0, ahi = 0;
    if (m !== null) { alo = ea(cpu, m); ahi = cpu.eaHi; }
    let v = readLoc(cpu, src, alo, ahi);
    if (signed) v = sext(v, ss);
    else if (ss === 4) v = v | 0;
    setReg(r, di, size, v, signed ? v >> 31 : 0);
  };
}

export function compileLea(cpu: Cpu, d: Decoded): Op {
  const dst = d.operands[0], src = d.operands[1];
  if (dst.kind !== 'reg' || src.kind !== 'mem') throw new Error('lea: bad operands');
  const di = dst.reg, size = dst.size, m = src.mem;
  const r = cpu.regs;
  if (size === 8) return () => { r[2 * di] = ea(cpu, m); r[2 * di + 1] = cpu.eaHi; };
  return () => setReg(r, di, size, ea(cpu, m), 0);
}

export function compileXchg(cpu: Cpu, d: Decoded): Op {
  const a = Loc.of(d.operands[0]);
  const b = Loc.of(d.operands[1]);
  const mem = a.kind === 1 ? a : b.kind === 1 ? b : null;
  const reg = mem === a ? b : a;
  const other = mem === null ? b : mem;
  const size = a.size;
  const r = cpu.regs;
  return () => {
    let alo = 0, ahi = 0;
    if (mem !== null) {
      alo = ea(cpu, mem.mem!);
      ahi = cpu.eaHi;
      checkWrite(cpu, alo, ahi, size);
    }
    const x = readLoc(cpu, reg, 0, 0), xH = cpu.vH;
    const y = readLoc(cpu, other, alo, ahi), yH = cpu.vH;
    writeLoc(cpu, other, alo, ahi, x, xH);
    setReg(r, reg.reg, size, y, yH);
  };
}

export function compileCmov(cpu: Cpu, d: Decoded): Op {
  const dst = d.operands[0];
  if (dst.kind !== 'reg') throw new Error('cmov: register destination expected');
  const src = Loc.of(d.operands[1]);
  const cc = d.cc, size = dst.size, di = dst.reg, m = src.mem;
  const r = cpu.regs;
  return () => {
    let alo = 0, ahi = 0;
    if (m !== null) { alo = ea(cpu, m); ahi = cpu.eaHi; }
    const v = readLoc(cpu, src, alo, ahi); // the source is read (and may fault) whatever the condition
    if (testCC(cpu, cc)) setReg(r, di, size, v, cpu.vH);
    else if (size === 4) r[2 * di + 1] = 0; // a 32-bit cmov always zero-extends its destination
  };
}

export function compileSetcc(cpu: Cpu, d: Decoded): Op {
  const dst = Loc.of(d.operands[0]);
  const cc = d.cc, m = dst.mem;
  return () => {
    let alo = 0, ahi = 0;
    if (m !== null) { alo = ea(cpu, m); ahi = cpu.eaHi; }
    writeLoc(cpu, dst, alo, ahi, testCC(cpu, cc) ? 1 : 0, 0);
  };
}

/** cbw/cwde/cdqe (sign-extend the accumulator) and cwd/cdq/cqo (its sign into rdx). */
export function compileConvert(cpu: Cpu, d: Decoded): Op {
  const size = d.opsize;
  const r = cpu.regs;
  if (d.mnemonic === 'cbw') {
    if (size === 2) return () => setReg(r, 0, 2, sext(r[0], 1), 0);
    if (size === 4) return () => setReg(r, 0, 4, sext(r[0], 2), 0);
    return () => { r[1] = r[0] >> 31; };
  }
  if (size === 2) return () => setReg(r, 2, 2, sext(r[0], 2) >> 31, 0);
  if (size === 4) return () => setReg(r, 2, 4, r[0] >> 31, 0);
  return () => { r[4] = r[5] = r[1] >> 31; };
}

/** Pushes a value of `size` (2 or 8) bytes: the store first, then RSP (a faulting push changes nothing). */
export function push(cpu: Cpu, size: number, v: number, vH: number): void {
  const r = cpu.regs;
  const lo = (r[2 * RSP] - size) | 0;
  const hi = (r[2 * RSP + 1] - (lo >>> 0 > r[2 * RSP] >>> 0 ? 1 : 0)) | 0;
  store(cpu, lo, hi, size, v, vH);
  r[2 * RSP] = lo;
  r[2 * RSP + 1] = hi;
}

/** Reads the top of the stack (high half in cpu.vH) without moving RSP. */
export function peek(cpu: Cpu, size: number): number {
  const r = cpu.regs;
  return load(cpu, r[2 * RSP], r[2 * RSP + 1], size);
}

export function dropStack(cpu: Cpu, n: number): void {
  const r = cpu.regs;
  const lo = (r[2 * RSP] + n) | 0;
  r[2 * RSP + 1] = (r[2 * RSP + 1] + (lo >>> 0 < r[2 * RSP] >>> 0 ? 1 : 0)) | 0;
  r[2 * RSP] = lo;
}

export function compilePush(cpu: Cpu, d: Decoded): Op {
  const src = Loc.of(d.operands[0]);
  const size = d.opsize, m = src.mem;
  const r = cpu.regs;
  if (src.kind === 0 && size === 8) {
    const si = 2 * src.reg;
    return () => push(cpu, 8, r[si], r[si + 1]);
  }
  return () => {
    let alo = 0, ahi = 0;
    if (m !== null) { alo = ea(cpu, m); ahi = cpu.eaHi; }
    const v = src.kind === 0 ? getReg(r, src.reg, size) : readLoc(cpu, src, alo, ahi);
    const vH = src.kind === 0 ? r[2 * src.reg + 1] : cpu.vH;
    push(cpu, size, v, vH);
  };
}

export function compilePop(cpu: Cpu, d: Decoded): Op {
  const dst = Loc.of(d.operands[0]);
  const size = d.opsize, m = dst.mem;
  const r = cpu.regs;
  return () => {
    const v = peek(cpu, size), vH = cpu.vH;
    if (m === null) {
      dropStack(cpu, size);
      setReg(r, dst.reg, size, v, vH); // pop %rsp: the popped value wins over the increment
      return;
    }
    // The destination address is computed with RSP already incremented (Intel SDM: POP).
    const oldLo = r[2 * RSP], oldHi = r[2 * RSP + 1];
    dropStack(cpu, size);
    const alo = ea(cpu, m), ahi = cpu.eaHi;
    r[2 * RSP] = oldLo;
    r[2 * RSP + 1] = oldHi;
    checkWrite(cpu, alo, ahi, size);
    store(cpu, alo, ahi, size, v, vH);
    dropStack(cpu, size);
  };
}

/** RFLAGS bits popf may change: IF only at CPL 0 (IOPL is 0); VM RF never. */
const POPF_USER = F_ARITH | F_TF | F_DF | F_OF | F_AC | (1 << 14) | (1 << 21);

export function compilePushf(cpu: Cpu, d: Decoded): Op {
  const size = d.opsize;
  return () => push(cpu, size, cpu.getRflags() & ~(3 << 16), 0);
}

export function compilePopf(cpu: Cpu, d: Decoded): Op {
  const size = d.opsize;
  return () => {
    const v = peek(cpu, size);
    const keep = cpu.cpl === 0 ? POPF_USER | F_IF : POPF_USER;
    const old = cpu.getRflags();
    const nv = size === 2 ? (old & ~0xffff) | (v & 0xffff) : v;
    dropStack(cpu, size);
    cpu.setRflags((old & ~keep) | (nv & keep));
  };
}
