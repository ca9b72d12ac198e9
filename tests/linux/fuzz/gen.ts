// A seeded generator of random guest programs for the differential fuzz of faultline's memory management
// against this machine's Linux. A program (GNU as AT&T, freestanding, raw syscalls, tests/linux/lib.s
// appended by the harness) works on an arena of ARENA_PAGES pages it reserves at start and on SLOTS
// regions: a random sequence of mmap (anonymous private/shared, any protection, fixed into or over what is
// there, or placed by the kernel), munmap, mprotect and madvise(MADV_DONTNEED) of whole or partial ranges,
// brk moves, and touches (read, write, execute) of pages in, between and just beyond the regions and the
// heap, optionally a fork whose child touches pages and exits. After each step it prints one line: the
// syscall's result (addresses as base+off or brk+off, never raw), or for a touch "ok" (and the value read)
// or the signal record (signo, si_code, si_addr, REG_ERR) with the step's ru_minflt delta.
//
// Writes store 0xc3 + (step << 8) at offset 0 of the page, so byte 0 is `ret` and executing a written page
// returns; an executed page of zeros runs `add %al,(%rax)` with %rax = 0 and faults at address 0.
//
// Differences between Linux 6.x (this machine) and Linux 5.10 (what faultline follows) the programs avoid:
// - mprotect adding PROT_WRITE: since 6.0 an exclusive anonymous page is made writable at once, so the next
//   write does not fault; 5.10 takes one write-protect fault. The next write to every page of such a range
//   prints "flt=?" instead of its fault count (a runtime taint map, fz_taint in gen_runtime.ts).
// - The vDSO and vvar sit just below mmap_base natively (faultline has none): addresses print relative to
//   the arena, a PROT_NONE wall stays mapped above the arena, and no range operation reaches above it.
// - A PT_LOAD segment with p_filesz 0 (the .bss-only segment GNU ld emits here): 5.10's elf_map still maps
//   the file page under it (ELF_PAGEALIGN of the page offset is one page), so the bytes of that page below
//   the .bss start are file bytes (the ELF header); since 6.7 (elf_load) the page is anonymous and zero.
//   Touches of the heap start at the first page of the break, never the last .bss page.
// - mmap hints below 64 KiB: round_hint_to_min raises them to mmap_min_addr, which on this machine is
//   CONFIG_LSM_MMAP_MIN_ADDR (65536) while /proc/sys/vm/mmap_min_addr (what faultline models) says 4096.
//   Hints come from the arena only.
// - Fault-around's window is 64 KiB aligned within one page table, so it depends on absolute addresses: the
//   arena starts on a 2 MiB boundary (gen_runtime.ts) so both sides see the same alignment.
// - Fault-around on file pages with large folios, and THP (madvise mode here): the programs use no files
//   and never madvise(MADV_HUGEPAGE).

import { ARENA_PAGES, PAGE, SLOTS, helpers, prologue } from './gen_runtime.js';

/** mulberry32: small, seedable, the same sequence everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROT_NAMES = ['none', 'r', 'w', 'rw', 'x', 'rx', 'wx', 'rwx'];
const MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_FIXED_NOREPLACE = 0x100000;
const PROT_WRITE = 2;
const SYS_MPROTECT = 10, SYS_MUNMAP = 11, SYS_BRK = 12, SYS_MADVISE = 28;
const MADV_DONTNEED = 4;

/** Where a step points: a page of a slot's region, of the arena, or of the heap, plus a byte offset. */
type Where = { kind: 'slot'; slot: number; page: number } | { kind: 'arena'; page: number } | { kind: 'brk'; page: number };

interface GenState {
  rand: () => number;
  /** Pages each slot's region was last mapped with (what offsets are chosen from). */
  slotPages: number[];
  forks: number;
  /** Pages touched before: touches come back to them, to see populated pages too. */
  touched: Where[];
  out: string[];
  labels: string[];
}

function int(g: GenState, lo: number, hi: number): number {
  return lo + Math.floor(g.rand() * (hi - lo + 1));
}

function pick<T>(g: GenState, weighted: [T, number][]): T {
  let r = g.rand() * weighted.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of weighted) if ((r -= w) < 0) return v;
  return weighted[weighted.length - 1][0];
}

function hex(n: number): string {
  return n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
}

