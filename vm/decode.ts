// The instruction decoder: bytes -> a plain record of what the instruction is (no semantics).
// The CPU compiles the record into a closure (vm/ops/); a disassembler can print it as AT&T.
// Operands are listed in Intel order (destination first); AT&T printing reverses them.
// An undefined encoding raises #UD; more than 15 bytes raises #GP(0) (Intel SDM vol. 2 §2.3.11).

import { CpuException, VEC_GP, VEC_UD } from './exceptions.js';
import { Entry, ONE_BYTE, OpSpec, TWO_BYTE } from './decode-table.js';

/** 8-bit registers %ah %ch %dh %bh (no REX) are numbered 16..19 in decoded operands. */
export const REG_AH = 16;
/** Segment registers in prefixes: es cs ss ds fs gs. */
export const SEG_NAMES = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];

export interface MemOperand {
  /** Base register 0-15, or -1 (none, or RIP-relative). */
  base: number;
  /** Index register 0-15, or -1. */
  index: number;
  scale: 1 | 2 | 4 | 8;
  /** The displacement as encoded (sign-extended int32; for moffs the low half of the address). */
  disp: number;
  /** RIP-relative: the effective address is the constant absLo/absHi. */
  ripRel: boolean;
  /** The constant part of the address: disp sign-extended (or the RIP-relative target / moffs). */
  absLo: number;
  absHi: number;
  /** 32-bit address size (0x67): the effective address is truncated to 32 bits. */
  addr32: boolean;
  /** Segment override 0-5 (SEG_NAMES) or -1. */
  seg: number;
}

export type Operand =
  | { kind: 'reg'; reg: number; size: number } // reg 0-15, or REG_AH.. for %ah-%bh
  | { kind: 'mem'; size: number; mem: MemOperand }
  | { kind: 'imm'; size: number; lo: number; hi: number } // value sign- or zero-extended as the form says
  | { kind: 'rel'; lo: number; hi: number } // absolute branch target
  | { kind: 'cr'; reg: number }
  | { kind: 'one' };

export interface Decoded {
  mnemonic: string;
  /** Condition code (jcc setcc cmovcc) or -1. */
  cc: number;
  /** Opcode: the byte for the one-byte map, 0x0f00 | byte for the two-byte map. */
  opcode: number;
  /** Operand size in bytes (for movs/stos the element size). */
  opsize: number;
  addrsize: 4 | 8;
  rex: number; // the REX byte, 0 if none
  prefix66: boolean;
  prefix67: boolean;
  lock: boolean;
  rep: 0 | 0xf2 | 0xf3;
  seg: number;
  /** ModRM fields (with REX extension for reg/rm), or modrm = -1 when there is none. */
  modrm: number;
  mod: number;
  reg: number;
  rm: number;
  operands: Operand[];
  length: number;
  ripLo: number;
  ripHi: number;
  nextLo: number;
  nextHi: number;
}

/** Adds a signed 32-bit value to a 64-bit address held as halves; returns the low half, high in out[0]. */
function add64(lo: number, hi: number, d: number, out: Int32Array): number {
  const r = (lo + d) | 0;
  const carry = d >= 0 ? (r >>> 0 < lo >>> 0 ? 1 : 0) : (r >>> 0 > lo >>> 0 ? -1 : 0);
  out[0] = (hi + carry) | 0;
  return r;
}

const tmp = new Int32Array(1);

/** Reads instruction bytes: fetch(i) is the byte at offset i from the instruction's first byte. */
export type Fetch = (i: number) => number;

