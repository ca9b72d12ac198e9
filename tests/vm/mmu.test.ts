import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CpuException, VEC_GP, VEC_PF } from '../../vm/exceptions.js';
import { PhysicalMemory } from '../../vm/memory.js';
import { ACCESS_FETCH, ACCESS_READ, ACCESS_WRITE, Mmu } from '../../vm/mmu.js';
import {
  CR0_WP, CR4_SMAP, CR4_SMEP, EFER_NXE, PTE_A, PTE_D, PTE_HI_NX, PTE_P, PTE_PS, PTE_U, PTE_W,
} from '../../vm/paging.js';
import { PageTables, SIZE_1G, SIZE_2M, halves } from './pagetables.js';

const RWU = PTE_P | PTE_W | PTE_U;

function machine(bytes = 1 << 23) {
  const mem = new PhysicalMemory(bytes);
  const pt = new PageTables(mem);
  const mmu = new Mmu(mem);
  mmu.setCr3(pt.cr3);
  return { mem, pt, mmu };
}

/** Runs fn; returns the CpuException it threw, or undefined. */
function raised(fn: () => unknown): CpuException | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof CpuException) return e;
    throw e;
  }
}

function access(mmu: Mmu, virt: number, kind: number): void {
  const [lo, hi] = halves(virt);
  mmu.translate(lo, hi, kind);
}

// ---- the permission table, straight from Intel SDM vol. 3 §4.6 and §4.7 ----

interface Combo {
  present: boolean; rw: boolean; us: boolean; nx: boolean;
  kind: number; cpl: 0 | 3; wp: boolean; smap: boolean; ac: boolean; smep: boolean; nxe: boolean;
}

/**
 * The SDM's answer: undefined if the access is allowed, else the #PF error code. The walk stops at
 * the first entry that is not present (its other bits are ignored) or has a reserved bit set, so
 * `nxAbovePresent` says whether the NX bit sits in an entry walked before the P bit under test.
 */
function sdmOutcome(c: Combo, nxAbovePresent: boolean): number | undefined {
  const write = c.kind === ACCESS_WRITE, fetch = c.kind === ACCESS_FETCH, user = c.cpl === 3;
  // §4.7: W = write, U = CPL 3, I = fetch when (PAE and NXE) or SMEP.
  const code = (write ? 2 : 0) | (user ? 4 : 0) | (fetch && (c.nxe || c.smep) ? 16 : 0);
  const reserved = c.nx && !c.nxe; // bit 63 is reserved when NXE = 0
  if (reserved && nxAbovePresent) return code | 1 | 8;
  if (!c.present) return code; // P = 0: not present
  if (reserved) return code | 1 | 8;
  const executeDisabled = c.nx && c.nxe;
  let allowed: boolean;
  if (user) {
    // §4.6.1 user-mode accesses: only user pages; writes need R/W at every level; fetches need XD = 0.
    allowed = c.us && (write ? c.rw : fetch ? !executeDisabled : true);
  } else if (fetch) {
    // Supervisor fetches: never from a user page with SMEP; never from an XD page.
    allowed = !(c.us && c.smep) && !executeDisabled;
  } else {
    // Supervisor data: SMAP forbids user pages unless EFLAGS.AC = 1; writes to read-only need WP = 0.
    const smapBlocks = c.us && c.smap && !c.ac;
    allowed = !smapBlocks && (!write || c.rw || !c.wp);
  }
  return allowed ? undefined : code | 1;
}

function* combos(): Generator<Combo> {
  const tf = [false, true];
  for (const present of tf) for (const rw of tf) for (const us of tf) for (const nx of tf)
    for (const kind of [ACCESS_READ, ACCESS_WRITE, ACCESS_FETCH]) for (const cpl of [0, 3] as const)
      for (const wp of tf) for (const smap of tf) for (const ac of tf) for (const smep of tf) for (const nxe of tf)
        yield { present, rw, us, nx, kind, cpl, wp, smap, ac, smep, nxe };
}

const VIRT = 0x7f12_3456_7000; // indices non-zero at every level
const PHYS = 0x40_0000;

/**
 * Checks every combination with the restricting bits either all in the leaf (spread = false) or
 * each at a different level (spread = true: P in the PD, R/W in the PDPT, U/S in the PT, NX in the PML4).
 */
