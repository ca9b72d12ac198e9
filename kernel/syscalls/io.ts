// read, write, close on the guest's standard streams (Linux 5.10 fs/read_write.c ksys_read/ksys_write,
// fs/pipe.c pipe_read/pipe_write: faultline's fds 0, 1, 2 behave as the pipes the reference runs use).

import type { Machine } from '../machine.js';
import { EBADF, EFAULT, PAGE_SIZE } from '../mm_constants.js';
import { pipe_write_no_readers } from '../pipe.js';
import type { pt_regs } from '../ptrace.js';
import type { task_struct } from '../task.js';
import { access_ok, copy_from_user, copy_to_user } from '../uaccess.js';
import { argInt, argPtr, argU } from './args.js';

/** MAX_RW_COUNT: a read or write moves at most INT_MAX rounded down to a page. */
const MAX_RW_COUNT = 0x7ffff000;

/** The stdin pipe's buffered bytes not yet read (what the guest's reads consume). */
const stdinBuffers = new WeakMap<Machine, Uint8Array>();
/** Descriptors a task has closed (fds 0-2 start open). */
const closedFds = new WeakMap<task_struct, Set<number>>();

function fd_open(t: task_struct, fd: number): boolean {
  return fd >= 0 && fd <= 2 && !(closedFds.get(t)?.has(fd) ?? false);
}

// Linux 5.10 fs/pipe.c pipe_read: a buffer whose copy to user memory fails is left unread (-EFAULT)
export function sys_read(k: Machine, regs: pt_regs): number {
  const fd = argInt(regs, 0);
  const buf = argPtr(regs, 1);
  let count = argU(regs, 2);
  if (!fd_open(k.current, fd) || fd !== 0) return -EBADF; // fds 1 and 2 are write ends
  if (count > MAX_RW_COUNT) count = MAX_RW_COUNT;
  if (!access_ok(buf, count)) return -EFAULT;
  if (count === 0) return 0;
  let pending = stdinBuffers.get(k);
  if (pending === undefined || pending.length === 0) pending = k.io.readStdin(Math.min(count, 65536));
  if (pending.length === 0) return 0; // end of file
  const chars = Math.min(count, pending.length);
  if (copy_to_user(k, buf, pending.subarray(0, chars)) !== 0) {
    stdinBuffers.set(k, pending);
    return -EFAULT;
  }
  stdinBuffers.set(k, pending.subarray(chars));
  return chars;
}

// Linux 5.10 fs/pipe.c pipe_write: page-sized pieces copied from the user; a piece that cannot be copied
// whole is dropped, and the call returns what went before it (or -EFAULT when nothing did). A stream
// nobody reads any more is a pipe without readers: SIGPIPE, and -EPIPE unless something went before.
export function sys_write(k: Machine, regs: pt_regs): number {
  const fd = argInt(regs, 0);
  const buf = argPtr(regs, 1);
  let count = argU(regs, 2);
  if (!fd_open(k.current, fd) || fd === 0) return -EBADF; // fd 0 is a read end
  if (count > MAX_RW_COUNT) count = MAX_RW_COUNT;
  if (!access_ok(buf, count)) return -EFAULT;
  let ret = 0;
  const chunk = new Uint8Array(Math.min(count, PAGE_SIZE));
  while (ret < count) {
    const len = Math.min(PAGE_SIZE, count - ret);
    const piece = chunk.subarray(0, len);
    if (copy_from_user(k, piece, buf + ret, len) !== 0) return ret > 0 ? ret : -EFAULT;
    if (k.io.write(fd as 1 | 2, piece.slice()) === false) {
      const err = pipe_write_no_readers(k);
      return ret > 0 ? ret : err;
    }
    ret += len;
  }
  return ret;
}

// Linux 5.10 fs/open.c close: the descriptor goes away; closing it again is -EBADF
export function sys_close(k: Machine, regs: pt_regs): number {
  const fd = argInt(regs, 0);
  const t = k.current;
  if (!fd_open(t, fd)) return -EBADF;
  let set = closedFds.get(t);
  if (set === undefined) closedFds.set(t, (set = new Set()));
  set.add(fd);
  return 0;
}
