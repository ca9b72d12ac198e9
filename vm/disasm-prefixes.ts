// Which prefix bytes objdump spells out before the mnemonic ("data16", "addr32", "cs", "rep",
// "lock", "rex.W", ...): every prefix the instruction did not use, in byte order, as i386-dis.c
// decides it. The decoder keeps only the last prefix of each kind, so the raw bytes are re-read.

import type { Decoded } from './decode.js';

const SEGS: Record<number, string> = { 0x26: 'es', 0x2e: 'cs', 0x36: 'ss', 0x3e: 'ds', 0x64: 'fs', 0x65: 'gs' };
const STRING_OPS = new Set(['movs', 'stos', 'lods', 'scas', 'cmps']);
/** Near branches: f2 on them is the MPX `bnd` prefix. */
const BRANCHES = new Set(['call', 'jmp', 'jcc', 'ret']);
/** Instructions whose size does not come from REX.W (64-bit by default or fixed). */
const DEFAULT64 = new Set(['push', 'pop', 'call', 'jmp', 'jcc', 'ret', 'leave', 'pushf', 'popf']);
/** Instructions that need f3 as part of their opcode. */
const F3_MANDATORY = new Set(['pause', 'popcnt', 'lzcnt', 'tzcnt']);

/** ff /2 and /4 with 0x66: objdump shows a 16-bit target (`jmp *%ax`, `callw *(%rax)`). */
export function isIndirect16(d: Decoded): boolean {
  return (d.mnemonic === 'call' || d.mnemonic === 'jmp') && d.modrm >= 0 && d.prefix66 && (d.rex & 8) === 0;
}

/** The last segment prefix byte, or -1. */
function lastSegByte(bytes: number[]): number {
  for (let i = bytes.length - 1; i >= 0; i--) if (bytes[i] in SEGS) return bytes[i];
  return -1;
}

/** `,pn`/`,pt` for a jcc carrying a cs/ds prefix (the old static branch hints). */
export function branchHint(d: Decoded, byteAt: (i: number) => number): string {
  if (d.mnemonic !== 'jcc') return '';
  const seg = lastSegByte(prefixBytes(d, byteAt));
  return seg === 0x2e ? ',pn' : seg === 0x3e ? ',pt' : '';
}

function isLegacy(b: number): boolean {
  return b === 0x66 || b === 0x67 || b === 0xf0 || b === 0xf2 || b === 0xf3 || b in SEGS;
}

/** The REX bits objdump counts as used by this instruction (0x40 stands for "some"). */
function rexUsed(d: Decoded): number {
  let used = 0;
  const use = (bit: number) => { if ((d.rex & bit) !== 0) used |= bit | 0x40; };
  if (d.opsize === 8 && !DEFAULT64.has(d.mnemonic) && !d.operands.some((o) => o.kind === 'cr')) use(8);
  for (const o of d.operands) {
    if (o.kind === 'reg' && o.size === 1 && o.reg >= 4 && o.reg < 16) used |= 0x40;
    if (o.kind === 'mem' && d.modrm >= 0 && (d.modrm & 7) === 4) use(2);
  }
  if (d.modrm >= 0) {
    use(1);
    if (hasGOperand(d)) use(4);
  } else if ((d.opcode & 0xfff8) === 0x50 || (d.opcode & 0xfff8) === 0x58 || (d.opcode & 0xfff0) === 0x90 ||
    (d.opcode & 0xfff0) === 0xb0 || (d.opcode & 0xfff8) === 0x0fc8) {
    use(1);
  }
  return used;
}

/** Whether ModRM.reg names a register operand (rather than extending the opcode). */
function hasGOperand(d: Decoded): boolean {
  const groupOpcodes = [0x80, 0x81, 0x83, 0x8f, 0xc0, 0xc1, 0xc6, 0xc7, 0xd0, 0xd1, 0xd2, 0xd3, 0xf6, 0xf7, 0xfe, 0xff,
    0x0f18, 0x0f01, 0x0fae, 0x0fba];
  return !groupOpcodes.includes(d.opcode) && d.operands.some((o) => o.kind === 'reg' || o.kind === 'cr');
}

function rexName(rex: number): string {
  const bits = ['W', 'R', 'X', 'B'].filter((_, i) => (rex & (8 >> i)) !== 0).join('');
  return bits === '' ? 'rex' : `rex.${bits}`;
}

function repName(b: number, d: Decoded): string {
  if (b === 0xf2 && BRANCHES.has(d.mnemonic)) return 'bnd';
  if (b === 0xf3 && STRING_OPS.has(d.mnemonic) && d.mnemonic !== 'cmps' && d.mnemonic !== 'scas') return 'rep';
  return b === 0xf3 ? 'repz' : 'repnz';
}

/** The prefix bytes (legacy and REX) in order. */
function prefixBytes(d: Decoded, byteAt: (i: number) => number): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < d.length; i++) {
    const b = byteAt(i);
    if (isLegacy(b)) bytes.push(b);
    else if ((b & 0xf0) === 0x40 && i + 1 < d.length && !isLegacy(byteAt(i + 1))) bytes.push(b);
    else if ((b & 0xf0) !== 0x40) break;
  }
  return bytes;
}

/** The prefix words objdump prints before this instruction's mnemonic. */
export function prefixWords(d: Decoded, byteAt: (i: number) => number): string[] {
  const bytes = prefixBytes(d, byteAt);
  const isString = STRING_OPS.has(d.mnemonic);
  const hasMem = d.operands.some((o) => o.kind === 'mem') || isString;
  // stos and scas address only %es:(%rdi), which no override changes.
  const segUsed = (d.operands.some((o) => o.kind === 'mem') || d.mnemonic === 'movs' || d.mnemonic === 'lods' ||
    d.mnemonic === 'cmps') && (d.seg === 4 || d.seg === 5);
  const moffs32 = d.modrm < 0 && d.prefix67 && d.operands.some((o) => o.kind === 'mem');
  const indirect = (d.mnemonic === 'call' || d.mnemonic === 'jmp') && d.modrm >= 0;
  const words: (string | null)[] = bytes.map((b) => {
    if (b === 0x3e && indirect) return 'notrack';
    if (b === 0x66) return 'data16';
    if (b === 0x67) return 'addr32';
    if (b === 0xf0) return 'lock';
    if (b === 0xf2 || b === 0xf3) return repName(b, d);
    if (b in SEGS) return SEGS[b];
    return rexName(b);
  });
  const drop = (pred: (b: number) => boolean) => {
    const i = bytes.map(pred).lastIndexOf(true);
    if (i >= 0) words[i] = null;
  };
  const special66 = d.opcode === 0x90 && d.mnemonic === 'nop';
  if (d.opsize === 2 || special66 || isIndirect16(d)) drop((b) => b === 0x66);
  if (hasMem && !moffs32) drop((b) => b === 0x67);
  if (segUsed || branchHint(d, byteAt) !== '') drop((b) => b in SEGS);
  if (F3_MANDATORY.has(d.mnemonic)) drop((b) => b === 0xf3);
  if (d.rex !== 0 && (rexUsed(d) ^ d.rex) === 0) drop((b) => (b & 0xf0) === 0x40);
  return words.filter((w): w is string => w !== null);
}
