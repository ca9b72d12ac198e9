// Image -> ELF64 executable bytes (ET_EXEC, x86-64, little-endian), in the shape GNU ld writes:
// ELF header, program headers, section contents at their layout offsets, then .symtab, .strtab,
// .shstrtab and the section header table.

import type { Image, ImageSymbol } from './image.js';

export const ELF = {
  EHDR: 64,
  PHDR: 56,
  SHDR: 64,
  SYM: 24,
  PT_LOAD: 1,
  PT_GNU_STACK: 0x6474e551,
  SHT_PROGBITS: 1,
  SHT_SYMTAB: 2,
  SHT_STRTAB: 3,
  SHT_NOBITS: 8,
  SHF_WRITE: 1,
  SHF_ALLOC: 2,
  SHF_EXECINSTR: 4,
  SHN_ABS: 0xfff1,
  EM_X86_64: 62,
  ET_EXEC: 2,
} as const;

class StrTab {
  bytes: number[] = [0];
  private seen = new Map<string, number>();
  add(s: string): number {
    const have = this.seen.get(s);
    if (have !== undefined) return have;
    const at = this.bytes.length;
    this.bytes.push(...new TextEncoder().encode(s), 0);
    this.seen.set(s, at);
    return at;
  }
}

const symType = { notype: 0, object: 1, func: 2, file: 4 } as const;

function symtab(img: Image, strtab: StrTab, shndx: (name: string | null) => number): { data: Uint8Array; firstGlobal: number } {
  const syms: ImageSymbol[] = [...img.symbols.filter((s) => !s.global), ...img.symbols.filter((s) => s.global)];
  const data = new Uint8Array((syms.length + 1) * ELF.SYM);
  const dv = new DataView(data.buffer);
  syms.forEach((s, i) => {
    const at = (i + 1) * ELF.SYM;
    dv.setUint32(at, strtab.add(s.name), true);
    data[at + 4] = ((s.global ? 1 : 0) << 4) | symType[s.type];
    dv.setUint16(at + 6, s.type === 'file' ? ELF.SHN_ABS : shndx(s.section), true);
    dv.setBigUint64(at + 8, BigInt.asUintN(64, s.value), true);
    dv.setBigUint64(at + 16, BigInt(s.size), true);
  });
  return { data, firstGlobal: 1 + syms.filter((s) => !s.global).length };
}

/** The ELF file for an image laid out by assemble(). */
export function writeElf(img: Image): Uint8Array {
  const shstr = new StrTab();
  const strtab = new StrTab();
  const nSec = img.sections.length;
  const symIdx = nSec + 1;
  const secIndex = new Map(img.sections.map((s, i) => [s.name, i + 1]));
  const sym = symtab(img, strtab, (name) => (name === null ? ELF.SHN_ABS : (secIndex.get(name) ?? ELF.SHN_ABS)));
  for (const n of ['.symtab', '.strtab', '.shstrtab']) shstr.add(n);
  const names = img.sections.map((s) => shstr.add(s.name));
  const [nSymtab, nStrtab, nShstrtab] = ['.symtab', '.strtab', '.shstrtab'].map((n) => shstr.add(n));

  let end = ELF.EHDR + ELF.PHDR * img.segments.length;
  for (const s of img.sections) if (!s.nobits) end = Math.max(end, s.fileOffset + s.data.length);
  const symOff = Math.ceil(end / 8) * 8;
  const strOff = symOff + sym.data.length;
  const shstrOff = strOff + strtab.bytes.length;
  const shOff = Math.ceil((shstrOff + shstr.bytes.length) / 8) * 8;
  const shnum = nSec + 4;
  const out = new Uint8Array(shOff + shnum * ELF.SHDR);
  const dv = new DataView(out.buffer);

  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  dv.setUint16(16, ELF.ET_EXEC, true);
  dv.setUint16(18, ELF.EM_X86_64, true);
  dv.setUint32(20, 1, true);
  dv.setBigUint64(24, BigInt.asUintN(64, img.entry), true);
  dv.setBigUint64(32, BigInt(ELF.EHDR), true);
  dv.setBigUint64(40, BigInt(shOff), true);
  dv.setUint16(52, ELF.EHDR, true);
  dv.setUint16(54, ELF.PHDR, true);
  dv.setUint16(56, img.segments.length, true);
  dv.setUint16(58, ELF.SHDR, true);
  dv.setUint16(60, shnum, true);
  dv.setUint16(62, shnum - 1, true);

  img.segments.forEach((p, i) => {
    const at = ELF.EHDR + i * ELF.PHDR;
    dv.setUint32(at, p.type === 'load' ? ELF.PT_LOAD : ELF.PT_GNU_STACK, true);
    dv.setUint32(at + 4, (p.flags.x ? 1 : 0) | (p.flags.w ? 2 : 0) | (p.flags.r ? 4 : 0), true);
    dv.setBigUint64(at + 8, BigInt(p.offset), true);
    dv.setBigUint64(at + 16, BigInt.asUintN(64, p.vaddr), true);
    dv.setBigUint64(at + 24, BigInt.asUintN(64, p.vaddr), true);
    dv.setBigUint64(at + 32, BigInt(p.filesz), true);
    dv.setBigUint64(at + 40, BigInt(p.memsz), true);
    dv.setBigUint64(at + 48, BigInt(p.align), true);
  });

  for (const s of img.sections) if (!s.nobits) out.set(s.data, s.fileOffset);
  out.set(sym.data, symOff);
  out.set(strtab.bytes, strOff);
  out.set(shstr.bytes, shstrOff);

  const shdr = (i: number, name: number, type: number, flags: number, addr: bigint, off: number, size: number, link: number, info: number, align: number, entsize: number) => {
    const at = shOff + i * ELF.SHDR;
    dv.setUint32(at, name, true);
    dv.setUint32(at + 4, type, true);
    dv.setBigUint64(at + 8, BigInt(flags), true);
    dv.setBigUint64(at + 16, BigInt.asUintN(64, addr), true);
    dv.setBigUint64(at + 24, BigInt(off), true);
    dv.setBigUint64(at + 32, BigInt(size), true);
    dv.setUint32(at + 40, link, true);
    dv.setUint32(at + 44, info, true);
    dv.setBigUint64(at + 48, BigInt(align), true);
    dv.setBigUint64(at + 56, BigInt(entsize), true);
  };
  img.sections.forEach((s, i) => {
    const flags = (s.flags.write ? ELF.SHF_WRITE : 0) | (s.flags.alloc ? ELF.SHF_ALLOC : 0) | (s.flags.exec ? ELF.SHF_EXECINSTR : 0);
    shdr(i + 1, names[i], s.nobits ? ELF.SHT_NOBITS : ELF.SHT_PROGBITS, flags, s.addr, s.fileOffset, s.size, 0, 0, s.align, 0);
  });
  shdr(symIdx, nSymtab, ELF.SHT_SYMTAB, 0, 0n, symOff, sym.data.length, symIdx + 1, sym.firstGlobal, 8, ELF.SYM);
  shdr(symIdx + 1, nStrtab, ELF.SHT_STRTAB, 0, 0n, strOff, strtab.bytes.length, 0, 0, 1, 0);
  shdr(symIdx + 2, nShstrtab, ELF.SHT_STRTAB, 0, 0n, shstrOff, shstr.bytes.length, 0, 0, 1, 0);
  return out;
}