function describe(w: Where, byte = 0): string {
  const off = w.page * PAGE + byte;
  return w.kind === 'slot' ? `r${w.slot}${off < 0 ? '' : '+'}${hex(off)}` : `${w.kind === 'arena' ? 'base' : 'brkpage'}+${hex(off)}`;
}

/** Code putting the address of `w` (+ byte) in %rdi. */
function address(w: Where, byte = 0): string {
  const off = w.page * PAGE + byte;
  switch (w.kind) {
    case 'slot': return `\tmov fz_slots+${8 * w.slot}(%rip), %rdi\n\tadd $${off}, %rdi\n`;
    case 'arena': return `\tlea ${off}(%r12), %rdi\n`;
    case 'brk': return `\tlea 4095(%r13), %rdi\n\tand $-4096, %rdi\n\tadd $${off}, %rdi\n`;
  }
}

function prot(g: GenState): number {
  return pick(g, [[3, 40], [1, 15], [0, 10], [7, 15], [5, 10], [2, 5], [4, 5]]);
}

/** A place for a range operation: mostly within or around a slot's region, sometimes anywhere in the arena. */
function rangeStart(g: GenState): Where {
  if (g.rand() < 0.7) {
    const slot = int(g, 0, SLOTS - 1);
    return { kind: 'slot', slot, page: int(g, -1, g.slotPages[slot]) };
  }
  return { kind: 'arena', page: int(g, 0, ARENA_PAGES - 1) };
}

function touchTarget(g: GenState): Where {
  if (g.touched.length > 0 && g.rand() < 0.35) return g.touched[int(g, 0, g.touched.length - 1)];
  const w = freshTarget(g);
  g.touched.push(w);
  return w;
}

function freshTarget(g: GenState): Where {
  const r = g.rand();
  if (r < 0.7) {
    const slot = int(g, 0, SLOTS - 1);
    return { kind: 'slot', slot, page: int(g, -1, g.slotPages[slot]) };
  }
  if (r < 0.85) return { kind: 'arena', page: int(g, 0, ARENA_PAGES - 1) };
  return { kind: 'brk', page: int(g, 0, 34) };
}

/** Length in bytes: whole pages mostly, sometimes ragged, rarely zero. */
function length(g: GenState, maxPages: number): number {
  const r = g.rand();
  if (r < 0.03) return 0;
  const pages = int(g, 1, maxPages);
  return r < 0.12 ? pages * PAGE - int(g, 1, PAGE - 1) : pages * PAGE;
}

/** A start byte offset: page aligned mostly, rarely not (EINVAL). */
function startByte(g: GenState): number {
  return g.rand() < 0.04 ? int(g, 1, PAGE - 1) : 0;
}

function label(g: GenState, text: string): string {
  const name = `fz_l${g.labels.length}`;
  g.labels.push(`${name}:\t.asciz ${JSON.stringify(text)}`);
  return `\tlea ${name}(%rip), %rdi\n\tcall lib_print_str\n`;
}

/** The range operations print the syscall's result; a range reaching into the wall is clipped, or skipped. */
function rangeOp(g: GenState, step: string, name: string, nr: number, w: Where, byte: number, len: number, arg3: number, taint: boolean): void {
  const skip = `fz_skip${g.labels.length}`;
  g.out.push(
    label(g, `${step} ${name} ${describe(w, byte)} ${hex(len)}${name !== 'mprotect' ? '' : ` ${PROT_NAMES[arg3] ?? hex(arg3)}`} = `) +
    address(w, byte) + `\tmov $${len}, %esi\n` + (taint ? '\tcall fz_taint_range\n' : '') +
    `\tcall fz_clip\n\ttest %eax, %eax\n\tjnz ${skip}\n\tmov $${arg3}, %edx\n\tmov $${nr}, %eax\n\tsyscall\n` +
    `\tmov %rax, %rdi\n\tcall fz_print_ret\n\tjmp ${skip}_end\n${skip}:\n\tlea fz_s_skip(%rip), %rdi\n\tcall lib_print_str\n${skip}_end:\n`,
  );
}

