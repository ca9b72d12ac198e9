// Decoded instruction -> AT&T text exactly as objdump 2.40 prints it (`objdump -d`): mnemonic with
// objdump's suffix rules, unused prefixes spelled out (data16, rep, lock, cs...), operands
// reversed from the decoder's Intel order, and a `# address <symbol>` comment for RIP-relative ones.

import type { Decoded, Operand } from './decode.js';
import { operandText, regName, type AddressNamer } from './disasm-operands.js';
import { branchHint, isIndirect16, prefixWords } from './disasm-prefixes.js';

export { hex64, type AddressNamer } from './disasm-operands.js';

const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
const SUFFIX: Record<number, string> = { 1: 'b', 2: 'w', 4: 'l', 8: 'q' };
const STRING_OPS = new Set(['movs', 'stos', 'lods', 'scas', 'cmps']);
/** Instructions whose memory operand never gets a size suffix. */
const NO_SUFFIX = new Set(['lea', 'invlpg', 'prefetchnta', 'prefetcht0', 'prefetcht1', 'prefetcht2', 'prefetchw',
  'call', 'jmp', 'setcc', 'bswap']);
const SHIFTS = new Set(['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sar']);

/** Reads the instruction's bytes: fetch(i) is its byte i (as for decode()). */
export type ByteAt = (i: number) => number;

/** The instruction as objdump prints it after the bytes column, e.g. `mov    $0x1,%eax`. */
export function formatInstruction(d: Decoded, byteAt: ByteAt, name: AddressNamer): string {
  const special = specialForm(d);
  const mnemonic = (special?.mnemonic ?? mnemonicOf(d)) + branchHint(d, byteAt);
  const ops = special?.operands ?? regularOperands(d, name);
  const prefixes = prefixWords(d, byteAt);
  const head = prefixes.length > 0 ? `${prefixes.join(' ')} ${mnemonic}` : mnemonic;
  if (ops.text.length === 0) return head;
  const line = `${head.padEnd(6)} ${ops.text.join(',')}`;
  return ops.comment === null ? line : `${line}        # ${ops.comment}`;
}

interface OperandsText {
  text: string[];
  comment: string | null;
}

/** The operands reversed into AT&T order; the implicit shift count 1 is not shown. */
function regularOperands(d: Decoded, name: AddressNamer): OperandsText {
  const text: string[] = [];
  let comment: string | null = null;
  for (let i = d.operands.length - 1; i >= 0; i--) {
    const o = d.operands[i];
    if (o.kind === 'one') continue;
    const t = operandText(o.kind === 'reg' && isIndirect16(d) ? { ...o, size: 2 } : o, d, name);
    const indirect = (d.mnemonic === 'call' || d.mnemonic === 'jmp') && o.kind !== 'rel';
    text.push(indirect ? `*${t.text}` : t.text);
    if (t.riprel && o.kind === 'mem') comment = name(o.mem.absLo, o.mem.absHi);
  }
  return { text, comment };
}

/** Forms whose text is not the generic mnemonic + reversed operands. */
function specialForm(d: Decoded): { mnemonic: string; operands: OperandsText } | null {
  const none = { text: [], comment: null };
  const size = d.opsize;
  switch (d.mnemonic) {
    case 'cbw': return { mnemonic: size === 2 ? 'cbtw' : size === 4 ? 'cwtl' : 'cltq', operands: none };
    case 'cwd': return { mnemonic: size === 2 ? 'cwtd' : size === 4 ? 'cltd' : 'cqto', operands: none };
    case 'sysret': return { mnemonic: (d.rex & 8) !== 0 ? 'sysretq' : 'sysretl', operands: none };
    case 'nop':
      // 66 90 is `xchg %ax,%ax` to objdump; plain 90 is nop.
      if (d.opcode === 0x90 && d.prefix66 && (d.rex & 1) === 0) return { mnemonic: 'xchg', operands: { text: ['%ax', '%ax'], comment: null } };
      return null;
  }
  if (STRING_OPS.has(d.mnemonic)) return stringForm(d);
  return null;
}

/** movs/stos/lods/scas/cmps with their implicit operands, as objdump shows them. */
function stringForm(d: Decoded): { mnemonic: string; operands: OperandsText } {
  const a = d.addrsize === 4 ? 'e' : 'r';
  const srcSeg = d.seg === 4 || d.seg === 5 ? (d.seg === 4 ? '%fs' : '%gs') : '%ds';
  const src = `${srcSeg}:(%${a}si)`;
  const dst = `%es:(%${a}di)`;
  const acc = `%${regName(0, d.opsize)}`;
  const suf = SUFFIX[d.opsize];
  const ops = (text: string[]) => ({ text, comment: null });
  switch (d.mnemonic) {
    case 'movs': return { mnemonic: `movs${suf}`, operands: ops([src, dst]) };
    case 'cmps': return { mnemonic: `cmps${suf}`, operands: ops([dst, src]) };
    case 'stos': return { mnemonic: 'stos', operands: ops([acc, dst]) };
    case 'lods': return { mnemonic: 'lods', operands: ops([src, acc]) };
    default: return { mnemonic: 'scas', operands: ops([dst, acc]) };
  }
}

function sizeOf(o: Operand | undefined): number {
  return o !== undefined && 'size' in o ? o.size : 0;
}

/** The mnemonic with objdump's suffix: only when no register operand tells the size. */
function mnemonicOf(d: Decoded): string {
  const m = d.mnemonic;
  const ops = d.operands;
  if (m === 'jcc' || m === 'setcc' || m === 'cmovcc') return m.slice(0, -2) + CC[d.cc];
  if (m === 'movzx' || m === 'movsx') return `mov${m[3]}${SUFFIX[sizeOf(ops[1])]}${SUFFIX[sizeOf(ops[0])]}`;
  if (m === 'movsxd') return sizeOf(ops[0]) === 8 ? `movs${SUFFIX[sizeOf(ops[1])]}q` : 'movsxd';
  // moffs forms are movabs unless 0x67 makes the address 32-bit.
  if (m === 'mov' && ((d.opcode >= 0xa0 && d.opcode <= 0xa3 && !d.prefix67) || (d.opcode >= 0xb8 && d.opcode <= 0xbf && d.opsize === 8))) {
    return 'movabs';
  }
  if (isIndirect16(d)) return ops[0].kind === 'mem' ? `${m}w` : m;
  if (m === 'pushf' || m === 'popf') return d.opsize === 2 ? `${m}w` : m;
  if (m === 'push' || m === 'pop') {
    return d.opsize === 2 && ops.length > 0 && ops[0].kind !== 'reg' ? `${m}w` : m;
  }
  const mem = ops.find((o) => o.kind === 'mem');
  if (mem === undefined || NO_SUFFIX.has(m)) return m;
  // %cl as a shift count says nothing about the operand size.
  const sizingReg = ops.some((o, i) => o.kind === 'reg' && !(SHIFTS.has(m) && i === 1));
  return sizingReg ? m : m + SUFFIX[sizeOf(mem)];
}
