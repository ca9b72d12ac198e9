import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, MM_ANONPAGES, PAGE_SIZE, PROT_READ, PROT_WRITE, VM_ACCOUNT, VM_MAYEXEC,
  VM_MAYREAD, VM_MAYWRITE, VM_READ, VM_WRITE,
} from '../../kernel/mm_constants.js';
import { sys_brk, vm_brk_flags } from '../../kernel/brk.js';
import { do_mmap } from '../../kernel/mmap.js';
import { get_mm_counter } from '../../kernel/mm_types.js';
import { nr_free_pages } from '../../kernel/page_alloc.js';
import { pte_none } from '../../kernel/pgtable.js';
import { layout, machine, pte_at, touch } from './mm_helpers.js';

const P = PAGE_SIZE;
const BRK_FLAGS = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT;
const START = 0x4b0000;

function heap() {
  const m = machine();
  m.mm.start_brk = m.mm.brk = START;
  return m;
}

test('brk grows the heap one VMA, page-aligned, and returns the exact new break', () => {
  const { mm } = heap();
  assert.is(sys_brk(mm, 0), START, 'brk(0) reports the current break');
  assert.is(sys_brk(mm, START + 10000), START + 10000);
  assert.equal(layout(mm), [[START, START + 3 * P, BRK_FLAGS]]);
  assert.is(sys_brk(mm, START + 12000), START + 12000, 'same last page: no new VMA');
  assert.is(mm.map_count, 1);
  assert.is(sys_brk(mm, START + 5 * P), START + 5 * P);
  assert.equal(layout(mm), [[START, START + 5 * P, BRK_FLAGS]], 'extends by merging');
  assert.is(mm.data_vm, 5);
});

test('brk shrinks: the pages above the new break are freed', () => {
  const { mm, zone } = heap();
  sys_brk(mm, START + 4 * P);
  touch(mm, START + 3 * P);
  const free = nr_free_pages(zone);
  assert.is(sys_brk(mm, START + P + 1), START + P + 1);
  assert.equal(layout(mm), [[START, START + 2 * P, BRK_FLAGS]]);
  assert.is(get_mm_counter(mm, MM_ANONPAGES), 0);
  assert.is(nr_free_pages(zone), free + 1, 'the page came back; the pte table still serves the heap below');
  assert.ok(pte_none(pte_at(mm, START + 3 * P)!));
});

test('brk refuses to go below start_brk or into another mapping (one page must stay free)', () => {
  const { mm } = heap();
  assert.is(sys_brk(mm, START - 1), START);
  do_mmap(mm, null, START + 4 * P, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
  assert.is(sys_brk(mm, START + 3 * P), START + 3 * P, 'ends exactly one page below: allowed');
  assert.is(sys_brk(mm, START + 3 * P + 1), START + 3 * P, 'would touch the gap: refused, old break returned');
  assert.is(mm.brk, START + 3 * P);
});

test('vm_brk_flags (the .bss of an ELF) and the heap merge into one VMA', () => {
  const { mm } = heap();
  assert.is(vm_brk_flags(mm, START - 2 * P, 2 * P - 100, 0), 0);
  assert.is(sys_brk(mm, START + P), START + P);
  assert.equal(layout(mm), [[START - 2 * P, START + P, BRK_FLAGS]]);
  do_mmap(mm, null, START + 2 * P, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
  assert.is(mm.map_count, 2, 'a hole keeps them apart');
});

test.run();
