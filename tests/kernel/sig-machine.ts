// A small machine for the signal, uaccess, syscall and exception-table tests: real memory, MMU, CPU,
// buddy allocator, init_mm with the kernel half (direct map + kernel image, as boot builds them), one
// user task (pid 2) with its own mm, and a minimal trap dispatcher. The dispatcher's #PF handling is a
// stand-in for the fault path (kept deliberately simple): a fault on an address some VMA covers maps a
// fresh page there (demand paging), a kernel-mode fault anywhere else takes fixup_exception or else an
// oops that kills the task; a user-mode fault sends SIGSEGV as __bad_area_nosemaphore does.

import { assemble } from '../../asm/assemble.js';
import { Cpu } from '../../vm/cpu.js';
import { PhysicalMemory } from '../../vm/memory.js';
import { Mmu } from '../../vm/mmu.js';
import { CR0_WP, CR4_PGE, CR4_SMAP, CR4_SMEP, EFER_NXE } from '../../vm/paging.js';
import { VEC_BP, VEC_DE, VEC_GP, VEC_PF, VEC_SYSCALL, VEC_UD } from '../../vm/exceptions.js';
import { BootAllocator, kernel_stack_alloc, map_direct, map_kernel_image } from '../../kernel/boot_pagetables.js';
import { do_exit } from '../../kernel/exit.js';
import { fixup_exception } from '../../kernel/extable.js';
import { build_kernel_image } from '../../kernel/kernel_image.js';
import type { FaultTrace, GuestIO, LogLevel, Machine, MachineStats, TraceEvent } from '../../kernel/machine.js';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, TASK_SIZE, TASK_SIZE_MAX } from '../../kernel/mm_constants.js';
import { arch_pick_mmap_layout, mm_alloc } from '../../kernel/mm_init.js';
import { mm_struct, type TlbFlush } from '../../kernel/mm_types.js';
import { do_mmap } from '../../kernel/mmap.js';
import { free_area_init, type Zone } from '../../kernel/page_alloc.js';
import { R11, RAX, hi32, lo32, pt_regs, user_mode } from '../../kernel/ptrace.js';
import {
  exc_divide_error, exc_general_protection, exc_int3, exc_invalid_op, exit_to_user_mode, force_sig_fault,
} from '../../kernel/signal.js';
import { SEGV_MAPERR, SIGKILL, SIGSEGV, X86_TRAP_PF } from '../../kernel/signal_defs.js';
import { do_syscall_64 } from '../../kernel/syscalls/index.js';
import { TaskExit, task_struct } from '../../kernel/task.js';
import { Tracer } from '../../kernel/trace.js';
import { find_vma } from '../../kernel/vma.js';
import { touch } from './mm_helpers.js';

export class SigMachine implements Machine {
  fault_trace: FaultTrace | null = null;
  readonly mem: PhysicalMemory;
  readonly mmu: Mmu;
  readonly cpu: Cpu;
  readonly zone: Zone;
  readonly init_mm: mm_struct;
  readonly version = '5.10' as const;
  readonly tasks = new Map<number, task_struct>();
  readonly regs: pt_regs;
  readonly stats: MachineStats = { syscalls: 0, page_faults: 0, kernel_instructions: 0, minor_faults: 0, major_faults: 0, cow_copies: 0, cow_reuses: 0, oom_kills: 0, fork_limit_hits: 0 };
  readonly io: GuestIO;
  readonly kstack_top: number;
  readonly tlb: TlbFlush;
  current: task_struct;
  /** Everything printk'd, and the guest's output, as text. */
  readonly log: string[] = [];
  stdout = '';
  stdin: Uint8Array;
  /** Page faults taken, as [address, error code, cpl, rip]. */
  readonly faults: [number, number, number, number][] = [];

  constructor(stdin = '') {
    this.stdin = new TextEncoder().encode(stdin);
    this.mem = new PhysicalMemory(8 << 20);
    this.mmu = new Mmu(this.mem);
    this.cpu = new Cpu(this.mem, this.mmu);
    this.regs = new pt_regs(this.cpu);
    const boot = new BootAllocator(this.mem);
    const pgd = boot.alloc();
    map_direct(boot, pgd);
    map_kernel_image(boot, pgd, build_kernel_image());
    this.kstack_top = kernel_stack_alloc(boot);
    this.zone = free_area_init(this.mem, boot.next);
    const mmu = this.mmu;
    this.tlb = { flushPage: (a) => mmu.invlpg(lo32(a), hi32(a)), flushAll: () => mmu.flushNonGlobal() };
    this.init_mm = new mm_struct(this.zone, this.tlb, pgd, TASK_SIZE);
    mmu.setCr0(mmu.cr0 | CR0_WP);
    mmu.setCr4(mmu.cr4 | CR4_PGE | CR4_SMEP | CR4_SMAP);
    mmu.setEfer(mmu.efer | EFER_NXE);
    const mm = mm_alloc(this.zone, this.tlb, this.init_mm)!;
    arch_pick_mmap_layout(mm);
    mmu.setCr3(mm.pgd);
    this.current = new task_struct(2, 'prog', mm);
    this.tasks.set(2, this.current);
    this.io = {
      readStdin: (max) => {
        const b = this.stdin.slice(0, max);
        this.stdin = this.stdin.slice(b.length);
        return b;
      },
      write: (_fd, bytes) => {
        this.stdout += new TextDecoder().decode(bytes);
      },
    };
    this.cpu.setCpl(3);
    this.cpu.trap = (v, e) => this.dispatch(v, e);
  }

