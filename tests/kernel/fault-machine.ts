// A booted machine with one user process (pid 2, "prog") and an empty address space, for the fault-path
// tests: they add mappings, then either raise a page fault by hand (handle_page_fault with the CPU's
// registers set up as the hardware would leave them) or run a few real instructions on the CPU.

import { boot, type Kernel } from '../../kernel/kernel.js';
import { handle_page_fault } from '../../kernel/fault.js';
import { file } from '../../kernel/filemap.js';
import type { KernelVersion } from '../../kernel/machine.js';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, PROT_EXEC, PROT_READ } from '../../kernel/mm_constants.js';
import type { mm_struct, VmFile } from '../../kernel/mm_types.js';
import { arch_pick_mmap_layout, mm_alloc } from '../../kernel/mm_init.js';
import { do_mmap } from '../../kernel/mmap.js';
import { ptep_get, walk_pte } from '../../kernel/pgalloc.js';
import type { pte_t } from '../../kernel/pgtable.js';
import { RSP, from32, hi32, lo32 } from '../../kernel/ptrace.js';
import { context_switch } from '../../kernel/sched.js';
import { TaskExit, task_struct } from '../../kernel/task.js';
import type { TraceKind } from '../../kernel/trace.js';

export interface FaultMachine {
  k: Kernel;
  t: task_struct;
  mm: mm_struct;
  /** printk lines, in order. */
  log: string[];
  /** --trace lines, in order. */
  trace: string[];
}

export interface FaultMachineOptions {
  version?: KernelVersion;
  memBytes?: number;
  trace?: readonly TraceKind[];
}

/** Where tests put code and where the user stack pointer sits by default. */
export const CODE = 0x400000;
export const USER_SP = 0x7ffffffde000;

export function faultMachine(opts: FaultMachineOptions = {}): FaultMachine {
  const log: string[] = [];
  const trace: string[] = [];
  const k = boot({
    memBytes: opts.memBytes ?? 16 << 20,
    version: opts.version,
    trace: opts.trace ?? ['fault', 'cow'],
    io: { readStdin: () => new Uint8Array(0), write: () => {} },
    printk: (_level, line) => log.push(line),
    traceLine: (line) => trace.push(line),
  });
  const mm = mm_alloc(k.zone, k.tlbflush, k.init_mm);
  if (mm === null) throw new Error('no memory for an mm');
  arch_pick_mmap_layout(mm);
  const t = new task_struct(2, 'prog', mm);
  t.real_parent = k.init_task;
  k.init_task.children.push(t);
  k.tasks.set(2, t);
  context_switch(k, t);
  k.cpu.setCpl(3);
  setSp(k, USER_SP);
  return { k, t, mm, log, trace };
}

/** Another process (its own empty mm), made current; switch back with context_switch(fm.k, fm.t). */
export function addProcess(fm: FaultMachine, pid: number, comm: string): task_struct {
  const k = fm.k;
  const mm = mm_alloc(k.zone, k.tlbflush, k.init_mm);
  if (mm === null) throw new Error('no memory for an mm');
  arch_pick_mmap_layout(mm);
  const t = new task_struct(pid, comm, mm);
  t.real_parent = k.init_task;
  k.init_task.children.push(t);
  k.tasks.set(pid, t);
  switchTo(fm, t);
  return t;
}

/** Make t the current task (its mm loaded), as the scheduler would. */
export function switchTo(fm: FaultMachine, t: task_struct): void {
  context_switch(fm.k, t);
  fm.k.cpu.setCpl(3);
}

/** mmap as the syscall would (MAP_PRIVATE|MAP_ANONYMOUS unless told), throwing on -errno. */
export function mmap(fm: FaultMachine, len: number, prot: number, flags = MAP_PRIVATE | MAP_ANONYMOUS, addr = 0, f: VmFile | null = null, pgoff = 0): number {
  const mm = fm.k.current.mm;
  if (mm === null) throw new Error('mmap without an mm');
  const a = do_mmap(mm, f, addr, len, prot, addr !== 0 ? flags | MAP_FIXED : flags, pgoff);
  if (a < 0 && a >= -4095) throw new Error(`mmap failed: ${a}`);
  return a;
}

/** Put machine code in a private file mapping at CODE (R-X) and point RIP at it. */
export function loadCode(fm: FaultMachine, code: readonly number[]): void {
  const bytes = new Uint8Array(4096);
  bytes.set(code);
  mmap(fm, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, CODE, new file('prog', bytes), 0);
  setIp(fm.k, CODE);
}

export function setIp(k: Kernel, ip: number): void {
  k.cpu.ripLo = lo32(ip);
  k.cpu.ripHi = hi32(ip);
}

export function setSp(k: Kernel, sp: number): void {
  k.cpu.regs[2 * RSP] = lo32(sp);
  k.cpu.regs[2 * RSP + 1] = hi32(sp);
}

export interface FaultContext {
  /** CPL of the interrupted context (default 3). */
  cpl?: 0 | 3;
  ip?: number;
  sp?: number;
  /** RFLAGS (default 0x202; set AC, bit 18, for a kernel access inside stac/clac). */
  flags?: number;
}

/**
 * Deliver a #PF as the CPU would (CR2 = address, registers as given) and run the handler.
 * Returns 'killed' if the task was killed on the way (oops, OOM, a fatal signal in the handler).
 */
export function fault(fm: FaultMachine, address: number, error_code: number, ctx: FaultContext = {}): 'handled' | 'killed' {
  const k = fm.k;
  k.cpu.setCpl(ctx.cpl ?? 3);
  setIp(k, ctx.ip ?? CODE);
  setSp(k, ctx.sp ?? USER_SP);
  k.cpu.setRflags(ctx.flags ?? 0x202);
  k.cpu.cr2Lo = lo32(address);
  k.cpu.cr2Hi = hi32(address);
  try {
    handle_page_fault(k, k.regs, error_code, from32(k.cpu.cr2Lo, k.cpu.cr2Hi));
    return 'handled';
  } catch (e) {
    if (e instanceof TaskExit) return 'killed';
    throw e;
  }
}

/** Run the CPU from the current state until it stops, the budget ends, or the task dies. */
export function runUser(fm: FaultMachine, steps: number): 'ran' | 'killed' {
  fm.k.cpu.setCpl(3);
  try {
    fm.k.cpu.run(steps);
    return 'ran';
  } catch (e) {
    if (e instanceof TaskExit) return 'killed';
    throw e;
  }
}

/** The pte mapping addr in the process's page table, or null when no page table covers it. */
export function pteAt(fm: FaultMachine, addr: number): pte_t | null {
  const mm = fm.k.current.mm ?? fm.mm;
  const p = walk_pte(mm, addr);
  return p === null ? null : ptep_get(fm.k.mem, p);
}

/** The signals queued for the current task, as [signo, si_code, si_addr]. */
export function pendingSignals(fm: FaultMachine): [number, number, number][] {
  return fm.k.current.pending.map((s) => [s.si_signo, s.si_code, s.si_addr]);
}

/** The last --trace faults line. */
export function lastFaultTrace(fm: FaultMachine): string {
  const lines = fm.trace.filter((l) => l.includes('do_'));
  return lines[lines.length - 1] ?? '';
}
