import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ACCESS_READ, ACCESS_WRITE, Mmu } from '../../vm/mmu.js';
import { CpuException, VEC_PF } from '../../vm/exceptions.js';
import {
  PAGE_SIZE, VM_EXEC, VM_READ, VM_SHARED, VM_WRITE,
} from '../../kernel/mm_constants.js';
import {
  PAGE_COPY, PAGE_NONE, PAGE_READONLY_EXEC, PAGE_SHARED, _PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_NX_HI, _PAGE_PRESENT,
  _PAGE_RW, _PAGE_USER, __pte, mk_pte, pfn_pte, pte_dirty, pte_exec, pte_mkclean, pte_mkdirty,
  pte_mkold, pte_mkspecial, pte_mkwrite, pte_mkyoung, pte_modify, pte_none, pte_pfn, pte_present, pte_protnone,
  pte_special, pte_write, pte_wrprotect, pte_young, vm_get_page_prot,
} from '../../kernel/pgtable.js';
import {
  pgd_alloc, pgd_index, pmd_index, pte_index, pud_index, ptep_get, set_pte_at, walk_alloc_pte, walk_pte,
} from '../../kernel/pgalloc.js';
import { nr_free_pages } from '../../kernel/page_alloc.js';
import { machine } from './mm_helpers.js';

test('pte flag helpers round-trip and touch only their bit', () => {
  const base = mk_pte(0x1234, PAGE_COPY);
  assert.is(pte_pfn(base), 0x1234);
  assert.ok(pte_present(base) && !pte_write(base) && !pte_dirty(base) && !pte_exec(base));
  assert.ok(pte_young(base), 'protection values carry _PAGE_ACCESSED as in Linux');
  const w = pte_mkwrite(base);
  assert.ok(pte_write(w));
  assert.equal(pte_wrprotect(w), base);
  const d = pte_mkdirty(base);
  assert.ok(pte_dirty(d));
  assert.not.ok(pte_dirty(pte_mkclean(d)));
  assert.not.ok(pte_young(pte_mkold(base)));
  assert.ok(pte_young(pte_mkyoung(pte_mkold(base))));
  assert.ok(pte_special(pte_mkspecial(base)));
  for (const e of [w, d, pte_mkold(base), pte_mkspecial(base)]) assert.is(pte_pfn(e), 0x1234);
});

test('mk_pte/pte_pfn keep frame numbers above 2^20 and NX in the high half', () => {
  const big = 0x3_4567_8;
  const e = pfn_pte(big, PAGE_SHARED);
  assert.is(pte_pfn(e), big);
  assert.is(e.hi, ((big >>> 20) | _PAGE_NX_HI) >>> 0);
  assert.is(e.lo, ((big & 0xfffff) * 4096 + (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)) >>> 0);
});

test('pte_none ignores A/D; pte_present counts PROT_NONE entries', () => {
  assert.ok(pte_none(__pte(0, 0)));
  assert.ok(pte_none(__pte(_PAGE_ACCESSED | _PAGE_DIRTY, 0)));
  assert.not.ok(pte_none(__pte(0x1000, 0)));
  const none = mk_pte(7, PAGE_NONE);
  assert.is(none.lo & _PAGE_PRESENT, 0, 'not present for the hardware');
  assert.ok(pte_present(none) && pte_protnone(none));
});

test('pte_modify keeps frame, A, D and special; takes the new permissions', () => {
  const old = pte_mkspecial(pte_mkdirty(pte_mkwrite(mk_pte(99, PAGE_SHARED))));
  const ro = pte_modify(old, PAGE_READONLY_EXEC);
  assert.is(pte_pfn(ro), 99);
  assert.ok(pte_dirty(ro) && pte_special(ro) && pte_young(ro));
  assert.not.ok(pte_write(ro));
  assert.ok(pte_exec(ro));
  const gone = pte_modify(old, PAGE_NONE);
  assert.ok(pte_protnone(gone));
  assert.is(pte_pfn(gone), 99);
});

