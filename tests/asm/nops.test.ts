// Alignment padding in .text against GNU as, for every padding size from 1 to 300 and two large ones.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { codePadding } from '../../asm/nops.js';
import { haveGnuAs, gnuAssemble } from './gnu-as.js';

const SIZES = [...Array.from({ length: 300 }, (_, i) => i + 1), 1000, 4000];

test('codePadding(n) is what as emits for n bytes of .balign padding in .text', () => {
  if (!haveGnuAs()) {
    console.log('nops: GNU as not found; skipping the comparison with it');
    return;
  }
  // Each block ends n bytes short of a 4096 boundary, so .balign 4096 pads exactly n bytes.
  const src = ['.text', ...SIZES.flatMap((n) => [`.fill ${4096 - n},1,0xc3`, '.balign 4096']), ''].join('\n');
  const as = gnuAssemble(src);
  SIZES.forEach((n, i) => {
    const end = 4096 * (i + 1);
    assert.equal(Array.from(codePadding(n)), Array.from(as.text.subarray(end - n, end)), `padding of ${n}`);
  });
});

test('short paddings are single NOPs', () => {
  assert.equal(Array.from(codePadding(1)), [0x90]);
  assert.equal(Array.from(codePadding(4)), [0x0f, 0x1f, 0x40, 0x00]);
  assert.is(codePadding(0).length, 0);
});

test.run();
