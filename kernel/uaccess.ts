// The kernel's side of user-memory access (Linux 5.10 include/linux/uaccess.h, arch/x86/include/asm/
// uaccess.h): range checks in TypeScript, then the machine code of kernel/uaccess.s run on the CPU at
// CPL 0 (Cpu.callKernel), so a bad pointer takes the real fault path and the exception table.
//
// Kernel buffers live in physical frames the kernel owns, reached by the stubs through the direct map
// (__va: PAGE_OFFSET + physical address, which boot maps supervisor-only): a 16 KiB bounce buffer per
// machine, allocated at boot (uaccess_init) or at first use. The stubs run on the kernel stack (k.kstack_top).
//
// API (addresses are canonical numbers; sizes are byte counts):
//   access_ok(addr, size): boolean                   the range lies below TASK_SIZE_MAX
//   copy_to_user(k, to, bytes): number               bytes NOT copied (0: all were)
//   copy_from_user(k, dst, from, n): number          bytes NOT copied; dst[n - left .. n) is zeroed
//   get_user(k, size 1|2|4|8, addr): GetUser        { err: 0 | -EFAULT, lo, hi } (value's int32 halves)
//   put_user(k, size, addr, lo, hi): number          0 or -EFAULT
//   strncpy_from_user(k, src, count): StrncpyResult  { len: length | count | -EFAULT, bytes }
//   clear_user(k, addr, n): number                   bytes NOT cleared
//   uaccess_init(k): boolean                         allocate the bounce buffer now (boot); false: no memory
// One bounce buffer per machine: a uaccess call must not be made from inside another (fault handlers
// never touch user memory through these routines, so none is).
// A fault the fixups cannot mend (a kernel bug) reaches the oops path, which kills the task: the
// TaskExit it throws propagates out of these functions.

import type { Machine } from './machine.js';
import { EFAULT, ENOMEM, TASK_SIZE_MAX, as_u64 } from './mm_constants.js';
import { GFP_KERNEL, alloc_pages } from './page_alloc.js';
import { RCX, RDI, RDX, RSI, RSP, RAX, from32, hi32, lo32 } from './ptrace.js';
import { ksym } from './kernel_image.js';
import { THREAD_SIZE, __va } from './boot_pagetables.js';

const BUF_ORDER = 2; // a 16 KiB bounce buffer: copies go through it in chunks
const BUF_BYTES = 4096 << BUF_ORDER;

/** Physical address of each machine's bounce buffer. */
const buffers = new WeakMap<Machine, number>();

/** Allocates the kernel's bounce buffer for this machine now (idempotent); false when memory is short. */
export function uaccess_init(k: Machine): boolean {
  if (buffers.has(k)) return true;
  const pfn = alloc_pages(k.zone, GFP_KERNEL, BUF_ORDER);
  if (pfn === null) return false;
  buffers.set(k, pfn * 4096);
  return true;
}

function bounce(k: Machine): number | null {
  return buffers.get(k) ?? (uaccess_init(k) ? (buffers.get(k) ?? null) : null);
}

// Linux 5.10 arch/x86/include/asm/uaccess.h __range_not_ok / access_ok (against TASK_SIZE_MAX)
export function access_ok(addr: number, size: number): boolean {
  const a = as_u64(addr);
  return !(size > TASK_SIZE_MAX || a > TASK_SIZE_MAX - size);
}

/**
 * Runs a stub with its arguments in registers and returns its %rax. callKernel restores the state it
 * found, which includes the argument registers set here, so those are put back afterwards.
 */
function call_stub(k: Machine, name: string, args: readonly (readonly [number, number])[]): number {
  const cpu = k.cpu;
  const saved = cpu.regs.slice();
  // Already on the kernel stack (a fault inside a stub whose handler needs user memory): go on below it.
  let sp = k.kstack_top;
  const cur = from32(cpu.regs[2 * RSP], cpu.regs[2 * RSP + 1]);
  if (cpu.cpl === 0 && cur <= sp && cur > sp - THREAD_SIZE + 1024) sp = Math.floor((cur - 128) / 16) * 16;
  for (const [reg, v] of args) {
    cpu.regs[2 * reg] = lo32(v);
    cpu.regs[2 * reg + 1] = hi32(v);
  }
  const rip = ksym(name);
  // instructions:k. A stub nested in this one (a fault handler's) is inside the same span, so the span's
  // length replaces whatever the nested calls added.
  const instret = cpu.instret;
  const kernel_before = k.stats.kernel_instructions;
  try {
    return cpu.callKernel(lo32(rip), hi32(rip), lo32(sp), hi32(sp));
  } finally {
    cpu.regs.set(saved);
    k.stats.kernel_instructions = kernel_before + (cpu.instret - instret);
  }
}

