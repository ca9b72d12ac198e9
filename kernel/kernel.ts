// The machine booted with faultline's kernel: boot() builds the hardware (physical memory, MMU, CPU),
// the kernel half of the address space, the page allocator, init_mm, pid 1, and installs the trap
// dispatcher as the CPU's IDT. Linux 5.10 init/main.c start_kernel, reduced to what faultline models.
//
//   const k = boot({ memBytes, version, trace, io, printk, traceLine })
//   const t = exec(k, elfBytes, { filename, argv, envp })   (kernel/exec.ts) -> the new pid-2 task or an error
//   const r = run(k, maxSteps)                              (kernel/sched.ts) -> 'idle' | 'max-steps'
//   t.exit_code, t.state                                    the wait status once t is a zombie or reaped

import { Cpu } from '../vm/cpu.js';
import { PhysicalMemory } from '../vm/memory.js';
import { Mmu } from '../vm/mmu.js';
import { CR0_WP, CR4_PGE, CR4_SMAP, CR4_SMEP, EFER_NXE } from '../vm/paging.js';
import { BootAllocator, kernel_stack_alloc, map_direct, map_kernel_image } from './boot_pagetables.js';
import { build_kernel_image, type KernelImage } from './kernel_image.js';
import type { FaultTrace, GuestIO, KernelVersion, LogLevel, Machine, MachineStats, TraceEvent } from './machine.js';
import { TASK_SIZE } from './mm_constants.js';
import { mm_struct, type TlbFlush } from './mm_types.js';
import { free_area_init, type Zone } from './page_alloc.js';
import { Printk, type PrintkSink } from './printk.js';
import { hi32, lo32, pt_regs } from './ptrace.js';
import { task_struct } from './task.js';
import { Tracer, type TraceKind, type TraceStyle } from './trace.js';
import { hex64 } from './printk.js';
import { install_traps } from './traps.js';

export interface BootOptions {
  /** Physical memory in bytes (--mem). */
  memBytes: number;
  /** Kernel profile (--kernel), 5.10 by default. */
  version?: KernelVersion;
  /** Event kinds to trace (--trace). */
  trace?: readonly TraceKind[];
  /** How trace lines look (--trace-style): long by default. */
  traceStyle?: TraceStyle;
  /** The guest's standard streams. */
  io: GuestIO;
  /** Where kernel messages go as they are logged (they are also kept in k.log). */
  printk?: PrintkSink;
  /** Where --trace lines go. */
  traceLine?: (line: string) => void;
}

export class Kernel implements Machine {
  readonly mem: PhysicalMemory;
  readonly mmu: Mmu;
  readonly cpu: Cpu;
  readonly zone: Zone;
  readonly init_mm: mm_struct;
  readonly version: KernelVersion;
  readonly tasks = new Map<number, task_struct>();
  readonly regs: pt_regs;
  readonly stats: MachineStats = { syscalls: 0, page_faults: 0, kernel_instructions: 0, minor_faults: 0, major_faults: 0, cow_copies: 0, cow_reuses: 0, oom_kills: 0, fork_limit_hits: 0 };
  readonly io: GuestIO;
  readonly kstack_top: number;
  fault_trace: FaultTrace | null = null;
  /** The assembled uaccess stubs and their symbols (kernel/kernel_image.ts). */
  readonly kernel_image: KernelImage;
  /** pid 1: faultline's built-in init, which only reaps (it never runs on the CPU). */
  readonly init_task: task_struct;
  /** The kernel log (dmesg) and its live sink. */
  readonly log: Printk;
  /** The TLB operations a user mm reaches the hardware through (flush_tlb_* end here). */
  readonly tlbflush: TlbFlush;
  current: task_struct;
  readonly tracer: Tracer;

  constructor(opts: BootOptions) {
    this.version = opts.version ?? '5.10';
    this.io = opts.io;
    this.tracer = new Tracer(opts.trace ?? [], opts.traceStyle ?? 'long', opts.traceLine);
    const console = opts.printk ?? (() => {});
    this.log = new Printk((level, line) => this.tracer.out(() => console(level, line))); // in the trace's order
    this.mem = new PhysicalMemory(opts.memBytes);
    this.mmu = new Mmu(this.mem);
    this.cpu = new Cpu(this.mem, this.mmu);
    this.regs = new pt_regs(this.cpu);
    this.kernel_image = build_kernel_image();

    // setup_arch: the kernel half in frames handed out before the buddy allocator exists.
    const boot = new BootAllocator(this.mem);
    const pgd = boot.alloc();
    map_direct(boot, pgd);
    map_kernel_image(boot, pgd, this.kernel_image);
    this.kstack_top = kernel_stack_alloc(boot);
    this.zone = free_area_init(this.mem, boot.next); // mem_init: everything else to the buddy lists

    const mmu = this.mmu;
    const tracing = (): boolean => this.tracing('tlb');
    this.tlbflush = {
      flushPage: (addr: number) => {
        if (tracing()) this.trace({ kind: 'tlb', pid: this.current.pid, text: `invlpg 0x${hex64(addr)}` });
        mmu.invlpg(lo32(addr), hi32(addr));
      },
      flushAll: () => {
        if (tracing()) this.trace({ kind: 'tlb', pid: this.current.pid, text: 'flush (CR3 reload: every non-global entry)' });
        mmu.flushNonGlobal();
      },
    };
    this.init_mm = new mm_struct(this.zone, this.tlbflush, pgd, TASK_SIZE);

    // cpu_init / cr4_init: write-protect in ring 0, SMEP, SMAP, global pages, NX; then load init_mm.
    mmu.setCr0(mmu.cr0 | CR0_WP);
    mmu.setCr4(mmu.cr4 | CR4_PGE | CR4_SMEP | CR4_SMAP);
    mmu.setEfer(mmu.efer | EFER_NXE);
    mmu.setCr3(pgd);
    this.init_mm.mm_cpumask = true;

    this.init_task = new task_struct(1, 'init', null);
    this.tasks.set(1, this.init_task);
    this.current = this.init_task;
    install_traps(this);
  }

  printk(level: LogLevel, line: string): void {
    this.log.printk(level, line);
  }

  tracing(kind: TraceEvent['kind']): boolean {
    return this.tracer.has(kind);
  }

  trace(event: TraceEvent): void {
    this.tracer.emit(event);
  }
}

/** Boots a machine: hardware, kernel half, allocator, init. Throws RangeError for an impossible --mem. */
export function boot(opts: BootOptions): Kernel {
  return new Kernel(opts);
}
