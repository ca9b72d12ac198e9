// Where each section goes in memory and in the file, the way GNU ld 2.40 lays out a static non-PIE
// x86-64 program with its default script (-z separate-code): headers in a read-only PT_LOAD at
// 0x400000, text from 0x401000, read-only data on the next page, then DATA_SEGMENT_ALIGN for the
// read-write data and bss. Sections ld does not name in its script ("orphans") get their own output
// section after the standard one with the same flags.

import type { Section } from './sections.js';
import type { ImageSegment } from './image.js';

export type OutClass = 'text' | 'rodata' | 'data' | 'bss';

export interface OutSec {
  name: string;
  cls: OutClass;
  nobits: boolean;
  align: number;
  inputs: { sec: Section; off: number }[];
  size: number;
  addr: bigint;
  fileOffset: number;
}

const PAGE = 0x1000;
const alignUp = (v: number, a: number): number => Math.ceil(v / a) * a;

function classify(s: Section): { cls: OutClass; std: string | null } {
  const is = (b: string) => s.name === b || s.name.startsWith(b + '.');
  if (s.flags.exec) return { cls: 'text', std: is('.text') ? '.text' : null };
  if (s.nobits) return { cls: 'bss', std: is('.bss') ? '.bss' : null };
  if (s.flags.write) return { cls: 'data', std: is('.data') ? '.data' : null };
  return { cls: 'rodata', std: is('.rodata') ? '.rodata' : null };
}

/** Group allocated input sections (in object-file order) into ld's output sections, in ld's order. */
export function outputSections(inputs: Section[]): OutSec[] {
  const classes: OutClass[] = ['text', 'rodata', 'data', 'bss'];
  const byClass = new Map<OutClass, OutSec[]>(classes.map((c) => [c, []]));
  const named = new Map<string, OutSec>();
  for (const c of classes) {
    const std = { text: '.text', rodata: '.rodata', data: '.data', bss: '.bss' }[c];
    const o: OutSec = { name: std, cls: c, nobits: c === 'bss', align: 1, inputs: [], size: 0, addr: 0n, fileOffset: 0 };
    byClass.get(c)?.push(o);
    named.set(std, o);
  }
  for (const s of [...inputs].sort((a, b) => a.order - b.order)) {
    if (!s.flags.alloc) continue;
    const { cls, std } = classify(s);
    let o = named.get(std ?? s.name);
    if (!o || (std === null && o.cls !== cls)) {
      o = { name: s.name, cls, nobits: s.nobits, align: 1, inputs: [], size: 0, addr: 0n, fileOffset: 0 };
      named.set(s.name, o);
      byClass.get(cls)?.push(o);
    }
    o.size = alignUp(o.size, s.align);
    o.inputs.push({ sec: s, off: o.size });
    o.size += s.size;
    o.align = Math.max(o.align, s.align);
  }
  return classes.flatMap((c) => byClass.get(c) ?? []).filter((o) => o.size > 0);
}

export interface LdSymbols {
  bssStart: { value: number; section: string };
  edata: { value: number; section: string };
  end: { value: number; section: string };
}

function placeData(outs: OutSec[], start: number): { end: number; edata: number; bssStart: number } {
  let dot = start;
  for (const o of outs.filter((x) => x.cls === 'data')) {
    dot = alignUp(dot, o.align);
    o.addr = BigInt(dot);
    dot += o.size;
  }
  const edata = dot;
  for (const o of outs.filter((x) => x.cls === 'bss')) {
    dot = alignUp(dot, o.align);
    o.addr = BigInt(dot);
    dot += o.size;
    if (o.name === '.bss' && o.size > 0) {
      // ld's .bss statement ends with `. = ALIGN(. != 0 ? 64 / 8 : 1)`: the padding is part of .bss
      const padded = alignUp(dot, 8);
      o.size += padded - dot;
      dot = padded;
    }
  }
  return { end: alignUp(dot, 8), edata, bssStart: edata };
}

