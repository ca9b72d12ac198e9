// The kernel image: kernel/uaccess.s assembled by faultline's own assembler at the kernel text base
// (Linux's __START_KERNEL_map + 16 MiB = 0xffffffff81000000), with its symbols and exception table.
//
// API:
//   build_kernel_image(): KernelImage   assembles once per process (the result is deterministic and
//                                       immutable, so every machine shares it); throws only if uaccess.s
//                                       itself does not assemble, which is a build bug, not a guest's
//   KernelImage.base / .size            the image spans [base, base + size), size a multiple of 4096
//   KernelImage.bytes                   its contents (size bytes; zero padding between sections)
//   KernelImage.text_end                page-aligned end of the text: pages below are R-X, pages from it
//                                       up to base + size are read-only data (the __ex_table), NX
//   KernelImage.symbols                 name -> canonical address (signed number)
//   KernelImage.ex_table                the __ex_table entries (insn, fixup), sorted by insn
//   ksym(name): number                  address of a symbol of the shared image (throws if unknown)

import { assemble, formatDiagnostic } from '../asm/assemble.js';
import src from './uaccess.s.js';

/** Where the kernel's text starts (arch/x86/include/asm/page_64_types.h: __START_KERNEL). */
export const __START_KERNEL = -0x7f000000; // 0xffffffff81000000 as a canonical signed number
const PAGE = 4096;

/** struct exception_table_entry, with absolute addresses. */
export interface exception_table_entry {
  insn: number;
  fixup: number;
}

export interface KernelImage {
  readonly base: number;
  readonly size: number;
  readonly bytes: Uint8Array;
  readonly text_end: number;
  readonly symbols: ReadonlyMap<string, number>;
  readonly ex_table: readonly exception_table_entry[];
}

let cached: KernelImage | null = null;

function signed(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

function readExTable(data: Uint8Array): exception_table_entry[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: exception_table_entry[] = [];
  for (let off = 0; off + 16 <= data.byteLength; off += 16) {
    out.push({ insn: signed(view.getBigUint64(off, true)), fixup: signed(view.getBigUint64(off + 8, true)) });
  }
  return out;
}

// arch/x86/kernel/vmlinux.lds.S in miniature: .text from __START_KERNEL, then the exception table.
export function build_kernel_image(): KernelImage {
  if (cached !== null) return cached;
  const r = assemble(src, 'kernel/uaccess.s', { textBase: BigInt.asUintN(64, BigInt(__START_KERNEL)) });
  if (!r.ok) throw new Error(`kernel/uaccess.s does not assemble:\n${r.diagnostics.map((d) => formatDiagnostic(d, src)).join('\n')}`);
  const base = __START_KERNEL;
  let end = base;
  let text_end = base;
  for (const s of r.image.sections) {
    if (!s.flags.alloc) continue;
    const a = signed(s.addr);
    end = Math.max(end, a + s.size);
    if (s.flags.exec) text_end = Math.max(text_end, a + s.size);
  }
  const size = Math.ceil((end - base) / PAGE) * PAGE;
  const bytes = new Uint8Array(size);
  let ex_table: exception_table_entry[] = [];
  for (const s of r.image.sections) {
    if (!s.flags.alloc || s.nobits) continue;
    bytes.set(s.data.subarray(0, s.size), signed(s.addr) - base);
    if (s.name === '__ex_table') ex_table = readExTable(s.data.subarray(0, s.size));
  }
  // scripts/sorttable (BUILDTIME_EXTABLE_SORT): the table is sorted when the image is built, not at boot
  ex_table.sort((a, b) => a.insn - b.insn);
  const symbols = new Map<string, number>();
  for (const sym of r.image.symbols) if (sym.section !== null) symbols.set(sym.name, signed(sym.value));
  cached = { base, size, bytes, text_end: base + Math.ceil((text_end - base) / PAGE) * PAGE, symbols, ex_table };
  return cached;
}

/** The address of a symbol of the kernel image. */
export function ksym(name: string): number {
  const a = build_kernel_image().symbols.get(name);
  if (a === undefined) throw new Error(`kernel image has no symbol ${name}`);
  return a;
}
