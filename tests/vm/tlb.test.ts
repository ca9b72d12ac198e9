import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CpuException, VEC_PF } from '../../vm/exceptions.js';
import { PhysicalMemory } from '../../vm/memory.js';
import { ACCESS_FETCH, ACCESS_WRITE, Mmu } from '../../vm/mmu.js';
import { ATTR_CODE, CR4_PGE, PTE_A, PTE_D, PTE_G, PTE_P, PTE_U, PTE_W } from '../../vm/paging.js';
import { PageTables, SIZE_1G, SIZE_2M, halves } from './pagetables.js';

const RWU = PTE_P | PTE_W | PTE_U;

function machine() {
  const mem = new PhysicalMemory(1 << 23);
  const pt = new PageTables(mem);
  const mmu = new Mmu(mem);
  mmu.setCr3(pt.cr3);
  return { mem, pt, mmu };
}

function raised(fn: () => unknown): CpuException | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof CpuException) return e;
    throw e;
  }
}

test('a PTE made read-only without invlpg: the stale writable entry still lets a write through', () => {
  const { mem, pt, mmu } = machine();
  pt.map(0x40_0000, 0x50_0000, RWU);
  mmu.setCpl(3);
  mmu.write32(0x40_0010, 0, 1); // caches a writable, dirty entry
  pt.setEntry(0x40_0000, 0, pt.entryLo(0x40_0000, 0) & ~PTE_W);
  mmu.write32(0x40_0010, 0, 2);
  assert.is(mem.view.getInt32(0x50_0010, true), 2, 'stale entry used');
  mmu.invlpg(0x40_0000, 0);
  const e = raised(() => mmu.write32(0x40_0010, 0, 3));
  assert.is(e?.vector, VEC_PF);
  assert.is(e?.errorCode, 1 | 2 | 4);
  assert.is(e?.address, 0x40_0010);
  assert.is(mem.view.getInt32(0x50_0010, true), 2, 'the faulting write changed nothing');
});

test('a cached entry without D is not used for a write: the walk re-runs and sets D', () => {
  const { mem, pt, mmu } = machine();
  pt.map(0x40_0000, 0x50_0000, RWU);
  mmu.read8(0x40_0000, 0); // cached clean
  const misses = mmu.tlbMisses;
  mmu.write8(0x40_0000, 0, 7);
  assert.is(mmu.tlbMisses, misses + 1, 'the write walked again');
  assert.is(pt.entryLo(0x40_0000, 0) & (PTE_A | PTE_D), PTE_A | PTE_D);
  // Clean entry cached, then the PTE made read-only without a flush: the re-walk sees it and faults.
  pt.map(0x41_0000, 0x51_0000, RWU);
  mmu.read8(0x41_0000, 0);
  pt.setEntry(0x41_0000, 0, pt.entryLo(0x41_0000, 0) & ~PTE_W);
  mmu.setCpl(3);
  assert.is(raised(() => mmu.write8(0x41_0000, 0, 1))?.errorCode, 1 | 2 | 4);
  assert.is(mem.u8[0x51_0000], 0);
});

test('a CR3 reload flushes non-global entries; global ones survive with CR4.PGE', () => {
  const { mem, pt, mmu } = machine();
  pt.map(0x40_0000, 0x50_0000, RWU);
  pt.map(0x60_0000, 0x60_0000, RWU | PTE_G);
  mem.u8[0x50_0000] = 0x11;
  mem.u8[0x60_0000] = 0x22;
  mem.u8[0x70_0000] = 0x33;
  assert.is(mmu.read8(0x40_0000, 0), 0x11);
  assert.is(mmu.read8(0x60_0000, 0), 0x22);
  // Point both PTEs at another frame without invlpg, then reload CR3.
  pt.setEntry(0x40_0000, 0, 0x70_0000 | RWU);
  pt.setEntry(0x60_0000, 0, 0x70_0000 | RWU | PTE_G);
  assert.is(mmu.read8(0x40_0000, 0), 0x11, 'stale before the reload');
  mmu.setCr3(mmu.cr3);
  assert.is(mmu.read8(0x40_0000, 0), 0x33, 'non-global entry flushed');
  assert.is(mmu.read8(0x60_0000, 0), 0x22, 'global entry survives');
  mmu.invlpg(0x60_0000, 0);
  assert.is(mmu.read8(0x60_0000, 0), 0x33, 'invlpg drops a global entry');
  // Without PGE the G bit means nothing: a CR3 write flushes everything.
  pt.setEntry(0x60_0000, 0, 0x60_0000 | RWU | PTE_G);
  mmu.setCr4(mmu.cr4 & ~CR4_PGE);
  assert.is(mmu.read8(0x60_0000, 0), 0x22);
  pt.setEntry(0x60_0000, 0, 0x70_0000 | RWU | PTE_G);
  mmu.setCr3(mmu.cr3);
  assert.is(mmu.read8(0x60_0000, 0), 0x33);
});

