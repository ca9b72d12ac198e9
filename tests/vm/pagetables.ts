// Test helper: builds real 4-level page tables in a PhysicalMemory, taking table frames from a
// bump allocator. Virtual addresses are canonical signed numbers (kernel half negative).
//
//   const pt = new PageTables(mem);              // tables from frame 1 up; root at pt.cr3
//   pt.map(0x400000, 0x10000, PTE_P | PTE_W | PTE_U);           // 4 KiB
//   pt.map(0x200000, 0x200000, PTE_P | PTE_W, SIZE_2M, { nx: true });
//   pt.mapRange(0x600000, 0x20000, 3 * 4096, PTE_P | PTE_U, { nx: true });
//   mmu.setCr3(pt.cr3);

import type { PhysicalMemory } from '../../vm/memory.js';
import { PTE_HI_NX, PTE_P, PTE_PS, PTE_U, PTE_W } from '../../vm/paging.js';

export const SIZE_4K = 0x1000;
export const SIZE_2M = 0x20_0000;
export const SIZE_1G = 0x4000_0000;

export interface MapOptions {
  /** Set NX (bit 63) in the leaf. */
  nx?: boolean;
  /** Low-half flags for tables created on the way (default P|W|U: the leaf decides). */
  tableFlags?: number;
  /** Set NX in tables created on the way. */
  tableNx?: boolean;
}

const TWO32 = 0x1_0000_0000;

/** The two int32 halves of a canonical signed address. */
export function halves(virt: number): [lo: number, hi: number] {
  const hi = Math.floor(virt / TWO32);
  return [(virt - hi * TWO32) | 0, hi | 0];
}

/** Index of `virt` in the table at `level` (3: PML4 ... 0: PT). */
export function indexAt(virt: number, level: number): number {
  const v48 = virt < 0 ? virt + 2 ** 48 : virt;
  return Math.floor(v48 / 2 ** (12 + 9 * level)) % 512;
}

export class PageTables {
  readonly cr3: number;
  private next: number;

  /** Tables are allocated upward from physical address `firstTable` (default 0x1000). */
  constructor(readonly mem: PhysicalMemory, firstTable = 0x1000, readonly limit = mem.size) {
    this.next = firstTable;
    this.cr3 = this.alloc();
  }

  /** A zeroed 4 KiB frame from the bump allocator. */
  alloc(): number {
    const a = this.next;
    if (a + 0x1000 > this.limit) throw new Error('PageTables: out of table frames');
    this.next += 0x1000;
    this.mem.u8.fill(0, a, a + 0x1000);
    return a;
  }

  /** Maps one page of `size` at `virt` to `phys` with leaf flags `flags` (PS is added for large pages). */
  map(virt: number, phys: number, flags: number, size = SIZE_4K, opts: MapOptions = {}): void {
    const leafLevel = size === SIZE_1G ? 2 : size === SIZE_2M ? 1 : 0;
    let table = this.cr3;
    for (let level = 3; level > leafLevel; level--) {
      const ea = table + indexAt(virt, level) * 8;
      let lo = this.mem.view.getInt32(ea, true);
      if (!(lo & PTE_P)) {
        const t = this.alloc();
        this.writeEntry(ea, t, opts.tableFlags ?? (PTE_P | PTE_W | PTE_U), opts.tableNx ?? false);
        lo = t;
      }
      table = (lo & ~0xfff) >>> 0;
    }
    const ps = leafLevel > 0 ? PTE_PS : 0;
    this.writeEntry(table + indexAt(virt, leafLevel) * 8, phys, flags | ps, opts.nx ?? false);
  }

  /** Maps `bytes` (rounded up to pages) at `virt` to consecutive frames from `phys`, 4 KiB pages. */
  mapRange(virt: number, phys: number, bytes: number, flags: number, opts: MapOptions = {}): void {
    for (let off = 0; off < bytes; off += SIZE_4K) this.map(virt + off, phys + off, flags, SIZE_4K, opts);
  }

  /** Physical address of the entry for `virt` at `level`, following present entries (-1 if none). */
  entryAddr(virt: number, level = 0): number {
    let table = this.cr3;
    for (let l = 3; l > level; l--) {
      const lo = this.mem.view.getInt32(table + indexAt(virt, l) * 8, true);
      if (!(lo & PTE_P)) return -1;
      table = (lo & ~0xfff) >>> 0;
    }
    return table + indexAt(virt, level) * 8;
  }

  /** Low half of the entry for `virt` at `level`. */
  entryLo(virt: number, level = 0): number {
    return this.mem.view.getInt32(this.entryAddr(virt, level), true);
  }

  /** High half of the entry for `virt` at `level`. */
  entryHi(virt: number, level = 0): number {
    return this.mem.view.getInt32(this.entryAddr(virt, level) + 4, true);
  }

  /** Overwrites the entry for `virt` at `level` (low and optionally high half), no TLB flush. */
  setEntry(virt: number, level: number, lo: number, hi?: number): void {
    const ea = this.entryAddr(virt, level);
    this.mem.view.setInt32(ea, lo, true);
    if (hi !== undefined) this.mem.view.setInt32(ea + 4, hi, true);
  }

  private writeEntry(ea: number, phys: number, flags: number, nx: boolean): void {
    const hi = Math.floor(phys / TWO32);
    this.mem.view.setInt32(ea, ((phys % TWO32) & ~0xfff) | (flags & 0xfff), true);
    this.mem.view.setInt32(ea + 4, hi | (nx ? PTE_HI_NX : 0), true);
  }
}