function checkAllCombos(spread: boolean): number {
  const { mem, pt, mmu } = machine();
  pt.map(VIRT, PHYS, RWU);
  const addrs = [0, 1, 2, 3].map((l) => pt.entryAddr(VIRT, l));
  const targets = [0, 1, 2, 3].map((l) => (mem.view.getInt32(addrs[l], true) & ~0xfff) >>> 0);
  const levelOf = spread ? { p: 1, rw: 2, us: 0, nx: 3 } : { p: 0, rw: 0, us: 0, nx: 0 };
  let checked = 0;
  for (const c of combos()) {
    for (let l = 0; l < 4; l++) {
      let lo = targets[l] | RWU;
      if (levelOf.p === l && !c.present) lo &= ~PTE_P;
      if (levelOf.rw === l && !c.rw) lo &= ~PTE_W;
      if (levelOf.us === l && !c.us) lo &= ~PTE_U;
      mem.view.setInt32(addrs[l], lo, true);
      mem.view.setInt32(addrs[l] + 4, levelOf.nx === l && c.nx ? PTE_HI_NX : 0, true);
    }
    mmu.setCpl(c.cpl);
    mmu.setAc(c.ac);
    mmu.setCr0(c.wp ? mmu.cr0 | CR0_WP : mmu.cr0 & ~CR0_WP);
    mmu.setCr4((mmu.cr4 & ~(CR4_SMAP | CR4_SMEP)) | (c.smap ? CR4_SMAP : 0) | (c.smep ? CR4_SMEP : 0));
    mmu.setEfer(c.nxe ? mmu.efer | EFER_NXE : mmu.efer & ~EFER_NXE);
    mmu.flushAll();
    const e = raised(() => access(mmu, VIRT, c.kind));
    const want = sdmOutcome(c, levelOf.nx > levelOf.p);
    const what = JSON.stringify(c);
    if (want === undefined) {
      assert.is(e, undefined, `allowed: ${what}`);
      const leaf = mem.view.getInt32(addrs[0], true);
      for (let l = 0; l < 4; l++) assert.ok(mem.view.getInt32(addrs[l], true) & PTE_A, `A at level ${l}: ${what}`);
      assert.is((leaf & PTE_D) !== 0, c.kind === ACCESS_WRITE, `D only on write: ${what}`);
    } else {
      assert.ok(e, `faults: ${what}`);
      assert.is(e!.vector, VEC_PF, what);
      assert.is(e!.errorCode, want, `error code: ${what}`);
      assert.is(e!.address, VIRT, what);
      // The walk stops at the highest entry that is not present or reserved (else at the leaf).
      // Entries above it were used and carry A; it and the entries below are untouched.
      let stop = 0;
      if (c.nx && !c.nxe) stop = Math.max(stop, levelOf.nx);
      if (!c.present) stop = Math.max(stop, levelOf.p);
      for (let l = 0; l < 4; l++) {
        const bits = mem.view.getInt32(addrs[l], true) & (PTE_A | PTE_D);
        assert.is(bits, l > stop ? PTE_A : 0, `A/D at level ${l} after a fault: ${what}`);
      }
    }
    checked++;
  }
  return checked;
}

test('every {P,R/W,U/S,NX} x access x CPL x WP x SMAP/AC x SMEP x NXE matches the SDM (bits in the leaf)', () => {
  assert.is(checkAllCombos(false), 16 * 3 * 2 * 2 * 2 * 2 * 2 * 2);
});

test('every combination matches the SDM with the restricting bits at different levels', () => {
  assert.is(checkAllCombos(true), 3072);
});

test('translation of 4 KiB pages lands on the mapped frame with the page offset', () => {
  const { pt, mmu } = machine();
  pt.map(0x40_1000, 0x12_3000, RWU);
  pt.map(-0x8000_0000 + 0x5000, 0x7_7000, PTE_P | PTE_W); // kernel half
  assert.is(mmu.translate(0x40_1abc, 0, ACCESS_READ), 0x12_3abc);
  const [lo, hi] = halves(-0x8000_0000 + 0x5ff8);
  assert.is(mmu.translate(lo, hi, ACCESS_WRITE), 0x7_7ff8);
});

