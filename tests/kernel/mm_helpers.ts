// Shared fixtures for the memory-management tests: a machine's memory with a zone, a recording TLB,
// an mm, and a stand-in for the anonymous write fault (the real fault path lives elsewhere).

import { PhysicalMemory } from '../../vm/memory.js';
import { MM_ANONPAGES, PAGE_SIZE, VM_WRITE } from '../../kernel/mm_constants.js';
import { inc_mm_counter, type mm_struct, type TlbFlush } from '../../kernel/mm_types.js';
import { arch_pick_mmap_layout, init_mm_create, mm_alloc } from '../../kernel/mm_init.js';
import { GFP_HIGHUSER_MOVABLE, __GFP_ZERO, alloc_page, free_area_init, type Zone } from '../../kernel/page_alloc.js';
import { set_pte_at, walk_alloc_pte, walk_pte, ptep_get } from '../../kernel/pgalloc.js';
import { mk_pte, pte_mkdirty, pte_mkwrite, type pte_t } from '../../kernel/pgtable.js';
import { anon_vma_prepare, page_add_new_anon_rmap } from '../../kernel/rmap.js';
import { find_vma } from '../../kernel/vma.js';

/** Records every flush; `pages` lists invlpg addresses, `all` counts full flushes. */
export class RecordingTlb implements TlbFlush {
  pages: number[] = [];
  all = 0;
  flushPage(addr: number): void { this.pages.push(addr); }
  flushAll(): void { this.all++; }
  reset(): void { this.pages = []; this.all = 0; }
  /** Was addr's translation dropped (by invlpg or a full flush)? */
  covers(addr: number): boolean { return this.all > 0 || this.pages.includes(addr); }
}

export interface Machine {
  mem: PhysicalMemory;
  zone: Zone;
  tlb: RecordingTlb;
  init_mm: mm_struct;
  mm: mm_struct;
}

/** A machine with `frames` frames, the first 16 reserved for the kernel image. */
export function machine(frames = 4096): Machine {
  const mem = new PhysicalMemory(frames * PAGE_SIZE);
  const zone = free_area_init(mem, 16);
  const tlb = new RecordingTlb();
  const init_mm = init_mm_create(zone, tlb)!;
  const mm = mm_alloc(zone, tlb, init_mm)!;
  arch_pick_mmap_layout(mm);
  return { mem, zone, tlb, init_mm, mm };
}

/** What do_anonymous_page does for a write: a zeroed page, mapped writable+dirty if VM_WRITE. */
export function touch(mm: mm_struct, addr: number): number {
  const vma = find_vma(mm, addr);
  if (vma === null || vma.vm_start > addr) throw new Error(`no VMA at ${addr.toString(16)}`);
  const ptep = walk_alloc_pte(mm, addr);
  if (ptep === null) throw new Error('out of memory for page tables');
  const pfn = alloc_page(mm.zone, GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
  if (pfn === null) throw new Error('out of memory');
  anon_vma_prepare(vma);
  page_add_new_anon_rmap(mm.zone.mem_map, pfn, vma, addr);
  inc_mm_counter(mm, MM_ANONPAGES);
  let entry = mk_pte(pfn, vma.vm_page_prot);
  if (vma.vm_flags & VM_WRITE) entry = pte_mkwrite(pte_mkdirty(entry));
  set_pte_at(mm, addr, ptep, entry);
  return pfn;
}

/** The pte for addr, or null when no page table covers it. */
export function pte_at(mm: mm_struct, addr: number): pte_t | null {
  const p = walk_pte(mm, addr);
  return p === null ? null : ptep_get(mm.zone.mem, p);
}

/** [start, end, flags] of every VMA, for compact comparisons. */
export function layout(mm: mm_struct): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let v = mm.mmap; v !== null; v = v.vm_next) out.push([v.vm_start, v.vm_end, v.vm_flags]);
  return out;
}

/** mulberry32: a small seeded generator so random sequences repeat exactly. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
