// Diagnostics as GNU-style text: `file:LINE:COL: error: msg`, the source line, and a caret under the column.

import type { Diagnostic } from './types.js';

export type { Diagnostic };

/** Format one diagnostic against the source it was found in (kind: "error" or "warning"). */
export function formatDiagnostic(d: Diagnostic, sourceText: string, kind: 'error' | 'warning' = 'error'): string {
  const head = `${d.file}:${d.line}:${d.col}: ${kind}: ${d.msg}`;
  const line = d.line >= 1 ? sourceLine(sourceText, d.line) : undefined;
  if (line === undefined) return head;
  const shown = line.replace(/\t/g, ' ');
  const caret = ' '.repeat(Math.max(0, Math.min(d.col - 1, shown.length))) + '^';
  return `${head}\n${shown}\n${caret}`;
}

function sourceLine(text: string, n: number): string | undefined {
  let start = 0;
  for (let i = 1; i < n; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}

/** Errors in the order a reader meets them: by line, then column. */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => a.line - b.line || a.col - b.col);
}
