// Resource limits (Linux 5.10 kernel/sys.c SYSCALL_DEFINE4(prlimit64), do_prlimit) for the limits faultline
// enforces: RLIMIT_NPROC (fork, kernel/fork.ts) and the memory limits RLIMIT_DATA, RLIMIT_STACK, RLIMIT_AS
// (mm.rlim; their hard limits are not tracked: always infinite). Any other resource is -EINVAL here (Linux
// knows 16; faultline would only be storing numbers nothing reads).

import type { Machine } from '../machine.js';
import { EFAULT, EINVAL, EPERM, ESRCH, RLIM_INFINITY } from '../mm_constants.js';
import { hi32, lo32, type pt_regs } from '../ptrace.js';
import type { task_struct } from '../task.js';
import { copy_from_user, copy_to_user } from '../uaccess.js';
import { argInt, argPtr, argUInt } from './args.js';

export const RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_NPROC = 6, RLIMIT_AS = 9;

interface rlimit {
  rlim_cur: number;
  rlim_max: number;
}

/** A u64 limit as read from the guest: RLIM64_INFINITY (all ones; anything from 2^63 up) is Infinity. */
function get_limit(v: DataView, off: number): number {
  const hi = v.getUint32(off + 4, true);
  return hi >= 0x80000000 ? RLIM_INFINITY : hi * 4294967296 + v.getUint32(off, true);
}

function put_limit(v: DataView, off: number, value: number): void {
  const x = value === RLIM_INFINITY ? -1 : value;
  v.setInt32(off, lo32(x), true);
  v.setInt32(off + 4, hi32(x), true);
}

const MM_LIMITS: Readonly<Record<number, 'RLIMIT_DATA' | 'RLIMIT_STACK' | 'RLIMIT_AS'>> = {
  [RLIMIT_DATA]: 'RLIMIT_DATA', [RLIMIT_STACK]: 'RLIMIT_STACK', [RLIMIT_AS]: 'RLIMIT_AS',
};

/** task->signal->rlim[resource], or null for a resource faultline does not enforce. */
function read_rlim(t: task_struct, resource: number): rlimit | null {
  if (resource === RLIMIT_NPROC) return { ...t.rlim_nproc };
  const name = MM_LIMITS[resource];
  if (name === undefined || t.mm === null) return null;
  return { rlim_cur: t.mm.rlim[name], rlim_max: RLIM_INFINITY };
}

// Linux 5.10 kernel/sys.c do_prlimit: cur <= max; raising the hard limit needs CAP_SYS_RESOURCE (the guest
// has none)
function do_prlimit(t: task_struct, resource: number, new_rlim: rlimit | null, old: rlimit): number {
  if (new_rlim !== null) {
    if (new_rlim.rlim_cur > new_rlim.rlim_max) return -EINVAL;
    if (new_rlim.rlim_max > old.rlim_max) return -EPERM;
    if (resource === RLIMIT_NPROC) t.rlim_nproc = { ...new_rlim };
    else if (t.mm !== null) t.mm.rlim[MM_LIMITS[resource]] = new_rlim.rlim_cur;
  }
  return 0;
}

// Linux 5.10 kernel/sys.c SYSCALL_DEFINE4(prlimit64): pid 0 is the caller
export function sys_prlimit64(k: Machine, regs: pt_regs): number {
  const pid = argInt(regs, 0);
  const resource = argUInt(regs, 1);
  const new_addr = argPtr(regs, 2);
  const old_addr = argPtr(regs, 3);
  const t = pid === 0 ? k.current : k.tasks.get(pid);
  if (t === undefined || t.pid === 1) return -ESRCH; // init is root's: not the guest's to look at
  const old = read_rlim(t, resource);
  if (old === null) return -EINVAL;
  let new_rlim: rlimit | null = null;
  if (new_addr !== 0) {
    const b = new Uint8Array(16);
    if (copy_from_user(k, b, new_addr, 16) !== 0) return -EFAULT;
    const v = new DataView(b.buffer);
    new_rlim = { rlim_cur: get_limit(v, 0), rlim_max: get_limit(v, 8) };
  }
  const err = do_prlimit(t, resource, new_rlim, old);
  if (err) return err;
  if (old_addr !== 0) {
    const b = new Uint8Array(16);
    const v = new DataView(b.buffer);
    put_limit(v, 0, old.rlim_cur);
    put_limit(v, 8, old.rlim_max);
    if (copy_to_user(k, old_addr, b) !== 0) return -EFAULT;
  }
  return 0;
}
