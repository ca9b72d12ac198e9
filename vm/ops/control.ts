// Control transfer: jmp jcc call ret leave. A branch is always the last instruction of a block; the
// run loop has already set RIP to the fall-through address, so a branch not taken does nothing.

import type { Cpu } from '../cpu.js';
import type { Decoded } from '../decode.js';
import { CpuException, VEC_GP } from '../exceptions.js';
import { testCC } from '../flags.js';
import { Loc, Op, ea, readLoc } from './common.js';
import { dropStack, peek, push } from './move.js';

const RBP = 5, RSP = 4;

/** A branch to a non-canonical address faults on the branch itself (#GP), not on the fetch after it. */
function jumpTo(cpu: Cpu, lo: number, hi: number): void {
  if (((hi >> 15) + 1) >>> 1 !== 0) throw new CpuException(VEC_GP, 0, 0);
  cpu.ripLo = lo;
  cpu.ripHi = hi;
}

function target(d: Decoded): { lo: number; hi: number } {
  const t = d.operands[0];
  if (t.kind !== 'rel') throw new Error('branch: relative target expected');
  return t;
}

export function compileJcc(cpu: Cpu, d: Decoded): Op {
  const { lo, hi } = target(d);
  const cc = d.cc;
  return () => {
    if (testCC(cpu, cc)) {
      cpu.ripLo = lo;
      cpu.ripHi = hi;
    }
  };
}

export function compileJmp(cpu: Cpu, d: Decoded): Op {
  const t = d.operands[0];
  if (t.kind === 'rel') {
    const lo = t.lo, hi = t.hi;
    return () => { cpu.ripLo = lo; cpu.ripHi = hi; };
  }
  const src = Loc.of(t);
  const m = src.mem;
  return () => {
    let alo = 0, ahi = 0;
    if (m !== null) { alo = ea(cpu, m); ahi = cpu.eaHi; }
    const lo = readLoc(cpu, src, alo, ahi);
    jumpTo(cpu, lo, cpu.vH);
  };
}

export function compileCall(cpu: Cpu, d: Decoded): Op {
  const t = d.operands[0];
  const nLo = d.nextLo, nHi = d.nextHi;
  if (t.kind === 'rel') {
    const lo = t.lo, hi = t.hi;
    return () => {
      push(cpu, 8, nLo, nHi);
      cpu.ripLo = lo;
      cpu.ripHi = hi;
    };
  }
  const src = Loc.of(t);
  const m = src.mem;
  return () => {
    let alo = 0, ahi = 0;
    if (m !== null) { alo = ea(cpu, m); ahi = cpu.eaHi; }
    const lo = readLoc(cpu, src, alo, ahi), hi = cpu.vH;
    if (((hi >> 15) + 1) >>> 1 !== 0) throw new CpuException(VEC_GP, 0, 0);
    push(cpu, 8, nLo, nHi);
    cpu.ripLo = lo;
    cpu.ripHi = hi;
  };
}

export function compileRet(cpu: Cpu, d: Decoded): Op {
  const extra = d.operands.length > 0 && d.operands[0].kind === 'imm' ? d.operands[0].lo : 0;
  return () => {
    const lo = peek(cpu, 8);
    jumpTo(cpu, lo, cpu.vH);
    dropStack(cpu, 8 + extra);
  };
}

export function compileLeave(cpu: Cpu, d: Decoded): Op {
  const r = cpu.regs;
  const size = d.opsize;
  return () => {
    const v = cpu.mmu;
    let lo: number, hi: number;
    if (size === 8) {
      v.read64(r[2 * RBP], r[2 * RBP + 1]);
      lo = v.rlo;
      hi = v.rhi;
    } else {
      lo = (r[2 * RBP] & ~0xffff) | v.read16(r[2 * RBP], r[2 * RBP + 1]);
      hi = r[2 * RBP + 1];
    }
    r[2 * RSP] = r[2 * RBP];
    r[2 * RSP + 1] = r[2 * RBP + 1];
    dropStack(cpu, size);
    r[2 * RBP] = lo;
    r[2 * RBP + 1] = hi;
  };
}
