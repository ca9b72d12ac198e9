// The uaccess routines: machine code of kernel/uaccess.s run at CPL 0 with stac/clac; exact byte counts on
// partial copies, demand paging during a copy, -EFAULT through the exception table, access_ok.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EFAULT } from '../../kernel/mm_constants.js';
import {
  access_ok, clear_user, copy_from_user, copy_to_user, get_user, put_user, strncpy_from_user,
} from '../../kernel/uaccess.js';
import { SigMachine } from './sig-machine.js';

const U = 0x10000000; // a user address with two mapped pages and nothing after them
const KERNEL = -0x7f000000; // 0xffffffff81000000

function machine(): SigMachine {
  const k = new SigMachine();
  k.map(U, 0x2000, 3);
  return k;
}

test('access_ok accepts user ranges and refuses ranges reaching TASK_SIZE_MAX or kernel addresses', () => {
  assert.ok(access_ok(0x1000, 10));
  assert.ok(access_ok(0x7ffffffff000 - 16, 16));
  assert.not.ok(access_ok(0x7ffffffff000 - 16, 17));
  assert.not.ok(access_ok(KERNEL, 1));
  assert.not.ok(access_ok(0x1000, 2 ** 60));
});

test('copy_to_user then copy_from_user round-trip, faulting the pages in on the way (kernel-mode #PF)', () => {
  const k = machine();
  const data = new Uint8Array(6000).map((_, i) => (i * 7) & 0xff);
  assert.is(copy_to_user(k, U + 100, data), 0);
  assert.equal(k.peek(U + 100, 6000), data);
  // The pages were demand-paged by faults from CPL 0 with the U bit clear and W set (not present).
  assert.equal(k.faults.map(([a, e, cpl]) => [a, e, cpl]), [[U + 100, 2, 0], [U + 0x1000, 2, 0]]);
  const back = new Uint8Array(6000);
  assert.is(copy_from_user(k, back, U + 100, 6000), 0);
  assert.equal(back, data);
  assert.is(k.cpu.cpl, 3, 'the interrupted context is restored');
});

test('a copy running off the mapping returns exactly the bytes not copied; copy_from_user zeroes the rest', () => {
  const k = machine();
  const data = new Uint8Array(300).fill(0xab);
  assert.is(copy_to_user(k, U + 0x2000 - 100, data), 200);
  assert.equal(k.peek(U + 0x2000 - 100, 100), data.subarray(0, 100));
  const back = new Uint8Array(300).fill(0x55);
  assert.is(copy_from_user(k, back, U + 0x2000 - 100, 300), 200);
  assert.equal(back.subarray(0, 100), data.subarray(0, 100));
  assert.equal(back.subarray(100), new Uint8Array(200));
  assert.is(k.log.length, 0, 'no oops: the exception table handled it');
});

test('a kernel pointer is refused by access_ok before any access', () => {
  const k = machine();
  assert.is(copy_to_user(k, KERNEL, new Uint8Array(8)), 8);
  assert.is(k.faults.length, 0);
});

test('get_user / put_user of 1, 2, 4, 8 bytes; -EFAULT on an unmapped address or a kernel one', () => {
  const k = machine();
  for (const size of [1, 2, 4, 8] as const) {
    assert.is(put_user(k, size, U + 16 * size, 0x89abcdef | 0, 0x01234567), 0);
    const r = get_user(k, size, U + 16 * size);
    assert.is(r.err, 0);
    const mask = size === 8 ? -1 : size === 4 ? -1 : (1 << (8 * size)) - 1;
    assert.is(r.lo, size === 8 || size === 4 ? 0x89abcdef | 0 : 0x89abcdef & mask);
    assert.is(r.hi, size === 8 ? 0x01234567 : 0);
    assert.is(put_user(k, size, U + 0x2000, 1, 0), -EFAULT);
    assert.is(get_user(k, size, U + 0x2000).err, -EFAULT);
    assert.is(get_user(k, size, KERNEL).err, -EFAULT);
    assert.is(put_user(k, size, KERNEL, 1, 0), -EFAULT);
  }
  // An 8-byte access whose last byte crosses TASK_SIZE_MAX is refused by the stub's own limit check.
  assert.is(get_user(k, 8, 0x7ffffffff000 - 4).err, -EFAULT);
});

test('strncpy_from_user: the length without the NUL, count when no NUL fits, -EFAULT when unreadable', () => {
  const k = machine();
  copy_to_user(k, U, new TextEncoder().encode('hello\0world'));
  const r = strncpy_from_user(k, U, 64);
  assert.is(r.len, 5);
  assert.is(new TextDecoder().decode(r.bytes), 'hello');
  assert.is(strncpy_from_user(k, U, 3).len, 3);
  copy_to_user(k, U + 0x2000 - 3, new Uint8Array([65, 66, 67]));
  assert.is(strncpy_from_user(k, U + 0x2000 - 3, 64).len, -EFAULT);
  assert.is(strncpy_from_user(k, KERNEL, 64).len, -EFAULT);
});

test('clear_user zeroes, and counts what is left when it runs off the mapping (quadword loop and tail)', () => {
  const k = machine();
  copy_to_user(k, U, new Uint8Array(0x2000).fill(0xff));
  assert.is(clear_user(k, U + 3, 29), 0);
  assert.equal(k.peek(U, 40), Uint8Array.from({ length: 40 }, (_, i) => (i >= 3 && i < 32 ? 0 : 0xff)));
  assert.is(clear_user(k, U + 0x2000 - 16, 43), 27); // faults in the quadword loop: 3 quads + 3 bytes left
  assert.equal(k.peek(U + 0x2000 - 16, 16), new Uint8Array(16));
  assert.is(clear_user(k, U + 0x2000 - 5, 5 + 8 * 0 + 2), 2); // faults in the byte tail
});

test.run();
