// --stats: a `perf stat`-like summary of one run (instructions, page faults minor/major, syscalls, COW
// copies and reuses, TLB hits and misses), built from the machine's counters.

import type { Machine } from './machine.js';

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(18);
}

function row(n: number, name: string, note = ''): string {
  return `${count(n)}      ${name.padEnd(20)}${note ? `#  ${note}` : ''}`.trimEnd();
}

/** The summary as printed after the run: `label` names the program, `seconds` the host time it took. */
export function format_stats(k: Machine, label: string, seconds: number): string {
  const s = k.stats;
  const hits = k.mmu.tlbHits;
  const misses = k.mmu.tlbMisses;
  const lookups = hits + misses;
  const lines = [
    '',
    ` Performance counter stats for '${label}':`,
    '',
    row(k.cpu.instret, 'instructions', seconds > 0 ? `${(k.cpu.instret / seconds / 1e6).toFixed(2)} M/sec` : ''),
    row(s.minor_faults + s.major_faults, 'page-faults', `${s.minor_faults} minor, ${s.major_faults} major`),
    row(s.minor_faults, 'minor-faults'),
    row(s.major_faults, 'major-faults'),
    row(s.cow_copies, 'cow-copies', 'wp_page_copy'),
    row(s.cow_reuses, 'cow-reuses', 'wp_page_reuse'),
    row(s.syscalls, 'syscalls'),
    row(hits, 'tlb-hits'),
    row(misses, 'tlb-misses', lookups > 0 ? `${((100 * misses) / lookups).toFixed(2)}% of all TLB lookups (page walks)` : ''),
  ];
  if (s.oom_kills > 0) lines.push(row(s.oom_kills, 'oom-kills'));
  lines.push('', `${seconds.toFixed(6).padStart(18)} seconds time elapsed`, '');
  return lines.join('\n') + '\n';
}
