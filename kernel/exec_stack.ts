// The new program's stack, as Linux 5.10 builds it: fs/exec.c __bprm_mm_init (the stack VMA at the top
// of user space), copy_strings (argv/envp/filename packed below the top), setup_arg_pages (final flags,
// 128 KiB of room), and fs/binfmt_elf.c create_elf_tables (platform string, AT_RANDOM bytes, argc,
// argv[], envp[], auxv). All user memory is written through copy_to_user, so every page the stack needs
// is demand-faulted by the real fault path. No randomization: the layout is what `setarch -R` gives.

import { EFAULT, E2BIG, PAGE_SIZE, TASK_SIZE, VM_EXEC, VM_STACK_FLAGS, VM_STACK_INCOMPLETE_SETUP } from './mm_constants.js';
import { vm_area_struct, type mm_struct } from './mm_types.js';
import type { Machine } from './machine.js';
import { mprotect_fixup } from './mprotect.js';
import { vm_get_page_prot } from './pgtable.js';
import { expand_stack } from './stack.js';
import { copy_to_user } from './uaccess.js';
import { find_vma_links, vma_link } from './vma.js';

/** STACK_TOP_MAX = STACK_TOP = TASK_SIZE on x86-64 with 4-level paging. */
export const STACK_TOP = TASK_SIZE;
/** setup_arg_pages: room the stack gets beyond the arguments (128 KiB). */
const STACK_EXPAND = 131072;

/** What the ELF loader tells create_elf_tables. */
export interface ElfTablesInfo {
  phdr: number; // AT_PHDR
  phnum: number;
  entry: number;
}

// auxv types (include/uapi/linux/auxvec.h)
const AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8;
const AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16;
const AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31;
/** CPUID.1:EDX of a typical x86-64 (fpu..ht): what ELF_HWCAP reports. */
const ELF_HWCAP = 0x178bfbff;
/** ELF_PLATFORM on x86-64: utsname()->machine. */
const ELF_PLATFORM = 'x86_64';

/** The argument area while the program is being set up (struct linux_binprm's stack fields). */
export interface Bprm {
  vma: vm_area_struct;
  /** Current top of the used stack (bprm->p). */
  p: number;
  /** Address of the filename string (bprm->exec), for AT_EXECFN. */
  exec: number;
  argc: number;
  envc: number;
  /** Lengths with the NUL of argv's then envp's strings (Linux re-measures them with strnlen_user). */
  lens: number[];
}

const utf8 = new TextEncoder();

function cstr(s: string): Uint8Array {
  const b = utf8.encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

// Linux 5.10 fs/exec.c __bprm_mm_init: one stack VMA ending at STACK_TOP_MAX, large enough for the strings
// (Linux grows it page by page as copy_strings faults; the result is the same VMA), p one word below the top
export function bprm_mm_init(mm: mm_struct, stringBytes: number): Bprm | number {
  const top = STACK_TOP;
  // bprm_stack_limits: the strings may use at most a quarter of the stack limit
  if (stringBytes > mm.rlim.RLIMIT_STACK / 4) return -E2BIG;
  const p = top - 8;
  const start = Math.floor((p - stringBytes) / PAGE_SIZE) * PAGE_SIZE;
  const flags = VM_STACK_FLAGS | VM_STACK_INCOMPLETE_SETUP;
  const vma = new vm_area_struct(mm, start, top, flags, vm_get_page_prot(flags), start / PAGE_SIZE);
  const links = find_vma_links(mm, start, top);
  if (links === null) return -E2BIG;
  vma_link(mm, vma, links.prev);
  mm.total_vm += (top - start) / PAGE_SIZE;
  mm.stack_vm += (top - start) / PAGE_SIZE;
  return { vma, p, exec: 0, argc: 0, envc: 0, lens: [] };
}

/** Places one string below bprm.p (copy_strings: the last string ends where the previous one began). */
function push_string(k: Machine, bprm: Bprm, s: Uint8Array): number {
  bprm.p -= s.length;
  return copy_to_user(k, bprm.p, s) === 0 ? 0 : -EFAULT;
}

// Linux 5.10 fs/exec.c do_execveat_common: the filename at the top, then envp, then argv (each list from
// its last string down, so argv[0] ends up lowest)
export function copy_strings(k: Machine, bprm: Bprm, filename: string, argv: readonly string[], envp: readonly string[]): number {
  if (push_string(k, bprm, cstr(filename)) !== 0) return -EFAULT;
  bprm.exec = bprm.p;
  for (let i = envp.length - 1; i >= 0; i--) if (push_string(k, bprm, cstr(envp[i])) !== 0) return -EFAULT;
  for (let i = argv.length - 1; i >= 0; i--) if (push_string(k, bprm, cstr(argv[i])) !== 0) return -EFAULT;
  bprm.argc = argv.length;
  bprm.envc = envp.length;
  bprm.lens = [...argv, ...envp].map((s) => cstr(s).length);
  return 0;
}

/** Bytes copy_strings will need (so bprm_mm_init makes the VMA large enough at once). */
export function strings_size(filename: string, argv: readonly string[], envp: readonly string[]): number {
  let n = cstr(filename).length;
  for (const s of [...argv, ...envp]) n += cstr(s).length;
  return n;
}

// Linux 5.10 fs/exec.c setup_arg_pages: final stack flags (exec or not, per PT_GNU_STACK), then 128 KiB of
// room below the arguments through expand_stack (stack_shift is 0: no randomization)
export function setup_arg_pages(k: Machine, mm: mm_struct, bprm: Bprm, executable_stack: boolean): number {
  const vma = bprm.vma;
  mm.arg_start = bprm.p;
  let vm_flags = VM_STACK_FLAGS;
  if (executable_stack) vm_flags |= VM_EXEC;
  else vm_flags &= ~VM_EXEC;
  vm_flags |= mm.def_flags | VM_STACK_INCOMPLETE_SETUP;
  const prev = { v: vma.vm_prev };
  const ret = mprotect_fixup(vma, prev, vma.vm_start, vma.vm_end, vm_flags);
  if (ret !== 0) return ret;
  vma.vm_flags &= ~VM_STACK_INCOMPLETE_SETUP;
  const stack_size = vma.vm_end - vma.vm_start;
  const rlim_stack = Math.floor(mm.rlim.RLIMIT_STACK / PAGE_SIZE) * PAGE_SIZE; // Infinity stays Infinity
  const stack_base = stack_size + STACK_EXPAND > rlim_stack ? vma.vm_end - rlim_stack : vma.vm_start - STACK_EXPAND;
  mm.start_stack = bprm.p;
  return expand_stack(k, vma, stack_base) === 0 ? 0 : -EFAULT;
}

/** A word array (little-endian u64) from numbers (canonical addresses and small values). */
function words(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setBigUint64(i * 8, BigInt.asUintN(64, BigInt(v)), true));
  return out;
}

