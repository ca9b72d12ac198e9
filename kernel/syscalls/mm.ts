// The memory-management syscalls (Linux 5.10 arch/x86/kernel/sys_x86_64.c mmap, mm/util.c
// vm_mmap_pgoff, mm/mmap.c munmap/brk, mm/mprotect.c mprotect, mm/madvise.c madvise): argument decoding
// around kernel/mmap.ts, mprotect.ts, brk.ts, madvise.ts.

import { do_madvise } from '../madvise.js';
import type { Machine } from '../machine.js';
import { EBADF, EINVAL, ENODEV, IS_ERR_VALUE, MAP_ANONYMOUS, MAP_DENYWRITE, MAP_EXECUTABLE, PAGE_SIZE } from '../mm_constants.js';
import { do_mmap, vm_munmap } from '../mmap.js';
import { do_mprotect_pkey } from '../mprotect.js';
import { sys_brk as do_sys_brk } from '../brk.js';
import type { mm_struct } from '../mm_types.js';
import type { pt_regs } from '../ptrace.js';
import { argInt, argPtr, argU, argUInt } from './args.js';

function mm_of(k: Machine): mm_struct | null {
  return k.current.mm;
}

// Linux 5.10 arch/x86/kernel/sys_x86_64.c SYSCALL_DEFINE6(mmap) -> mm/mmap.c ksys_mmap_pgoff -> vm_mmap_pgoff
export function sys_mmap(k: Machine, regs: pt_regs): number {
  // An address in [-4095, -1] stays sign-extended (exact): with MAP_FIXED, get_unmapped_area hands it
  // back as IS_ERR_VALUE, which its unsigned double (rounded near 2^64) could not tell.
  const saddr = argPtr(regs, 0);
  const addr = IS_ERR_VALUE(saddr) ? saddr : argU(regs, 0);
  const len = argU(regs, 1);
  const prot = argUInt(regs, 2);
  let flags = argUInt(regs, 3);
  const fd = argInt(regs, 4);
  const off = argU(regs, 5);
  if (off % PAGE_SIZE !== 0) return -EINVAL;
  if (!(flags & MAP_ANONYMOUS)) return fd >= 0 && fd <= 2 ? -ENODEV : -EBADF; // fds 0-2 are pipes: no mmap
  flags &= ~(MAP_EXECUTABLE | MAP_DENYWRITE);
  const mm = mm_of(k);
  if (mm === null) return -EINVAL;
  return do_mmap(mm, null, addr, len, prot, flags, Math.floor(off / PAGE_SIZE));
}

// Linux 5.10 mm/mprotect.c SYSCALL_DEFINE3(mprotect). Start addresses of mprotect, munmap and madvise go
// in sign-extended (argPtr), exact near 2^64, so their page-offset check sees the real low bits.
export function sys_mprotect(k: Machine, regs: pt_regs): number {
  const mm = mm_of(k);
  if (mm === null) return -EINVAL;
  return do_mprotect_pkey(mm, argPtr(regs, 0), argU(regs, 1), argUInt(regs, 2), -1);
}

// Linux 5.10 mm/mmap.c SYSCALL_DEFINE2(munmap)
export function sys_munmap(k: Machine, regs: pt_regs): number {
  const mm = mm_of(k);
  if (mm === null) return -EINVAL;
  return vm_munmap(mm, argPtr(regs, 0), argU(regs, 1));
}

// Linux 5.10 mm/mmap.c SYSCALL_DEFINE1(brk)
export function sys_brk(k: Machine, regs: pt_regs): number {
  const mm = mm_of(k);
  if (mm === null) return -EINVAL;
  return do_sys_brk(mm, argU(regs, 0));
}

// Linux 5.10 mm/madvise.c SYSCALL_DEFINE3(madvise)
export function sys_madvise(k: Machine, regs: pt_regs): number {
  const mm = mm_of(k);
  if (mm === null) return -EINVAL;
  return do_madvise(mm, argPtr(regs, 0), argU(regs, 1), argInt(regs, 2));
}
