// The padding GNU as 2.40 (x86-64, default tuning) emits for .p2align/.balign/.align in code:
// the longest NOP (11 bytes) repeated, the remainder's NOP last; and once the padding holds
// more than 7 longest NOPs, a jmp over it first (rel8 if it reaches, else rel32).

const NOPS: readonly (readonly number[])[] = [
  [0x90],
  [0x66, 0x90],
  [0x0f, 0x1f, 0x00],
  [0x0f, 0x1f, 0x40, 0x00],
  [0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
  [0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
];
const MAX = NOPS.length; // 11
const MAX_NOPS_WITHOUT_JUMP = 7;

/** Fill out[at..at+n) with NOPs, longest first. */
function fillNops(out: Uint8Array, at: number, n: number): void {
  while (n > MAX) {
    out.set(NOPS[MAX - 1], at);
    at += MAX;
    n -= MAX;
  }
  if (n > 0) out.set(NOPS[n - 1], at);
}

/** Exactly the bytes GNU as emits for n bytes of alignment padding in an executable section. */
export function codePadding(n: number): Uint8Array {
  const out = new Uint8Array(n);
  if (Math.floor(n / MAX) <= MAX_NOPS_WITHOUT_JUMP) {
    fillNops(out, 0, n);
  } else if (n - 2 <= 127) {
    out[0] = 0xeb; // jmp rel8 over the padding
    out[1] = n - 2;
    fillNops(out, 2, n - 2);
  } else {
    const d = n - 5;
    out.set([0xe9, d & 0xff, (d >>> 8) & 0xff, (d >>> 16) & 0xff, (d >>> 24) & 0xff]);
    fillNops(out, 5, d);
  }
  return out;
}
