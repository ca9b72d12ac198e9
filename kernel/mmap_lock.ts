// mm->mmap_lock (Linux 5.10 include/linux/mmap_lock.h), reduced to what a single CPU running one kernel
// path at a time can observe: whether someone holds it for writing. faultline never sleeps, so a read
// lock that would have to wait for a writer is a self-deadlock, and that is a kernel bug.

import type { mm_struct } from './mm_types.js';
import { KernelBug } from './page.js';

interface LockState {
  readers: number;
  writer: boolean;
}

const locks = new WeakMap<mm_struct, LockState>();

function state(mm: mm_struct): LockState {
  let s = locks.get(mm);
  if (s === undefined) {
    s = { readers: 0, writer: false };
    locks.set(mm, s);
  }
  return s;
}

// Linux 5.10 mmap_read_trylock
export function mmap_read_trylock(mm: mm_struct): boolean {
  const s = state(mm);
  if (s.writer) return false;
  s.readers++;
  return true;
}

// Linux 5.10 mmap_read_lock: nobody else could ever release a writer's hold, so waiting would hang
export function mmap_read_lock(mm: mm_struct): void {
  if (!mmap_read_trylock(mm)) throw new KernelBug('deadlock: mmap_lock is held for writing by the faulting task');
}

// Linux 5.10 mmap_read_unlock
export function mmap_read_unlock(mm: mm_struct): void {
  const s = state(mm);
  if (s.readers <= 0) throw new KernelBug('mmap_read_unlock without the lock');
  s.readers--;
}

// Linux 5.10 mmap_write_lock (for kernel paths that change the VMA tree and may touch user memory)
export function mmap_write_lock(mm: mm_struct): void {
  const s = state(mm);
  if (s.writer || s.readers > 0) throw new KernelBug('deadlock: mmap_write_lock while the lock is held');
  s.writer = true;
}

// Linux 5.10 mmap_write_unlock
export function mmap_write_unlock(mm: mm_struct): void {
  state(mm).writer = false;
}
