// --stats: a `perf stat`-like summary of one run (instructions, page faults minor/major, syscalls, COW
// copies and reuses, TLB hits and misses), built from the machine's counters. instructions:u and
// page-faults count as `perf stat -e instructions:u,page-faults` does; minor-faults and major-faults as
// getrusage's ru_minflt and ru_majflt (which also count exec's own faults and not the failed ones).

import type { Machine } from './machine.js';
import { user_instructions } from './perf_event.js';

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
  const user = user_instructions(k);
  const lines = [
    '',
    ` Performance counter stats for '${label}':`,
    '',
    row(user, 'instructions:u', seconds > 0 ? `${(user / seconds / 1e6).toFixed(2)} M/sec` : ''),
    row(s.kernel_instructions, 'instructions:k', 'the kernel\'s uaccess stubs'),
    row(s.page_faults, 'page-faults', 'every fault on a user address since exec'),
    row(s.minor_faults, 'minor-faults', 'getrusage ru_minflt'),
    row(s.major_faults, 'major-faults', 'getrusage ru_majflt'),
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