// Linux 5.10 include/linux/uaccess.h _copy_to_user: check the range, then raw_copy_to_user
export function copy_to_user(k: Machine, to: number, bytes: Uint8Array): number {
  const n = bytes.length;
  if (n === 0) return 0;
  if (!access_ok(to, n)) return n;
  const buf = bounce(k);
  if (buf === null) return n;
  for (let off = 0; off < n; off += BUF_BYTES) {
    const len = Math.min(BUF_BYTES, n - off);
    k.mem.writeBytes(buf, bytes.subarray(off, off + len));
    const left = call_stub(k, 'copy_user_generic', [[RDI, to + off], [RSI, __va(buf)], [RDX, len]]);
    if (left !== 0) return n - off - len + left;
  }
  return 0;
}

// Linux 5.10 include/linux/uaccess.h _copy_from_user: on a short copy the rest of dst is zeroed
export function copy_from_user(k: Machine, dst: Uint8Array, from: number, n: number): number {
  if (n === 0) return 0;
  const buf = access_ok(from, n) ? bounce(k) : null;
  if (buf === null) {
    dst.fill(0, 0, n);
    return n;
  }
  for (let off = 0; off < n; off += BUF_BYTES) {
    const len = Math.min(BUF_BYTES, n - off);
    const left = call_stub(k, 'copy_user_generic', [[RDI, __va(buf)], [RSI, from + off], [RDX, len]]);
    dst.set(k.mem.u8.subarray(buf, buf + len - left), off);
    if (left !== 0) {
      dst.fill(0, off + len - left, n);
      return n - off - len + left;
    }
  }
  return 0;
}

export interface GetUser {
  err: number;
  lo: number;
  hi: number;
}

// Linux 5.10 arch/x86/include/asm/uaccess.h get_user -> __get_user_N (getuser.S): %rax in, %rdx out
// (get_user_call stores %rdx into the bounce buffer, as a C caller would store the value)
export function get_user(k: Machine, size: 1 | 2 | 4 | 8, addr: number): GetUser {
  const buf = bounce(k);
  if (buf === null) return { err: -ENOMEM, lo: 0, hi: 0 };
  const err = call_stub(k, 'get_user_call', [[RSI, ksym(`__get_user_${size}`)], [RAX, addr], [RDI, __va(buf)]]);
  const v = k.mem.view;
  return { err, lo: v.getInt32(buf, true), hi: v.getInt32(buf + 4, true) };
}

// Linux 5.10 arch/x86/include/asm/uaccess.h put_user -> __put_user_N (putuser.S): %rax value, %rcx address
export function put_user(k: Machine, size: 1 | 2 | 4 | 8, addr: number, lo: number, hi: number): number {
  return call_stub_value(k, `__put_user_${size}`, [[RCX, addr]], lo, hi);
}

function call_stub_value(k: Machine, name: string, args: readonly (readonly [number, number])[], lo: number, hi: number): number {
  const cpu = k.cpu;
  const saveLo = cpu.regs[2 * RAX], saveHi = cpu.regs[2 * RAX + 1];
  cpu.regs[2 * RAX] = lo;
  cpu.regs[2 * RAX + 1] = hi;
  try {
    return call_stub(k, name, args);
  } finally {
    cpu.regs[2 * RAX] = saveLo;
    cpu.regs[2 * RAX + 1] = saveHi;
  }
}

export interface StrncpyResult {
  /** The string's length without its NUL; count if no NUL was found in count bytes; or -EFAULT. */
  len: number;
  bytes: Uint8Array;
}

// Linux 5.10 lib/strncpy_from_user.c strncpy_from_user
export function strncpy_from_user(k: Machine, src: number, count: number): StrncpyResult {
  if (count <= 0) return { len: 0, bytes: new Uint8Array(0) };
  const buf = bounce(k);
  if (buf === null) return { len: -ENOMEM, bytes: new Uint8Array(0) };
  // The limit check of do_strncpy_from_user: never read at or past TASK_SIZE_MAX.
  const u = as_u64(src);
  if (u >= TASK_SIZE_MAX) return { len: -EFAULT, bytes: new Uint8Array(0) };
  const max = Math.min(count, TASK_SIZE_MAX - u, BUF_BYTES);
  const len = call_stub(k, 'strncpy_from_user', [[RDI, __va(buf)], [RSI, src], [RDX, max]]);
  if (len < 0) return { len, bytes: new Uint8Array(0) };
  if (len === max && max < count) return { len: -EFAULT, bytes: new Uint8Array(0) }; // ran into the limit
  return { len, bytes: k.mem.u8.slice(buf, buf + len) };
}

// Linux 5.10 arch/x86/lib/usercopy_64.c clear_user: access_ok, then __clear_user
export function clear_user(k: Machine, to: number, n: number): number {
  if (n === 0) return 0;
  if (!access_ok(to, n)) return n;
  return call_stub(k, '__clear_user', [[RDI, to], [RSI, n]]);
}