// ---- reserved bits ----

const RSVD_FAULT = 1 | 8;

function rsvdCase(setup: (pt: PageTables, mem: PhysicalMemory) => number, kind = ACCESS_READ, virt = 0x20_0000) {
  const { mem, pt, mmu } = machine();
  const expectedVirt = setup(pt, mem);
  mmu.flushAll();
  return { e: raised(() => access(mmu, expectedVirt ?? virt, kind)), mem, pt };
}

test('physical-address bits 51:48 set at any level -> #PF P|RSVD (MAXPHYADDR = 48)', () => {
  for (let level = 0; level < 4; level++) {
    for (const bit of [16, 19]) { // entry bits 48 and 51
      const { e } = rsvdCase((pt) => {
        pt.map(0x20_0000, 0x30_0000, RWU);
        pt.setEntry(0x20_0000, level, pt.entryLo(0x20_0000, level), 1 << bit);
        return 0x20_0000;
      }, ACCESS_WRITE);
      assert.is(e?.vector, VEC_PF, `level ${level} bit ${bit + 32}`);
      assert.is(e?.errorCode, RSVD_FAULT | 2, `level ${level} bit ${bit + 32}`);
    }
  }
});

test('bits 62:52 (ignored, protection key) do not fault; bits 47:32 address memory beyond 4 GiB', () => {
  const { e } = rsvdCase((pt) => {
    pt.map(0x20_0000, 0x30_0000, RWU);
    pt.setEntry(0x20_0000, 0, pt.entryLo(0x20_0000, 0), 0x7ff0_0000);
    return 0x20_0000;
  });
  assert.is(e, undefined);
  const far = rsvdCase((pt) => {
    pt.map(0x20_0000, 0x30_0000, RWU);
    pt.setEntry(0x20_0000, 0, pt.entryLo(0x20_0000, 0), 0x1); // frame at 4 GiB + 3 MiB: no such memory
    return 0x20_0000;
  });
  assert.is(far.e?.errorCode, RSVD_FAULT);
});

test('PS in a PML4E, bits 20:13 of a 2 MiB PDE, bits 29:13 of a 1 GiB PDPTE -> RSVD', () => {
  const pml4 = rsvdCase((pt) => {
    pt.map(0x20_0000, 0x30_0000, RWU);
    pt.setEntry(0x20_0000, 3, pt.entryLo(0x20_0000, 3) | PTE_PS);
    return 0x20_0000;
  });
  assert.is(pml4.e?.errorCode, RSVD_FAULT);
  for (const bit of [13, 20]) {
    const pde = rsvdCase((pt) => { pt.map(0x20_0000, 0x40_0000 | (1 << bit), RWU, SIZE_2M); return 0x20_0000; });
    assert.is(pde.e?.errorCode, RSVD_FAULT, `2M bit ${bit}`);
  }
  for (const bit of [13, 21, 29]) {
    const pdpte = rsvdCase((pt) => { pt.map(0x4000_0000, 1 << bit, RWU, SIZE_1G); return 0x4000_0000; });
    assert.is(pdpte.e?.errorCode, RSVD_FAULT, `1G bit ${bit}`);
  }
  // Bit 12 of a large-page entry is PAT, not reserved.
  const pat = rsvdCase((pt) => { pt.map(0x20_0000, 0x40_0000 | 0x1000, RWU, SIZE_2M); return 0x20_0000; });
  assert.is(pat.e, undefined);
});

test('RSVD error code carries W, U and I of the access', () => {
  const { mem, pt, mmu } = machine();
  pt.map(0x20_0000, 0x30_0000, RWU);
  pt.setEntry(0x20_0000, 0, pt.entryLo(0x20_0000, 0), 1 << 18);
  mmu.setCpl(3);
  assert.is(raised(() => access(mmu, 0x20_0000, ACCESS_FETCH))?.errorCode, RSVD_FAULT | 4 | 16);
  assert.is(raised(() => access(mmu, 0x20_0000, ACCESS_WRITE))?.errorCode, RSVD_FAULT | 4 | 2);
  assert.ok(mem.view.getInt32(pt.entryAddr(0x20_0000, 3), true) & PTE_A, 'tables walked through get A');
  assert.not.ok(mem.view.getInt32(pt.entryAddr(0x20_0000, 0), true) & PTE_A, 'the faulting leaf does not');
});

