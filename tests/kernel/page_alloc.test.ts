import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PhysicalMemory } from '../../vm/memory.js';
import { PAGE_SIZE } from '../../kernel/mm_constants.js';
import {
  PG_buddy, PG_zeroed, PageFlag, PageReserved, get_page, page_count, page_mapcount, put_page,
} from '../../kernel/page.js';
import {
  GFP_KERNEL, MAX_ORDER, __free_pages, __free_page, alloc_page, alloc_pages, free_area_init, get_zeroed_page,
  is_zero_pfn, my_zero_pfn, nr_free_pages, type Zone,
} from '../../kernel/page_alloc.js';
import { rng } from './mm_helpers.js';

function zone(frames: number, firstFree = 0): Zone {
  return free_area_init(new PhysicalMemory(frames * PAGE_SIZE), firstFree);
}

/** Every free block is aligned to its order, inside the zone, and no two overlap; counts agree. */
function checkFreeLists(z: Zone): void {
  const seen = new Uint8Array(z.zone_end_pfn);
  let total = 0;
  for (let order = 0; order < MAX_ORDER; order++) {
    let n = 0;
    for (let pfn = z.free_head[order]; pfn !== -1; pfn = z.mem_map.lru_next[pfn]) {
      assert.is(pfn % (1 << order), 0, `block ${pfn} aligned to order ${order}`);
      assert.ok(pfn >= z.zone_start_pfn && pfn + (1 << order) <= z.zone_end_pfn);
      assert.is(z.mem_map.private_[pfn], order);
      for (let p = pfn; p < pfn + (1 << order); p++) {
        assert.is(seen[p], 0, `frame ${p} free twice`);
        seen[p] = 1;
      }
      n++;
      total += 1 << order;
    }
    assert.is(n, z.nr_free[order]);
  }
  assert.is(total, nr_free_pages(z));
}

test('boot memory enters the buddy lists as the largest aligned blocks', () => {
  const z = zone(3000, 5);
  checkFreeLists(z);
  // frames 5..2999 less the zero page
  assert.is(nr_free_pages(z), 2995 - 1);
  assert.ok(PageReserved(z.mem_map, 0) && PageReserved(z.mem_map, 4));
  assert.ok(z.nr_free[MAX_ORDER - 1] >= 1, 'a 1024-frame block exists');
});

test('the zero page is reserved, zero-filled and never handed out', () => {
  const z = zone(64);
  const zp = my_zero_pfn(z);
  assert.ok(is_zero_pfn(z, zp));
  assert.ok(PageReserved(z.mem_map, zp));
  assert.ok(z.mem.u8.subarray(zp * PAGE_SIZE, (zp + 1) * PAGE_SIZE).every((b) => b === 0));
  const got = new Set<number>();
  for (let p = alloc_page(z, GFP_KERNEL); p !== null; p = alloc_page(z, GFP_KERNEL)) got.add(p);
  assert.not.ok(got.has(zp));
  assert.is(got.size, 63);
});

test('allocation splits the smallest block; freeing coalesces the buddies back', () => {
  const z = zone(1024);
  // the zero page took frame 0 from the 1024 block: orders 0..9 each hold one block now
  for (let order = 0; order < 10; order++) assert.is(z.nr_free[order], 1, `order ${order}`);
  const a = alloc_pages(z, GFP_KERNEL, 0)!;
  assert.is(a, 1, 'the low half is kept: frame 1');
  assert.is(z.nr_free[0], 0);
  const b = alloc_pages(z, GFP_KERNEL, 3)!;
  assert.is(b % 8, 0);
  assert.is(page_count(z.mem_map, b), 1);
  assert.is(z.mem_map.flags[b] & (1 << PG_buddy), 0);
  __free_pages(z, b, 3);
  __free_page(z, a);
  for (let order = 0; order < 10; order++) assert.is(z.nr_free[order], 1, `order ${order} after free`);
  checkFreeLists(z);
});

test('out of memory returns null, never throws', () => {
  const z = zone(40);
  assert.is(alloc_pages(z, GFP_KERNEL, 6), null, 'no 64-frame block in 40 frames');
  const all: number[] = [];
  for (let p = alloc_page(z, GFP_KERNEL); p !== null; p = alloc_page(z, GFP_KERNEL)) all.push(p);
  assert.is(nr_free_pages(z), 0);
  assert.is(alloc_page(z, GFP_KERNEL), null);
  for (const p of all) __free_page(z, p);
  assert.is(nr_free_pages(z), 39);
  checkFreeLists(z);
});

