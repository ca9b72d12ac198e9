// Process creation (Linux 5.10 kernel/fork.c kernel_clone, copy_process, copy_mm, dup_mm, dup_mmap;
// arch/x86/kernel/process.c copy_thread). fork gives the child a copy of the address space in which no
// private page is copied yet (kernel/fork_copy.ts write-protects them for copy-on-write); vfork lends the
// parent's mm to the child and puts the parent to sleep until the child exits.
//
//   sys_fork(k): number       child pid in the parent (the child returns 0), or -EAGAIN / -ENOMEM
//   sys_vfork(k): number
//   kernel_clone(k, clone_flags): number
//   max_threads(k): number    the system-wide task limit (set_max_threads: one task per 32 pages of RAM)
//   nr_user_processes(k): number    what RLIMIT_NPROC is compared with (zombies still count)
//   set_fork_tlb_flush(k, on)       a test switch: off skips flush_tlb_mm(oldmm) after dup_mmap, leaving
//                                   the parent's stale writable TLB entries in place (a kernel bug on purpose)

import { copy_page_range } from './fork_copy.js';
import type { Machine } from './machine.js';
import { trace_fork_begin, trace_fork_end } from './proc_trace.js';
import { EAGAIN, ENOMEM, PAGE_SIZE, VM_DONTCOPY, VM_LOCKED, VM_LOCKONFAULT, VM_WIPEONFORK } from './mm_constants.js';
import { anon_vma, get_mm_rss, vma_pages, type mm_struct, type vm_area_struct } from './mm_types.js';
import { mm_alloc, mmput } from './mm_init.js';
import { anon_vma_clone, anon_vma_prepare } from './rmap.js';
import { alloc_pid } from './sched.js';
import { task_struct } from './task.js';
import { flush_tlb_mm } from './tlbflush.js';
import { vm_area_dup, vm_stat_account, vma_link } from './vma.js';

// include/uapi/linux/sched.h
export const CSIGNAL = 0x000000ff;
export const CLONE_VM = 0x00000100;
export const CLONE_VFORK = 0x00004000;
const SIGCHLD = 17;

/** Linux 5.10 kernel/fork.c MIN_THREADS: the floor of max_threads. */
const MIN_THREADS = 20;
/** THREAD_SIZE on x86-64 (16 KiB kernel stacks): set_max_threads allows 1/8 of RAM for them. */
const THREAD_SIZE = 16384;

const tlb_flush_off = new WeakSet<Machine>();

/** The test switch: `on` false makes fork forget the parent's TLB flush (see the header). */
export function set_fork_tlb_flush(k: Machine, on: boolean): void {
  if (on) tlb_flush_off.delete(k);
  else tlb_flush_off.add(k);
}

// Linux 5.10 kernel/fork.c set_max_threads: threads = totalram_pages / (8 * THREAD_SIZE / PAGE_SIZE)
export function max_threads(k: Machine): number {
  return Math.max(MIN_THREADS, Math.floor(k.zone.mem_map.nr_pages / ((8 * THREAD_SIZE) / PAGE_SIZE)));
}

/** Every task except init (the one root process), zombies included: user->processes. A task leaves
 * k.tasks when it is released, so this is a count, not a scan (fork bombs call it at every attempt). */
export function nr_user_processes(k: Machine): number {
  return k.tasks.has(1) ? k.tasks.size - 1 : k.tasks.size;
}

// Linux 5.10 mm/rmap.c anon_vma_fork: the child's VMA links to the parent's anon_vmas and gets its own,
// where the anonymous pages it creates later will belong
function anon_vma_fork(vma: vm_area_struct, pvma: vm_area_struct): void {
  vma.anon_vma = null;
  vma.anon_vma_chain = [];
  if (pvma.anon_vma === null) return;
  anon_vma_clone(vma, pvma);
  const av = new anon_vma();
  av.degree++;
  vma.anon_vma = av;
  vma.anon_vma_chain.push(av);
}

// Linux 5.10 kernel/fork.c dup_mmap: every VMA duplicated and linked in order, page tables copied where
// copy_page_range wants them, then the parent's TLB flushed: its ptes were just write-protected, and a
// cached writable translation would let it write into a page the child now shares
export function dup_mmap(k: Machine, mm: mm_struct, oldmm: mm_struct): number {
  mm.total_vm = oldmm.total_vm;
  mm.data_vm = oldmm.data_vm;
  mm.exec_vm = oldmm.exec_vm;
  mm.stack_vm = oldmm.stack_vm;
  let retval = 0;
  let prev: vm_area_struct | null = null;
  for (let mpnt = oldmm.mmap; mpnt !== null; mpnt = mpnt.vm_next) {
    if (mpnt.vm_flags & VM_DONTCOPY) {
      vm_stat_account(mm, mpnt.vm_flags, -vma_pages(mpnt));
      continue;
    }
    const tmp = vm_area_dup(mpnt, mm); // (get_file inside)
    if (tmp.vm_flags & VM_WIPEONFORK) {
      tmp.anon_vma = null; // a clean slate in the child
      anon_vma_prepare(tmp);
    } else {
      anon_vma_fork(tmp, mpnt);
    }
    tmp.vm_flags &= ~(VM_LOCKED | VM_LOCKONFAULT);
    vma_link(mm, tmp, prev);
    prev = tmp;
    if (!(tmp.vm_flags & VM_WIPEONFORK)) retval = copy_page_range(tmp, mpnt);
    if (retval) break;
  }
  if (!tlb_flush_off.has(k)) flush_tlb_mm(oldmm);
  return retval;
}

