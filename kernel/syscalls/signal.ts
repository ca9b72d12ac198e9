// The signal syscalls (Linux 5.10 kernel/signal.c rt_sigaction/do_sigaction, rt_sigprocmask, kill;
// arch/x86/kernel/signal.c rt_sigreturn).

import type { Machine } from '../machine.js';
import { EFAULT, EINVAL, ESRCH } from '../mm_constants.js';
import { lo32, hi32, type pt_regs } from '../ptrace.js';
import { force_sig, send_sig_info, set_current_blocked } from '../signal.js';
import {
  SIGKILL, SIGSTOP, SIG_BLOCK, SIG_DFL, SIG_IGN, SIG_SETMASK, SIG_UNBLOCK, SIGSEGV, SI_USER, UNBLOCKABLE,
  sig_kernel_ignore, sigandnsets, sigorsets, valid_signal,
} from '../signal_defs.js';
import { restore_rt_frame } from '../signal_frame.js';
import { hex64 } from '../printk.js';
import { print_vma_addr } from '../signal_trap.js';
import type { k_sigaction, sigset_t, task_struct } from '../task.js';
import { copy_from_user, copy_to_user } from '../uaccess.js';
import { argInt, argPtr, argU } from './args.js';

/** sizeof(sigset_t) on x86-64: the only sigsetsize the rt_ calls accept. */
const SIGSET_SIZE = 8;
/** struct sigaction as the kernel reads it: handler +0, flags +8, restorer +16, mask +24. */
const SIGACTION_SIZE = 32;

function put64(v: DataView, off: number, value: number): void {
  v.setInt32(off, lo32(value), true);
  v.setInt32(off + 4, hi32(value), true);
}

function get64(v: DataView, off: number): number {
  return v.getInt32(off + 4, true) * 4294967296 + v.getUint32(off, true);
}

// Linux 5.10 kernel/signal.c do_sigaction: SIGKILL and SIGSTOP keep their action; setting an ignoring
// action discards the signal if pending
export function do_sigaction(k: Machine, sig: number, act: k_sigaction | null, oact: k_sigaction | null): number {
  if (!valid_signal(sig) || (act !== null && (sig === SIGKILL || sig === SIGSTOP))) return -EINVAL;
  const t = k.current;
  const ka = t.sighand[sig - 1];
  if (oact !== null) Object.assign(oact, { ...ka, sa_mask: { ...ka.sa_mask } });
  if (act !== null) {
    t.sighand[sig - 1] = { ...act, sa_mask: sigandnsets(act.sa_mask, UNBLOCKABLE) };
    const h = act.sa_handler;
    if (h === SIG_IGN || (h === SIG_DFL && sig_kernel_ignore(sig))) {
      for (let i = t.pending.length - 1; i >= 0; i--) if (t.pending[i].si_signo === sig) t.pending.splice(i, 1);
    }
  }
  return 0;
}

// Linux 5.10 kernel/signal.c SYSCALL_DEFINE4(rt_sigaction)
export function sys_rt_sigaction(k: Machine, regs: pt_regs): number {
  const sig = argInt(regs, 0);
  const act = argPtr(regs, 1);
  const oact = argPtr(regs, 2);
  if (argU(regs, 3) !== SIGSET_SIZE) return -EINVAL;
  let new_sa: k_sigaction | null = null;
  if (act !== 0) {
    const b = new Uint8Array(SIGACTION_SIZE);
    if (copy_from_user(k, b, act, SIGACTION_SIZE) !== 0) return -EFAULT;
    const v = new DataView(b.buffer);
    new_sa = {
      sa_handler: get64(v, 0),
      sa_flags: v.getUint32(8, true),
      sa_restorer: get64(v, 16),
      sa_mask: { lo: v.getInt32(24, true), hi: v.getInt32(28, true) },
    };
  }
  const old_sa: k_sigaction | null = oact !== 0 ? { sa_handler: 0, sa_flags: 0, sa_restorer: 0, sa_mask: { lo: 0, hi: 0 } } : null;
  const ret = do_sigaction(k, sig, new_sa, old_sa);
  if (ret === 0 && old_sa !== null) {
    const b = new Uint8Array(SIGACTION_SIZE);
    const v = new DataView(b.buffer);
    put64(v, 0, old_sa.sa_handler);
    v.setUint32(8, old_sa.sa_flags >>> 0, true);
    put64(v, 16, old_sa.sa_restorer);
    v.setInt32(24, old_sa.sa_mask.lo, true);
    v.setInt32(28, old_sa.sa_mask.hi, true);
    if (copy_to_user(k, oact, b) !== 0) return -EFAULT;
  }
  return ret;
}