export function decode(fetch: Fetch, ripLo: number, ripHi: number): Decoded {
  let pos = 0;
  const next = (): number => {
    if (pos >= 15) throw new CpuException(VEC_GP, 0, 0);
    return fetch(pos++);
  };
  let p66 = false, p67 = false, lock = false, rep: 0 | 0xf2 | 0xf3 = 0, seg = -1, rex = 0;
  let b = next();
  for (;;) {
    if (b === 0x66) p66 = true;
    else if (b === 0x67) p67 = true;
    else if (b === 0xf0) lock = true;
    else if (b === 0xf2 || b === 0xf3) rep = b;
    else if (b === 0x26 || b === 0x2e || b === 0x36 || b === 0x3e) seg = (b >> 3) & 3;
    else if (b === 0x64 || b === 0x65) seg = b - 0x60;
    else if ((b & 0xf0) === 0x40) {
      rex = b;
      b = next();
      if (isLegacyPrefix(b)) { rex = 0; continue; } // a REX not right before the opcode is ignored
      break;
    } else break;
    b = next();
  }
  let opcode = b;
  let entry: Entry;
  if (b === 0x0f) {
    b = next();
    opcode = 0x0f00 | b;
    entry = TWO_BYTE[b];
  } else entry = ONE_BYTE[b];

  const d: Decoded = {
    mnemonic: '', cc: -1, opcode, opsize: 4, addrsize: p67 ? 4 : 8, rex, prefix66: p66, prefix67: p67,
    lock, rep, seg, modrm: -1, mod: 0, reg: 0, rm: 0, operands: [], length: 0, ripLo, ripHi, nextLo: 0, nextHi: 0,
  };
  const rexW = (rex & 8) !== 0, rexR = (rex & 4) << 1, rexX = (rex & 2) << 2, rexB = (rex & 1) << 3;

  const needsModrm = opcode === 0x0f01 || opcode === 0x0fae || (entry !== null && /[EGMRC]/.test(entry.o));
  if (needsModrm) {
    const m = next();
    d.modrm = m;
    d.mod = m >> 6;
    d.reg = ((m >> 3) & 7) | rexR;
    d.rm = (m & 7) | rexB;
  }
  let spec: OpSpec | null;
  let flags: string | undefined;
  if (opcode === 0x0f01) spec = group0f01(d);
  else if (opcode === 0x0fae) spec = group0fae(d);
  else if (entry === null) spec = null;
  else if ('g' in entry) {
    const g = entry.g[(d.modrm >> 3) & 7];
    spec = g === null ? null : { m: g.m, o: entry.o };
    if (spec !== null && spec.m === 'test' && (opcode === 0xf6 || opcode === 0xf7)) spec.o += opcode === 0xf6 ? ',Ib' : ',Iz';
    flags = entry.f;
    // FF /2 /4 near call/jmp ignore 0x66 in 64-bit mode (Intel); /6 push defaults to 64.
    if (opcode === 0xff && g !== null && g.m !== 'inc' && g.m !== 'dec') flags = g.m === 'push' ? 'd64' : 'f64';
  } else {
    spec = entry;
    flags = entry.f;
  }
  if (spec === null) throw new CpuException(VEC_UD, 0, 0);
  spec = mandatoryF3(opcode, rep, spec);
  if (opcode === 0x90 && rep === 0xf3) spec = { m: 'pause', o: '' };
  else if (opcode === 0x90 && rexB) spec = { m: 'xchg', o: 'Zv,Av' };
  if (flags === undefined) flags = spec.f;
  d.mnemonic = spec.m;
  d.cc = spec.cc ?? -1;
  if (flags === 'f64') d.opsize = 8;
  else if (flags === 'd64') d.opsize = p66 ? 2 : 8;
  else d.opsize = rexW ? 8 : p66 ? 2 : 4;

  const memFixups: MemOperand[] = [];
  const ops = spec.o === '' ? [] : spec.o.split(',');
  for (const o of ops) {
    d.operands.push(operand(o, d, next, rexB, rexX, memFixups));
  }
  const first = d.operands[0];
  if (first !== undefined && 'size' in first && first.size === 1 && d.mnemonic !== 'push') d.opsize = 1; // byte forms
  d.length = pos;
  d.nextLo = add64(ripLo, ripHi, pos, tmp);
  d.nextHi = tmp[0];
  for (const m of memFixups) {
    m.absLo = add64(d.nextLo, d.nextHi, m.disp, tmp);
    m.absHi = d.addrsize === 4 ? 0 : tmp[0];
    if (d.addrsize === 4) m.absLo = m.absLo | 0;
  }
  for (const o of d.operands) {
    if (o.kind === 'rel') {
      o.lo = add64(d.nextLo, d.nextHi, o.lo, tmp);
      o.hi = tmp[0];
    }
  }
  return d;
}

/** f3 0f b8/bc/bd are popcnt tzcnt lzcnt; 0f b8 without f3 is not an instruction in 64-bit mode. */
function mandatoryF3(opcode: number, rep: number, spec: OpSpec): OpSpec {
  if (opcode === 0x0fb8 && rep !== 0xf3) throw new CpuException(VEC_UD, 0, 0);
  if (rep !== 0xf3) return spec;
  if (opcode === 0x0fbc) return { m: 'tzcnt', o: spec.o };
  if (opcode === 0x0fbd) return { m: 'lzcnt', o: spec.o };
  return spec;
}

function isLegacyPrefix(b: number): boolean {
  return b === 0x66 || b === 0x67 || b === 0xf0 || b === 0xf2 || b === 0xf3 || b === 0x26 || b === 0x2e ||
    b === 0x36 || b === 0x3e || b === 0x64 || b === 0x65;
}

/** 0f 01: clac stac (register forms), invlpg (memory form of /7). */
function group0f01(d: Decoded): OpSpec | null {
  if (d.modrm === 0xca) return { m: 'clac', o: '' };
  if (d.modrm === 0xcb) return { m: 'stac', o: '' };
  if (d.mod !== 3 && ((d.modrm >> 3) & 7) === 7) return { m: 'invlpg', o: 'M' };
  return null;
}

/** 0f ae: the fences (register forms of /5 /6 /7). */
function group0fae(d: Decoded): OpSpec | null {
  if (d.mod !== 3) return null;
  switch ((d.modrm >> 3) & 7) {
    case 5: return { m: 'lfence', o: '' };
    case 6: return { m: 'mfence', o: '' };
    case 7: return { m: 'sfence', o: '' };
  }
  return null;
}

