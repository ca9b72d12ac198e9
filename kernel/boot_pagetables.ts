// The kernel half of the address space, built at boot before the page allocator exists (Linux 5.10
// arch/x86/mm/init_64.c kernel_physical_mapping_init for the direct map, arch/x86/kernel/head_64.S for
// the kernel image): frames come from a bump allocator (memblock's job), and every later address space
// shares these top-level entries (pgd_alloc copies pgd slots 256..511 from init_mm).

import type { PhysicalMemory } from '../vm/memory.js';
import type { KernelImage } from './kernel_image.js';
import { PAGE_SIZE, PMD_SIZE } from './mm_constants.js';
import { _KERNPG_TABLE, _PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_GLOBAL, _PAGE_NX_HI, _PAGE_PRESENT, _PAGE_PSE, _PAGE_RW } from './pgtable.js';
import { pgd_index, pmd_index, pte_index, pud_index } from './pgalloc.js';
import { hi32, lo32 } from './ptrace.js';

/** __PAGE_OFFSET (5.10, 4-level paging, no KASLR): physical address 0 in the direct map. */
export const PAGE_OFFSET = -0x0000_7780_0000_0000; // 0xffff888000000000 as a signed number
/** THREAD_SIZE on x86-64 (16 KiB, KASAN off). */
export const THREAD_SIZE = 16 * 1024;

// __PAGE_KERNEL_LARGE / PAGE_KERNEL_RX / PAGE_KERNEL_RO without _PAGE_USER: supervisor only, global.
const KERN = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL;

/** memblock: frames handed out one after the other from frame 1 (frame 0 stays unused, as the BIOS page). */
export class BootAllocator {
  next = 1;
  constructor(readonly mem: PhysicalMemory) {}

  /** A zeroed frame's physical address (RangeError when memory cannot even hold the kernel). */
  alloc(): number {
    if ((this.next + 1) * PAGE_SIZE > this.mem.size) throw new RangeError('physical memory too small for the kernel');
    const pa = this.next++ * PAGE_SIZE;
    this.mem.zeroFrame(pa / PAGE_SIZE);
    return pa;
  }
}

function readEntry(mem: PhysicalMemory, ea: number): { lo: number; hi: number } {
  return { lo: mem.view.getInt32(ea, true), hi: mem.view.getInt32(ea + 4, true) };
}

function writeEntry(mem: PhysicalMemory, ea: number, lo: number, hi: number): void {
  mem.view.setInt32(ea, lo, true);
  mem.view.setInt32(ea + 4, hi, true);
  mem.noteWrite(Math.floor(ea / PAGE_SIZE));
}

/** The next-level table an entry points at, allocated (and linked as _KERNPG_TABLE) when missing. */
function tableAt(boot: BootAllocator, ea: number): number {
  const e = readEntry(boot.mem, ea);
  if (e.lo & _PAGE_PRESENT) return (e.lo & ~0xfff) >>> 0;
  const t = boot.alloc();
  writeEntry(boot.mem, ea, t | _KERNPG_TABLE, 0);
  return t;
}

/** The PTE slot for a kernel virtual address, allocating missing tables. */
function kernelPte(boot: BootAllocator, pgd: number, va: number): number {
  const pud = tableAt(boot, pgd + pgd_index(va) * 8);
  const pmd = tableAt(boot, pud + pud_index(va) * 8);
  const pt = tableAt(boot, pmd + pmd_index(va) * 8);
  return pt + pte_index(va) * 8;
}

// Linux 5.10 arch/x86/mm/init_64.c phys_pmd_init/phys_pte_init: the direct map of all physical memory,
// 2 MiB pages where a whole one fits, 4 KiB pages for the tail; RW, NX, global, supervisor only
export function map_direct(boot: BootAllocator, pgd: number): void {
  const size = boot.mem.size;
  for (let pa = 0; pa < size; pa += PMD_SIZE) {
    const va = PAGE_OFFSET + pa;
    if (pa + PMD_SIZE <= size) {
      const pud = tableAt(boot, pgd + pgd_index(va) * 8);
      const pmd = tableAt(boot, pud + pud_index(va) * 8);
      writeEntry(boot.mem, pmd + pmd_index(va) * 8, lo32(pa) | KERN | _PAGE_RW | _PAGE_PSE, hi32(pa) | _PAGE_NX_HI);
      continue;
    }
    for (let p = pa; p < size; p += PAGE_SIZE) {
      writeEntry(boot.mem, kernelPte(boot, pgd, PAGE_OFFSET + p), lo32(p) | KERN | _PAGE_RW, hi32(p) | _PAGE_NX_HI);
    }
  }
}

/** __va: the direct-map address of a physical address. */
export function __va(pa: number): number {
  return PAGE_OFFSET + pa;
}

/**
 * Loads the kernel image into fresh frames and maps it at its link address (head_64.S's level2_kernel_pgt):
 * pages below text_end R-X, the rest (the __ex_table) read-only and NX; supervisor only, global.
 */
export function map_kernel_image(boot: BootAllocator, pgd: number, image: KernelImage): void {
  for (let off = 0; off < image.size; off += PAGE_SIZE) {
    const pa = boot.alloc();
    boot.mem.writeBytes(pa, image.bytes.subarray(off, off + PAGE_SIZE));
    const va = image.base + off;
    writeEntry(boot.mem, kernelPte(boot, pgd, va), pa | KERN, va < image.text_end ? 0 : _PAGE_NX_HI);
  }
}

/** The boot task's kernel stack: THREAD_SIZE of consecutive frames; returns its top in the direct map. */
export function kernel_stack_alloc(boot: BootAllocator): number {
  let top = 0;
  for (let i = 0; i < THREAD_SIZE / PAGE_SIZE; i++) top = boot.alloc() + PAGE_SIZE;
  return __va(top);
}
