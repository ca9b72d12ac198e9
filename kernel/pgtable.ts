// x86-64 page-table entries and their helpers (Linux 5.10 arch/x86/include/asm/pgtable_types.h,
// pgtable.h). An entry is 64 bits in guest memory; here it is a pair of uint32 halves {lo, hi}: lo holds
// the flag bits 0..11 and address bits 12..31, hi holds address bits 32..51, the protection key (59..62)
// and NX (63). No BigInt. The same shape serves pte_t, pmd_t, pud_t, p4d_t, pgd_t and pgprot_t.
// Left out: 5.10's L1TF inversion of the PFN in PROT_NONE entries (pfn_pte/pte_modify keep it plain).

export interface pte_t {
  readonly lo: number;
  readonly hi: number;
}
export type pmd_t = pte_t;
export type pud_t = pte_t;
export type p4d_t = pte_t;
export type pgd_t = pte_t;
export type pgprot_t = pte_t;

// Bits of the low half (_PAGE_BIT_*).
export const _PAGE_PRESENT = 1 << 0;
export const _PAGE_RW = 1 << 1;
export const _PAGE_USER = 1 << 2;
export const _PAGE_PWT = 1 << 3;
export const _PAGE_PCD = 1 << 4;
export const _PAGE_ACCESSED = 1 << 5;
export const _PAGE_DIRTY = 1 << 6;
export const _PAGE_PSE = 1 << 7;
export const _PAGE_GLOBAL = 1 << 8;
export const _PAGE_SPECIAL = 1 << 9; // _PAGE_BIT_SOFTW1: no struct page behind it (the zero page)
export const _PAGE_SOFTW2 = 1 << 10;
export const _PAGE_SOFT_DIRTY = 1 << 11; // _PAGE_BIT_SOFTW3
/** A not-present entry with this bit is a PROT_NONE mapping Linux still counts as present. */
export const _PAGE_PROTNONE = _PAGE_GLOBAL;
// Bits of the high half.
export const _PAGE_NX_HI = 1 << 31; // bit 63
export const _PAGE_PKEY_SHIFT_HI = 27; // bits 62:59
export const _PAGE_PKEY_MASK_HI = 0xf << 27;

/** Physical address bits 12..51 of an entry, by half (PTE_PFN_MASK). */
export const PTE_PFN_MASK_LO = 0xfffff000 | 0;
export const PTE_PFN_MASK_HI = 0x000fffff;
/** _PAGE_CHG_MASK: what pte_modify keeps from the old entry (pfn, cache bits, special, A, D, soft-dirty). */
const _PAGE_CHG_MASK_LO = PTE_PFN_MASK_LO | _PAGE_PCD | _PAGE_PWT | _PAGE_SPECIAL | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_SOFT_DIRTY;
const _PAGE_CHG_MASK_HI = PTE_PFN_MASK_HI;

/** _PAGE_TABLE: what a user page-table level points to the next one with. */
export const _PAGE_TABLE = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY;
/** _KERNPG_TABLE: the same for kernel-only tables. */
export const _KERNPG_TABLE = _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY;

/** Build an entry from its halves (normalised to uint32). */
export function __pte(lo: number, hi: number): pte_t {
  return { lo: lo >>> 0, hi: hi >>> 0 };
}
export const __pgprot = __pte;
export const native_make_pte = __pte;
export const __pte_none: pte_t = __pte(0, 0);

// The protection values of protection_map (pgtable_types.h, 5.10; NX assumed supported: EFER.NXE=1).
const P = _PAGE_PRESENT, RW = _PAGE_RW, U = _PAGE_USER, A = _PAGE_ACCESSED;
export const PAGE_NONE = __pgprot(_PAGE_PROTNONE | A, 0);
export const PAGE_SHARED = __pgprot(P | RW | U | A, _PAGE_NX_HI);
export const PAGE_SHARED_EXEC = __pgprot(P | RW | U | A, 0);
export const PAGE_COPY_NOEXEC = __pgprot(P | U | A, _PAGE_NX_HI);
export const PAGE_COPY_EXEC = __pgprot(P | U | A, 0);
export const PAGE_COPY = PAGE_COPY_NOEXEC;
export const PAGE_READONLY = __pgprot(P | U | A, _PAGE_NX_HI);
export const PAGE_READONLY_EXEC = __pgprot(P | U | A, 0);
export const PAGE_KERNEL = __pgprot(P | RW | A | _PAGE_DIRTY | _PAGE_GLOBAL, _PAGE_NX_HI);

// Linux 5.10 mm/mmap.c protection_map: indexed by vm_flags & (VM_READ|VM_WRITE|VM_EXEC|VM_SHARED)
export const protection_map: readonly pgprot_t[] = [
  PAGE_NONE, PAGE_READONLY, PAGE_COPY, PAGE_COPY, // __P000 .. __P011
  PAGE_READONLY_EXEC, PAGE_READONLY_EXEC, PAGE_COPY_EXEC, PAGE_COPY_EXEC, // __P100 .. __P111
  PAGE_NONE, PAGE_READONLY, PAGE_SHARED, PAGE_SHARED, // __S000 .. __S011
  PAGE_READONLY_EXEC, PAGE_READONLY_EXEC, PAGE_SHARED_EXEC, PAGE_SHARED_EXEC, // __S100 .. __S111
];