function genMmap(g: GenState, step: string): void {
  const slot = int(g, 0, SLOTS - 1);
  const len = g.rand() < 0.1 ? int(g, 1, 64) * PAGE - int(g, 1, PAGE - 1) : int(g, 1, 64) * PAGE;
  const p = prot(g);
  const type = g.rand() < 0.25 ? MAP_SHARED : MAP_PRIVATE;
  const mode = pick(g, [['any', 40], ['fixed', 40], ['noreplace', 8], ['hint', 12]] as [string, number][]);
  let flags = type | MAP_ANONYMOUS;
  let text = `${step} mmap r${slot} ${hex(len)} ${PROT_NAMES[p]} ${type === MAP_SHARED ? 'shared' : 'private'}`;
  let code = '\txor %edi, %edi\n';
  if (mode !== 'any') {
    // a hint comes from the arena: one taken from a slot holding -errno would be below 64 KiB (see above)
    const w = mode === 'hint' ? { kind: 'arena' as const, page: int(g, 0, ARENA_PAGES - 1) } : rangeStart(g);
    const byte = startByte(g);
    if (mode === 'fixed') flags |= MAP_FIXED;
    if (mode === 'noreplace') flags |= MAP_FIXED_NOREPLACE;
    text += ` ${mode} ${describe(w, byte)}`;
    code = address(w, byte);
  }
  const skip = `fz_skip${g.labels.length}`;
  const clip = mode === 'fixed' || mode === 'noreplace'
    ? `\tcall fz_clip\n\ttest %eax, %eax\n\tjnz ${skip}\n` : '';
  g.out.push(
    label(g, `${text} = `) + code + `\tmov $${len}, %esi\n` + clip +
    `\tmov $${p}, %edx\n\tmov $${flags}, %ecx\n\tcall lib_mmap\n\tmov %rax, fz_slots+${8 * slot}(%rip)\n` +
    `\tmov %rax, %rdi\n\tcall fz_print_ret\n\tjmp ${skip}_end\n${skip}:\n\tlea fz_s_skip(%rip), %rdi\n\tcall lib_print_str\n${skip}_end:\n`,
  );
  g.slotPages[slot] = Math.ceil(len / PAGE);
}

function genBrk(g: GenState, step: string): void {
  const off = int(g, -2, 36) * PAGE + (g.rand() < 0.5 ? int(g, 0, PAGE - 1) : 0);
  g.out.push(label(g, `${step} brk brk+${hex(off)} = `) +
    `\tlea ${off}(%r13), %rdi\n\tmov $${SYS_BRK}, %eax\n\tsyscall\n\tmov %rax, %rdi\n\tcall fz_print_ret\n`);
}

type Touch = 'read' | 'write' | 'exec';

/**
 * One access, or a burst of `pages` accesses to consecutive pages (stopping at the first fault), measured:
 * the record or "ok", and the minor faults it took (or "?" where 6.x differs).
 */
function touchCode(g: GenState, step: string, kind: Touch, w: Where, value: number, pages = 1): string {
  const back = `fz_back${g.labels.length}`;
  const one = kind === 'read' ? '\tmov (%rbx), %r8\n' : kind === 'write' ? `\tmovq $${value}, (%rbx)\n` : '\txor %eax, %eax\n\tcall *%rbx\n';
  const access = pages === 1 ? one : `\tmov $${pages}, %ecx\n${back}_loop:\n${one}\tadd $4096, %rbx\n\tdec %ecx\n\tjnz ${back}_loop\n`;
  // the taint of every page the burst writes, taken before the measurement (it writes to .bss)
  const taint = kind !== 'write' ? '\txor %r9d, %r9d\n' : pages === 1 ? '\tcall fz_taint_take\n\tmov %rax, %r9\n' :
    `\txor %r9d, %r9d\n\tmov $${pages}, %ecx\n${back}_t:\n\tcall fz_taint_take\n\tor %rax, %r9\n\tadd $4096, %rdi\n\tdec %ecx\n\tjnz ${back}_t\n`;
  return address(w) + '\tmov %rdi, %rbx\n' + taint +
    label(g, `${step} ${kind}${pages === 1 ? '' : ` x${pages}`} ${describe(w)} = `) +
    `\tcall lib_minflt\n\tmov %rax, %rbp\n\tlea ${back}(%rip), %rax\n\tmov %rax, lib_recover(%rip)\n\txor %r8d, %r8d\n` +
    access + `${back}:\n\tmov %r15, %rsp\n\tcall lib_minflt\n\tsub %rbp, %rax\n\tmov %rax, %rbp\n\tmovq $0, lib_recover(%rip)\n` +
    `\tmov %r8, %rdi\n\tmov $${kind === 'read' ? 1 : 0}, %esi\n\tcall fz_report\n` +
    '\tmov %rbp, %rdi\n\tmov %r9, %rsi\n\tcall fz_print_flt\n';
}

