// --trace syscalls: one line per system call, as strace prints it: arguments decoded (flags by name,
// buffers and paths quoted, NULL), the result (`-1 ENOENT (No such file or directory)` for an error,
// `?` for a call that does not return), and a call that sleeps printed in two parts:
//   [sys pid 2] wait4(-1, 0x7fffffffee4c, 0, NULL <unfinished ...>
//   [sys pid 2] <... wait4 resumed>) = 3
// The line goes out when the call is decided; what it caused (its faults, a fork's child) follows it.
//
//   syscall_trace_enter(k): SyscallRecord     at entry: the number and arguments, before the handler runs
//   syscall_trace_exit(k, rec, returned)      at exit: the line (returned false: the task is gone)

import type { Machine } from './machine.js';
import type { mm_struct } from './mm_types.js';
import { ptep_get, walk_pte } from './pgalloc.js';
import { pte_pfn, pte_present } from './pgtable.js';
import { hex64 } from './printk.js';
import { R10, R8, R9, RDI, RDX, RSI } from './ptrace.js';
import {
  ERRNO, MADVISE, MAP, PROT, RLIMIT, RUSAGE_WHO, SIGPROCMASK_HOW, WAIT_OPTIONS, flag_names, open_flags, signame,
} from './strace_names.js';

/**
 * How an argument is shown: d int, u unsigned, p pointer (NULL), x hex, buf the bytes of the next
 * argument's length, path a NUL-terminated string, then the flag words and enumerations by name.
 */
type Arg = 'd' | 'u' | 'p' | 'x' | 'o' | 'buf' | 'path' | 'dirfd' | 'prot' | 'map' | 'wopt' | 'sig' | 'how' | 'madv' | 'who' | 'rlim' | 'oflags';

/** Linux x86-64 syscalls by number (SPEC §4): name, arguments, and whether the result is an address. */
const SYSCALLS: Readonly<Record<number, readonly [string, readonly Arg[], boolean?]>> = {
  0: ['read', ['d', 'p', 'u']], 1: ['write', ['d', 'buf', 'u']], 2: ['open', ['path', 'oflags', 'o']], 3: ['close', ['d']],
  9: ['mmap', ['p', 'u', 'prot', 'map', 'd', 'x'], true], 10: ['mprotect', ['p', 'u', 'prot']], 11: ['munmap', ['p', 'u']],
  12: ['brk', ['p'], true], 13: ['rt_sigaction', ['sig', 'p', 'p', 'u']], 14: ['rt_sigprocmask', ['how', 'p', 'p', 'u']],
  15: ['rt_sigreturn', []], 24: ['sched_yield', []], 28: ['madvise', ['p', 'u', 'madv']], 39: ['getpid', []],
  57: ['fork', []], 58: ['vfork', []], 59: ['execve', ['path', 'p', 'p']], 60: ['exit', ['d']],
  61: ['wait4', ['d', 'p', 'wopt', 'p']], 62: ['kill', ['d', 'sig']], 77: ['ftruncate', ['d', 'u']],
  98: ['getrusage', ['who', 'p']], 110: ['getppid', []], 158: ['arch_prctl', ['x', 'p']], 231: ['exit_group', ['d']],
  257: ['openat', ['dirfd', 'path', 'oflags', 'o']], 302: ['prlimit64', ['d', 'rlim', 'p', 'p']],
  329: ['pkey_mprotect', ['p', 'u', 'prot', 'd']], 330: ['pkey_alloc', ['x', 'x']], 331: ['pkey_free', ['d']],
};

const ARG_REGS = [RDI, RSI, RDX, R10, R8, R9] as const;
/** strace -s 32: how much of a buffer is shown. */
const STRING_LIMIT = 32;
/** The length of the `syscall` instruction: a call set up to restart has %rip moved back by it. */
const SYSCALL_INSN_LEN = 2;

/** A call in progress: what entry saw. */
export interface SyscallRecord {
  pid: number;
  name: string;
  kinds: readonly Arg[];
  address: boolean;
  /** The arguments as canonical values and as C ints (the low 32 bits). */
  args: readonly number[];
  ints: readonly number[];
  /** %rip after the syscall instruction. */
  ip: number;
  /** This is the restart of a call that slept (`<... name resumed>`). */
  resumed: boolean;
}

export function syscall_trace_enter(k: Machine): SyscallRecord {
  const regs = k.regs;
  const nr = regs.orig_ax;
  const [name, kinds, address] = SYSCALLS[nr] ?? [`syscall_${nr}`, ['x', 'x', 'x', 'x', 'x', 'x'] as const];
  const pid = k.current.pid;
  const resumed = k.tracer.unfinished.get(pid) === name;
  k.tracer.unfinished.delete(pid);
  k.tracer.hold();
  return {
    pid, name, kinds, address: address ?? false, resumed, ip: regs.ip,
    args: ARG_REGS.map((r) => regs.get(r)), ints: ARG_REGS.map((r) => regs.cpu.regs[2 * r]),
  };
}

