// The guest's standard streams: this process's own file descriptors, synchronously (the CPU never awaits).

import { readSync, writeSync } from 'node:fs';
import type { GuestIO } from '../kernel/machine.js';

export function processIO(): GuestIO {
  return {
    readStdin(max: number): Uint8Array {
      const buf = new Uint8Array(max);
      for (;;) {
        try {
          return buf.subarray(0, readSync(0, buf, 0, max, null));
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') continue; // a non-blocking stdin: wait for input
          return new Uint8Array(0); // closed or unreadable: end of file
        }
      }
    },
    write(fd: 1 | 2, bytes: Uint8Array): boolean {
      let off = 0;
      while (off < bytes.length) {
        try {
          off += writeSync(fd, bytes, off);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EPIPE') return false; // the reader is gone: the kernel raises SIGPIPE in the guest
          if (code !== 'EAGAIN') return true; // a stream that cannot be written (e.g. closed): dropped, as /dev/null would
        }
      }
      return true;
    },
  };
}