test('vm_get_page_prot follows protection_map: private writable is read-only until COW', () => {
  assert.equal(vm_get_page_prot(VM_READ | VM_WRITE), PAGE_COPY);
  assert.equal(vm_get_page_prot(VM_READ | VM_WRITE | VM_SHARED), PAGE_SHARED);
  assert.equal(vm_get_page_prot(VM_READ | VM_EXEC), PAGE_READONLY_EXEC);
  assert.equal(vm_get_page_prot(0), PAGE_NONE);
});

test('indices split an address like the hardware, kernel half included', () => {
  const a = 0x7fff_ffff_f000;
  assert.equal([pgd_index(a), pud_index(a), pmd_index(a), pte_index(a)], [255, 511, 511, 511]);
  const k = -(2 ** 47); // 0xffff800000000000
  assert.is(pgd_index(k), 256);
  assert.is(pgd_index(-4096), 511);
  assert.is(pte_index(-4096), 511);
  assert.equal([pgd_index(0x401000), pud_index(0x401000), pmd_index(0x401000), pte_index(0x401000)], [0, 0, 2, 1]);
});

test('walk_alloc_pte allocates each missing level once; walk_pte finds the slot', () => {
  const { mm, zone } = machine(256);
  const free0 = nr_free_pages(zone);
  assert.is(walk_pte(mm, 0x400000), null);
  const p = walk_alloc_pte(mm, 0x400000)!;
  assert.is(nr_free_pages(zone), free0 - 3, 'pud, pmd and pte tables');
  assert.is(mm.pgtables_bytes, 3 * PAGE_SIZE);
  assert.is(walk_alloc_pte(mm, 0x401000), p + 8, 'same table, next slot');
  assert.is(nr_free_pages(zone), free0 - 3);
  assert.is(walk_pte(mm, 0x400000), p);
  set_pte_at(mm, 0x400000, p, mk_pte(42, PAGE_SHARED));
  assert.is(pte_pfn(ptep_get(zone.mem, p)), 42);
});

test('pgd_alloc shares the kernel half of init_mm and leaves the user half empty', () => {
  const { zone, init_mm } = machine(64);
  const v = zone.mem.view;
  v.setUint32(init_mm.pgd + 256 * 8, 0x5003, true);
  v.setUint32(init_mm.pgd + 511 * 8, 0x6003, true);
  v.setUint32(init_mm.pgd + 0, 0x7003, true);
  const pgd = pgd_alloc(zone, init_mm.pgd)!;
  assert.is(v.getUint32(pgd + 256 * 8, true), 0x5003);
  assert.is(v.getUint32(pgd + 511 * 8, true), 0x6003);
  assert.is(v.getUint32(pgd, true), 0, 'user half not copied');
});

test('tables built by the kernel translate through the real MMU, and a stale TLB entry persists', () => {
  const { mm, zone } = machine(256);
  const mmu = new Mmu(zone.mem);
  mmu.setCr3(mm.pgd);
  mmu.setCpl(3);
  const addr = 0x601000;
  const p = walk_alloc_pte(mm, addr)!;
  set_pte_at(mm, addr, p, pte_mkwrite(mk_pte(77, PAGE_COPY)));
  assert.is(mmu.translate(addr, 0, ACCESS_WRITE), 77 * PAGE_SIZE);
  assert.ok(pte_dirty(ptep_get(zone.mem, p)), 'the hardware set D');
  // write-protect without a flush: the cached writable translation still works (why mprotect flushes)
  set_pte_at(mm, addr, p, pte_wrprotect(ptep_get(zone.mem, p)));
  assert.is(mmu.translate(addr, 0, ACCESS_WRITE), 77 * PAGE_SIZE);
  mmu.invlpg(addr, 0);
  let fault: unknown;
  try { mmu.translate(addr, 0, ACCESS_WRITE); } catch (e) { fault = e; }
  assert.ok(fault instanceof CpuException && fault.vector === VEC_PF && (fault.errorCode & 3) === 3);
  assert.is(mmu.translate(addr, 0, ACCESS_READ), 77 * PAGE_SIZE);
});

test.run();
