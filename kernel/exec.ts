// exec: a static ELF64 executable becomes the first user process (pid 2, child of init). Follows Linux 5.10
// fs/binfmt_elf.c load_elf_binary: each PT_LOAD is a private file mapping of the executable (demand-paged
// from its page cache), the part of the last file page past p_filesz is zeroed with clear_user (padzero),
// .bss beyond it is anonymous memory from vm_brk_flags (set_brk), and the break starts at the page-aligned
// end of .bss. The stack is kernel/exec_stack.ts. The ELF may come from faultline's assembler or GNU ld.
//
//   exec(k, elf: Uint8Array, opts: ExecOptions): task_struct | string   the new task, or one line saying why not

import { readElf, type ElfFile, type ElfProgramHeader } from '../asm/elf.js';
import { file } from './filemap.js';
import { fput } from './file_table.js';
import { bprm_mm_init, copy_strings, create_elf_tables, setup_arg_pages, strings_size } from './exec_stack.js';
import { exit_task } from './exit.js';
import type { Machine } from './machine.js';
import {
  IS_ERR_VALUE, MAP_DENYWRITE, MAP_EXECUTABLE, MAP_FIXED_NOREPLACE, MAP_PRIVATE, PAGE_SIZE, PROT_EXEC, PROT_READ,
  PROT_WRITE, TASK_SIZE, VM_EXEC,
} from './mm_constants.js';
import type { mm_struct } from './mm_types.js';
import { arch_pick_mmap_layout, mm_alloc } from './mm_init.js';
import { do_mmap } from './mmap.js';
import { perf_event_exec } from './perf_event.js';
import { vm_brk_flags } from './brk.js';
import { hi32, lo32 } from './ptrace.js';
import { alloc_pid, context_switch } from './sched.js';
import { SIGKILL } from './signal_defs.js';
import { task_struct } from './task.js';
import { clear_user } from './uaccess.js';

export interface ExecOptions {
  /** The path as given (bprm->filename: AT_EXECFN's string). */
  filename: string;
  argv: readonly string[];
  envp: readonly string[];
}

const ET_EXEC = 2, ET_DYN = 3, EM_X86_64 = 62;
const PT_LOAD = 1, PT_INTERP = 3, PT_GNU_STACK = 0x6474e551;
const PF_X = 1, PF_W = 2, PF_R = 4;
const X86_EFLAGS_IF = 0x200;

const ELF_PAGESTART = (v: number): number => v - (v % PAGE_SIZE);
const ELF_PAGEOFFSET = (v: number): number => v % PAGE_SIZE;
const ELF_PAGEALIGN = (v: number): number => Math.ceil(v / PAGE_SIZE) * PAGE_SIZE;

// Linux 5.10 fs/binfmt_elf.c make_prot
function make_prot(p_flags: number): number {
  return (p_flags & PF_R ? PROT_READ : 0) | (p_flags & PF_W ? PROT_WRITE : 0) | (p_flags & PF_X ? PROT_EXEC : 0);
}

/** The checks at the top of load_elf_binary (and elf_check_arch): null if this is a program we can load. */
function check_elf(elf: ElfFile): string | null {
  const h = elf.header;
  if (h.type === ET_DYN) return 'position-independent executables are not supported (link with -static, no -pie)';
  if (h.type !== ET_EXEC) return `not an executable (ELF type ${h.type})`;
  if (h.machine !== EM_X86_64) return `not an x86-64 program (ELF machine ${h.machine})`;
  if (elf.programHeaders.some((p) => p.type === PT_INTERP)) return 'dynamically linked programs are not supported (link with -static)';
  const loads = elf.programHeaders.filter((p) => p.type === PT_LOAD);
  if (loads.length === 0) return 'no PT_LOAD segment';
  for (const p of loads) {
    const v = Number(p.vaddr);
    if (p.memsz < p.filesz) return 'a PT_LOAD segment has p_memsz < p_filesz';
    if (ELF_PAGEOFFSET(v) !== ELF_PAGEOFFSET(p.offset)) return 'a PT_LOAD segment is not congruent to its file offset modulo the page size';
    if (!(v >= PAGE_SIZE && v + p.memsz <= TASK_SIZE)) return `a PT_LOAD segment lies outside user space (0x${p.vaddr.toString(16)})`;
    if (p.offset + p.filesz > elf.bytes.length) return 'a PT_LOAD segment lies outside the file';
  }
  return null;
}

