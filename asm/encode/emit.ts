// Lays out one matched row: prefixes, REX, opcode, ModRM/SIB/displacement, immediate, and the
// fixups for every expression whose value is not known yet.

import type { Encoded, Fixup, Insn, Operand, SrcPos, Expr } from '../types.js';
import type { Reg } from '../registers.js';
import { type Form, type Pat, NONE, PLUS, NO_W, NO_66, F3 } from './forms.js';
import { encodeMem, type MemEnc } from './memory.js';
import { fail, type Fail } from './size.js';

const PREFIX_BYTE: Record<string, number> = { lock: 0xf0, rep: 0xf3, repe: 0xf3, repz: 0xf3, repne: 0xf2, repnz: 0xf2 };

/** Scratch space for the bytes being built; copied out into the result. */
const buf = new Uint8Array(32);

function put(n: number, v: bigint, size: number): number {
  let lo = Number(BigInt.asUintN(32, v));
  for (let i = 0; i < size && i < 4; i++, lo >>>= 8) buf[n + i] = lo & 0xff;
  if (size === 8) {
    let hi = Number(BigInt.asUintN(32, v >> 32n));
    for (let i = 4; i < 8; i++, hi >>>= 8) buf[n + i] = hi & 0xff;
  }
  return n + size;
}

function immSize(p: Pat, s: number): 1 | 2 | 4 | 8 {
  if (p === 'i') return s === 8 ? 4 : (s as 1 | 2 | 4);
  return p === 'u16' ? 2 : p === 'i64' ? 8 : 1;
}

function immRange(p: Pat, s: number): Fixup['range'] {
  if (p !== 'i') return 'either';
  return s === 8 ? 'signed' : s === 4 ? 'unsigned' : 'either';
}

function exprOf(op: Operand): Expr {
  if (op.k === 'imm') return op.e;
  if (op.k === 'mem' && op.disp) return op.disp;
  return { k: 'num', v: 0n };
}

function fixup(list: Fixup[], offset: number, size: Fixup['size'], e: Expr, pcrel: boolean,
  range: Fixup['range'], pos: SrcPos): void {
  list.push({ offset, size, e, pcrel, range, pos });
}

/** The rel8 form of a relaxable jump: short opcode, then a pc-relative byte. */
function shortForm(f: Form, target: Expr, pos: SrcPos): Encoded {
  const short = f.short ?? [];
  const bytes = new Uint8Array(short.length + 1);
  bytes.set(short);
  return { bytes, fixups: [{ offset: short.length, size: 1, e: target, pcrel: true, range: 'signed', pos }] };
}

export type Emitted = { ok: true; enc: Encoded; relax?: { short: Encoded; target: Expr } } | Fail;

/** kv[i]: the known value of operand i's expression, or null. */
export function emitForm(insn: Insn, f: Form, s: number, kv: readonly (bigint | null)[]): Emitted {
  const ops = insn.ops;
  let regF = f.ext >= 0 ? f.ext : 0, rmReg = -1, plus = -1;
  let mem: MemEnc | null = null, memOp: Operand | null = null;
  let imm = -1, rel = -1, moffs = -1;
  let forceRex = false;
  let high: Extract<Operand, { k: 'reg' }> | null = null;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i], p = f.pats[i];
    if (op.k === 'reg') {
      const r: Reg = op.reg;
      if (r.needsRex && r.size === 1) forceRex = true; // %sil..%dil, %r8b..: only say themselves with a REX
      if (r.high8) high = op;
    }
    switch (p) {
      case 'r': if (op.k === 'reg') { if (f.ext === PLUS) plus = op.reg.num; else regF = op.reg.num; } break;
      case 'cr': if (op.k === 'reg') regF = op.reg.num; break;
      case 'rr': if (op.k === 'reg') { regF = op.reg.num; rmReg = op.reg.num; } break;
      case 'R': case 'rm': case 'm': case 'srm': case 'ind':
        if (op.k === 'reg') rmReg = op.reg.num;
        else if (op.k === 'mem') {
          const m = encodeMem(op, kv[i]);
          if (typeof m === 'string') return fail(op.pos, m);
          mem = m; memOp = op;
        }
        break;
      case 'rel': rel = i; break;
      case 'moffs': case 'mofar': moffs = i; break;
      case 'acc': case 'cl': case 'one': case 'three': break;
      default: imm = i;
    }
  }
  const rex = (s === 8 && !(f.flags & NO_W) ? 8 : 0) | (regF & 8 ? 4 : 0)
    | (mem ? (mem.rexX << 1) | mem.rexB : 0) | (rmReg >= 8 || plus >= 8 ? 1 : 0);
  if ((rex !== 0 || forceRex) && high) {
    return fail(high.pos, `can't encode register '%${high.reg.name}' in an instruction requiring REX prefix.`);
  }
  const fixups: Fixup[] = [];
  let n = 0;
  // Prefix order as GNU as emits them: segment, address size, operand size, lock/rep, REX.
  if (mem && mem.seg) buf[n++] = mem.seg;
  if (mem && mem.addr32) buf[n++] = 0x67;
  if (s === 2 && !(f.flags & NO_66)) buf[n++] = 0x66;
  for (const p of insn.prefixes) buf[n++] = PREFIX_BYTE[p] ?? 0;
  if (f.flags & F3) buf[n++] = 0xf3;
  if (rex !== 0 || forceRex) buf[n++] = 0x40 | rex;
  for (let i = 0; i < f.op.length; i++) buf[n++] = f.op[i];
  if (f.ext === PLUS) buf[n - 1] += plus & 7;
  if (f.ext !== NONE && f.ext !== PLUS) {
    if (mem && memOp) {
      buf[n++] = (mem.mod << 6) | ((regF & 7) << 3) | mem.rm;
      if (mem.sib >= 0) buf[n++] = mem.sib;
      if (mem.dispFix) fixup(fixups, n, 4, exprOf(memOp), mem.pcrel, 'signed', memOp.pos);
      n = put(n, mem.dispFix ? 0n : mem.dispVal, mem.dispSize);
    } else {
      buf[n++] = 0xc0 | ((regF & 7) << 3) | (rmReg & 7);
    }
  }
  if (moffs >= 0) {
    const v = kv[moffs];
    if (v === null) fixup(fixups, n, 8, exprOf(ops[moffs]), false, 'either', ops[moffs].pos);
    n = put(n, v ?? 0n, 8);
  }
  if (imm >= 0) {
    const p = f.pats[imm], size = immSize(p, s), v = kv[imm];
    if (v === null) fixup(fixups, n, size, exprOf(ops[imm]), false, immRange(p, s), ops[imm].pos);
    n = put(n, v ?? 0n, size);
  }
  if (rel >= 0) {
    const target = exprOf(ops[rel]);
    fixup(fixups, n, 4, target, true, 'signed', ops[rel].pos);
    n = put(n, 0n, 4);
    const enc = { bytes: buf.slice(0, n), fixups };
    return f.short ? { ok: true, enc, relax: { short: shortForm(f, target, ops[rel].pos), target } } : { ok: true, enc };
  }
  return { ok: true, enc: { bytes: buf.slice(0, n), fixups } };
}
