// The x86-64 signal frame: what the kernel writes on the user stack before running a handler, and what
// rt_sigreturn reads back (Linux 5.10 arch/x86/kernel/signal.c get_sigframe, __setup_rt_frame,
// restore_sigcontext, sys_rt_sigreturn; arch/x86/include/uapi/asm/sigcontext.h, asm/ucontext.h).
//
// struct rt_sigframe (440 bytes):          struct ucontext at +8 (304 bytes):
//   +0   pretcode (sa_restorer)              +0 uc_flags  +8 uc_link  +16 uc_stack (ss_sp, ss_flags, ss_size)
//   +8   uc                                  +40 uc_mcontext (struct sigcontext, 256 bytes): gregs r8 r9 r10
//   +312 info (siginfo, 128 bytes)               r11 r12 r13 r14 r15 rdi rsi rbp rbx rdx rax rcx rsp rip
//                                                eflags csgsfs err trapno oldmask cr2 (23 x 8), fpstate
//                                                pointer, 8 reserved quads
//                                            +296 uc_sigmask
// Above the frame, 64-byte aligned, the FPU state (an fxsave image: faultline's CPU has no x87/SSE state).

import type { Machine } from './machine.js';
import { R8, R9, R10, R11, R12, R13, R14, R15, RAX, RBP, RBX, RCX, RDI, RDX, RSI, RSP, lo32, hi32, type pt_regs } from './ptrace.js';
import type { k_sigaction, kernel_siginfo, sigset_t } from './task.js';
import { copy_from_user, copy_to_user } from './uaccess.js';
import {
  SA_RESTORER, SA_SIGINFO, SIGBUS, SIGCHLD, SIGFPE, SIGILL, SIGSEGV, SIGTRAP, SI_KERNEL, SI_USER,
} from './signal_defs.js';

export const SIGFRAME_SIZE = 440;
export const UC_OFFSET = 8;
export const MCONTEXT_OFFSET = UC_OFFSET + 40;
export const SIGMASK_OFFSET = UC_OFFSET + 296;
export const INFO_OFFSET = UC_OFFSET + 304;
export const SIGINFO_SIZE = 128;
/** sizeof(struct fxregs_state): the FPU area of a CPU without XSAVE (xstate_sigframe_size()). */
export const FPSTATE_SIZE = 512;

/** The order of uc_mcontext's general registers (REG_R8 = 0 ... REG_RSP = 15), as CPU register numbers. */
export const SIGCONTEXT_GPRS = [R8, R9, R10, R11, R12, R13, R14, R15, RDI, RSI, RBP, RBX, RDX, RAX, RCX, RSP] as const;
export const REG_RIP = 16, REG_EFL = 17, REG_CSGSFS = 18, REG_ERR = 19, REG_TRAPNO = 20, REG_OLDMASK = 21, REG_CR2 = 22;
const REG_FPSTATE = 23;

const UC_SIGCONTEXT_SS = 0x2;
const UC_STRICT_RESTORE_SS = 0x4;
const SS_DISABLE = 2;
const __USER_CS = 0x33;
const __USER_DS = 0x2b;
/** FIX_EFLAGS: the flags a handler may change through the frame (AC OF DF TF SF ZF AF PF CF RF). */
const FIX_EFLAGS = 0x40000 | 0x800 | 0x400 | 0x100 | 0x80 | 0x40 | 0x10 | 0x4 | 0x1 | 0x10000;

/** struct ksignal: a signal being delivered and the action it gets. */
export interface ksignal {
  sig: number;
  info: kernel_siginfo;
  ka: k_sigaction;
}

function put64(v: DataView, off: number, value: number): void {
  v.setInt32(off, lo32(value), true);
  v.setInt32(off + 4, hi32(value), true);
}

function get64(v: DataView, off: number): number {
  return v.getInt32(off + 4, true) * 4294967296 + v.getUint32(off, true);
}

// Linux 5.10 kernel/signal.c copy_siginfo_to_user: the union member siginfo_layout() picks
export function fill_siginfo(v: DataView, off: number, info: kernel_siginfo): void {
  v.setInt32(off, info.si_signo, true);
  v.setInt32(off + 4, info.si_errno, true);
  v.setInt32(off + 8, info.si_code, true);
  const sig = info.si_signo;
  const specific = info.si_code > SI_USER && info.si_code < SI_KERNEL;
  if (specific && (sig === SIGSEGV || sig === SIGBUS || sig === SIGILL || sig === SIGFPE || sig === SIGTRAP)) {
    put64(v, off + 16, info.si_addr); // SIL_FAULT
  } else {
    v.setInt32(off + 16, info.si_pid, true); // SIL_KILL / SIL_CHLD
    v.setInt32(off + 20, info.si_uid, true);
    if (specific && sig === SIGCHLD) v.setInt32(off + 24, info.si_status, true);
  }
}

