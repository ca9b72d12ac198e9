// Decoded record -> closure: picks the semantics family for a mnemonic, and says which instructions
// end a basic block.

import type { Cpu } from '../cpu.js';
import type { Decoded } from '../decode.js';
import { compileAlu, compileUnary } from './alu.js';
import { compileBitScan, compileBitTest, compileBswap, compileCmpxchg, compileXadd } from './bits.js';
import { ud, type Op } from './common.js';
import { compileCall, compileJcc, compileJmp, compileLeave, compileRet } from './control.js';
import {
  compileCmov, compileConvert, compileExtend, compileLea, compileMov, compilePop, compilePopf, compilePush,
  compilePushf, compileSetcc, compileXchg,
} from './move.js';
import { compileMulDiv } from './muldiv.js';
import { compileRotateCarry } from './rotate-carry.js';
import { compileShift } from './shift.js';
import { compileString } from './string.js';
import { compileMovCr, compileSystem } from './system.js';

export type { Op } from './common.js';

/** SDM vol. 2 LOCK: only these read-modify-write forms with a memory destination take the prefix; else #UD. */
const LOCKABLE = new Set(['add', 'adc', 'and', 'btc', 'btr', 'bts', 'cmpxchg', 'dec', 'inc', 'neg', 'not', 'or',
  'sbb', 'sub', 'xor', 'xadd', 'xchg']);
export function lockable(d: Decoded): boolean {
  return LOCKABLE.has(d.mnemonic) && d.operands.length > 0 && d.operands[0].kind === 'mem';
}


export function compile(cpu: Cpu, d: Decoded): Op {
  if (d.lock && !lockable(d)) return ud;
  switch (d.mnemonic) {
    case 'add': case 'or': case 'adc': case 'sbb': case 'and': case 'sub': case 'xor': case 'cmp': case 'test':
      return compileAlu(cpu, d);
    case 'inc': case 'dec': case 'neg': case 'not': return compileUnary(cpu, d);
    case 'shl': case 'shr': case 'sar': case 'rol': case 'ror': return compileShift(cpu, d);
    case 'rcl': case 'rcr': return compileRotateCarry(cpu, d);
    case 'mul': case 'imul': case 'div': case 'idiv': return compileMulDiv(cpu, d);
    case 'mov':
      if (d.operands.some((o) => o.kind === 'cr')) return compileMovCr(cpu, d);
      return compileMov(cpu, d);
    case 'movzx': case 'movsx': case 'movsxd': return compileExtend(cpu, d);
    case 'lea': return compileLea(cpu, d);
    case 'xchg': return compileXchg(cpu, d);
    case 'cmovcc': return compileCmov(cpu, d);
    case 'setcc': return compileSetcc(cpu, d);
    case 'cbw': case 'cwd': return compileConvert(cpu, d);
    case 'push': return compilePush(cpu, d);
    case 'pop': return compilePop(cpu, d);
    case 'pushf': return compilePushf(cpu, d);
    case 'popf': return compilePopf(cpu, d);
    case 'jcc': return compileJcc(cpu, d);
    case 'jmp': return compileJmp(cpu, d);
    case 'call': return compileCall(cpu, d);
    case 'ret': return compileRet(cpu, d);
    case 'leave': return compileLeave(cpu, d);
    case 'movs': case 'stos': case 'lods': case 'scas': case 'cmps': return compileString(cpu, d);
    case 'bt': case 'bts': case 'btr': case 'btc': return compileBitTest(cpu, d);
    case 'bsf': case 'bsr': case 'tzcnt': case 'lzcnt': case 'popcnt': return compileBitScan(cpu, d);
    case 'bswap': return compileBswap(cpu, d);
    case 'xadd': return compileXadd(cpu, d);
    case 'cmpxchg': return compileCmpxchg(cpu, d);
    default: return compileSystem(cpu, d);
  }
}

const STRING_OPS = new Set(['movs', 'stos', 'lods', 'scas', 'cmps']);

const ENDS_BLOCK = new Set([
  'jcc', 'jmp', 'call', 'ret', 'syscall', 'sysret', 'int3', 'ud2', 'hlt', 'invlpg', 'stac', 'clac', 'popf',
]);

/** Instructions after which the run loop must look again: branches, traps, rep strings, paging changes. */
export function endsBlock(d: Decoded): boolean {
  if (ENDS_BLOCK.has(d.mnemonic)) return true;
  if (d.rep !== 0 && STRING_OPS.has(d.mnemonic)) return true;
  return d.mnemonic === 'mov' && d.operands.some((o) => o.kind === 'cr');
}