// Linux 5.10 kernel/fork.c dup_mm: a new mm with the old one's layout and limits, its VMAs and ptes duplicated
export function dup_mm(k: Machine, oldmm: mm_struct): mm_struct | null {
  const mm = mm_alloc(oldmm.zone, oldmm.tlb, k.init_mm);
  if (mm === null) return null;
  mm.mm_cpumask = false; // not loaded on the CPU until the child is scheduled
  for (const f of ['mmap_base', 'mmap_legacy_base', 'task_size', 'def_flags', 'start_code', 'end_code', 'start_data',
    'end_data', 'start_brk', 'brk', 'start_stack', 'arg_start', 'arg_end', 'env_start', 'env_end'] as const) {
    mm[f] = oldmm[f];
  }
  mm.legacy_mmap = oldmm.legacy_mmap;
  mm.rlim = { ...oldmm.rlim };
  if (dup_mmap(k, mm, oldmm) !== 0) {
    mmput(mm);
    return null;
  }
  mm.hiwater_rss = get_mm_rss(mm);
  mm.hiwater_vm = mm.total_vm;
  return mm;
}

// Linux 5.10 kernel/fork.c copy_process: the checks, then a task that is a copy of current (signal
// actions, mask, limits; no pending signals), with a copied or shared mm and the parent's user registers
// except %rax = 0 (copy_thread: "childregs->ax = 0"). Returns the task, or -errno.
export function copy_process(k: Machine, clone_flags: number): task_struct | number {
  const cur = k.current;
  if (cur.mm === null) return -EAGAIN;
  if (nr_user_processes(k) >= cur.rlim_nproc.rlim_cur) return -EAGAIN; // RLIMIT_NPROC (the guest is no root)
  if (k.tasks.size >= max_threads(k)) {
    k.stats.fork_limit_hits++; // the run loop stops a guest that keeps hitting it (a fork bomb)
    return -EAGAIN; // nr_threads >= max_threads
  }
  let mm: mm_struct | null;
  if (clone_flags & CLONE_VM) {
    mm = cur.mm;
    mm.mm_users++; // copy_mm: CLONE_VM shares it
  } else {
    mm = dup_mm(k, cur.mm);
    if (mm === null) return -ENOMEM;
  }
  const p = new task_struct(alloc_pid(k), cur.comm, mm);
  for (let i = 0; i < 64; i++) {
    // copy_sighand: the parent's actions, copied into the new task's own table
    const to = p.sighand[i], from = cur.sighand[i];
    to.sa_handler = from.sa_handler;
    to.sa_flags = from.sa_flags;
    to.sa_restorer = from.sa_restorer;
    to.sa_mask.lo = from.sa_mask.lo;
    to.sa_mask.hi = from.sa_mask.hi;
  }
  p.blocked = { ...cur.blocked };
  p.rlim_nproc = { ...cur.rlim_nproc };
  p.maxrss = cur.maxrss; // signal->maxrss starts from the parent's, as copy_signal leaves it
  const ctx = k.cpu.saveState(); // copy_thread: the syscall's user context ...
  ctx.regs[0] = 0; // ... returning 0 in the child
  ctx.regs[1] = 0;
  p.context = ctx;
  p.real_parent = cur;
  cur.children.push(p);
  k.tasks.set(p.pid, p);
  return p;
}

// Linux 5.10 kernel/fork.c kernel_clone (_do_fork before 5.10): create, wake, and for vfork sleep until
// the child gives the mm back (wait_for_vfork_done)
export function kernel_clone(k: Machine, clone_flags: number): number {
  const traced = trace_fork_begin(k);
  let p: task_struct | number = -EAGAIN;
  try {
    p = copy_process(k, clone_flags);
  } finally {
    if (traced) trace_fork_end(k, k.current, typeof p === 'number' ? null : p, (clone_flags & CLONE_VFORK) !== 0);
  }
  if (typeof p === 'number') return p;
  if (clone_flags & CLONE_VFORK) p.vfork_done = k.current;
  p.state = 'runnable'; // wake_up_new_task; the parent keeps the CPU for the rest of its quantum
  if (clone_flags & CLONE_VFORK) {
    const parent = k.current;
    parent.state = 'blocked';
    parent.waiting = 'vfork';
    k.cpu.stop(); // the result (the child's pid) is in %rax when the parent runs again
  }
  return p.pid;
}

// Linux 5.10 kernel/fork.c SYSCALL_DEFINE0(fork)
export function sys_fork(k: Machine): number {
  return kernel_clone(k, SIGCHLD & CSIGNAL);
}

// Linux 5.10 kernel/fork.c SYSCALL_DEFINE0(vfork)
export function sys_vfork(k: Machine): number {
  return kernel_clone(k, CLONE_VFORK | CLONE_VM | (SIGCHLD & CSIGNAL));
}
