// Signal delivery: the rt_sigframe as Linux x86-64 lays it out, rt_sigreturn restoring every register,
// default actions, force_sig_info_to_task's reset of blocked/ignored signals, failed frame setup.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { R8, R15, RAX, RCX, RDI, RDX, RSI, RSP } from '../../kernel/ptrace.js';
import {
  exc_divide_error, exc_general_protection, exc_invalid_op, exit_to_user_mode, force_sig, force_sig_fault, send_sig_info,
} from '../../kernel/signal.js';
import { main_extable } from '../../kernel/extable.js';
import {
  SA_NODEFER, SA_RESETHAND, SA_RESTORER, SA_SIGINFO, SEGV_MAPERR, SIGILL, SIGSEGV, SIGTRAP, SIGUSR1,
  SIG_DFL, SIG_IGN, SI_KERNEL, sigismember, sigmask,
} from '../../kernel/signal_defs.js';
import {
  INFO_OFFSET, MCONTEXT_OFFSET, REG_CR2, REG_EFL, REG_ERR, REG_OLDMASK, REG_RIP, REG_TRAPNO, SIGCONTEXT_GPRS, SIGMASK_OFFSET, UC_OFFSET,
} from '../../kernel/signal_frame.js';
import { sys_rt_sigreturn } from '../../kernel/syscalls/signal.js';
import { TaskExit } from '../../kernel/task.js';
import { SigMachine } from './sig-machine.js';

const STACK = 0x7ff000000;
const HANDLER = 0x401000;
const RESTORER = 0x402000;

function machine(): SigMachine {
  const k = new SigMachine();
  k.map(STACK - 0x4000, 0x4000, 3);
  k.regs.sp = STACK - 0x100 - 3; // deliberately misaligned
  k.regs.ip = 0x400123;
  for (let r = 0; r < 16; r++) if (r !== RSP) k.regs.set(r, 0x1111 * (r + 1));
  return k;
}

function handle(k: SigMachine, sig: number, flags = SA_SIGINFO | SA_RESTORER): void {
  k.current.sighand[sig - 1] = { sa_handler: HANDLER, sa_flags: flags, sa_restorer: RESTORER, sa_mask: sigmask(SIGUSR1) };
}

function q(k: SigMachine, addr: number): number {
  const v = new DataView(k.peek(addr, 8).buffer);
  return v.getInt32(4, true) * 4294967296 + v.getUint32(0, true);
}

test('the rt_sigframe: pretcode, uc_mcontext.gregs at +40 in Linux order, siginfo, handler registers', () => {
  const k = machine();
  handle(k, SIGSEGV);
  const before = k.cpu.saveState();
  const oldSp = k.regs.sp;
  const t = k.current.thread;
  t.cr2 = 0x1234; t.error_code = 6; t.trap_nr = 14;
  k.current.blocked = { lo: 1 << 1, hi: 0 };
  force_sig_fault(k, SIGSEGV, SEGV_MAPERR, 0x1234);
  exit_to_user_mode(k);
  const frame = k.regs.sp;
  assert.is((frame + 8) % 16, 0, 'aligned as at a function entry');
  assert.ok(frame < oldSp - 128 - 512 - 440, 'below the red zone, the FPU area and the frame');
  assert.is(k.regs.ip, HANDLER);
  assert.is(k.regs.get(RDI), SIGSEGV);
  assert.is(k.regs.get(RSI), frame + INFO_OFFSET);
  assert.is(k.regs.get(RDX), frame + UC_OFFSET);
  assert.is(k.regs.get(RAX), 0);
  assert.is(q(k, frame), RESTORER, 'pretcode');
  const g = frame + MCONTEXT_OFFSET;
  assert.is(MCONTEXT_OFFSET - UC_OFFSET, 40);
  SIGCONTEXT_GPRS.forEach((reg, i) => {
    const want = reg === RSP ? oldSp : 0x1111 * (reg + 1);
    assert.is(q(k, g + 8 * i), want, `greg ${i}`);
  });
  assert.is(SIGCONTEXT_GPRS[0], R8);
  assert.is(SIGCONTEXT_GPRS[7], R15);
  assert.is(SIGCONTEXT_GPRS[14], RCX);
  assert.is(q(k, g + 8 * REG_RIP), 0x400123);
  assert.is(q(k, g + 8 * REG_EFL), before.rflags);
  assert.is(q(k, g + 8 * REG_ERR), 6);
  assert.is(q(k, g + 8 * REG_TRAPNO), 14);
  assert.is(q(k, g + 8 * REG_CR2), 0x1234);
  assert.is(q(k, g + 8 * REG_OLDMASK), 2);
  assert.is(q(k, frame + SIGMASK_OFFSET), 2, 'uc_sigmask = the mask before delivery');
  const info = new DataView(k.peek(frame + INFO_OFFSET, 24).buffer);
  assert.is(info.getInt32(0, true), SIGSEGV);
  assert.is(info.getInt32(8, true), SEGV_MAPERR);
  assert.is(info.getUint32(16, true), 0x1234);
  assert.ok(sigismember(k.current.blocked, SIGSEGV), 'the signal is blocked in its handler');
  assert.ok(sigismember(k.current.blocked, SIGUSR1), 'sa_mask is blocked in the handler');
});