test('a page table beyond physical memory -> RSVD', () => {
  const { pt, mmu } = machine(1 << 22);
  pt.map(0x20_0000, 0x30_0000, RWU);
  pt.setEntry(0x20_0000, 1, 0x80_0000 | RWU); // PD entry points past the 4 MiB of memory
  assert.is(raised(() => access(mmu, 0x20_0000, ACCESS_READ))?.errorCode, RSVD_FAULT);
});

// ---- large pages ----

test('2 MiB pages: translation, A/D in the PDE, permissions combined with upper levels', () => {
  const { mem, pt, mmu } = machine(1 << 24);
  pt.map(0x60_0000, 0x80_0000, PTE_P | PTE_W | PTE_U, SIZE_2M);
  assert.is(mmu.translate(0x7f_f123, 0, ACCESS_READ), 0x9f_f123);
  const pde = pt.entryAddr(0x60_0000, 1);
  assert.is(mem.view.getInt32(pde, true) & (PTE_A | PTE_D), PTE_A);
  mmu.write32(0x61_2344, 0, 0x0bad_cafe);
  assert.is(mem.view.getInt32(0x81_2344, true), 0x0bad_cafe);
  assert.is(mem.view.getInt32(pde, true) & (PTE_A | PTE_D), PTE_A | PTE_D);
  // U/S clear in the PDPTE makes the whole 2 MiB page supervisor-only.
  pt.setEntry(0x60_0000, 2, pt.entryLo(0x60_0000, 2) & ~PTE_U);
  mmu.flushAll();
  mmu.setCpl(3);
  assert.is(raised(() => mmu.read8(0x60_0000, 0))?.errorCode, 1 | 4);
});

test('1 GiB pages: translation of offsets across the whole page', () => {
  const { mem, pt, mmu } = machine(1 << 24);
  // A 1 GiB page at physical 0 (memory covers its first 16 MiB); the virtual page is in the kernel half.
  const virt = -0x8000_0000;
  pt.map(virt, 0, PTE_P | PTE_W, SIZE_1G);
  const [lo, hi] = halves(virt + 0xab_cdef);
  assert.is(mmu.translate(lo, hi, ACCESS_READ), 0xab_cdef);
  assert.is(mem.view.getInt32(pt.entryAddr(virt, 2), true) & (PTE_A | PTE_D), PTE_A);
  // Beyond the end of memory inside the same 1 GiB page: no frame there.
  const [lo2, hi2] = halves(virt + 0x2000_0000);
  assert.is(raised(() => mmu.translate(lo2, hi2, ACCESS_READ))?.errorCode, RSVD_FAULT);
});

// ---- canonical addresses ----

test('a non-canonical address raises #GP(0), never #PF, for every access and size', () => {
  const { mmu } = machine();
  for (const hi of [0x0000_8000, 0xffff_7fff | 0, 0x1234_0000, 0x8000_0000 | 0]) {
    for (const kind of [ACCESS_READ, ACCESS_WRITE, ACCESS_FETCH]) {
      const e = raised(() => mmu.translate(0x1000, hi, kind));
      assert.is(e?.vector, VEC_GP);
      assert.is(e?.errorCode, 0);
    }
    assert.is(raised(() => mmu.read64(0, hi))?.vector, VEC_GP);
    assert.is(raised(() => mmu.write16(0, hi, 1))?.vector, VEC_GP);
  }
  // An access that runs off the top of the lower half is non-canonical on its second page.
  const { pt, mmu: m2 } = machine();
  pt.map(0x7fff_ffff_f000, 0x30_0000, RWU);
  const [lo, hi] = halves(0x7fff_ffff_fffc);
  assert.is(raised(() => m2.read64(lo, hi))?.vector, VEC_GP);
});

// ---- sizes, endianness, page crossing ----

