// The x86-64 CPU: registers, the run loop over decoded blocks, exception delivery, privilege.
//
// API (a 64-bit value is two int32 halves lo/hi; addresses are linear):
//   new Cpu(mem: PhysicalMemory, mmu: Mmu)
//   regs: Int32Array(32)       GPR n at [2*n] (lo) and [2*n+1] (hi); rax rcx rdx rbx rsp rbp rsi rdi r8..r15
//   ripLo, ripHi               RIP
//   getRflags(), setRflags(v)  RFLAGS (low 32 bits) with the lazy flags materialised; setRflags also sets
//                              the MMU's AC (SMAP)
//   cpl, setCpl(0 | 3)         current privilege level (also told to the MMU)
//   cr2Lo, cr2Hi               CR2, set before trap() is called for #PF
//   instret                    retired instructions (rdtsc reads it)
//   trap(vector, errorCode)    the IDT: called for every exception and for syscall (VEC_SYSCALL). The
//                              interrupted context is the CPU's own state: RIP = the faulting instruction
//                              (after it for #BP and syscall), registers and flags as before it, CPL as it
//                              was (not switched: the handler is TypeScript). The handler may change any of
//                              it; execution resumes from whatever state it leaves. If it throws, run()
//                              throws the same value.
//   run(maxSteps) -> 'steps' | 'stopped' | 'halted'   executes at most maxSteps instructions
//   stop()                     ends run() after the current instruction (callable from trap())
//   sysret()                   RIP = RCX, RFLAGS = R11, CPL 3 (what sysretq does)
//   saveState() / loadState(s) the whole register state (context switch; pair with mmu.setCr3)
//   callKernel(ripLo, ripHi, rspLo, rspHi, args = []) -> number
//                              runs machine code at CPL 0 from TypeScript until it returns (`ret` to a
//                              sentinel pushed on the given stack), args (JS numbers) in rdi rsi rdx rcx
//                              r8 r9; faults inside go to trap() as usual (nesting is allowed);
//                              afterwards the interrupted state is restored and RAX of the stub is returned
//                              (as a JS number: exact below 2^53). If trap() throws, the state is restored
//                              and the exception propagates. If trap() calls stop() inside, the stub is
//                              abandoned, NaN is returned and the outer run() stops as well.
//   getReg64(n), setReg64(n, v) a register as a JS number (exact below 2^53 in magnitude)
//   fmask                      RFLAGS bits cleared by syscall (IA32_FMASK; Linux's value by default)
//
// Decoded code is cached per physical frame (vm/block.ts) and dropped when the frame is written: the CPU
// owns mem.onCodeWrite (one Cpu per PhysicalMemory), and anything writing guest memory without the MMU
// must call mem.noteWrite (PhysicalMemory's own writers do). Not implemented yet (raise #UD): rcl rcr
// and the v2 instructions; a 0x67 prefix on movs/stos is decoded but RSI/RDI are used at 64 bits.

import { CpuException, VEC_GP, VEC_PF, VEC_SYSCALL } from './exceptions.js';
import { F_AC, F_ARITH, F_DF, F_FIXED, F_IF, F_OF, F_TF, FlagState, K_EAGER, arithFlags } from './flags.js';
import type { PhysicalMemory } from './memory.js';
import { ACCESS_FETCH, Mmu } from './mmu.js';
import { BlockCache, Block } from './block.js';

export type RunResult = 'steps' | 'stopped' | 'halted' | 'returned';

export interface CpuState {
  regs: Int32Array;
  ripLo: number;
  ripHi: number;
  rflags: number;
  cpl: 0 | 3;
}

/** The return address callKernel pushes: a canonical kernel address no stub is ever mapped at. */
const SENTINEL_LO = -4096;
const SENTINEL_HI = -1;
/** A kernel stub that runs longer than this is a kernel bug, not a guest one. */
const KERNEL_STEP_LIMIT = 100_000_000;
const RSP = 4;
/** rdi rsi rdx rcx r8 r9: where callKernel puts its arguments (the SysV order). */
const ARG_REGS = [7, 6, 2, 1, 8, 9];
const RFLAGS_WRITABLE = F_ARITH | F_TF | F_IF | F_DF | F_OF | F_AC | (1 << 21) /* ID */;