test('rt_sigreturn restores every register, the flags a handler may change, and the mask', () => {
  const k = machine();
  handle(k, SIGTRAP);
  const before = k.cpu.saveState();
  force_sig(k, SIGTRAP);
  exit_to_user_mode(k);
  const frame = k.regs.sp;
  // The handler changes REG_RIP and REG_RAX in the frame, scribbles on registers, then returns.
  const g = frame + MCONTEXT_OFFSET;
  const pa = (a: number): number => k.mmu.translate(a % 4294967296, Math.floor(a / 4294967296), 0);
  k.mem.view.setUint32(pa(g + 8 * REG_RIP), 0x400200, true);
  k.mem.view.setUint32(pa(g + 8 * 13), 77, true); // REG_RAX
  for (let r = 0; r < 16; r++) if (r !== RSP) k.regs.set(r, -1);
  k.regs.sp = frame + 8; // the handler's ret popped pretcode
  const ax = sys_rt_sigreturn(k, k.regs);
  assert.is(ax, 77);
  assert.is(k.regs.ip, 0x400200);
  for (let r = 0; r < 16; r++) {
    if (r === RAX) continue;
    assert.is(k.regs.get(r), r === RSP ? STACK - 0x100 - 3 : 0x1111 * (r + 1), `register ${r}`);
  }
  assert.is(k.regs.flags, before.rflags);
  assert.not.ok(sigismember(k.current.blocked, SIGTRAP));
});

test('siginfo of a SI_KERNEL signal carries no address; SA_NODEFER leaves the signal unblocked', () => {
  const k = machine();
  handle(k, SIGTRAP, SA_SIGINFO | SA_RESTORER | SA_NODEFER);
  force_sig(k, SIGTRAP);
  exit_to_user_mode(k);
  const info = new DataView(k.peek(k.regs.sp + INFO_OFFSET, 24).buffer);
  assert.is(info.getInt32(8, true), SI_KERNEL);
  assert.is(info.getUint32(16, true), 0);
  assert.not.ok(sigismember(k.current.blocked, SIGTRAP));
});

test('SA_RESETHAND: the handler runs once, then the action is SIG_DFL', () => {
  const k = machine();
  handle(k, SIGILL, SA_SIGINFO | SA_RESTORER | SA_RESETHAND);
  force_sig(k, SIGILL);
  exit_to_user_mode(k);
  assert.is(k.regs.ip, HANDLER);
  assert.is(k.current.sighand[SIGILL - 1].sa_handler, SIG_DFL);
});

function exitCode(f: () => void): number | null {
  try {
    f();
  } catch (e) {
    if (e instanceof TaskExit) return e.task.exit_code;
    throw e;
  }
  return null;
}