test('a #PF drops the entry for the faulting address (a spurious fault is retried once)', () => {
  const { mem, pt, mmu } = machine();
  pt.map(0x40_0000, 0x50_0000, PTE_P | PTE_U); // read-only
  mmu.setCpl(3);
  mmu.read8(0x40_0000, 0); // cached read-only
  pt.setEntry(0x40_0000, 0, pt.entryLo(0x40_0000, 0) | PTE_W); // made writable, no flush
  const e = raised(() => mmu.write8(0x40_0005, 0, 9));
  assert.is(e?.errorCode, 1 | 2 | 4, 'the stale read-only entry faults');
  assert.is(mmu.tlb.lookup(0x40_0000, 0), -1, 'and is gone');
  mmu.write8(0x40_0005, 0, 9);
  assert.is(mem.u8[0x50_0005], 9, 'the retry walks and succeeds');
});

test('invlpg drops every 4 KiB piece of a 2 MiB page, and only pages it covers', () => {
  const { mem, pt, mmu } = machine();
  pt.map(0x20_0000, 0x20_0000, RWU, SIZE_2M);
  pt.map(0x40_0000, 0x50_0000, RWU);
  mem.u8[0x20_0000] = 1;
  mem.u8[0x3f_f000] = 2;
  mmu.read8(0x20_0000, 0);
  mmu.read8(0x3f_f000, 0);
  mmu.read8(0x40_0000, 0);
  assert.ok(mmu.tlb.lookup(0x3f_f000, 0) >= 0);
  mmu.invlpg(0x31_2345, 0); // an address inside the large page, never accessed itself
  assert.is(mmu.tlb.lookup(0x20_0000, 0), -1);
  assert.is(mmu.tlb.lookup(0x3f_f000, 0), -1);
  assert.ok(mmu.tlb.lookup(0x40_0000, 0) >= 0, 'a page outside it stays cached');
});

test('invlpg drops every cached piece of a 1 GiB page', () => {
  const { pt, mmu } = machine();
  const kva = -0x8000_0000;
  pt.map(kva, 0, PTE_P | PTE_W, SIZE_1G);
  const pieces = [0, 0x1000, 0x20_0000, 0x7f_f000].map((off) => halves(kva + off));
  for (const [lo, hi] of pieces) mmu.read8(lo, hi);
  for (const [lo, hi] of pieces) assert.ok(mmu.tlb.lookup(lo, hi) >= 0);
  const [lo, hi] = halves(kva + 0x3000_0000);
  mmu.invlpg(lo, hi);
  for (const [plo, phi] of pieces) assert.is(mmu.tlb.lookup(plo, phi), -1);
});

test('a CPL change needs no flush: a cached supervisor entry refuses a user access', () => {
  const { pt, mmu } = machine();
  const kva = -0x4000_0000;
  pt.map(kva, 0x50_0000, PTE_P | PTE_W);
  const [lo, hi] = halves(kva);
  mmu.write64(lo, hi, 1, 2);
  mmu.setCpl(3);
  const e = raised(() => mmu.read8(lo, hi));
  assert.is(e?.errorCode, 1 | 4);
  assert.is(e?.address, kva);
});

test('hits and misses are counted', () => {
  const { pt, mmu } = machine();
  pt.map(0x40_0000, 0x50_0000, RWU);
  for (let k = 0; k < 10; k++) mmu.read32(0x40_0000 + 4 * k, 0);
  assert.is(mmu.tlbMisses, 1);
  assert.is(mmu.tlbHits, 9);
});

test('writes to a marked code frame call onCodeWrite once, through the MMU and through noteWrite', () => {
  const { mem, pt, mmu } = machine();
  pt.map(0x40_0000, 0x50_0000, RWU);
  pt.map(0x40_1000, 0x51_0000, RWU);
  const seen: number[] = [];
  mem.onCodeWrite = (f) => seen.push(f);
  mmu.write8(0x40_0000, 0, 1); // a dirty writable entry is cached before the frame becomes code
  mmu.translate(0x40_0000, 0, ACCESS_FETCH);
  mmu.markCode(0x500);
  const slot = mmu.tlb.lookup(0x40_0000, 0);
  assert.ok(mmu.tlb.attr(slot) & ATTR_CODE, 'markCode reaches the cached writable entry');
  mmu.write8(0x40_0001, 0, 2);
  assert.equal(seen, [0x500], 'a store through a previously cached entry notices');
  assert.is(mem.codeFrames[0x500], 0, 'mark cleared first');
  assert.not.ok(mmu.tlb.attr(slot) & ATTR_CODE, 'no longer code: stores may take the fast path again');
  mmu.write8(0x40_0002, 0, 3);
  assert.equal(seen, [0x500], 'once');
  // A frame marked before any translation is cached: the walk's install keeps writes slow.
  mmu.markCode(0x510);
  mmu.write64(0x40_0ffc, 0, 0x0403_0201, 0x0807_0605); // crosses into it
  assert.equal(seen, [0x500, 0x510]);
  assert.is(mem.u8[0x51_0003], 8);
  // translate for a write counts as the write.
  mmu.markCode(0x500);
  mmu.translate(0x40_0000, 0, ACCESS_WRITE);
  assert.equal(seen, [0x500, 0x510, 0x500]);
  // Writers that bypass the MMU.
  mem.codeFrames[0x600] = 1;
  mem.noteWrite(0x600);
  mem.noteWrite(0x600);
  mem.noteWrite(0x601);
  assert.equal(seen, [0x500, 0x510, 0x500, 0x600]);
  mem.codeFrames[0x700] = 1;
  mem.writeBytes(0x6f_fffe, new Uint8Array([1, 2, 3]));
  assert.equal(seen, [0x500, 0x510, 0x500, 0x600, 0x700]);
});

test.run();