/** The 16 "random" bytes for AT_RANDOM: fixed, so runs are reproducible. */
function rand_bytes(): Uint8Array {
  return Uint8Array.from({ length: 16 }, (_, i) => (i * 0x3b + 0x5a) & 0xff);
}

// Linux 5.10 fs/binfmt_elf.c create_elf_tables: returns the initial stack pointer, or -errno
export function create_elf_tables(k: Machine, mm: mm_struct, bprm: Bprm, info: ElfTablesInfo): number {
  let p = bprm.p - (bprm.p % 16); // arch_align_stack without randomization
  const platform = cstr(ELF_PLATFORM);
  p -= platform.length;
  const u_platform = p;
  if (copy_to_user(k, u_platform, platform) !== 0) return -EFAULT;
  p -= 16;
  const u_rand_bytes = p;
  if (copy_to_user(k, u_rand_bytes, rand_bytes()) !== 0) return -EFAULT;
  const auxv = [
    AT_HWCAP, ELF_HWCAP, AT_PAGESZ, PAGE_SIZE, AT_CLKTCK, 100, AT_PHDR, info.phdr, AT_PHENT, 56,
    AT_PHNUM, info.phnum, AT_BASE, 0, AT_FLAGS, 0, AT_ENTRY, info.entry, AT_UID, 0, AT_EUID, 0,
    AT_GID, 0, AT_EGID, 0, AT_SECURE, 0, AT_RANDOM, u_rand_bytes, AT_HWCAP2, 0x2, AT_EXECFN, bprm.exec,
    AT_PLATFORM, u_platform, AT_NULL, 0,
  ];
  let sp = p - auxv.length * 8; // STACK_ADD(p, ei_index)
  const items = bprm.argc + 1 + (bprm.envc + 1) + 1;
  sp = Math.floor((sp - items * 8) / 16) * 16; // STACK_ROUND(sp, items)
  bprm.p = sp;
  // argc, argv[] and envp[] point at the strings copy_strings laid out from arg_start upwards.
  const table: number[] = [bprm.argc];
  let str = mm.arg_start;
  const lens = bprm.lens;
  for (let i = 0; i < bprm.argc; i++) {
    table.push(str);
    str += lens[i];
  }
  table.push(0);
  mm.arg_end = mm.env_start = str;
  for (let i = 0; i < bprm.envc; i++) {
    table.push(str);
    str += lens[bprm.argc + i];
  }
  table.push(0);
  mm.env_end = str;
  if (copy_to_user(k, sp, words([...table, ...auxv])) !== 0) return -EFAULT;
  return sp;
}
