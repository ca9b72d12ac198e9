// getrusage (Linux 5.10 kernel/sys.c getrusage): fault counts and peak RSS; the times are zero (faultline
// keeps no clock a guest could compare with the host's).

import type { Machine } from '../machine.js';
import { EFAULT, EINVAL, PAGE_SIZE } from '../mm_constants.js';
import { get_mm_rss } from '../mm_types.js';
import { lo32, hi32, type pt_regs } from '../ptrace.js';
import { copy_to_user } from '../uaccess.js';
import { argInt, argPtr } from './args.js';

export const RUSAGE_SELF = 0;
export const RUSAGE_CHILDREN = -1;
export const RUSAGE_THREAD = 1;
/** sizeof(struct rusage): two timevals, then 14 longs (ru_maxrss +32, ru_minflt +64, ru_majflt +72). */
const RUSAGE_SIZE = 144;

// Linux 5.10 kernel/sys.c getrusage: ru_maxrss in KiB, the mm's high-water RSS included for the caller
function getrusage(k: Machine, who: number): { maxrss: number; minflt: number; majflt: number } {
  const t = k.current;
  if (who === RUSAGE_CHILDREN) return { maxrss: t.cmaxrss, minflt: t.cmin_flt, majflt: t.cmaj_flt };
  let maxrss = t.maxrss;
  const mm = t.mm;
  if (mm !== null) maxrss = Math.max(maxrss, mm.hiwater_rss, get_mm_rss(mm)); // setmax_mm_hiwater_rss
  return { maxrss, minflt: t.min_flt, majflt: t.maj_flt };
}

// Linux 5.10 kernel/sys.c SYSCALL_DEFINE2(getrusage): the struct is filled first, then copied out (a fault
// while copying is counted after the numbers were taken)
export function sys_getrusage(k: Machine, regs: pt_regs): number {
  const who = argInt(regs, 0);
  if (who !== RUSAGE_SELF && who !== RUSAGE_CHILDREN && who !== RUSAGE_THREAD) return -EINVAL;
  const r = getrusage(k, who);
  const b = new Uint8Array(RUSAGE_SIZE);
  const v = new DataView(b.buffer);
  const put = (off: number, value: number): void => {
    v.setInt32(off, lo32(value), true);
    v.setInt32(off + 4, hi32(value), true);
  };
  put(32, r.maxrss * (PAGE_SIZE / 1024));
  put(64, r.minflt);
  put(72, r.majflt);
  return copy_to_user(k, argPtr(regs, 1), b) !== 0 ? -EFAULT : 0;
}
