// Several .s files assembled as one source, in order, as `as a.s b.s` reads them: the text runs on from
// one file into the next (the section in force, local labels, symbols), and each diagnostic names the file
// and line it came from. One file is the common case.

import { assemble, type AssembleResult } from '../asm/assemble.js';
import { formatDiagnostic } from '../asm/diagnostics.js';
import type { Diagnostic } from '../asm/types.js';
import { decodeSource } from './commands/asm.js';
import { readInput } from './read-input.js';

interface Part {
  file: string;
  text: string;
  /** The part's first line in the joined text (1-based). */
  first: number;
  lines: number;
}

export interface Sources {
  text: string;
  parts: Part[];
}

/** The files read and joined, or null after their errors were printed (unreadable, not UTF-8). */
export function readSources(files: readonly string[]): Sources | null {
  const parts: Part[] = [];
  let first = 1;
  for (const file of files) {
    const bytes = readInput(file);
    if (bytes === null) return null;
    const decoded = decodeSource(bytes, file);
    if ('diag' in decoded) {
      process.stderr.write(`${formatDiagnostic(decoded.diag, '')}\n`);
      return null;
    }
    const text = decoded.text === '' || decoded.text.endsWith('\n') ? decoded.text : `${decoded.text}\n`;
    const lines = text.split('\n').length - 1;
    parts.push({ file, text, first, lines });
    first += lines;
  }
  return { text: parts.map((p) => p.text).join(''), parts };
}

/** A diagnostic of the joined text, told in its own file's lines. */
function locate(src: Sources, d: Diagnostic): { d: Diagnostic; text: string } {
  const part = src.parts.find((p) => d.line >= p.first && d.line < p.first + p.lines) ?? src.parts[src.parts.length - 1];
  return { d: { ...d, file: part.file, line: d.line - part.first + 1 }, text: part.text };
}

/** Assembles the joined text; its errors (and warnings) are printed against the files they are in. */
export function assembleSources(src: Sources): AssembleResult {
  const r = assemble(src.text, src.parts[0].file);
  const show = (d: Diagnostic, kind: 'error' | 'warning'): void => {
    const at = locate(src, d);
    process.stderr.write(`${formatDiagnostic(at.d, at.text, kind)}\n`);
  };
  if (!r.ok) for (const d of r.diagnostics) show(d, 'error');
  else for (const w of r.warnings) show(w, 'warning');
  return r;
}
