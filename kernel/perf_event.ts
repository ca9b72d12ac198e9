// The two perf counters `perf stat` shows that faultline keeps beside getrusage's: the software page-fault
// event and the split of retired instructions by privilege (Linux 5.10 kernel/events/core.c).
//
//   perf_sw_event_page_fault(k)   one PERF_COUNT_SW_PAGE_FAULTS event (do_user_addr_fault calls it)
//   perf_event_exec(k)            exec's enable_on_exec point: counting starts here, as under perf stat
//   user_instructions(k)          instructions retired at CPL 3 (instructions:u)

import type { Machine } from './machine.js';

// Linux 5.10 include/linux/perf_event.h perf_sw_event(PERF_COUNT_SW_PAGE_FAULTS, 1, regs, address): every
// fault on a user address with an mm counts, whether it ends in a page, a fixup or a signal
export function perf_sw_event_page_fault(k: Machine): void {
  k.stats.page_faults++;
}

// Linux 5.10 kernel/events/core.c perf_event_exec -> perf_event_enable_on_exec: perf stat opens its
// counters disabled with enable_on_exec, so what the kernel did for exec before begin_new_exec (copy_strings
// filling the top of the stack) is not counted
export function perf_event_exec(k: Machine): void {
  k.stats.page_faults = 0;
}

/** Instructions retired in user mode: all retired instructions less those of the kernel's stubs. */
export function user_instructions(k: Machine): number {
  return k.cpu.instret - k.stats.kernel_instructions;
}