test('seeded random alloc/free sequences return every frame and re-coalesce', () => {
  for (const seed of [1, 2, 3, 42]) {
    const z = zone(2048, 7);
    const start = nr_free_pages(z);
    const startShape = Array.from(z.nr_free);
    const rand = rng(seed);
    const live: [number, number][] = [];
    for (let i = 0; i < 3000; i++) {
      if (live.length > 0 && rand() < 0.45) {
        const [pfn, order] = live.splice(Math.floor(rand() * live.length), 1)[0];
        __free_pages(z, pfn, order);
      } else {
        const order = Math.floor(rand() * rand() * 6);
        const pfn = alloc_pages(z, GFP_KERNEL, order);
        if (pfn !== null) {
          assert.is(pfn % (1 << order), 0);
          live.push([pfn, order]);
        }
      }
    }
    checkFreeLists(z);
    while (live.length > 0) {
      const [pfn, order] = live.pop()!;
      __free_pages(z, pfn, order);
    }
    assert.is(nr_free_pages(z), start, `seed ${seed}: free count back to start`);
    assert.equal(Array.from(z.nr_free), startShape, `seed ${seed}: fully coalesced`);
    checkFreeLists(z);
  }
});

test('get_zeroed_page zeroes a page that held data', () => {
  const z = zone(64);
  const p = alloc_page(z, GFP_KERNEL)!;
  z.mem.u8.fill(0xab, p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
  __free_page(z, p);
  const q = get_zeroed_page(z, GFP_KERNEL)!;
  assert.is(q, p, 'the same frame comes back first');
  assert.ok(z.mem.u8.subarray(q * PAGE_SIZE, (q + 1) * PAGE_SIZE).every((b) => b === 0));
});

test('boot memory is prezeroed: __GFP_ZERO clears a frame only once it has been used', () => {
  const z = zone(64);
  let cleared = 0;
  const zeroFrame = z.mem.zeroFrame.bind(z.mem);
  z.mem.zeroFrame = (f: number): void => {
    cleared++;
    zeroFrame(f);
  };
  const p = get_zeroed_page(z, GFP_KERNEL)!;
  assert.is(cleared, 0, 'a frame never handed out holds zeros already');
  assert.not.ok(PageFlag(z.mem_map, p, PG_zeroed), 'its owner may write it now');
  z.mem.u8[p * PAGE_SIZE] = 7;
  __free_page(z, p);
  const q = get_zeroed_page(z, GFP_KERNEL)!;
  assert.is(q, p);
  assert.is(cleared, 1, 'a used frame is cleared');
  assert.is(z.mem.u8[q * PAGE_SIZE], 0);
});

test('refcounts: get_page/put_page, freed exactly when the count reaches zero', () => {
  const z = zone(64);
  const m = z.mem_map;
  const before = nr_free_pages(z);
  const p = alloc_page(z, GFP_KERNEL)!;
  assert.is(page_count(m, p), 1);
  assert.is(page_mapcount(m, p), 0);
  get_page(m, p);
  get_page(m, p);
  assert.is(page_count(m, p), 3);
  put_page(m, p);
  put_page(m, p);
  assert.is(nr_free_pages(z), before - 1, 'still held');
  put_page(m, p);
  assert.is(nr_free_pages(z), before, 'freed at zero');
  assert.throws(() => put_page(m, p), /BUG: put_page on free page/);
  assert.throws(() => get_page(m, p), /BUG: get_page on free page/);
});

test('__free_pages with another reference on the head frees only the tail blocks', () => {
  const z = zone(256);
  const m = z.mem_map;
  const before = nr_free_pages(z);
  const p = alloc_pages(z, GFP_KERNEL, 2)!;
  get_page(m, p);
  __free_pages(z, p, 2);
  assert.is(nr_free_pages(z), before - 1, 'frames p+1..p+3 returned');
  put_page(m, p);
  assert.is(nr_free_pages(z), before);
  checkFreeLists(z);
});

test('freeing a page that is still mapped is a bad page state', () => {
  const z = zone(64);
  const p = alloc_page(z, GFP_KERNEL)!;
  z.mem_map._mapcount[p] = 0;
  assert.throws(() => __free_page(z, p), /Bad page state/);
});

test.run();
