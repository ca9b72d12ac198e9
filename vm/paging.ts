// 4-level paging (Intel SDM vol. 3 ch. 4, IA-32e): the paging-structure entry format, the
// permission rules of §4.6, the #PF error code of §4.7, and the page walk itself.
// Entries are 64-bit little-endian values in guest physical memory, read as two int32 halves.

import { PF_INSTR, PF_PROT, PF_RSVD, PF_USER, PF_WRITE } from './exceptions.js';
import type { PhysicalMemory } from './memory.js';

// Low half of an entry (bits 31:0).
export const PTE_P = 1 << 0; // present
export const PTE_W = 1 << 1; // R/W: writes allowed
export const PTE_U = 1 << 2; // U/S: user accesses allowed
export const PTE_PWT = 1 << 3;
export const PTE_PCD = 1 << 4;
export const PTE_A = 1 << 5; // accessed: set by the walk
export const PTE_D = 1 << 6; // dirty: set in the leaf on a write
export const PTE_PS = 1 << 7; // page size: 1 GiB in a PDPTE, 2 MiB in a PDE (PAT in a PTE)
export const PTE_G = 1 << 8; // global: survives CR3 writes when CR4.PGE=1
// High half of an entry (bits 63:32).
export const PTE_HI_NX = 1 << 31; // bit 63: execute disable (reserved when EFER.NXE=0)
export const PTE_HI_PKEY_SHIFT = 27; // bits 62:59: protection key (stored; checked in v2)

/** MAXPHYADDR of this machine (and of the host it was measured on): entry bits 51:48 are reserved. */
export const MAXPHYADDR = 48;
const RSVD_HI_ADDR = 0x000f_0000; // bits 51:48 of an entry, seen in its high half
const RSVD_1G = 0x3fff_e000; // bits 29:13 of a PDPTE that maps 1 GiB
const RSVD_2M = 0x001f_e000; // bits 20:13 of a PDE that maps 2 MiB

// Control-register bits the MMU cares about.
export const CR0_WP = 1 << 16;
export const CR0_PG = 1 << 31;
export const CR4_PSE = 1 << 4;
export const CR4_PAE = 1 << 5;
export const CR4_PGE = 1 << 7;
export const CR4_SMEP = 1 << 20;
export const CR4_SMAP = 1 << 21;
export const CR4_PKE = 1 << 22;
export const EFER_NXE = 1 << 11;

// Access kinds (also the index into the MMU's per-access permission masks).
export const ACCESS_READ = 0;
export const ACCESS_WRITE = 1;
export const ACCESS_FETCH = 2;

// The processor mode, folded into 6 bits: everything the permission check depends on.
export const MODE_USER = 1 << 0; // CPL 3
export const MODE_AC = 1 << 1; // EFLAGS.AC
export const MODE_WP = 1 << 2; // CR0.WP
export const MODE_SMAP = 1 << 3; // CR4.SMAP
export const MODE_SMEP = 1 << 4; // CR4.SMEP
export const MODE_NXE = 1 << 5; // EFER.NXE
export const MODE_COUNT = 64;

// A translation's attributes, as cached in the TLB (5 bits, so 32 possible values).
export const ATTR_W = 1 << 0; // writable at every level
export const ATTR_U = 1 << 1; // user at every level
export const ATTR_NX = 1 << 2; // execute-disable at some level (only recorded when NXE=1)
export const ATTR_D = 1 << 3; // the leaf was dirty when cached
export const ATTR_CODE = 1 << 4; // the frame holds decoded code: writes take the slow path
export const ATTR_COUNT = 32;

/** Does the SDM (§4.6) forbid this access to a page with these attributes in this mode? */
export function accessForbidden(attr: number, access: number, mode: number): boolean {
  const user = (attr & ATTR_U) !== 0;
  if (mode & MODE_USER) {
    if (!user) return true;
    if (access === ACCESS_WRITE) return (attr & ATTR_W) === 0;
    if (access === ACCESS_FETCH) return (attr & ATTR_NX) !== 0;
    return false;
  }
  if (access === ACCESS_FETCH) {
    if (user && mode & MODE_SMEP) return true;
    return (attr & ATTR_NX) !== 0;
  }
  // Supervisor data access: SMAP applies to user pages unless EFLAGS.AC is set.
  if (user && mode & MODE_SMAP && !(mode & MODE_AC)) return true;
  if (access === ACCESS_WRITE) return (attr & ATTR_W) === 0 && (mode & MODE_WP) !== 0;
  return false;
}

/** The W, U and I bits of a #PF error code for this access (§4.7); the caller adds P/RSVD. */
export function accessErrorBits(access: number, mode: number): number {
  let e = mode & MODE_USER ? PF_USER : 0;
  if (access === ACCESS_WRITE) e |= PF_WRITE;
  // I/D is reported for fetches only when NXE=1 or SMEP=1.
  else if (access === ACCESS_FETCH && mode & (MODE_NXE | MODE_SMEP)) e |= PF_INSTR;
  return e;
}