function sizeOf(letter: string, d: Decoded): number {
  switch (letter) {
    case 'b': return 1;
    case 'w': return 2;
    case 'd': return 4;
    case 'q': return 8;
    case 'z': return d.opsize === 2 ? 2 : 4;
    default: return d.opsize; // v
  }
}

function gpr(reg: number, size: number, d: Decoded): Operand {
  if (size === 1 && d.rex === 0 && reg >= 4 && reg < 8) return { kind: 'reg', reg: REG_AH + reg - 4, size };
  return { kind: 'reg', reg, size };
}

function readImm(n: number, next: () => number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v |= next() << (8 * i);
  return v;
}

function operand(o: string, d: Decoded, next: () => number, rexB: number, rexX: number, fix: MemOperand[]): Operand {
  if (o === 'CL') return { kind: 'reg', reg: 1, size: 1 };
  const kind = o[0];
  const letter = o.slice(1);
  switch (kind) {
    case 'E':
    case 'M':
    case 'R': {
      const size = letter === '' ? d.opsize : sizeOf(letter, d);
      if (d.mod === 3 || kind === 'R') {
        if (kind === 'M') throw new CpuException(VEC_UD, 0, 0);
        return gpr(d.rm, size, d);
      }
      return { kind: 'mem', size, mem: modrmMem(d, next, rexB, rexX, fix) };
    }
    case 'G': return gpr(d.reg, sizeOf(letter, d), d);
    case 'Z': return gpr((d.opcode & 7) | rexB, sizeOf(letter, d), d);
    case 'A': return { kind: 'reg', reg: 0, size: sizeOf(letter, d) };
    case 'C': {
      const cr = d.reg;
      if (cr !== 0 && cr !== 2 && cr !== 3 && cr !== 4) throw new CpuException(VEC_UD, 0, 0);
      return { kind: 'cr', reg: cr };
    }
    case '1': return { kind: 'one' };
    case 'b': case 'v': return { kind: 'imm', size: sizeOf(kind, d), lo: 0, hi: 0 }; // movs/stos element size
    case 'O': {
      const size = sizeOf(letter, d);
      const lo = readImm(4, next);
      const hi = d.addrsize === 8 ? readImm(4, next) : 0;
      return { kind: 'mem', size, mem: { base: -1, index: -1, scale: 1, disp: lo, ripRel: false, absLo: lo, absHi: hi, addr32: d.addrsize === 4, seg: d.seg } };
    }
    case 'J': {
      const v = letter === 'b' ? (readImm(1, next) << 24) >> 24 : readImm(4, next);
      return { kind: 'rel', lo: v, hi: 0 }; // made absolute once the length is known
    }
    case 'I': {
      if (letter === 'u') return { kind: 'imm', size: 1, lo: readImm(1, next), hi: 0 };
      if (letter === 'w') return { kind: 'imm', size: 2, lo: readImm(2, next), hi: 0 };
      if (letter === 'b') {
        const v = (readImm(1, next) << 24) >> 24;
        return { kind: 'imm', size: d.opsize, lo: v, hi: v >> 31 };
      }
      if (letter === 'v' && d.opsize === 8) {
        const lo = readImm(4, next);
        return { kind: 'imm', size: 8, lo, hi: readImm(4, next) };
      }
      const n = d.opsize === 2 ? 2 : d.opsize === 1 ? 1 : 4;
      let v = readImm(n, next);
      if (n === 2) v = (v << 16) >> 16;
      else if (n === 1) v = (v << 24) >> 24;
      return { kind: 'imm', size: d.opsize, lo: v, hi: v >> 31 };
    }
  }
  throw new Error(`decode table: bad operand spec ${o}`);
}

/** The memory operand of a ModRM byte (mod != 3), with SIB and displacement. */
function modrmMem(d: Decoded, next: () => number, rexB: number, rexX: number, fix: MemOperand[]): MemOperand {
  const m: MemOperand = { base: -1, index: -1, scale: 1, disp: 0, ripRel: false, absLo: 0, absHi: 0, addr32: d.addrsize === 4, seg: d.seg };
  const rm = d.modrm & 7;
  let dispSize = d.mod === 1 ? 1 : d.mod === 2 ? 4 : 0;
  if (rm === 4) {
    const sib = next();
    const base = sib & 7;
    const index = ((sib >> 3) & 7) | rexX;
    m.scale = (1 << (sib >> 6)) as 1 | 2 | 4 | 8;
    if (index !== 4) m.index = index;
    if (base === 5 && d.mod === 0) dispSize = 4;
    else m.base = base | rexB;
  } else if (rm === 5 && d.mod === 0) {
    m.ripRel = true;
    dispSize = 4;
  } else {
    m.base = rm | rexB;
  }
  if (dispSize === 1) m.disp = (next() << 24) >> 24;
  else if (dispSize === 4) m.disp = readImm(4, next);
  if (m.ripRel) fix.push(m);
  else {
    m.absLo = m.disp;
    m.absHi = m.addr32 ? 0 : m.disp >> 31;
  }
  return m;
}
