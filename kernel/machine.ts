// The machine: the one object that holds all of faultline's mutable state (hardware and kernel).
// Kernel functions take it as their first argument where Linux would reach for a global (current,
// init_mm, the page allocator, printk). kernel/kernel.ts builds one at boot.

import type { Cpu } from '../vm/cpu.js';
import type { PhysicalMemory } from '../vm/memory.js';
import type { Mmu } from '../vm/mmu.js';
import type { mm_struct } from './mm_types.js';
import type { Zone } from './page_alloc.js';
import type { pt_regs } from './ptrace.js';
import type { task_struct } from './task.js';
import type { Tracer } from './trace.js';

/** Which kernel's rules apply where the seeds differ (SPEC §2). */
export type KernelVersion = '5.10' | '4.19' | '2.6';

export type LogLevel = 'info' | 'warn' | 'emerg';

/** One --trace event: its line, and (where it differs) the line of --trace-style short. */
export interface TraceEvent {
  kind: 'fault' | 'syscall' | 'cow' | 'tlb' | 'proc';
  pid: number;
  text: string;
  short?: string;
}

/** Counters for --stats (perf stat-like). */
export interface MachineStats {
  syscalls: number;
  /** perf's software page-fault event (PERF_COUNT_SW_PAGE_FAULTS): every do_user_addr_fault entry since exec. */
  page_faults: number;
  /** Instructions retired at CPL 0 (the uaccess stubs): perf's instructions:k. */
  kernel_instructions: number;
  minor_faults: number;
  major_faults: number;
  cow_copies: number;
  cow_reuses: number;
  oom_kills: number;
  /** Forks refused because the process table was full (max_threads): a fork bomb's signature. */
  fork_limit_hits: number;
}

/** The guest's standard streams: the CLI's own stdio, or a test's buffers. */
export interface GuestIO {
  /** Up to `max` bytes of standard input (fd 0); an empty array at end of file. */
  readStdin(max: number): Uint8Array;
  /**
   * Bytes the guest wrote to fd 1 (stdout) or fd 2 (stderr). false: nobody reads that stream any more
   * (a pipe whose reader closed, EPIPE), and the bytes went nowhere.
   */
  write(fd: 1 | 2, bytes: Uint8Array): boolean | void;
}

/** The --trace faults record of a fault being handled (a stack: a uaccess fault can nest in another). */
export interface FaultTrace {
  ip: number;
  address: number;
  error_code: number;
  path: string[];
  outcome: string;
  prev: FaultTrace | null;
}

export interface Machine {
  readonly mem: PhysicalMemory;
  readonly mmu: Mmu;
  readonly cpu: Cpu;
  readonly zone: Zone;
  readonly init_mm: mm_struct;
  readonly version: KernelVersion;
  /** The task on the CPU (Linux's `current`). */
  current: task_struct;
  /** Every task not yet reaped, by pid. */
  readonly tasks: Map<number, task_struct>;
  /** The interrupted context of the current trap, as the handlers see it. */
  readonly regs: pt_regs;
  readonly stats: MachineStats;
  /** The guest's stdin/stdout/stderr (read and write syscalls). */
  readonly io: GuestIO;
  /** Top of the kernel stack (canonical kernel address, 16-byte aligned) for cpu.callKernel. */
  readonly kstack_top: number;
  /** Kernel log (dmesg): segfault lines, oopses, OOM reports. */
  printk(level: LogLevel, line: string): void;
  /** Whether events of a kind are being traced (so hot paths skip building the text). */
  tracing(kind: TraceEvent['kind']): boolean;
  trace(event: TraceEvent): void;
  /** The trace's order (events held while the one causing them is open) and the syscalls left sleeping. */
  readonly tracer: Tracer;
  /** The fault records open while tracing faults (kernel/fault_trace.ts); null when none. */
  fault_trace: FaultTrace | null;
}