function touchKind(g: GenState): Touch {
  return pick(g, [['read', 45], ['write', 40], ['exec', 15]] as [Touch, number][]);
}

function genTouch(g: GenState, step: string, n: number): void {
  if (g.rand() < 0.15) {
    const slot = int(g, 0, SLOTS - 1);
    const w: Where = { kind: 'slot', slot, page: int(g, 0, g.slotPages[slot] - 1) };
    const kind = g.rand() < 0.5 ? 'read' : 'write';
    g.out.push(touchCode(g, step, kind, w, 0xc3 + n * 256, int(g, 2, Math.max(2, g.slotPages[slot] - w.page))));
    return;
  }
  g.out.push(touchCode(g, step, touchKind(g), touchTarget(g), 0xc3 + n * 256));
}

/** fork: the child re-owns its handler pages, touches a few pages and exits 7; the parent prints the status. */
function genFork(g: GenState, step: string, n: number): void {
  const done = `fz_parent${g.labels.length}`;
  let child = '\tmov $11, %edi\n\tcall lib_install_handler\n\tmov $7, %edi\n\tcall lib_install_handler\n';
  const touches = int(g, 1, 4);
  for (let i = 0; i < touches; i++) child += touchCode(g, `${step}.c${i}`, touchKind(g), touchTarget(g), 0xc3 + (n * 8 + i + 1) * 256);
  g.out.push(
    label(g, `${step} fork\n`) + `\tcall lib_fork\n\ttest %rax, %rax\n\tjnz ${done}\n` + child +
    `\tmov $7, %edi\n\tcall lib_exit\n${done}:\n\tmov %rax, %rdi\n\tcall lib_wait4\n\tmov %rax, %rbx\n` +
    '\tmov $11, %edi\n\tcall lib_install_handler\n\tmov $7, %edi\n\tcall lib_install_handler\n' +
    label(g, `${step} wait = `) + '\tmov %rbx, %rdi\n\tcall lib_print_hex\n\tcall lib_print_nl\n',
  );
}

function genStep(g: GenState, n: number): void {
  const step = `S${n}`;
  if (n < 3) return genMmap(g, step); // something mapped to work on from the start
  const op = pick(g, [['mmap', 16], ['munmap', 9], ['mprotect', 11], ['madvise', 6], ['brk', 5], ['touch', 50], ['fork', 3]] as [string, number][]);
  switch (op) {
    case 'mmap': return genMmap(g, step);
    case 'munmap': {
      const w = rangeStart(g);
      return rangeOp(g, step, 'munmap', SYS_MUNMAP, w, startByte(g), length(g, 24), 0, false);
    }
    case 'mprotect': {
      const w = rangeStart(g);
      const p = g.rand() < 0.03 ? 0x10 : prot(g);
      return rangeOp(g, step, 'mprotect', SYS_MPROTECT, w, startByte(g), length(g, 24), p, (p & PROT_WRITE) !== 0);
    }
    case 'madvise': {
      const w = rangeStart(g);
      return rangeOp(g, step, 'madvise', SYS_MADVISE, w, startByte(g), length(g, 24), MADV_DONTNEED, false);
    }
    case 'brk': return genBrk(g, step);
    case 'fork':
      if (g.forks < 2) {
        g.forks++;
        return genFork(g, step, n);
      }
      return genTouch(g, step, n);
    default: return genTouch(g, step, n);
  }
}

/**
 * The program for `seed`: `steps` random steps between the fixed prologue and exit(0). `keep` drops steps
 * (by number) without changing the others, to cut a mismatching program down by hand.
 */
export function generateProgram(seed: number, steps: number, keep: (step: number) => boolean = () => true): string {
  const g: GenState = { rand: rng(seed), slotPages: Array<number>(SLOTS).fill(8), forks: 0, touched: [], out: [], labels: [] };
  const kept: string[] = [];
  for (let n = 0; n < steps; n++) {
    genStep(g, n);
    const code = g.out.pop() ?? '';
    if (keep(n)) kept.push(code);
  }
  return `# kernel fuzz program, seed ${seed}, ${steps} steps (tests/linux/fuzz/gen.ts)\n${prologue()}${kept.join('')}` +
    `\txor %edi, %edi\n\tcall lib_exit\n${helpers()}\n\t.section .rodata\n${g.labels.join('\n')}\n`;
}
