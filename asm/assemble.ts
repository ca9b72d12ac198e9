// faultline's assembler: GNU as AT&T source -> a laid-out static x86-64 program.
//
//   assemble(source: string, file: string, opts?: AssembleOptions): AssembleResult
//     AssembleResult = { ok: true; image: Image; listing: ListingLine[]; warnings: Diagnostic[] }
//                    | { ok: false; diagnostics: Diagnostic[] }   (every error of the file, in line order)
//     opts.textBase: lay the sections out one after the other from this address (the kernel's
//       layout) instead of as GNU ld does for a static executable; custom sections such as
//       __ex_table stay separate named sections of the image.
//   writeElf(image): Uint8Array            (asm/elf.ts) the ELF64 ET_EXEC file
//   readElf(bytes): ElfFile | string       (asm/elf.ts) parse one back; a string is the error
//   formatDiagnostic(d, sourceText): string (asm/diagnostics.ts) "file:LINE:COL: error: msg\n<line>\n<caret>"
//
// Pipeline: parse.ts (moo + nearley) -> statements, carried out in order on AsmState (frags,
// symbols, local labels) with encode.ts for instructions -> relax.ts (jump sizes, bytes, fixups)
// -> layout.ts (addresses like ld) -> Image (image.ts).

import type { Diagnostic, Insn, Operand } from './types.js';
import { parseLine, type Stmt } from './parse.js';
import { blankBlockComments, LineLexer, type Tok } from './lexer.js';
import { AsmState } from './state.js';
import { directive } from './directives.js';
import { encode } from './encode.js';
import { emitSection, relaxSection } from './relax.js';
import { sortDiagnostics } from './diagnostics.js';
import { buildListing, type ListingLine } from './listing.js';
import type { Image } from './image.js';
import type { Section } from './sections.js';
import { buildImage } from './image-build.js';

export type { Image, ImageSection, ImageSymbol, ImageSegment } from './image.js';
export type { ListingLine } from './listing.js';
export { writeElf, readElf } from './elf.js';
export { formatDiagnostic } from './diagnostics.js';

export interface AssembleOptions {
  /** Kernel layout: sections contiguous from this address. */
  textBase?: bigint;
}

export type AssembleResult =
  | { ok: true; image: Image; listing: ListingLine[]; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

const PREFIX_BYTES: Record<string, number> = { rep: 0xf3, repe: 0xf3, repz: 0xf3, repne: 0xf2, repnz: 0xf2, lock: 0xf0 };

function resolveOperand(st: AsmState, op: Operand): Operand {
  if (op.k === 'imm') {
    const e = st.resolve(op.e);
    return e === op.e ? op : { ...op, e };
  }
  if (op.k === 'mem' && op.disp) {
    const disp = st.resolve(op.disp);
    return disp === op.disp ? op : { ...op, disp };
  }
  return op;
}

function instruction(st: AsmState, raw: Insn): void {
  // A copy of the operands only when an equate changed one (rarely): most instructions go as parsed.
  let ops: Operand[] | null = null;
  for (let i = 0; i < raw.ops.length; i++) {
    const o = resolveOperand(st, raw.ops[i]);
    if (o !== raw.ops[i]) (ops ??= raw.ops.slice())[i] = o;
  }
  const insn = ops === null ? raw : { ...raw, ops };
  const r = encode(insn, { known: st.known });
  if (!r.ok) return st.error(r.pos, r.msg);
  if (st.cur.nobits) return st.error(insn.pos, `attempt to store non-zero value in section \`${st.cur.name}'`);
  if (r.relax) {
    st.endFrag({ k: 'jump', short: r.relax.short, long: r.enc, target: r.relax.target, isLong: false, pos: insn.pos });
  } else st.emit(r.enc.bytes, r.enc.fixups);
}

/** Carry out one statement; false stops the file (`.end`). */
function statement(st: AsmState, s: Stmt): boolean {
  switch (s.k) {
    case 'label': st.defineLabel(s.name, s.pos); break;
    case 'locallabel': st.defineLocal(s.n, s.pos); break;
    case 'assign': st.defineEquate(s.name, st.resolve(s.e), s.pos); break;
    case 'prefix': st.emit(Uint8Array.of(PREFIX_BYTES[s.name]), []); break;
    case 'insn': instruction(st, s.insn); break;
    case 'dir': return directive(st, s.name, s.args, s.raw, s.pos);
  }
  return true;
}

function runLines(st: AsmState, text: string): void {
  const lines = text.split('\n');
  const lexer = new LineLexer(text);
  const toks: Tok[] = [];
  const stmts: Stmt[] = [];
  const errors: { pos: { line: number; col: number }; msg: string }[] = [];
  for (let i = 0; lexer.nextLine(toks); i++) {
    stmts.length = 0;
    errors.length = 0;
    parseLine(toks, lines[i], i + 1, stmts, errors);
    for (const e of errors) st.error(e.pos, e.msg);
    if (stmts.length === 0) continue;
    let sec = st.cur;
    let startFrag = st.frag;
    let startOff = startFrag.data.len;
    for (const s of stmts) {
      if (!statement(st, s)) return;
      if (st.cur !== sec) {
        sec = st.cur;
        startFrag = st.frag;
        startOff = startFrag.data.len;
      }
    }
    st.spans.push(i + 1, sec, startFrag, startOff, st.frag, st.frag.data.len);
  }
}

/** Assemble a source file; see the top of this file. */
export function assemble(source: string, file: string, opts: AssembleOptions = {}): AssembleResult {
  const st = new AsmState(file);
  const blanked = blankBlockComments(source);
  if (blanked.unterminatedAt >= 0) {
    const before = source.slice(0, blanked.unterminatedAt);
    const line = before.split('\n').length;
    st.error({ line, col: blanked.unterminatedAt - before.lastIndexOf('\n') }, 'end of file inside a /* comment');
  }
  runLines(st, blanked.text);
  const sections = [...st.sections.values()];
  if (st.diags.length === 0 && sections.every((s) => s.frags.every((f) => f.data.len === 0 && f.tail.k === 'none'))) {
    st.error({ line: 1, col: 1 }, 'empty program: nothing to assemble (a program needs a _start label and code)');
  }
  for (const s of sections) relaxSection(s, st.lookup);
  const built = buildImage(st, sections, opts.textBase, file);
  const emitCtx = { lookup: st.lookup, addrOf: built.addrOf, diags: st.diags, file };
  for (const s of sections) s.bytes = emitSection(s, emitCtx);
  if (st.diags.length > 0) return { ok: false, diagnostics: sortDiagnostics(st.diags) };
  const image = built.finish();
  if (st.diags.length > 0) return { ok: false, diagnostics: sortDiagnostics(st.diags) };
  // The listing is built on first use: most callers never look at it.
  let listing: ListingLine[] | null = null;
  return {
    ok: true,
    image,
    warnings: sortDiagnostics(st.warnings),
    get listing(): ListingLine[] {
      listing ??= buildListing(source.split('\n'), st.spans, (s: Section) => built.addrOf(s));
      return listing;
    },
  };
}
