// faultline asm prog.s [more.s...] [-o prog] [--listing]: assemble into a static ELF64 executable.

import { writeFileSync, chmodSync } from 'node:fs';
import { parseArgs, UsageError } from '../usage.js';
import { writeElf } from '../../asm/elf.js';
import { formatListing } from '../../asm/listing.js';
import type { Diagnostic } from '../../asm/types.js';
import { assembleSources, readSources } from '../sources.js';

export const HELP = `usage: faultline asm FILE.s [MORE.s ...] [-o OUTPUT] [--listing]

Assemble a GNU as (AT&T syntax) source file into a static x86-64 ELF executable laid out
as GNU ld lays out a static program, so it also runs natively on Linux. Several files are
assembled as one source, in order, as \`as a.s b.s\` reads them (e.g. a program and a library:
faultline asm tests/linux/programs/fault-bss.s tests/linux/lib.s).

options:
  -o, --output FILE   where to write the executable (default: the first FILE.s without .s;
                      mode 0755)
  --listing           print a listing to stdout: line, address, bytes, source line
  -h, --help          show this help

Errors are printed as file:line:col: error: message, with the line and a caret; all errors
of the file are reported, and the exit status is 1.
`;

/** Decode as UTF-8; an invalid byte becomes a diagnostic at its line and column. */
export function decodeSource(bytes: Uint8Array, file: string): { text: string } | { diag: Diagnostic } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    let line = 1;
    let lineStart = 0;
    let i = 0;
    while (i < bytes.length) {
      const n = utf8Length(bytes, i);
      if (n === 0) break;
      if (bytes[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
      i += n;
    }
    const col = new TextDecoder().decode(bytes.subarray(lineStart, i)).length + 1;
    return { diag: { file, line, col, msg: `invalid UTF-8 byte 0x${(bytes[i] ?? 0).toString(16).padStart(2, '0')} in source` } };
  }
}

/** Length of the valid UTF-8 sequence at i, or 0 if it is not one. */
function utf8Length(b: Uint8Array, i: number): number {
  const c = b[i];
  const cont = (k: number) => (b[i + k] ?? 0) >> 6 === 2;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return b[i + 1] >= lo && b[i + 1] <= hi && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return b[i + 1] >= lo && b[i + 1] <= hi && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { valued: ['o', 'output'], boolean: ['listing', 'help', 'h'] });
  if (args.flags.has('help') || args.flags.has('h')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positional.length === 0) throw new UsageError('asm needs a source file (try faultline asm --help)');
  const file = args.positional[0];
  const outFlag = args.flags.get('o') ?? args.flags.get('output');
  const out = typeof outFlag === 'string' ? outFlag : file.replace(/\.s$/i, '') === file ? `${file}.out` : file.replace(/\.s$/i, '');
  const src = readSources(args.positional);
  if (src === null) return 1;
  const r = assembleSources(src);
  if (!r.ok) return 1;
  try {
    writeFileSync(out, writeElf(r.image));
    chmodSync(out, 0o755);
  } catch (err) {
    process.stderr.write(`faultline: cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? 'error'}\n`);
    return 1;
  }
  if (args.flags.has('listing')) process.stdout.write(formatListing(r.listing));
  return 0;
}
