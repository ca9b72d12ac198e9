// Data movement rows: mov/movabs, zero/sign extension, lea, xchg, push/pop, cmovcc, setcc.

import { form, group, REG, NONE, PLUS, NO_W, B, W, L, Q, WLQ, type Group } from './forms.js';
import { CONDITIONS } from './conditions.js';

const mov = group('mov', [
  form('mofar,acc', [0xa0], NONE, B),
  form('mofar,acc', [0xa1], NONE, WLQ),
  form('acc,mofar', [0xa2], NONE, B),
  form('acc,mofar', [0xa3], NONE, WLQ),
  form('r,rm', [0x88], REG, B),
  form('r,rm', [0x89], REG, WLQ),
  form('rm,r', [0x8a], REG, B),
  form('rm,r', [0x8b], REG, WLQ),
  form('i,r', [0xb0], PLUS, B),
  form('i,r', [0xb8], PLUS, W | L),
  form('i,rm', [0xc6], 0, B),
  form('i,rm', [0xc7], 0, WLQ),
  form('i64,r', [0xb8], PLUS, Q), // an imm64 that no imm32 can hold: GNU as switches to movabs
  form('cr,R', [0x0f, 0x20], REG, Q, NO_W),
  form('R,cr', [0x0f, 0x22], REG, Q, NO_W),
], { suffixes: 'bwlq', defSize: 4 });

const movabs = group('movabs', [
  form('moffs,acc', [0xa0], NONE, B),
  form('moffs,acc', [0xa1], NONE, WLQ),
  form('acc,moffs', [0xa2], NONE, B),
  form('acc,moffs', [0xa3], NONE, WLQ),
  form('i64,r', [0xb8], PLUS, Q),
], { suffixes: 'bwlq', defSize: 8 });

/** movzx/movsx with a byte, word or dword source; the destination sets the operation size. */
function extend(name: string, op: readonly number[], sizes: number, srcSize: number): Group {
  const g = group(name, [form('srm,r', op, REG, sizes)], { sizeFrom: 'last', mismatch: 'size', defSize: 4 });
  g.srcSize = srcSize;
  return g;
}

export const MOVZB = extend('movzb', [0x0f, 0xb6], WLQ, 1);
export const MOVZW = extend('movzw', [0x0f, 0xb7], L | Q, 2);
export const MOVSB = extend('movsb', [0x0f, 0xbe], WLQ, 1);
export const MOVSW = extend('movsw', [0x0f, 0xbf], L | Q, 2);
export const MOVSL = extend('movslq', [0x63], L | Q, 4);

const lea = group('lea', [form('m,r', [0x8d], REG, WLQ)], { suffixes: 'wlq', defSize: 4 });

const xchg = group('xchg', [
  form('acc,acc', [0x87, 0xc0], NONE, L), // 90 would be a nop, which does not zero-extend %rax
  form('acc,acc', [0x90], NONE, Q, NO_W), // xchg %rax,%rax is the nop
  form('acc,r', [0x90], PLUS, WLQ),
  form('r,acc', [0x90], PLUS, WLQ),
  form('r,rm', [0x86], REG, B),
  form('r,rm', [0x87], REG, WLQ),
  form('rm,r', [0x86], REG, B),
  form('rm,r', [0x87], REG, WLQ),
], { suffixes: 'bwlq', defSize: 4 });

const push = group('push', [
  form('r', [0x50], PLUS, W | Q, NO_W),
  form('m', [0xff], 6, W | Q, NO_W),
  form('i8', [0x6a], NONE, W | Q, NO_W),
  form('i', [0x68], NONE, W | Q, NO_W),
], { suffixes: 'wq', defSize: 8, mismatch: 'size' });

const pop = group('pop', [
  form('r', [0x58], PLUS, W | Q, NO_W),
  form('m', [0x8f], 0, W | Q, NO_W),
], { suffixes: 'wq', defSize: 8, mismatch: 'size' });

function cmov(cc: string, n: number): Group {
  return group(`cmov${cc}`, [form('rm,r', [0x0f, 0x40 + n], REG, WLQ)], { suffixes: 'wlq', defSize: 4 });
}

function setcc(cc: string, n: number): Group {
  return group(`set${cc}`, [form('rm', [0x0f, 0x90 + n], 0, B)], {
    suffixes: 'b', defSize: 1, regSizes: B, mismatch: 'size',
  });
}

export const MOVE_GROUPS: Group[] = [
  mov, movabs, lea, xchg, push, pop,
  ...CONDITIONS.map(([cc, n]) => cmov(cc, n)),
  ...CONDITIONS.map(([cc, n]) => setcc(cc, n)),
];
