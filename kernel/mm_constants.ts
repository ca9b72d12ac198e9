// Memory-management constants with their Linux 5.10 values (include/linux/mm.h, include/uapi/asm-generic/
// mman-common.h, arch/x86/include/asm/page_64_types.h, include/linux/mm_types.h, include/uapi/asm-generic/errno*.h).
// Guest programs see these numbers through syscalls, so they must be exactly Linux's.

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PMD_SHIFT = 21;
export const PMD_SIZE = 1 << PMD_SHIFT;
export const PUD_SHIFT = 30;
export const PUD_SIZE = 2 ** PUD_SHIFT;
export const PGDIR_SHIFT = 39;
export const PGDIR_SIZE = 2 ** PGDIR_SHIFT;
export const PTRS_PER_PTE = 512;
export const PTRS_PER_PMD = 512;
export const PTRS_PER_PUD = 512;
export const PTRS_PER_PGD = 512;
/** pgd slots from here on map the kernel half and are shared with init_mm (KERNEL_PGD_BOUNDARY). */
export const KERNEL_PGD_BOUNDARY = 256;

/** 2^64 as a number: syscall arguments are unsigned 64-bit values, wrapped by hand where Linux relies on it. */
export const U64 = 2 ** 64;

// arch/x86/include/asm/page_64_types.h: the user half ends one guard page below 2^47.
export const TASK_SIZE_MAX = 0x00007ffffffff000;
export const DEFAULT_MAP_WINDOW = TASK_SIZE_MAX;
export const TASK_SIZE = TASK_SIZE_MAX;
export const FIRST_USER_ADDRESS = 0;
/** 0 stands for "the top of the address space" in free_pgtables (USER_PGTABLES_CEILING). */
export const USER_PGTABLES_CEILING = 0;

// Tunables at their defaults.
export const mmap_min_addr = 4096; // /proc/sys/vm/mmap_min_addr (dac_mmap_min_addr)
export const sysctl_max_map_count = 65530; // DEFAULT_MAX_MAP_COUNT
export const stack_guard_gap = 256 << PAGE_SHIFT; // mm/mmap.c: 256 pages = 1 MiB
export const tlb_single_page_flush_ceiling = 33; // arch/x86/mm/tlb.c
export const RLIM_INFINITY = Infinity;

// vm_flags (include/linux/mm.h). Only bits 0..31 are used: faultline keeps pkeys (VM_PKEY_BIT*, bits
// 32..35 in Linux) in vma.vm_pkey so that vm_flags stays an exact 32-bit integer.
export const VM_NONE = 0x00000000;
export const VM_READ = 0x00000001;
export const VM_WRITE = 0x00000002;
export const VM_EXEC = 0x00000004;
export const VM_SHARED = 0x00000008;
export const VM_MAYREAD = 0x00000010;
export const VM_MAYWRITE = 0x00000020;
export const VM_MAYEXEC = 0x00000040;
export const VM_MAYSHARE = 0x00000080;
export const VM_GROWSDOWN = 0x00000100;
export const VM_UFFD_MISSING = 0x00000200;
export const VM_PFNMAP = 0x00000400;
export const VM_DENYWRITE = 0x00000800;
export const VM_UFFD_WP = 0x00001000;
export const VM_LOCKED = 0x00002000;
export const VM_IO = 0x00004000;
export const VM_SEQ_READ = 0x00008000;
export const VM_RAND_READ = 0x00010000;
export const VM_DONTCOPY = 0x00020000;
export const VM_DONTEXPAND = 0x00040000;
export const VM_LOCKONFAULT = 0x00080000;
export const VM_ACCOUNT = 0x00100000;
export const VM_NORESERVE = 0x00200000;
export const VM_HUGETLB = 0x00400000;
export const VM_SYNC = 0x00800000;
export const VM_PAT = 0x01000000; // VM_ARCH_1 on x86
export const VM_WIPEONFORK = 0x02000000;
export const VM_DONTDUMP = 0x04000000;
/** 0: faultline models a kernel without CONFIG_MEM_SOFT_DIRTY (the flag never takes part in merging anyway). */
export const VM_SOFTDIRTY = 0;
export const VM_MIXEDMAP = 0x10000000;
export const VM_HUGEPAGE = 0x20000000;
export const VM_NOHUGEPAGE = 0x40000000;
export const VM_MERGEABLE = 0x80000000;
export const VM_GROWSUP = VM_NONE; // x86 stacks only grow down

export const VM_STACK = VM_GROWSDOWN;
export const VM_ACCESS_FLAGS = VM_READ | VM_WRITE | VM_EXEC;
export const VM_SPECIAL = VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP;
/** VM_DATA_DEFAULT_FLAGS on x86-64 without READ_IMPLIES_EXEC (64-bit ELF never sets it since 5.8). */
export const VM_DATA_DEFAULT_FLAGS = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
export const VM_STACK_DEFAULT_FLAGS = VM_DATA_DEFAULT_FLAGS;
export const VM_STACK_FLAGS = VM_STACK | VM_STACK_DEFAULT_FLAGS | VM_ACCOUNT;
export const VM_STACK_INCOMPLETE_SETUP = VM_RAND_READ | VM_SEQ_READ;

// mmap/mprotect prot bits (include/uapi/asm-generic/mman-common.h)
export const PROT_NONE = 0x0;
export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;
export const PROT_EXEC = 0x4;
export const PROT_SEM = 0x8;
export const PROT_GROWSDOWN = 0x01000000;
export const PROT_GROWSUP = 0x02000000;