test('default action: the process dies with the signal number as its wait status', () => {
  const k = machine();
  force_sig(k, SIGILL);
  assert.is(exitCode(() => exit_to_user_mode(k)), SIGILL);
  assert.is(k.current.state === 'zombie' || k.current.state === 'dead', true);
});

test('a SIGSEGV forced while SIGSEGV is blocked (a fault in its own handler) resets it to SIG_DFL and kills', () => {
  const k = machine();
  handle(k, SIGSEGV);
  force_sig_fault(k, SIGSEGV, SEGV_MAPERR, 0);
  exit_to_user_mode(k); // into the handler: SIGSEGV now blocked
  force_sig_fault(k, SIGSEGV, SEGV_MAPERR, 0);
  assert.is(k.current.sighand[SIGSEGV - 1].sa_handler, SIG_DFL);
  assert.is(exitCode(() => exit_to_user_mode(k)), SIGSEGV);
});

test('an ignored signal sent by another process is dropped; a forced one is not', () => {
  const k = machine();
  k.current.sighand[SIGUSR1 - 1].sa_handler = SIG_IGN;
  send_sig_info(k, SIGUSR1, { si_signo: SIGUSR1, si_errno: 0, si_code: 0, si_addr: 0, si_pid: 3, si_uid: 0, si_status: 0 }, k.current);
  assert.is(k.current.pending.length, 0);
  k.current.sighand[SIGSEGV - 1].sa_handler = SIG_IGN;
  force_sig(k, SIGSEGV);
  assert.is(exitCode(() => exit_to_user_mode(k)), SIGSEGV);
});

test('no stack for the frame: the handler never runs and the process dies of SIGSEGV', () => {
  const k = machine();
  handle(k, SIGILL);
  k.regs.sp = 0x10000; // nothing mapped below
  force_sig(k, SIGILL);
  assert.is(exitCode(() => exit_to_user_mode(k)), SIGSEGV);
});

test('a handler without SA_RESTORER cannot get a frame on x86-64: SIGSEGV', () => {
  const k = machine();
  handle(k, SIGILL, SA_SIGINFO);
  force_sig(k, SIGILL);
  assert.is(exitCode(() => exit_to_user_mode(k)), SIGSEGV);
});

test('#GP from user mode: SIGSEGV SI_KERNEL, trap 13 and its error code in the frame, CR2 left stale', () => {
  const k = machine();
  handle(k, SIGSEGV);
  k.current.thread.cr2 = 0x1234;
  exc_general_protection(k, 0);
  exit_to_user_mode(k);
  const g = k.regs.sp + MCONTEXT_OFFSET;
  assert.equal([q(k, g + 8 * REG_TRAPNO), q(k, g + 8 * REG_ERR), q(k, g + 8 * REG_CR2)], [13, 0, 0x1234]);
  assert.is(k.log.length, 0, 'a handled signal is not logged');
});

test('an unhandled trap is logged as Linux does: "traps: comm[pid] trap invalid opcode ip:.. sp:.. error:0"', () => {
  const k = machine();
  exc_invalid_op(k, 0);
  assert.equal(k.log, [`traps: prog[2] trap invalid opcode ip:400123 sp:${(STACK - 0x103).toString(16)} error:0`]);
  assert.is(exitCode(() => exit_to_user_mode(k)), SIGILL);
});

test('a trap in kernel mode: fixed up when the instruction is listed, else an oops and the task exits', () => {
  const k = machine();
  k.cpu.setCpl(0);
  const e = main_extable()[0];
  k.regs.ip = e.insn;
  exc_divide_error(k, 0);
  assert.is(k.regs.ip, e.fixup);
  assert.is(k.current.pending.length, 0);
  k.regs.ip = e.fixup;
  assert.is(exitCode(() => exc_invalid_op(k, 0)), SIGSEGV);
  assert.is(k.log[0], 'invalid opcode: 0000 [#1] NOPTI');
});

test.run();
