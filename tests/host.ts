// What the host is, as far as the native comparisons care. The pinned expectations were recorded on the
// reference machine (Linux 6.18, Intel Xeon with PKU/SMAP/SMEP, the shared zero page on); a native run here is
// only a witness that the recording still holds, so it runs where the host matches the reference in what the
// program depends on and otherwise skips with a one-line reason naming the difference.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble } from '../asm/assemble.js';
import { writeElf } from '../asm/elf.js';

/** What a reference program or a differential test may depend on, as named in a `# Depends on:` header line. */
export type HostFeature = 'zero-page' | 'intel' | 'pku' | 'smap' | 'smep';
export const HOST_FEATURES: readonly HostFeature[] = ['zero-page', 'intel', 'pku', 'smap', 'smep'];

export interface HostProfile {
  /** Linux on x86-64: native runs are possible at all. */
  x86Linux: boolean;
  platform: string;
  /** vendor_id of /proc/cpuinfo (GenuineIntel, AuthenticAMD, ...), or null. */
  vendor: string | null;
  /** The flags line of /proc/cpuinfo. */
  cpuFlags: ReadonlySet<string>;
  /** uname -r */
  kernel: string | null;
  /** Does a read fault map the shared zero page (so a later write faults again)? null if unknown. */
  zeroPage: boolean | null;
  /** How zeroPage was decided, for the skip line. */
  zeroPageHow: string;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The first `key : value` of /proc/cpuinfo. */
function cpuinfoField(cpuinfo: string, key: string): string | null {
  const m = new RegExp(`^${key}\\s*:\\s*(.*)$`, 'm').exec(cpuinfo);
  return m ? m[1].trim() : null;
}

// The probe: after a warm-up getrusage, a second one, then a fresh private anonymous page is read and written,
// then a third. With the zero page the read maps it and the write faults again (2 minor faults); without it
// the read allocates the page writable at once (1). Exit status = the ru_minflt delta.
const PROBE_SOURCE = `
	.text
	.globl _start
_start:
	mov $98, %eax
	xor %edi, %edi
	lea ru(%rip), %rsi
	syscall
	mov $98, %eax
	xor %edi, %edi
	lea ru(%rip), %rsi
	syscall
	mov ru+64(%rip), %r12
	mov $9, %eax
	xor %edi, %edi
	mov $4096, %esi
	mov $3, %edx
	mov $0x22, %r10d
	mov $-1, %r8
	xor %r9d, %r9d
	syscall
	movb (%rax), %cl
	movb $1, (%rax)
	mov $98, %eax
	xor %edi, %edi
	lea ru(%rip), %rsi
	syscall
	mov ru+64(%rip), %rdi
	sub %r12, %rdi
	mov $60, %eax
	syscall
	.bss
	.balign 8
ru:	.skip 144
`;

/** Runs the probe natively: true (2 faults), false (1), or a reason it could not tell. */
function probeZeroPage(): boolean | string {
  const r = assemble(PROBE_SOURCE, 'zero-page-probe.s');
  if (!r.ok) return 'the probe did not assemble';
  const dir = mkdtempSync(join(tmpdir(), 'faultline-probe-'));
  try {
    const exe = join(dir, 'probe');
    writeFileSync(exe, writeElf(r.image));
    chmodSync(exe, 0o755);
    const run = spawnSync(exe, [], { stdio: 'ignore', timeout: 10_000 });
    if (run.status === 2) return true;
    if (run.status === 1) return false;
    return `the probe ended with status ${run.status} signal ${run.signal}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function detect(): HostProfile {
  const x86Linux = process.platform === 'linux' && process.arch === 'x64';
  const cpuinfo = (x86Linux ? readText('/proc/cpuinfo') : null) ?? '';
  const flags = new Set((cpuinfoField(cpuinfo, 'flags') ?? '').split(/\s+/).filter((f) => f !== ''));
  const cmdline = (x86Linux ? readText('/proc/cmdline') : null) ?? '';
  const kernel = x86Linux ? (readText('/proc/sys/kernel/osrelease') ?? '').trim() || null : null;
  let zeroPage: boolean | null = null;
  let zeroPageHow = 'not probed';
  if (x86Linux) {
    const probe = probeZeroPage();
    const offInCmdline = /(^|\s)pvm_no_zero_page=1(\s|$)/.test(cmdline);
    if (typeof probe === 'boolean') {
      zeroPage = probe;
      zeroPageHow = probe ? 'a read then a write of a fresh page faulted twice'
        : offInCmdline ? 'pvm_no_zero_page=1' : 'a read then a write of a fresh page faulted once';
    } else {
      zeroPage = offInCmdline ? false : null;
      zeroPageHow = offInCmdline ? 'pvm_no_zero_page=1' : probe;
    }
  }
  return {
    x86Linux,
    platform: `${process.platform}/${process.arch}`,
    vendor: cpuinfoField(cpuinfo, 'vendor_id'),
    cpuFlags: flags,
    kernel,
    zeroPage,
    zeroPageHow,
  };
}

let cached: HostProfile | null = null;

/** The host's profile, detected once per test process. */
export function hostProfile(): HostProfile {
  cached ??= detect();
  return cached;
}

/** Why the host differs from the reference in `feature`, as a skip line's reason; null where it matches. */
export function featureMissing(feature: HostFeature, h: HostProfile = hostProfile()): string | null {
  if (!h.x86Linux) return `not x86-64 Linux (${h.platform})`;
  switch (feature) {
    case 'zero-page':
      if (h.zeroPage === true) return null;
      return h.zeroPage === false ? `host kernel has no zero page (${h.zeroPageHow})` : `cannot tell whether the host kernel has a zero page (${h.zeroPageHow})`;
    case 'intel':
      return h.vendor === 'GenuineIntel' ? null : `host CPU is ${h.vendor ?? 'of unknown vendor'}; undefined flags differ`;
    case 'pku':
      return h.cpuFlags.has('pku') && h.cpuFlags.has('ospke') ? null : 'host CPU or kernel has no PKU';
    case 'smap':
    case 'smep':
      return h.cpuFlags.has(feature) ? null : `host CPU has no ${feature.toUpperCase()}`;
  }
}

/** The first reason the host cannot witness a program that depends on `features`, or null. */
export function hostMismatch(features: readonly HostFeature[], h: HostProfile = hostProfile()): string | null {
  if (!h.x86Linux) return `not x86-64 Linux (${h.platform})`;
  for (const f of features) {
    const why = featureMissing(f, h);
    if (why !== null) return why;
  }
  return null;
}

/**
 * The features named by a source's `# Depends on:` header line: `nothing host-specific`, or a comma list of
 * HOST_FEATURES, each optionally followed by words or a parenthesised explanation. Throws on a missing line
 * or an unknown feature, so a typo cannot turn a comparison off.
 */
export function parseDependsOn(source: string, file: string): HostFeature[] {
  const lines = source.split('\n').filter((l) => /^#\s*Depends on:/i.test(l));
  if (lines.length !== 1) throw new Error(`${file}: needs exactly one "# Depends on:" header line, found ${lines.length}`);
  const text = lines[0].replace(/^#\s*Depends on:\s*/i, '').trim();
  if (/^nothing\b/i.test(text)) return [];
  const out: HostFeature[] = [];
  for (const part of text.replace(/\([^)]*\)/g, '').split(',')) {
    const word = part.trim().split(/\s+/)[0].toLowerCase();
    if (!(HOST_FEATURES as readonly string[]).includes(word)) {
      throw new Error(`${file}: unknown dependency "${word}" in "# Depends on:" (known: ${HOST_FEATURES.join(', ')}, or "nothing host-specific")`);
    }
    out.push(word as HostFeature);
  }
  return out;
}

/** A one-line description of the host for test logs. */
export function describeHost(h: HostProfile = hostProfile()): string {
  if (!h.x86Linux) return `host ${h.platform}: no native runs`;
  const feats = ['pku', 'smap', 'smep'].filter((f) => h.cpuFlags.has(f));
  const zp = h.zeroPage === null ? 'zero page unknown' : h.zeroPage ? 'zero page on' : 'zero page off';
  return `host: Linux ${h.kernel ?? '?'}, ${h.vendor ?? 'unknown CPU'}${feats.length ? ` with ${feats.join('/').toUpperCase()}` : ', no PKU/SMAP/SMEP'}, ${zp}`;
}

