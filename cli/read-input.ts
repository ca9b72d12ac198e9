// Reading the file a command was given: a missing or unreadable file is one line on stderr, not a stack.

import { readFileSync } from 'node:fs';

const reasons: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
};

/** The file's bytes, or null after printing `faultline: cannot read FILE: reason`. */
export function readInput(file: string): Uint8Array | null {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    process.stderr.write(`faultline: cannot read ${file}: ${reasons[code] ?? (code || 'read error')}\n`);
    return null;
  }
}