/** Frees what a failed exec built and reports why (the task never ran: it is reaped by init at once). */
function exec_failed(k: Machine, t: task_struct, why: string): string {
  exit_task(k, t, SIGKILL);
  return why;
}

// Linux 5.10 fs/binfmt_elf.c elf_map: the file pages [p_offset, p_offset + p_filesz) at p_vaddr
function elf_map(mm: mm_struct, file: file, p: ElfProgramHeader): number {
  const vaddr = Number(p.vaddr);
  const size = ELF_PAGEALIGN(p.filesz + ELF_PAGEOFFSET(vaddr));
  const off = p.offset - ELF_PAGEOFFSET(vaddr);
  if (size === 0) return ELF_PAGESTART(vaddr);
  const flags = MAP_PRIVATE | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_FIXED_NOREPLACE;
  return do_mmap(mm, file, ELF_PAGESTART(vaddr), size, make_prot(p.flags), flags, off / PAGE_SIZE);
}

// Linux 5.10 fs/binfmt_elf.c set_brk: anonymous pages for [start, end) page-aligned; the break starts at end
function set_brk(mm: mm_struct, start: number, end: number, prot: number): number {
  start = ELF_PAGEALIGN(start);
  end = ELF_PAGEALIGN(end);
  if (end > start) {
    const error = vm_brk_flags(mm, start, end - start, prot & PROT_EXEC ? VM_EXEC : 0);
    if (error !== 0) return error;
  }
  mm.start_brk = mm.brk = end;
  return 0;
}

// Linux 5.10 fs/binfmt_elf.c padzero: zero the rest of the page holding the end of the file data
function padzero(k: Machine, elf_bss: number): boolean {
  const nbyte = ELF_PAGEOFFSET(elf_bss);
  return nbyte === 0 || clear_user(k, elf_bss, PAGE_SIZE - nbyte) === 0;
}

/** The segments' extent, as load_elf_binary accumulates it. */
interface Extent {
  start_code: number;
  end_code: number;
  start_data: number;
  end_data: number;
  elf_bss: number;
  elf_brk: number;
  bss_prot: number;
  load_addr: number;
}

// Linux 5.10 fs/binfmt_elf.c load_elf_binary, the PT_LOAD loop (load_bias 0: ET_EXEC)
function map_segments(k: Machine, mm: mm_struct, elf: ElfFile, file: file): Extent | string {
  const x: Extent = { start_code: Infinity, end_code: 0, start_data: 0, end_data: 0, elf_bss: 0, elf_brk: 0, bss_prot: 0, load_addr: -1 };
  for (const p of elf.programHeaders) {
    if (p.type !== PT_LOAD) continue;
    if (x.elf_brk > x.elf_bss) {
      // A PT_LOAD with p_memsz > p_filesz came before this one: its bss first.
      if (set_brk(mm, x.elf_bss, x.elf_brk, x.bss_prot) !== 0) return 'cannot map .bss';
      const nbyte = ELF_PAGEOFFSET(x.elf_bss);
      if (nbyte) clear_user(k, x.elf_bss, Math.min(PAGE_SIZE - nbyte, x.elf_brk - x.elf_bss)); // may fail: ignored as Linux does
    }
    const addr = elf_map(mm, file, p);
    if (IS_ERR_VALUE(addr)) return `cannot map segment at 0x${p.vaddr.toString(16)} (error ${-addr})`;
    const vaddr = Number(p.vaddr);
    if (x.load_addr < 0) x.load_addr = vaddr - p.offset;
    if (p.flags & PF_X && vaddr < x.start_code) x.start_code = vaddr;
    if (x.start_data < vaddr) x.start_data = vaddr;
    let e = vaddr + p.filesz;
    if (e > x.elf_bss) x.elf_bss = e;
    if (p.flags & PF_X && x.end_code < e) x.end_code = e;
    if (x.end_data < e) x.end_data = e;
    e = vaddr + p.memsz;
    if (e > x.elf_brk) {
      x.bss_prot = make_prot(p.flags);
      x.elf_brk = e;
    }
  }
  if (set_brk(mm, x.elf_bss, x.elf_brk, x.bss_prot) !== 0) return 'cannot map .bss';
  if (x.elf_bss !== x.elf_brk && !padzero(k, x.elf_bss)) return 'cannot clear the end of the data segment';
  return x;
}