// Linux 5.10 kernel/signal.c sigprocmask
function sigprocmask(k: Machine, how: number, set: sigset_t): number {
  const old = k.current.blocked;
  switch (how) {
    case SIG_BLOCK: set_current_blocked(k, sigorsets(old, set)); return 0;
    case SIG_UNBLOCK: set_current_blocked(k, sigandnsets(old, set)); return 0;
    case SIG_SETMASK: set_current_blocked(k, set); return 0;
    default: return -EINVAL;
  }
}

// Linux 5.10 kernel/signal.c SYSCALL_DEFINE4(rt_sigprocmask)
export function sys_rt_sigprocmask(k: Machine, regs: pt_regs): number {
  const how = argInt(regs, 0);
  const nset = argPtr(regs, 1);
  const oset = argPtr(regs, 2);
  if (argU(regs, 3) !== SIGSET_SIZE) return -EINVAL;
  const old_set = { ...k.current.blocked };
  if (nset !== 0) {
    const b = new Uint8Array(SIGSET_SIZE);
    if (copy_from_user(k, b, nset, SIGSET_SIZE) !== 0) return -EFAULT;
    const v = new DataView(b.buffer);
    const error = sigprocmask(k, how, sigandnsets({ lo: v.getInt32(0, true), hi: v.getInt32(4, true) }, UNBLOCKABLE));
    if (error) return error;
  }
  if (oset !== 0) {
    const b = new Uint8Array(SIGSET_SIZE);
    const v = new DataView(b.buffer);
    v.setInt32(0, old_set.lo, true);
    v.setInt32(4, old_set.hi, true);
    if (copy_to_user(k, oset, b) !== 0) return -EFAULT;
  }
  return 0;
}

// Linux 5.10 arch/x86/kernel/signal.c SYSCALL_DEFINE0(rt_sigreturn): every register comes back from
// the frame, so the value "returned" is the restored %rax; an unreadable frame is a SIGSEGV (signal_fault)
export function sys_rt_sigreturn(k: Machine, regs: pt_regs): number {
  const frame = regs.sp - 8;
  const r = restore_rt_frame(k, regs);
  if (r === null) {
    const t = k.current;
    k.printk('info', `${t.comm}[${t.pid}] bad frame in rt_sigreturn frame:${hex64(frame)} ip:${hex64(regs.ip)} sp:${hex64(regs.sp)} orax:${hex64(regs.orig_ax)}${print_vma_addr(k, regs.ip)}`);
    force_sig(k, SIGSEGV);
    return 0;
  }
  set_current_blocked(k, r.set);
  return regs.ax;
}

// Linux 5.10 kernel/signal.c kill_something_info: pid > 0 one process; 0 and -1 every user process (all
// of a run's processes share one process group; -1 leaves out the caller); init never
function kill_targets(k: Machine, pid: number): task_struct[] {
  if (pid > 0) {
    const t = k.tasks.get(pid);
    return t === undefined || pid === 1 ? [] : [t];
  }
  if (pid !== 0 && pid !== -1) return [];
  return [...k.tasks.values()].filter((t) => t.pid > 1 && (pid === 0 || t !== k.current));
}

// Linux 5.10 kernel/signal.c SYSCALL_DEFINE2(kill)
export function sys_kill(k: Machine, regs: pt_regs): number {
  const pid = argInt(regs, 0);
  const sig = argInt(regs, 1);
  if (sig !== 0 && !valid_signal(sig)) return -EINVAL;
  const targets = kill_targets(k, pid);
  if (targets.length === 0) return -ESRCH;
  if (sig === 0) return 0;
  const me = k.current;
  for (const t of targets) {
    send_sig_info(k, sig, { si_signo: sig, si_errno: 0, si_code: SI_USER, si_addr: 0, si_pid: me.pid, si_uid: 0, si_status: 0 }, t);
  }
  return 0;
}