export class Cpu implements FlagState {
  readonly regs = new Int32Array(32);
  ripLo = 0;
  ripHi = 0;
  cpl: 0 | 3 = 0;
  cr2Lo = 0;
  cr2Hi = 0;
  instret = 0;
  fmask = F_ARITH | F_TF | F_IF | F_DF | F_AC | (3 << 12) | (1 << 14) | (1 << 16) | (1 << 21);
  trap: (vector: number, errorCode: number) => void = (v, e) => {
    throw new Error(`unhandled CPU exception ${v} (error code ${e}) at rip ${this.ripHi >>> 0}:${this.ripLo >>> 0}`);
  };

  // Lazy flags (vm/flags.ts).
  fk = K_EAGER;
  fs = 4;
  fa = 0;
  fb = 0;
  fr = 0;
  faH = 0;
  fbH = 0;
  frH = 0;
  fc = 0;
  rflags = F_FIXED;

  /** Scratch results of helpers: the high half of a 64-bit value, of an effective address. */
  vH = 0;
  eaHi = 0;
  /** The current block runs while its index is below limit: lowered to end a block early. */
  limit = 0;
  /** A trap raised by the current instruction (syscall, int3, a caught exception), delivered after the block. */
  pendVec = -1;
  pendErr = 0;
  halted = false;
  private stopReq = false;
  private depth = 0;
  private readonly blocks: BlockCache;

  constructor(readonly mem: PhysicalMemory, readonly mmu: Mmu) {
    this.blocks = new BlockCache(this);
    mem.onCodeWrite = (frame) => {
      this.blocks.invalidateFrame(frame);
      this.limit = 0; // the running block may just have been overwritten: re-fetch after this instruction
    };
    mmu.setCpl(0);
  }

  getRflags(): number {
    return (this.rflags & ~F_ARITH) | (this.fk === K_EAGER ? this.rflags & F_ARITH : arithFlags(this)) | F_FIXED;
  }

  setRflags(v: number): void {
    this.rflags = (v & RFLAGS_WRITABLE) | F_FIXED;
    this.fk = K_EAGER;
    this.mmu.setAc((v & F_AC) !== 0);
  }

  /** Sets a 64-bit register from a JS number (a canonical address or a value below 2^53 in magnitude). */
  setReg64(n: number, v: number): void {
    const hi = Math.floor(v / 0x1_0000_0000);
    this.regs[2 * n] = (v - hi * 0x1_0000_0000) | 0;
    this.regs[2 * n + 1] = hi | 0;
  }

  /** A 64-bit register as a JS number (exact below 2^53 in magnitude). */
  getReg64(n: number): number {
    return this.regs[2 * n + 1] * 0x1_0000_0000 + (this.regs[2 * n] >>> 0);
  }

  setCpl(cpl: 0 | 3): void {
    this.cpl = cpl;
    this.mmu.setCpl(cpl);
  }

  stop(): void {
    this.stopReq = true;
    this.limit = 0;
  }

  saveState(): CpuState {
    return { regs: this.regs.slice(), ripLo: this.ripLo, ripHi: this.ripHi, rflags: this.getRflags(), cpl: this.cpl };
  }

  loadState(s: CpuState): void {
    this.regs.set(s.regs);
    this.ripLo = s.ripLo;
    this.ripHi = s.ripHi;
    this.setRflags(s.rflags);
    this.setCpl(s.cpl);
  }

  sysret(): void {
    const r = this.regs;
    const hi = r[3];
    if (((hi >> 15) + 1) >>> 1 !== 0) throw new CpuException(VEC_GP, 0, 0); // non-canonical RCX
    this.ripLo = r[2];
    this.ripHi = hi;
    this.setRflags((r[22] & ~(1 << 16 | 1 << 17)) | F_FIXED); // RF and VM cleared
    this.setCpl(3);
  }