/** The PT_GNU_STACK verdict: an executable stack only when it says PF_X (x86-64: no header = non-exec). */
function wants_exec_stack(elf: ElfFile): boolean {
  const gs = elf.programHeaders.find((p) => p.type === PT_GNU_STACK);
  return gs !== undefined && (gs.flags & PF_X) !== 0;
}

/** comm: the last path component, at most TASK_COMM_LEN - 1 = 15 bytes (__set_task_comm). */
function task_comm(filename: string): string {
  return (filename.split('/').pop() ?? filename).slice(0, 15);
}

// Linux 5.10 arch/x86/kernel/process_64.c start_thread (+ ELF_PLAT_INIT: every register zero)
function start_thread(k: Machine, t: task_struct, ip: number, sp: number): void {
  const cpu = k.cpu;
  cpu.regs.fill(0);
  cpu.regs[8] = lo32(sp);
  cpu.regs[9] = hi32(sp);
  cpu.ripLo = lo32(ip);
  cpu.ripHi = hi32(ip);
  cpu.setRflags(X86_EFLAGS_IF);
  cpu.setCpl(3);
  t.context = cpu.saveState();
}

/** Loads `bytes` as the program of a new process (child of init) and makes it runnable. */
export function exec(k: Machine, bytes: Uint8Array, opts: ExecOptions): task_struct | string {
  const elf = readElf(bytes);
  if (typeof elf === 'string') return `not a valid ELF file: ${elf}`;
  const bad = check_elf(elf);
  if (bad !== null) return bad;
  const mm = mm_alloc(k.zone, k.init_mm.tlb, k.init_mm);
  if (mm === null) return 'out of memory';
  arch_pick_mmap_layout(mm);
  const init = k.tasks.get(1) ?? null;
  const t = new task_struct(alloc_pid(k), task_comm(opts.filename), mm);
  t.real_parent = init;
  init?.children.push(t);
  k.tasks.set(t.pid, t);
  // From here the work happens in the new task's context: its mm loaded, faults charged to it.
  t.state = 'blocked';
  context_switch(k, t);

  const bprm = bprm_mm_init(mm, strings_size(opts.filename, opts.argv, opts.envp));
  if (typeof bprm === 'number') return exec_failed(k, t, 'argument list too long');
  if (copy_strings(k, bprm, opts.filename, opts.argv, opts.envp) !== 0) return exec_failed(k, t, 'cannot copy the arguments');
  perf_event_exec(k); // begin_new_exec
  if (setup_arg_pages(k, mm, bprm, wants_exec_stack(elf)) !== 0) return exec_failed(k, t, 'cannot set up the stack');
  const exe = new file(opts.filename, bytes);
  const x = map_segments(k, mm, elf, exe);
  fput(k.zone, exe); // exec's own reference (bprm->file): from here only the VMAs hold the file
  if (typeof x === 'string') return exec_failed(k, t, x);
  mm.start_code = x.start_code;
  mm.end_code = x.end_code;
  mm.start_data = x.start_data;
  mm.end_data = x.end_data;
  const entry = Number(elf.header.entry);
  const sp = create_elf_tables(k, mm, bprm, { phdr: x.load_addr + elf.header.phoff, phnum: elf.header.phnum, entry });
  if (IS_ERR_VALUE(sp)) return exec_failed(k, t, 'cannot build the initial stack');
  mm.start_stack = sp;
  start_thread(k, t, entry, sp);
  t.state = 'runnable';
  return t;
}