  get mm(): mm_struct {
    return this.current.mm!;
  }

  printk(_level: LogLevel, line: string): void {
    this.log.push(line);
  }
  tracing(_kind: TraceEvent['kind']): boolean {
    return false;
  }
  trace(_event: TraceEvent): void {}
  readonly tracer = new Tracer([]);

  /** An anonymous private mapping at a fixed address; `populate` maps its pages now. */
  map(addr: number, len: number, prot: number, populate = false): void {
    const r = do_mmap(this.mm, null, addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
    if (r !== addr) throw new Error(`mmap failed: ${r}`);
    if (populate) for (let a = addr; a < addr + len; a += 4096) touch(this.mm, a);
  }

  /** Bytes of user memory, read through the page tables (test-side peek, no faults). */
  peek(addr: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const pa = this.mmu.translate(lo32(addr + i), hi32(addr + i), 0);
      out[i] = this.mem.u8[pa];
    }
    return out;
  }

  /**
   * Assembles `source` laid out from `base` (every section one after the other, as the kernel layout
   * does) into a fresh RWX mapping there; returns the symbols.
   */
  loadCode(source: string, base = 0x400000): Map<string, number> {
    const r = assemble(source, 'test.s', { textBase: BigInt(base) });
    if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.msg}`).join('\n'));
    let end = base;
    for (const s of r.image.sections) if (s.flags.alloc) end = Math.max(end, Number(s.addr) + s.size);
    this.map(base, Math.ceil((end - base) / 4096) * 4096, 7, true);
    for (const s of r.image.sections) {
      if (!s.flags.alloc || s.nobits) continue;
      for (let i = 0; i < s.size; i++) {
        const a = Number(s.addr) + i;
        const pa = this.mmu.translate(lo32(a), hi32(a), 0);
        this.mem.u8[pa] = s.data[i];
        this.mem.noteWrite(Math.floor(pa / 4096));
      }
    }
    const syms = new Map<string, number>();
    for (const s of r.image.symbols) if (s.section !== null) syms.set(s.name, Number(s.value));
    return syms;
  }

  /** Runs user code from rip with the given stack until the task exits; returns its exit code. */
  runUser(rip: number, rsp: number, maxSteps = 1_000_000): number | null {
    this.cpu.setCpl(3);
    this.regs.ip = rip;
    this.regs.sp = rsp;
    try {
      this.cpu.run(maxSteps);
    } catch (e) {
      if (e instanceof TaskExit) return e.task.exit_code;
      throw e;
    }
    return null;
  }

  private dispatch(vector: number, error_code: number): void {
    if (vector === VEC_SYSCALL) {
      this.cpu.setRflags(this.cpu.regs[2 * R11]);
      this.cpu.setCpl(3);
      this.regs.orig_ax = this.regs.get(RAX);
      do_syscall_64(this, this.regs);
      exit_to_user_mode(this);
      return;
    }
    switch (vector) {
      case VEC_PF: this.page_fault(error_code); break;
      case VEC_DE: exc_divide_error(this, error_code); break;
      case VEC_UD: exc_invalid_op(this, error_code); break;
      case VEC_BP: exc_int3(this, error_code); break;
      case VEC_GP: exc_general_protection(this, error_code); break;
      default: throw new Error(`vector ${vector}`);
    }
    if (user_mode(this.regs)) exit_to_user_mode(this);
  }

  private page_fault(error_code: number): void {
    const address = this.cpu.cr2Hi * 4294967296 + (this.cpu.cr2Lo >>> 0);
    this.faults.push([address, error_code, this.cpu.cpl, this.regs.ip]);
    const vma = address < TASK_SIZE_MAX ? find_vma(this.mm, address) : null;
    if (vma !== null && vma.vm_start <= address && !(error_code & 1)) {
      touch(this.mm, Math.floor(address / 4096) * 4096);
      return;
    }
    if (!user_mode(this.regs)) {
      if (fixup_exception(this, this.regs, X86_TRAP_PF, error_code, address)) return;
      this.printk('emerg', `BUG: unable to handle page fault for address: ${address.toString(16)}`);
      do_exit(this, SIGKILL);
    }
    const t = this.current.thread;
    t.cr2 = address;
    t.error_code = error_code;
    t.trap_nr = X86_TRAP_PF;
    force_sig_fault(this, SIGSEGV, SEGV_MAPERR, address);
  }
}
