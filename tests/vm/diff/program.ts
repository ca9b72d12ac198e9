// The differential test program: one GNU-as source holding many random sequences, their initial
// states (read from stdin), and a harness (no libc) that runs each sequence on the real CPU: load all GPRs and RFLAGS,
// run, store all GPRs, RFLAGS and the scratch buffer; a #DE is caught by a SIGFPE handler
// (rt_sigaction, SA_SIGINFO) that records the registers of the faulting context and goes on with
// the next case. Results go to stdout as fixed-size records (see RECORD_SIZE).
// pushfq/popfq are written as .byte (9c/9d): they are outside the assembler's v1 subset.
// The same ELF is loaded into faultline's CPU (vm-run.ts), so both sides run identical bytes.

import { DiffCase, SCRATCH_SIZE } from './gen.js';

/** Per case in: 16 registers + RFLAGS (17 quads), then the scratch buffer. */
export const STATE_SIZE = 17 * 8;
/** Per case out: status (0 ok, 1 + trap number on a signal), 16 registers (rsp as a delta), RFLAGS, scratch. */
export const RECORD_SIZE = 8 + 16 * 8 + 8 + SCRATCH_SIZE;

const GREG_ORDER = [13, 14, 12, 11, 15, 10, 9, 8, 0, 1, 2, 3, 4, 5, 6, 7]; // ucontext gregs index of rax..r15
const REGS = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

/** What the program reads from stdin: every case's registers and RFLAGS, then every case's scratch. */
export function programInput(cases: DiffCase[]): Uint8Array {
  const n = cases.length;
  const buf = new Uint8Array(n * (STATE_SIZE + SCRATCH_SIZE));
  const dv = new DataView(buf.buffer);
  cases.forEach((c, i) => {
    for (let k = 0; k < 32; k++) dv.setInt32(i * STATE_SIZE + 4 * k, c.regs[k], true);
    dv.setInt32(i * STATE_SIZE + 128, c.rflags, true);
    buf.set(c.scratch, n * STATE_SIZE + i * SCRATCH_SIZE);
  });
  return buf;
}