// mmap flags (mman-common.h, mman.h, x86 MAP_32BIT)
export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_SHARED_VALIDATE = 0x03;
export const MAP_TYPE = 0x0f;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_32BIT = 0x40;
export const MAP_GROWSDOWN = 0x0100;
export const MAP_DENYWRITE = 0x0800;
export const MAP_EXECUTABLE = 0x1000;
export const MAP_LOCKED = 0x2000;
export const MAP_NORESERVE = 0x4000;
export const MAP_POPULATE = 0x8000;
export const MAP_NONBLOCK = 0x10000;
export const MAP_STACK = 0x20000;
export const MAP_HUGETLB = 0x40000;
export const MAP_SYNC = 0x80000;
export const MAP_FIXED_NOREPLACE = 0x100000;
export const MAP_UNINITIALIZED = 0x4000000;

// madvise behaviours (mman-common.h)
export const MADV_NORMAL = 0;
export const MADV_RANDOM = 1;
export const MADV_SEQUENTIAL = 2;
export const MADV_WILLNEED = 3;
export const MADV_DONTNEED = 4;
export const MADV_FREE = 8;
export const MADV_REMOVE = 9;
export const MADV_DONTFORK = 10;
export const MADV_DOFORK = 11;
export const MADV_MERGEABLE = 12;
export const MADV_UNMERGEABLE = 13;
export const MADV_HUGEPAGE = 14;
export const MADV_NOHUGEPAGE = 15;
export const MADV_DONTDUMP = 16;
export const MADV_DODUMP = 17;
export const MADV_WIPEONFORK = 18;
export const MADV_KEEPONFORK = 19;
export const MADV_COLD = 20;
export const MADV_PAGEOUT = 21;
export const MADV_HWPOISON = 100;
export const MADV_SOFT_OFFLINE = 101;

// enum fault_flag (include/linux/mm.h, 5.10)
export const FAULT_FLAG_WRITE = 0x01;
export const FAULT_FLAG_MKWRITE = 0x02;
export const FAULT_FLAG_ALLOW_RETRY = 0x04;
export const FAULT_FLAG_RETRY_NOWAIT = 0x08;
export const FAULT_FLAG_KILLABLE = 0x10;
export const FAULT_FLAG_TRIED = 0x20;
export const FAULT_FLAG_USER = 0x40;
export const FAULT_FLAG_REMOTE = 0x80;
export const FAULT_FLAG_INSTRUCTION = 0x100;
export const FAULT_FLAG_INTERRUPTIBLE = 0x200;
export const FAULT_FLAG_DEFAULT = FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE | FAULT_FLAG_INTERRUPTIBLE;

// enum vm_fault_reason (include/linux/mm_types.h, 5.10)
export const VM_FAULT_OOM = 0x000001;
export const VM_FAULT_SIGBUS = 0x000002;
export const VM_FAULT_MAJOR = 0x000004;
export const VM_FAULT_WRITE = 0x000008;
export const VM_FAULT_HWPOISON = 0x000010;
export const VM_FAULT_HWPOISON_LARGE = 0x000020;
export const VM_FAULT_SIGSEGV = 0x000040;
export const VM_FAULT_NOPAGE = 0x000100;
export const VM_FAULT_LOCKED = 0x000200;
export const VM_FAULT_RETRY = 0x000400;
export const VM_FAULT_FALLBACK = 0x000800;
export const VM_FAULT_DONE_COW = 0x001000;
export const VM_FAULT_NEEDDSYNC = 0x002000;
export const VM_FAULT_HINDEX_MASK = 0x0f0000;
export const VM_FAULT_ERROR =
  VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE | VM_FAULT_FALLBACK;

// rss counters (enum in include/linux/mm_types_task.h)
export const MM_FILEPAGES = 0;
export const MM_ANONPAGES = 1;
export const MM_SWAPENTS = 2;
export const MM_SHMEMPAGES = 3;
export const NR_MM_COUNTERS = 4;

// errno (include/uapi/asm-generic/errno-base.h, errno.h); kernel functions return them negated.
export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EINTR = 4;
export const EIO = 5;
export const ENXIO = 6;
export const E2BIG = 7;
export const ENOEXEC = 8;
export const EBADF = 9;
export const ECHILD = 10;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const ENFILE = 23;
export const EMFILE = 24;
export const ENOTTY = 25;
export const EFBIG = 27;
export const ENOSPC = 28;
export const ESPIPE = 29;
export const EROFS = 30;
export const EPIPE = 32;
export const ERANGE = 34;
export const ENOSYS = 38;
export const EOVERFLOW = 75;
export const EOPNOTSUPP = 95;

/** IS_ERR_VALUE: a return value in [-4095, -1] is a -errno, anything else an address or count. */
export function IS_ERR_VALUE(x: number): boolean {
  return x < 0 && x >= -4095;
}

/** PAGE_ALIGN on an unsigned 64-bit value, wrapping to 0 past 2^64 as the C expression does. */
export function PAGE_ALIGN(x: number): number {
  const r = Math.ceil(x / PAGE_SIZE) * PAGE_SIZE;
  return r >= U64 ? r - U64 : r;
}

/**
 * offset_in_page, exact for a sign-extended argument too: a user value above 2^63 arrives negative (exact
 * near 2^64, where its unsigned double would have lost the low bits).
 */
export function offset_in_page(x: number): number {
  return ((x % PAGE_SIZE) + PAGE_SIZE) % PAGE_SIZE;
}

/** Unsigned view of a syscall argument given either as u64 or as a sign-extended canonical number. */
export function as_u64(x: number): number {
  return x < 0 ? x + U64 : x;
}
