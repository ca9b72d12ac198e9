// Bit and atomic rows (v2): bt bts btr btc, bsf bsr, lzcnt tzcnt popcnt, bswap, xadd, cmpxchg.

import { form, group, REG, PLUS, F3, B, L, Q, WLQ, type Group } from './forms.js';

/** bt/bts/btr/btc: register bit offset (0f a3+8k /r) or imm8 (0f ba /d). */
function bitTest(name: string, opReg: number, d: number): Group {
  return group(name, [
    form('u8,rm', [0x0f, 0xba], d, WLQ),
    form('r,rm', [0x0f, opReg], REG, WLQ),
  ], { suffixes: 'wlq', defSize: 4 });
}

/** Bit scans and counts: r/m source, register destination. */
function scan(name: string, op: number, flags = 0): Group {
  return group(name, [form('rm,r', [0x0f, op], REG, WLQ, flags)], { suffixes: 'wlq', defSize: 4 });
}

/** xadd/cmpxchg: register source into r/m, byte row then w/l/q. */
function exchange(name: string, op8: number): Group {
  return group(name, [form('r,rm', [0x0f, op8], REG, B), form('r,rm', [0x0f, op8 + 1], REG, WLQ)], {
    suffixes: 'bwlq', defSize: 4,
  });
}

export const BIT_GROUPS: Group[] = [
  bitTest('bt', 0xa3, 4), bitTest('bts', 0xab, 5), bitTest('btr', 0xb3, 6), bitTest('btc', 0xbb, 7),
  scan('bsf', 0xbc), scan('bsr', 0xbd),
  scan('tzcnt', 0xbc, F3), scan('lzcnt', 0xbd, F3), scan('popcnt', 0xb8, F3),
  group('bswap', [form('r', [0x0f, 0xc8], PLUS, L | Q)], { suffixes: 'lq' }),
  exchange('xadd', 0xc0), exchange('cmpxchg', 0xb0),
];