/** Where a successful walk leaves its result (reused: the walk allocates nothing). */
export class WalkResult {
  /** Physical address of the 4 KiB frame holding the linear address (large pages are split). */
  frame = 0;
  attr = 0;
  /** The leaf's G bit. */
  global = false;
  /** 0: 4 KiB page, 1: 2 MiB page, 2: 1 GiB page. */
  level = 0;
  /** Protection key of the leaf (bits 62:59). */
  pkey = 0;
  /** #PF error code when the walk failed. */
  errorCode = 0;
  /** Physical address of the leaf entry. */
  leaf = 0;
}

/** The index into the paging structure at `level` (3: PML4 ... 0: PT) for a linear address. */
function tableIndex(lo: number, hi: number, level: number): number {
  switch (level) {
    case 3: return (hi >>> 7) & 0x1ff; // bits 47:39
    case 2: return ((hi & 0x7f) << 2) | (lo >>> 30); // bits 38:30
    case 1: return (lo >>> 21) & 0x1ff; // bits 29:21
    default: return (lo >>> 12) & 0x1ff; // bits 20:12
  }
}

/** Bits MAXPHYADDR-1:12 of an entry as a physical address (a double: exact up to 2^53). */
function entryAddress(elo: number, ehi: number): number {
  return (ehi & 0xffff) * 0x1_0000_0000 + ((elo & ~0xfff) >>> 0);
}

/**
 * Walks CR3 -> PML4 -> PDPT -> PD -> PT for one access. Each table entry the walk goes through
 * (present, no reserved bit, pointing at a table in memory) gets A as it is used, even when the
 * access later faults; the leaf gets A, and D on a write, only when the access succeeds (as the
 * Pentium 4 and later do: a faulting access leaves the PTE's A and D alone).
 * On success fills `out` and returns true; on failure sets `out.errorCode` and returns false.
 * A table or frame address beyond physical memory is treated as a reserved-bit violation
 * (there is nothing at such an address on this machine to walk or to map).
 */
export function walk(
  mem: PhysicalMemory, cr3: number, lo: number, hi: number, access: number, mode: number, out: WalkResult,
): boolean {
  const view = mem.view;
  const nxe = (mode & MODE_NXE) !== 0;
  const rsvdHi = nxe ? RSVD_HI_ADDR : RSVD_HI_ADDR | PTE_HI_NX;
  const err = accessErrorBits(access, mode);
  let table = cr3 - (cr3 % 4096);
  if (table + 4096 > mem.size) return fail(out, err | PF_PROT | PF_RSVD);
  let attr = ATTR_W | ATTR_U;
  for (let level = 3; level >= 0; level--) {
    const ea = table + tableIndex(lo, hi, level) * 8;
    const elo = view.getInt32(ea, true);
    const ehi = view.getInt32(ea + 4, true);
    if (!(elo & PTE_P)) return fail(out, err);
    const large = (elo & PTE_PS) !== 0 && level > 0;
    if (ehi & rsvdHi
      || (large && level === 3)
      || (large && level === 2 && elo & RSVD_1G)
      || (large && level === 1 && elo & RSVD_2M)) return fail(out, err | PF_PROT | PF_RSVD);
    if (!(elo & PTE_W)) attr &= ~ATTR_W;
    if (!(elo & PTE_U)) attr &= ~ATTR_U;
    if (nxe && ehi & PTE_HI_NX) attr |= ATTR_NX;
    if (large || level === 0) return leaf(mem, ea, elo, ehi, level, lo, attr, access, mode, err, out);
    table = entryAddress(elo, ehi);
    if (table + 4096 > mem.size) return fail(out, err | PF_PROT | PF_RSVD);
    setBits(mem, ea, elo, PTE_A);
  }
  return false; // unreachable: level 0 is always a leaf
}

/** The last step of the walk: the frame, the permission check, then A/D and the result. */
function leaf(
  mem: PhysicalMemory, ea: number, elo: number, ehi: number, level: number, lo: number,
  attr: number, access: number, mode: number, err: number, out: WalkResult,
): boolean {
  const base = entryAddress(elo, ehi);
  // The offset of this 4 KiB frame inside the page: linear bits 29:12 (1 GiB) or 20:12 (2 MiB).
  const frame = level === 2 ? base - (base % 0x4000_0000) + ((lo & 0x3fff_f000) >>> 0)
    : level === 1 ? base - (base % 0x20_0000) + (lo & 0x1f_f000)
    : base;
  if (frame + 4096 > mem.size) return fail(out, err | PF_PROT | PF_RSVD);
  if (accessForbidden(attr, access, mode)) return fail(out, err | PF_PROT);
  setBits(mem, ea, elo, access === ACCESS_WRITE ? PTE_A | PTE_D : PTE_A);
  out.frame = frame;
  out.level = level;
  out.global = (elo & PTE_G) !== 0;
  out.pkey = (ehi >>> PTE_HI_PKEY_SHIFT) & 0xf;
  out.leaf = ea;
  out.attr = attr | (access === ACCESS_WRITE || elo & PTE_D ? ATTR_D : 0);
  return true;
}

function fail(out: WalkResult, errorCode: number): boolean {
  out.errorCode = errorCode;
  return false;
}

/** Sets A/D bits in the entry at `ea` (low half `elo`) if they are not set yet, as the hardware does. */
function setBits(mem: PhysicalMemory, ea: number, elo: number, bits: number): void {
  if ((elo & bits) === bits) return;
  mem.view.setInt32(ea, elo | bits, true);
  mem.noteWrite(Math.floor(ea / 4096));
}