export function programSource(cases: DiffCase[]): string {
  const n = cases.length;
  const s: string[] = [];
  s.push('\t.text', '\t.globl _start', '_start:');
  // read(0, init_state, n * (STATE_SIZE + SCRATCH_SIZE)) until all of it has arrived
  s.push('\tleaq init_state(%rip), %rsi', `\tmovq $${n * (STATE_SIZE + SCRATCH_SIZE)}, %rdx`,
    'read_more:', '\ttestq %rdx, %rdx', '\tjz read_done', '\txorl %eax, %eax', '\txorl %edi, %edi', '\tpushq %rsi', '\tpushq %rdx',
    '\tsyscall', '\tpopq %rdx', '\tpopq %rsi', '\ttestq %rax, %rax', '\tjle exit_bad', '\taddq %rax, %rsi', '\tsubq %rax, %rdx',
    '\tjmp read_more', 'read_done:');
  s.push(
    '\tmovl $13, %eax', '\tmovl $8, %edi', '\tleaq sigact(%rip), %rsi', '\txorl %edx, %edx', '\tmovl $8, %r10d', '\tsyscall',
    'next_case:',
    '\tmovq case_idx(%rip), %rax', `\tcmpq $${n}, %rax`, '\tjae finish',
    // scratch <- initial scratch of this case
    `\timulq $${SCRATCH_SIZE}, %rax, %rsi`, '\tleaq init_scratch(%rip), %rcx', '\taddq %rcx, %rsi',
    '\tleaq scratch(%rip), %rdi', `\tmovl $${SCRATCH_SIZE / 8}, %ecx`, '\tcld', '\trep movsq',
    '\tmovq case_idx(%rip), %rax', '\tleaq seq_table(%rip), %rdx', '\tmovq (%rdx,%rax,8), %rcx', '\tmovq %rcx, seq_target(%rip)',
    `\timulq $${STATE_SIZE}, %rax, %rax`, '\tleaq init_state(%rip), %rcx', '\taddq %rcx, %rax',
    '\tmovq %rsp, saved_rsp(%rip)',
    '\tpushq 128(%rax)', '\t.byte 0x9d',
  );
  for (let r = 1; r < 16; r++) if (r !== 4 && r !== 15) s.push(`\tmovq ${r * 8}(%rax), %${REGS[r]}`);
  s.push('\tleaq scratch(%rip), %r15', '\tmovq (%rax), %rax', '\tjmp *seq_target(%rip)');
  s.push('seq_done:', '\t.byte 0x9c');
  for (let r = 0; r < 16; r++) if (r !== 4) s.push(`\tmovq %${REGS[r]}, out_rec+${8 + r * 8}(%rip)`);
  s.push('\tpopq out_rec+136(%rip)', '\tmovq %rsp, %rax', '\tsubq saved_rsp(%rip), %rax', '\tmovq %rax, out_rec+40(%rip)',
    '\tmovq $0, out_rec(%rip)');
  s.push('store_case:', '\tmovq saved_rsp(%rip), %rsp', '\tcld',
    '\tleaq scratch(%rip), %rsi', '\tleaq out_rec+144(%rip), %rdi', `\tmovl $${SCRATCH_SIZE / 8}, %ecx`, '\trep movsq',
    '\tmovq case_idx(%rip), %rax', `\timulq $${RECORD_SIZE}, %rax, %rdi`, '\tleaq out_buf(%rip), %rcx', '\taddq %rcx, %rdi',
    '\tleaq out_rec(%rip), %rsi', `\tmovl $${RECORD_SIZE / 8}, %ecx`, '\trep movsq',
    '\tincq case_idx(%rip)', '\tjmp next_case');
  // write(1, out_buf, n * RECORD_SIZE) until done, then exit(0)
  s.push('finish:', '\tleaq out_buf(%rip), %rsi', `\tmovq $${n * RECORD_SIZE}, %rdx`,
    'write_more:', '\ttestq %rdx, %rdx', '\tjz exit_ok', '\tmovl $1, %eax', '\tmovl $1, %edi', '\tpushq %rsi', '\tpushq %rdx', '\tsyscall',
    '\tpopq %rdx', '\tpopq %rsi', '\ttestq %rax, %rax', '\tjle exit_bad', '\taddq %rax, %rsi', '\tsubq %rax, %rdx', '\tjmp write_more',
    'exit_ok:', '\tmovl $60, %eax', '\txorl %edi, %edi', '\tsyscall',
    'exit_bad:', '\tmovl $60, %eax', '\tmovl $1, %edi', '\tsyscall');
  // SIGFPE handler: rdi = signo, rsi = siginfo, rdx = ucontext; gregs at ucontext + 40.
  s.push('on_signal:', '\tleaq 40(%rdx), %r8');
  GREG_ORDER.forEach((g, r) => s.push(`\tmovq ${g * 8}(%r8), %rax`, `\tmovq %rax, out_rec+${8 + r * 8}(%rip)`));
  s.push('\tmovq 17*8(%r8), %rax', '\tmovq %rax, out_rec+136(%rip)',
    '\tmovq out_rec+40(%rip), %rax', '\tsubq saved_rsp(%rip), %rax', '\tmovq %rax, out_rec+40(%rip)',
    '\tmovq 20*8(%r8), %rax', '\tincq %rax', '\tmovq %rax, out_rec(%rip)',
    '\tleaq store_case(%rip), %rax', '\tmovq %rax, 16*8(%r8)', '\tret',
    'restorer:', '\tmovl $15, %eax', '\tsyscall');
  cases.forEach((c, i) => {
    s.push(`seq_${i}:`);
    for (const l of c.lines) s.push(l.endsWith(':') ? l : `\t${l}`);
    s.push('\tjmp seq_done');
  });
  s.push('\t.data', '\t.balign 8');
  s.push('sigact:', '\t.quad on_signal', '\t.quad 0x44000004', '\t.quad restorer', '\t.quad 0'); // SA_SIGINFO|SA_RESTORER|SA_NODEFER
  s.push('case_idx:', '\t.quad 0', 'saved_rsp:', '\t.quad 0', 'seq_target:', '\t.quad 0', 'out_rec:', `\t.zero ${RECORD_SIZE}`);
  s.push('seq_table:');
  for (let i = 0; i < n; i += 8) s.push(`\t.quad ${Array.from({ length: Math.min(8, n - i) }, (_, k) => `seq_${i + k}`).join(',')}`);
  // The scratch buffer straddles a page boundary, so accesses that cross pages are exercised too.
  s.push('\t.balign 4096', `\t.skip ${4096 - SCRATCH_SIZE / 2}`, 'scratch:', `\t.zero ${SCRATCH_SIZE}`);
  s.push('\t.bss', '\t.balign 4096', 'out_buf:', `\t.skip ${n * RECORD_SIZE}`);
  s.push('init_state:', `\t.skip ${n * STATE_SIZE}`, 'init_scratch:', `\t.skip ${n * SCRATCH_SIZE}`);
  return s.join('\n') + '\n';
}