test('reads and writes of 1, 2, 4 and 8 bytes are little-endian, at every offset across a page boundary', () => {
  const { mem, pt, mmu } = machine();
  // Two adjacent virtual pages on frames that are not adjacent (and in reverse order).
  pt.map(0x1_0000_0000 - 0x1000, 0x50_0000, RWU); // crossing also carries into the high half
  pt.map(0x1_0000_0000, 0x40_0000, RWU);
  const base = 0x1_0000_0000 - 8;
  for (let off = 0; off < 8; off++) {
    const [lo, hi] = halves(base + off);
    mmu.write64(lo, hi, 0x0403_0201, 0x0807_0605);
    const bytes = [];
    for (let k = 0; k < 8; k++) {
      const v = base + off + k;
      bytes.push(v < 0x1_0000_0000 ? mem.u8[0x50_0000 + (v - 0xffff_f000)] : mem.u8[0x40_0000 + (v - 0x1_0000_0000)]);
    }
    assert.equal(bytes, [1, 2, 3, 4, 5, 6, 7, 8], `write64 at +${off}`);
    mmu.read64(lo, hi);
    assert.equal([mmu.rlo, mmu.rhi], [0x0403_0201, 0x0807_0605], `read64 at +${off}`);
    assert.is(mmu.read32(lo, hi), 0x0403_0201, `read32 at +${off}`);
    assert.is(mmu.read16(lo, hi), 0x0201, `read16 at +${off}`);
    assert.is(mmu.read8(lo, hi), 1, `read8 at +${off}`);
    mmu.write32(lo, hi, 0xf1f2_f3f4 | 0);
    assert.is(mmu.read32(lo, hi), 0xf1f2_f3f4 | 0, `write32 at +${off}`);
    mmu.write16(lo, hi, 0xa1b2);
    assert.is(mmu.read16(lo, hi), 0xa1b2, `write16 (zero-extended) at +${off}`);
    mmu.write8(lo, hi, 0x1ff);
    assert.is(mmu.read8(lo, hi), 0xff, `write8 keeps the low byte at +${off}`);
    mmu.read64(lo, hi);
    assert.equal([mmu.rlo, mmu.rhi], [0xf1f2_a1ff | 0, 0x0807_0605], `mixed at +${off}`);
  }
});

test('a store crossing into a faulting page writes nothing and reports the second page', () => {
  const { mem, pt, mmu } = machine();
  pt.map(0x30_0000, 0x50_0000, RWU);
  pt.map(0x30_1000, 0x51_0000, PTE_P | PTE_U); // read-only second page
  mmu.setCpl(3);
  mem.u8.fill(0xee, 0x50_0ff0, 0x50_1000);
  for (const [size, store] of [
    [2, () => mmu.write16(0x30_0fff, 0, 0x1111)],
    [4, () => mmu.write32(0x30_0ffd, 0, 0x1111_1111)],
    [8, () => mmu.write64(0x30_0ff9, 0, 0x1111_1111, 0x1111_1111)],
  ] as const) {
    const e = raised(store);
    assert.is(e?.vector, VEC_PF, `size ${size}`);
    assert.is(e?.errorCode, 1 | 2 | 4, `size ${size}`);
    assert.is(e?.address, 0x30_1000, `size ${size}`);
    assert.equal([...mem.u8.subarray(0x50_0ff0, 0x50_1000)], new Array(16).fill(0xee), `size ${size}: nothing written`);
    assert.is(mem.u8[0x51_0000], 0, `size ${size}`);
  }
  // Not present second page: a read crossing into it faults there too, with P = 0.
  const e = raised(() => mmu.read32(0x31_0ffe, 0));
  assert.is(e?.address, 0x31_0ffe, 'an unmapped first page faults at the access address itself');
  pt.map(0x31_0000, 0x52_0000, RWU);
  mmu.flushAll();
  const e2 = raised(() => mmu.read32(0x31_0ffe, 0));
  assert.is(e2?.address, 0x31_1000);
  assert.is(e2?.errorCode, 4);
});

test('the fault address of a kernel-half page is the canonical negative number', () => {
  const { mmu } = machine();
  const [lo, hi] = halves(-0x1000);
  const e = raised(() => mmu.read8(lo, hi));
  assert.is(e?.vector, VEC_PF);
  assert.is(e?.address, -0x1000);
  assert.is(e?.errorCode, 0);
});

test.run();
