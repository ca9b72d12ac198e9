// Arithmetic, logic, multiply/divide and shift rows. Row order is GNU as's preference: the first
// row that matches wins, so short forms (imm8, accumulator) come before the general ones.

import { form, group, REG, NONE, B, WLQ, type Form, type Group } from './forms.js';

/** add or adc sbb and sub xor cmp: the eight classic ALU ops, opcode column d*8. */
function alu(name: string, d: number): Group {
  const b = d * 8;
  return group(name, [
    form('i8,rm', [0x83], d, WLQ),
    form('i,acc', [b + 4], NONE, B),
    form('i,acc', [b + 5], NONE, WLQ),
    form('i,rm', [0x80], d, B),
    form('i,rm', [0x81], d, WLQ),
    form('r,rm', [b], REG, B),
    form('r,rm', [b + 1], REG, WLQ),
    form('rm,r', [b + 2], REG, B),
    form('rm,r', [b + 3], REG, WLQ),
  ], { suffixes: 'bwlq', defSize: 4 });
}

/** One-operand group-3/4/5 ops (not neg mul div idiv inc dec): byte row, then w/l/q row. */
function unary(name: string, op8: number, d: number): Group {
  return group(name, [form('rm', [op8], d, B), form('rm', [op8 + 1], d, WLQ)], { suffixes: 'bwlq', defSize: 4 });
}

/** rol ror rcl rcr shl/sal shr sar: by 1 (d0/d1), by %cl (d2/d3), by imm8 (c0/c1). */
function shift(name: string, d: number): Group {
  const rows: Form[] = [
    form('one,rm', [0xd0], d, B),
    form('one,rm', [0xd1], d, WLQ),
    form('cl,rm', [0xd2], d, B),
    form('cl,rm', [0xd3], d, WLQ),
    form('u8,rm', [0xc0], d, B),
    form('u8,rm', [0xc1], d, WLQ),
    form('rm', [0xd0], d, B),
    form('rm', [0xd1], d, WLQ),
  ];
  return group(name, rows, { suffixes: 'bwlq', defSize: 4, sizeFrom: 'last' });
}

const test = group('test', [
  form('i,acc', [0xa8], NONE, B),
  form('i,acc', [0xa9], NONE, WLQ),
  form('i,rm', [0xf6], 0, B),
  form('i,rm', [0xf7], 0, WLQ),
  form('r,rm', [0x84], REG, B),
  form('r,rm', [0x85], REG, WLQ),
  form('rm,r', [0x84], REG, B),
  form('rm,r', [0x85], REG, WLQ),
], { suffixes: 'bwlq', defSize: 4 });

const imul = group('imul', [
  form('rm', [0xf6], 5, B),
  form('rm', [0xf7], 5, WLQ),
  form('rm,r', [0x0f, 0xaf], REG, WLQ),
  form('i8,rr', [0x6b], REG, WLQ),
  form('i,rr', [0x69], REG, WLQ),
  form('i8,rm,r', [0x6b], REG, WLQ),
  form('i,rm,r', [0x69], REG, WLQ),
], { suffixes: 'bwlq', defSize: 4 });

export const ALU_GROUPS: Group[] = [
  ...['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'].map((n, d) => alu(n, d)),
  test,
  imul,
  unary('inc', 0xfe, 0),
  unary('dec', 0xfe, 1),
  unary('not', 0xf6, 2),
  unary('neg', 0xf6, 3),
  unary('mul', 0xf6, 4),
  unary('div', 0xf6, 6),
  unary('idiv', 0xf6, 7),
  ...([['rol', 0], ['ror', 1], ['rcl', 2], ['rcr', 3], ['shl', 4], ['sal', 4], ['shr', 5], ['sar', 7]] as const)
    .map(([n, d]) => shift(n, d)),
];
