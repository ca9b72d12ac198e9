// Control transfer, string, system and fixed-byte instructions.

import { form, group, NONE, NO_W, B, W, L, Q, WLQ, ALL, type Form, type Group } from './forms.js';
import { CONDITIONS } from './conditions.js';

/** A relaxable branch row: rel32 opcode as the encoding, rel8 opcode for the short form. */
function rel(op: readonly number[], short: readonly number[] | undefined): Form {
  const f = form('rel', op, NONE, ALL, NO_W);
  if (short) f.short = short;
  return f;
}

const jmp = group('jmp', [rel([0xe9], [0xeb]), form('ind', [0xff], 4, Q, NO_W)], { suffixes: 'q', defSize: 8 });
const call = group('call', [rel([0xe8], undefined), form('ind', [0xff], 2, Q, NO_W)], { suffixes: 'q', defSize: 8 });
const ret = group('ret', [form('', [0xc3], NONE, ALL, NO_W), form('u16', [0xc2], NONE, ALL, NO_W)], {
  suffixes: 'q', mismatch: 'size',
});
const int = group('int', [form('three', [0xcc], NONE, ALL), form('u8', [0xcd], NONE, ALL)], { mismatch: 'size' });

function jcc(cc: string, n: number): Group {
  return group(`j${cc}`, [rel([0x0f, 0x80 + n], [0x70 + n])]);
}

/** movs stos lods scas cmps: byte opcode, then the w/l/q one; the suffix says the size. */
function str(name: string, op8: number): Group {
  return group(name, [form('', [op8], NONE, B), form('', [op8 + 1], NONE, WLQ)], { suffixes: 'bwlq' });
}

/** An instruction that is always the same bytes. */
function fixed(name: string, bytes: readonly number[], suffixes = ''): Group {
  return group(name, [form('', bytes, NONE, ALL, NO_W)], { suffixes });
}

/** One memory operand in ModRM.rm with a /digit: invlpg, prefetch*. */
function memOnly(name: string, op: readonly number[], d: number): Group {
  return group(name, [form('m', op, d, ALL)]);
}

const nop = group('nop', [form('', [0x90], NONE, ALL), form('rm', [0x0f, 0x1f], 0, WLQ)], {
  suffixes: 'wlq', defSize: 4,
});
/** pushf/popf: 64-bit by default, pushfw/popfw with 0x66. */
function flagsStack(name: string, op: number): Group {
  return group(name, [form('', [op], NONE, W | Q, NO_W)], { suffixes: 'wq', defSize: 8 });
}

const sysret = group('sysret', [form('', [0x0f, 0x07], NONE, L | Q)], { suffixes: 'lq', defSize: 4 });

export const MISC_GROUPS: Group[] = [
  jmp, call, ret, int, nop, sysret,
  ...CONDITIONS.map(([cc, n]) => jcc(cc, n)),
  str('movs', 0xa4), str('cmps', 0xa6), str('stos', 0xaa), str('lods', 0xac), str('scas', 0xae),
  fixed('cbw', [0x66, 0x98]), fixed('cbtw', [0x66, 0x98]),
  fixed('cwde', [0x98]), fixed('cwtl', [0x98]),
  fixed('cdqe', [0x48, 0x98]), fixed('cltq', [0x48, 0x98]),
  fixed('cwd', [0x66, 0x99]), fixed('cwtd', [0x66, 0x99]),
  fixed('cdq', [0x99]), fixed('cltd', [0x99]),
  fixed('cqo', [0x48, 0x99]), fixed('cqto', [0x48, 0x99]),
  flagsStack('pushf', 0x9c), flagsStack('popf', 0x9d), fixed('lahf', [0x9f]), fixed('sahf', [0x9e]),
  fixed('cld', [0xfc]), fixed('std', [0xfd]), fixed('clc', [0xf8]), fixed('stc', [0xf9]), fixed('cmc', [0xf5]),
  fixed('syscall', [0x0f, 0x05]), fixed('int3', [0xcc]), fixed('ud2', [0x0f, 0x0b]), fixed('hlt', [0xf4]),
  fixed('pause', [0xf3, 0x90]), fixed('mfence', [0x0f, 0xae, 0xf0]), fixed('lfence', [0x0f, 0xae, 0xe8]),
  fixed('sfence', [0x0f, 0xae, 0xf8]), fixed('rdtsc', [0x0f, 0x31]), fixed('stac', [0x0f, 0x01, 0xcb]),
  fixed('clac', [0x0f, 0x01, 0xca]), fixed('leave', [0xc9], 'q'),
  memOnly('invlpg', [0x0f, 0x01], 7),
  memOnly('prefetchnta', [0x0f, 0x18], 0), memOnly('prefetcht0', [0x0f, 0x18], 1),
  memOnly('prefetcht1', [0x0f, 0x18], 2), memOnly('prefetcht2', [0x0f, 0x18], 3),
  memOnly('prefetchw', [0x0f, 0x0d], 1),
];