/** Assign addresses the way ld does; returns the values of __bss_start, _edata and _end. */
export function layoutLd(outs: OutSec[], headerSize: number): LdSymbols {
  let dot = alignUp(0x400000 + headerSize, PAGE);
  for (const cls of ['text', 'rodata'] as const) {
    for (const o of outs.filter((x) => x.cls === cls)) {
      dot = alignUp(dot, o.align);
      o.addr = BigInt(dot);
      dot += o.size;
    }
    if (cls === 'text') dot = alignUp(dot, PAGE); // separate-code: rodata starts on a page of its own
  }
  // DATA_SEGMENT_ALIGN (MAXPAGESIZE, COMMONPAGESIZE): same offset within the page, next page up...
  const beforeData = dot;
  const base = alignUp(dot, PAGE) + (dot & (PAGE - 1));
  let r = placeData(outs, base);
  // ...unless starting on a fresh page saves one (ld's lang_size_segment).
  const first = -base & (PAGE - 1);
  const last = r.end & (PAGE - 1);
  if (first && last && Math.floor(base / PAGE) !== Math.floor(r.end / PAGE) && first + last <= PAGE) {
    r = placeData(outs, alignUp(beforeData, PAGE));
  }
  const last0 = outs[outs.length - 1]?.name ?? '.text';
  const lastData = outs.filter((o) => o.cls === 'data').pop()?.name ?? last0;
  const firstBss = outs.find((o) => o.cls === 'bss')?.name ?? last0;
  return {
    bssStart: { value: r.bssStart, section: firstBss },
    edata: { value: r.edata, section: lastData },
    end: { value: r.end, section: last0 },
  };
}

/** The kernel layout: every output section one after the other from base, each at its alignment. */
export function layoutAt(outs: OutSec[], base: bigint): void {
  let off = 0;
  for (const o of outs) {
    off = alignUp(off, o.align);
    o.addr = base + BigInt(off);
    off += o.size;
  }
}

/** The PT_LOAD segments of an ld layout (plus PT_GNU_STACK when the source asked for one), with file offsets. */
export function segmentsLd(outs: OutSec[], headerSize: number, gnuStack: { exec: boolean } | null): { segments: ImageSegment[]; fileEnd: number } {
  const segs: ImageSegment[] = [
    { type: 'load', flags: { r: true, w: false, x: false }, offset: 0, vaddr: 0x400000n, filesz: headerSize, memsz: headerSize, align: PAGE },
  ];
  let pos = headerSize;
  const groups: [OutClass[], ImageSegment['flags']][] = [
    [['text'], { r: true, w: false, x: true }],
    [['rodata'], { r: true, w: false, x: false }],
    [['data', 'bss'], { r: true, w: true, x: false }],
  ];
  for (const [classes, flags] of groups) {
    const members = outs.filter((o) => classes.includes(o.cls));
    if (members.length === 0) continue;
    const start = Number(members[0].addr);
    const congruent = pos + ((((start - pos) % PAGE) + PAGE) % PAGE);
    let fileEnd = congruent;
    let memEnd = start;
    let anyBits = false;
    for (const o of members) {
      const a = Number(o.addr);
      if (o.nobits) o.fileOffset = anyBits ? fileEnd : congruent;
      else {
        o.fileOffset = congruent + (a - start);
        fileEnd = o.fileOffset + o.size;
        anyBits = true;
      }
      memEnd = a + o.size;
    }
    segs.push({
      type: 'load',
      flags,
      offset: anyBits ? congruent : start & (PAGE - 1),
      vaddr: BigInt(start),
      filesz: anyBits ? fileEnd - congruent : 0,
      memsz: memEnd - start,
      align: PAGE,
    });
    if (anyBits) pos = fileEnd;
  }
  if (gnuStack) segs.push({ type: 'gnu-stack', flags: { r: true, w: true, x: gnuStack.exec }, offset: 0, vaddr: 0n, filesz: 0, memsz: 0, align: 0x10 });
  return { segments: segs, fileEnd: pos };
}

/** How many program headers an ld layout of these sections has (needed before addresses). */
export function countSegments(outs: OutSec[], gnuStack: unknown): number {
  const has = (c: OutClass[]) => outs.some((o) => c.includes(o.cls));
  return 1 + (has(['text']) ? 1 : 0) + (has(['rodata']) ? 1 : 0) + (has(['data', 'bss']) ? 1 : 0) + (gnuStack ? 1 : 0);
}