  /** What the syscall instruction does after fetching it (RIP already at the next instruction). */
  syscallEntry(nextLo: number, nextHi: number): void {
    const r = this.regs;
    r[2] = nextLo;
    r[3] = nextHi;
    const fl = this.getRflags();
    r[22] = fl;
    r[23] = 0;
    this.setRflags(fl & ~this.fmask);
    this.setCpl(0);
    this.pendVec = VEC_SYSCALL;
    this.pendErr = 0;
  }

  callKernel(ripLo: number, ripHi: number, rspLo: number, rspHi: number, args: readonly number[] = []): number {
    const saved = this.saveState();
    for (let k = 0; k < args.length && k < ARG_REGS.length; k++) this.setReg64(ARG_REGS[k], args[k]);
    const wasHalted = this.halted;
    this.depth++;
    try {
      this.setCpl(0);
      const spLo = (rspLo - 8) | 0;
      const spHi = (rspHi - (spLo >>> 0 > rspLo >>> 0 ? 1 : 0)) | 0;
      this.mmu.write64(spLo, spHi, SENTINEL_LO, SENTINEL_HI);
      this.regs[2 * RSP] = spLo;
      this.regs[2 * RSP + 1] = spHi;
      this.ripLo = ripLo;
      this.ripHi = ripHi;
      this.halted = false;
      const why = this.run(KERNEL_STEP_LIMIT);
      if (why === 'halted') throw new Error('kernel stub executed hlt');
      if (why === 'steps') throw new Error('kernel stub did not return');
      // 'stopped': a nested trap handler stopped the machine before the stub finished; the request
      // stays set so the outer run() stops too, and there is no result.
      if (why === 'stopped') return NaN;
      return this.regs[1] * 0x1_0000_0000 + (this.regs[0] >>> 0);
    } finally {
      this.depth--;
      this.loadState(saved);
      this.halted = wasHalted;
    }
  }

  run(maxSteps: number): RunResult {
    let left = maxSteps;
    for (;;) {
      if (this.stopReq) {
        if (this.depth === 0 || this.atSentinel()) this.stopReq = false;
        return 'stopped';
      }
      if (this.halted) {
        this.halted = false;
        return 'halted';
      }
      if (this.depth > 0 && this.atSentinel()) return 'returned';
      if (left <= 0) return 'steps';
      left -= this.runBlocks(left);
      if (this.pendVec >= 0) {
        const v = this.pendVec;
        this.pendVec = -1;
        this.trap(v, this.pendErr);
      }
    }
  }

  private atSentinel(): boolean {
    return this.ripLo === SENTINEL_LO && this.ripHi === SENTINEL_HI;
  }

  /** Runs blocks until the budget is spent or something needs the outer loop; returns instructions retired. */
  private runBlocks(budget: number): number {
    let done = 0;
    let block: Block | null = null;
    let i = 0;
    try {
      while (done < budget && this.pendVec < 0 && !this.stopReq && !this.halted) {
        if (this.depth > 0 && this.atSentinel()) break;
        block = null;
        i = 0;
        const pa = this.mmu.translate(this.ripLo, this.ripHi, ACCESS_FETCH);
        block = this.blocks.lookup(pa);
        const n = block.n;
        const room = budget - done;
        this.limit = n < room ? n : room;
        this.ripLo = block.endLo;
        this.ripHi = block.endHi;
        const ops = block.ops;
        for (i = 0; i < this.limit; i++) ops[i]();
        if (i < n) {
          this.ripLo = block.ripLo[i];
          this.ripHi = block.ripHi[i];
        }
        done += i;
        this.instret += i;
      }
    } catch (e) {
      if (!(e instanceof CpuException)) throw e;
      if (block !== null) {
        this.ripLo = block.ripLo[i];
        this.ripHi = block.ripHi[i];
        done += i;
        this.instret += i;
      }
      if (e.vector === VEC_PF) {
        this.cr2Lo = e.address % 0x1_0000_0000 | 0;
        this.cr2Hi = Math.floor(e.address / 0x1_0000_0000) | 0;
      }
      this.pendVec = e.vector;
      this.pendErr = e.errorCode;
    }
    return done;
  }
}