export function syscall_trace_exit(k: Machine, rec: SyscallRecord, returned: boolean): void {
  const t = k.tasks.get(rec.pid);
  const restarts = returned && t !== undefined && t.state === 'blocked' && k.regs.ip === rec.ip - SYSCALL_INSN_LEN;
  const args = rec.resumed ? '' : `${rec.name}(${rec.kinds.map((kind, i) => arg_text(k, rec, kind, i)).join(', ')}`;
  let text: string;
  if (restarts) {
    k.tracer.unfinished.set(rec.pid, rec.name);
    text = rec.resumed ? `<... ${rec.name} resumed> <unfinished ...>` : `${args} <unfinished ...>`;
  } else {
    const result = returned ? result_text(k.regs.ax, rec.address) : '?';
    text = rec.resumed ? `<... ${rec.name} resumed>) = ${result}` : `${args}) = ${result}`;
  }
  k.tracer.release({ kind: 'syscall', pid: rec.pid, text });
}

/** A result as strace shows it: a number (an address in hex), or `-1 ERRNO (text)`. */
export function result_text(ax: number, address: boolean): string {
  if (ax < 0 && ax >= -4095) {
    const [name, text] = ERRNO[-ax] ?? [`errno ${-ax}`, 'Unknown error'];
    return `-1 ${name} (${text})`;
  }
  return address ? `0x${hex64(ax)}` : String(ax);
}

function arg_text(k: Machine, rec: SyscallRecord, kind: Arg, i: number): string {
  const v = rec.args[i];
  const n = rec.ints[i];
  switch (kind) {
    case 'd': return String(n);
    case 'u': return v < 0 ? hex(v) : String(v);
    case 'p': return v === 0 ? 'NULL' : hex(v);
    case 'x': return v === 0 ? '0' : hex(v); // %#lx
    case 'o': return `0${(n >>> 0).toString(8)}`;
    case 'buf': return user_string(k, v, Math.max(0, Math.min(rec.args[i + 1], STRING_LIMIT + 1)), false);
    case 'path': return user_string(k, v, 4096, true);
    case 'dirfd': return n === -100 ? 'AT_FDCWD' : String(n);
    case 'prot': return flag_names(n, PROT, 'PROT_NONE');
    case 'map': return flag_names(n, MAP, '0');
    case 'wopt': return flag_names(n, WAIT_OPTIONS, '0');
    case 'sig': return signame(n);
    case 'how': return SIGPROCMASK_HOW[n] ?? String(n);
    case 'madv': return MADVISE[n] ?? String(n);
    case 'who': return RUSAGE_WHO[n] ?? String(n);
    case 'rlim': return RLIMIT[n] ?? String(n);
    case 'oflags': return open_flags(n);
  }
}

function hex(v: number): string {
  return `0x${hex64(v)}`;
}

/**
 * Up to `max` bytes of user memory, quoted with C escapes; "..." when cut at STRING_LIMIT. Read through the
 * page tables without faulting (the trace must not change what it watches): a page not present shows the
 * pointer instead, as strace does for memory it cannot read.
 */
function user_string(k: Machine, addr: number, max: number, nul: boolean): string {
  const mm = k.current.mm;
  const bytes: number[] = [];
  const limit = Math.min(max, STRING_LIMIT + 1);
  for (let i = 0; i < limit; i++) {
    const b = mm === null ? null : peek_user(mm, addr + i);
    if (b === null) return addr === 0 ? 'NULL' : hex(addr);
    if (nul && b === 0) break;
    bytes.push(b);
  }
  const cut = bytes.length > STRING_LIMIT;
  return `"${bytes.slice(0, STRING_LIMIT).map(escape_byte).join('')}"${cut ? '...' : ''}`;
}

/** One byte of user memory if its page is mapped (a present user pte), else null. */
function peek_user(mm: mm_struct, addr: number): number | null {
  if (addr < 0 || addr >= mm.task_size) return null;
  const ptep = walk_pte(mm, addr - (addr % 4096));
  if (ptep === null) return null;
  const pte = ptep_get(mm.zone.mem, ptep);
  if (!pte_present(pte)) return null;
  return mm.zone.mem.u8[pte_pfn(pte) * 4096 + (addr % 4096)];
}

const ESCAPES: Readonly<Record<number, string>> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x0b: '\\v', 0x0c: '\\f', 0x22: '\\"', 0x5c: '\\\\' };

function escape_byte(b: number): string {
  return ESCAPES[b] ?? (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\${b.toString(8)}`);
}
