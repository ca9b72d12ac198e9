// AT&T operand text for decoded operands, spelled the way objdump 2.40 (i386-dis.c) spells them:
// registers by size, `$0x..` immediates as unsigned values of the operand size, and memory
// operands with objdump's choices of when to show a zero displacement, %riz, and signs.

import type { Decoded, MemOperand, Operand } from './decode.js';
import { REG_AH, SEG_NAMES } from './decode.js';

const R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'];
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
const R8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil'];
const R8_HIGH = ['ah', 'ch', 'dh', 'bh'];

/** The name of general register reg (0-15, or REG_AH.. for %ah-%bh) at size bytes, without `%`. */
export function regName(reg: number, size: number): string {
  if (reg >= REG_AH) return R8_HIGH[reg - REG_AH];
  if (reg < 8) return (size === 8 ? R64 : size === 4 ? R32 : size === 2 ? R16 : R8)[reg];
  return `r${reg}${size === 8 ? '' : size === 4 ? 'd' : size === 2 ? 'w' : 'b'}`;
}

/** Lower-case hex of the 64-bit value hi:lo, no leading zeros. */
export function hex64(lo: number, hi: number): string {
  const h = hi >>> 0;
  if (h === 0) return (lo >>> 0).toString(16);
  return h.toString(16) + (lo >>> 0).toString(16).padStart(8, '0');
}

/** A value of size bytes, given as a sign-extended lo (and hi for 8), as objdump's unsigned hex. */
export function unsignedHex(lo: number, hi: number, size: number): string {
  if (size === 8) return hex64(lo, hi);
  if (size === 4) return (lo >>> 0).toString(16);
  return (lo & (size === 2 ? 0xffff : 0xff)).toString(16);
}

/** objdump's print_displacement: a signed hex displacement (-0x8, 0x0). */
function signedDisp(v: number): string {
  return v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

/** How an operand is shown; `riprel` asks the caller for a `# address <symbol>` comment. */
export interface OperandText {
  text: string;
  riprel: boolean;
}

/** Gives a branch target's text, e.g. `401000 <_start>`. */
export type AddressNamer = (lo: number, hi: number) => string;

export function operandText(o: Operand, d: Decoded, name: AddressNamer): OperandText {
  switch (o.kind) {
    case 'reg': return { text: `%${regName(o.reg, o.size)}`, riprel: false };
    // The decoder sizes a byte form's Ib immediate before it knows the form is a byte form.
    case 'imm': return { text: `$0x${unsignedHex(o.lo, o.hi, Math.min(o.size, d.opsize))}`, riprel: false };
    case 'rel': return { text: name(o.lo, o.hi), riprel: false };
    case 'cr': return { text: `%cr${o.reg}`, riprel: false };
    case 'one': return { text: '', riprel: false };
    case 'mem': return { text: memText(o.mem, d), riprel: o.mem.ripRel };
  }
}

/** %fs and %gs are the only segment overrides objdump shows inside an operand in 64-bit mode. */
function segText(seg: number): string {
  return seg === 4 || seg === 5 ? `%${SEG_NAMES[seg]}:` : '';
}

/** The moffs form (a0-a3): an absolute address, printed unsigned. */
function moffsText(m: MemOperand): string {
  return `${segText(m.seg)}0x${m.addr32 ? (m.absLo >>> 0).toString(16) : hex64(m.absLo, m.absHi)}`;
}

/** A ModRM memory operand, following OP_E_memory of i386-dis.c. */
export function memText(m: MemOperand, d: Decoded): string {
  if (d.modrm < 0) return moffsText(m);
  const seg = segText(m.seg);
  const rip = m.addr32 ? '%eip' : '%rip';
  if (m.ripRel) return `${seg}${signedDisp(m.disp)}(${rip})`;
  const haveSib = (d.modrm & 7) === 4;
  const haveBase = m.base >= 0;
  const haveIndex = m.index >= 0;
  const scaleBits = m.scale === 1 ? 0 : m.scale === 2 ? 1 : m.scale === 4 ? 2 : 3;
  // Without base or index, a 32-bit address needs an explicit %eiz to differ from a 64-bit one.
  const needIndex = haveSib && !haveBase && !haveIndex && m.addr32;
  const haveDisp = haveBase || needIndex || (haveSib && (haveIndex || scaleBits !== 0));
  let out = seg;
  if (d.mod !== 0 || !haveBase) {
    if (needIndex) out += `0x${(m.disp >>> 0).toString(16)}`;
    else if (haveDisp) out += signedDisp(m.disp);
    else out += `0x${m.addr32 ? (m.disp >>> 0).toString(16) : hex64(m.disp, m.disp >> 31)}`;
  }
  const size = m.addr32 ? 4 : 8;
  if (haveBase || (haveSib && (haveIndex || needIndex || scaleBits !== 0))) {
    out += '(';
    if (haveBase) out += `%${regName(m.base, size)}`;
    if (haveSib && (scaleBits !== 0 || needIndex || haveIndex || (haveBase && (m.base & 7) !== 4))) {
      out += `,%${haveIndex ? regName(m.index, size) : m.addr32 ? 'eiz' : 'riz'},${m.scale}`;
    }
    out += ')';
  }
  return out;
}