// Linux 5.10 arch/x86/kernel/signal.c get_sigframe: below the red zone, the FPU area 64-byte aligned,
// then the frame, aligned so that (sp + 8) is a multiple of 16 as at a function's entry
export function get_sigframe(sp: number): { frame: number; fpstate: number } {
  sp -= 128; // the red zone
  const fpstate = Math.floor((sp - FPSTATE_SIZE) / 64) * 64; // fpu__alloc_mathframe
  const frame = Math.floor((fpstate - SIGFRAME_SIZE) / 16) * 16 - 8; // align_sigframe
  return { frame, fpstate };
}

/** An fxsave image of the reset FPU state (FCW 0x37f, MXCSR 0x1f80): what the handler's frame holds. */
function fxsave_image(): Uint8Array {
  const b = new Uint8Array(FPSTATE_SIZE);
  const v = new DataView(b.buffer);
  v.setUint16(0, 0x37f, true);
  v.setUint32(24, 0x1f80, true);
  v.setUint32(28, 0xffff, true); // MXCSR_MASK
  return b;
}

// Linux 5.10 arch/x86/kernel/signal.c __setup_rt_frame: 0, or -EFAULT when the frame cannot be written
export function setup_rt_frame(k: Machine, ksig: ksignal, set: sigset_t, regs: pt_regs): number {
  if (!(ksig.ka.sa_flags & SA_RESTORER)) return -14; // x86-64 should always use SA_RESTORER
  const { frame, fpstate } = get_sigframe(regs.sp);
  if (copy_to_user(k, fpstate, fxsave_image()) !== 0) return -14; // copy_fpstate_to_sigframe
  const bytes = new Uint8Array(SIGFRAME_SIZE);
  const v = new DataView(bytes.buffer);
  put64(v, 0, ksig.ka.sa_restorer);
  put64(v, UC_OFFSET, UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS); // frame_uc_flags: no XSAVE
  v.setInt32(UC_OFFSET + 24, SS_DISABLE, true); // unsafe_save_altstack: no sigaltstack
  put_sigcontext(k, v, regs, set, fpstate);
  v.setInt32(SIGMASK_OFFSET, set.lo, true);
  v.setInt32(SIGMASK_OFFSET + 4, set.hi, true);
  if (ksig.ka.sa_flags & SA_SIGINFO) fill_siginfo(v, INFO_OFFSET, ksig.info);
  if (copy_to_user(k, frame, bytes) !== 0) return -14;
  regs.set(RDI, ksig.sig);
  regs.ax = 0; // in case the handler was declared without prototypes
  regs.set(RSI, frame + INFO_OFFSET);
  regs.set(RDX, frame + UC_OFFSET);
  regs.ip = ksig.ka.sa_handler;
  regs.sp = frame;
  return 0;
}

// Linux 5.10 arch/x86/kernel/signal.c __unsafe_setup_sigcontext
function put_sigcontext(k: Machine, v: DataView, regs: pt_regs, set: sigset_t, fpstate: number): void {
  const m = MCONTEXT_OFFSET;
  SIGCONTEXT_GPRS.forEach((reg, i) => put64(v, m + 8 * i, regs.get(reg)));
  put64(v, m + 8 * REG_RIP, regs.ip);
  put64(v, m + 8 * REG_EFL, regs.flags);
  v.setUint16(m + 8 * REG_CSGSFS, __USER_CS, true); // cs, gs 0, fs 0, ss
  v.setUint16(m + 8 * REG_CSGSFS + 6, __USER_DS, true);
  const t = k.current.thread;
  put64(v, m + 8 * REG_ERR, t.error_code);
  put64(v, m + 8 * REG_TRAPNO, t.trap_nr);
  v.setInt32(m + 8 * REG_OLDMASK, set.lo, true);
  v.setInt32(m + 8 * REG_OLDMASK + 4, set.hi, true);
  put64(v, m + 8 * REG_CR2, t.cr2);
  put64(v, m + 8 * REG_FPSTATE, fpstate);
}

/** What rt_sigreturn read from the frame, or null when the frame is unreadable (badframe). */
export interface SigreturnFrame {
  set: sigset_t;
}

// Linux 5.10 arch/x86/kernel/signal.c sys_rt_sigreturn + restore_sigcontext: the frame sits just below
// %rsp (the handler's ret popped pretcode). Restores every register and the flags a handler may change;
// null means badframe (the caller sends SIGSEGV).
export function restore_rt_frame(k: Machine, regs: pt_regs): SigreturnFrame | null {
  const frame = regs.sp - 8;
  const bytes = new Uint8Array(SIGFRAME_SIZE);
  if (copy_from_user(k, bytes, frame, SIGFRAME_SIZE) !== 0) return null;
  const v = new DataView(bytes.buffer);
  const set = { lo: v.getInt32(SIGMASK_OFFSET, true), hi: v.getInt32(SIGMASK_OFFSET + 4, true) };
  const m = MCONTEXT_OFFSET;
  SIGCONTEXT_GPRS.forEach((reg, i) => regs.set(reg, get64(v, m + 8 * i)));
  regs.ip = get64(v, m + 8 * REG_RIP);
  const flags = v.getInt32(m + 8 * REG_EFL, true);
  regs.flags = (regs.flags & ~FIX_EFLAGS) | (flags & FIX_EFLAGS);
  regs.orig_ax = -1; // disable syscall checks
  return { set };
}