// Linux 5.10 mm/mmap.c vm_get_page_prot (VM_READ|VM_WRITE|VM_EXEC|VM_SHARED are bits 0..3)
export function vm_get_page_prot(vm_flags: number): pgprot_t {
  return protection_map[vm_flags & 0xf];
}

// ---- tests on entries (pgtable.h) ----

// Linux 5.10 pte_none: empty, ignoring the A/D bits some CPUs set on non-present entries
export function pte_none(pte: pte_t): boolean {
  return (pte.lo & ~(_PAGE_ACCESSED | _PAGE_DIRTY)) === 0 && pte.hi === 0;
}
// Linux 5.10 pte_present: hardware-present, or a PROT_NONE mapping the kernel still tracks
export function pte_present(pte: pte_t): boolean {
  return (pte.lo & (_PAGE_PRESENT | _PAGE_PROTNONE)) !== 0;
}
// Linux 5.10 pte_protnone
export function pte_protnone(pte: pte_t): boolean {
  return (pte.lo & (_PAGE_PROTNONE | _PAGE_PRESENT)) === _PAGE_PROTNONE;
}
export const pte_write = (pte: pte_t): boolean => (pte.lo & _PAGE_RW) !== 0;
export const pte_dirty = (pte: pte_t): boolean => (pte.lo & _PAGE_DIRTY) !== 0;
export const pte_young = (pte: pte_t): boolean => (pte.lo & _PAGE_ACCESSED) !== 0;
export const pte_special = (pte: pte_t): boolean => (pte.lo & _PAGE_SPECIAL) !== 0;
export const pte_exec = (pte: pte_t): boolean => (pte.hi & _PAGE_NX_HI) === 0;
export const pte_user = (pte: pte_t): boolean => (pte.lo & _PAGE_USER) !== 0;
export const pte_huge = (pte: pte_t): boolean => (pte.lo & _PAGE_PSE) !== 0;
// Linux 5.10 pte_same
export function pte_same(a: pte_t, b: pte_t): boolean {
  return a.lo === b.lo && a.hi === b.hi;
}
export function pte_flags_lo(pte: pte_t): number {
  return pte.lo & ~PTE_PFN_MASK_LO;
}

// Linux 5.10 pte_pfn: bits 12..51 as a frame number
export function pte_pfn(pte: pte_t): number {
  return (pte.lo >>> 12) + (pte.hi & PTE_PFN_MASK_HI) * 0x100000;
}
/** Physical address of the table or page an entry points to (pmd_page_vaddr & co.). */
export function entry_phys(e: pte_t): number {
  return ((e.lo & PTE_PFN_MASK_LO) >>> 0) + (e.hi & PTE_PFN_MASK_HI) * 0x100000000;
}

// ---- building and changing entries ----

// Linux 5.10 pfn_pte: frame number + protection
export function pfn_pte(pfn: number, prot: pgprot_t): pte_t {
  return __pte(((pfn & 0xfffff) << 12) | (prot.lo & ~PTE_PFN_MASK_LO), Math.floor(pfn / 0x100000) | (prot.hi & ~PTE_PFN_MASK_HI));
}
// Linux 5.10 mk_pte (a struct page is its pfn here)
export function mk_pte(pfn: number, prot: pgprot_t): pte_t {
  return pfn_pte(pfn, prot);
}
const set_lo = (pte: pte_t, bits: number): pte_t => __pte(pte.lo | bits, pte.hi);
const clear_lo = (pte: pte_t, bits: number): pte_t => __pte(pte.lo & ~bits, pte.hi);
export const pte_mkwrite = (pte: pte_t): pte_t => set_lo(pte, _PAGE_RW);
export const pte_wrprotect = (pte: pte_t): pte_t => clear_lo(pte, _PAGE_RW);
export const pte_mkdirty = (pte: pte_t): pte_t => set_lo(pte, _PAGE_DIRTY | _PAGE_SOFT_DIRTY);
export const pte_mkclean = (pte: pte_t): pte_t => clear_lo(pte, _PAGE_DIRTY);
export const pte_mkyoung = (pte: pte_t): pte_t => set_lo(pte, _PAGE_ACCESSED);
export const pte_mkold = (pte: pte_t): pte_t => clear_lo(pte, _PAGE_ACCESSED);
export const pte_mkspecial = (pte: pte_t): pte_t => set_lo(pte, _PAGE_SPECIAL);
export const pte_mkexec = (pte: pte_t): pte_t => __pte(pte.lo, pte.hi & ~_PAGE_NX_HI);
export const pte_clrhuge = (pte: pte_t): pte_t => clear_lo(pte, _PAGE_PSE);

// Linux 5.10 pte_modify: keep the frame and A/D/special bits, take the rest from the new protection
export function pte_modify(pte: pte_t, newprot: pgprot_t): pte_t {
  return __pte(
    (pte.lo & _PAGE_CHG_MASK_LO) | (newprot.lo & ~_PAGE_CHG_MASK_LO),
    (pte.hi & _PAGE_CHG_MASK_HI) | (newprot.hi & ~_PAGE_CHG_MASK_HI),
  );
}
