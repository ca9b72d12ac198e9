// ELF64 little-endian reader for the kernel's exec and the disassembler. Every offset and size is
// checked against the file: a malformed file gives an error message, never an exception.

export interface ElfHeader {
  type: number;
  machine: number;
  entry: bigint;
  phoff: number;
  shoff: number;
  phnum: number;
  shnum: number;
  shstrndx: number;
}

export interface ElfProgramHeader {
  type: number; // 1 PT_LOAD, 0x6474e551 PT_GNU_STACK, ...
  flags: number; // PF_X 1, PF_W 2, PF_R 4
  offset: number;
  vaddr: bigint;
  filesz: number;
  memsz: number;
  align: number;
}

export interface ElfSectionHeader {
  name: string;
  type: number;
  flags: number;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

export interface ElfSymbol {
  name: string;
  value: bigint;
  size: number;
  type: number; // STT_NOTYPE 0, OBJECT 1, FUNC 2, SECTION 3, FILE 4
  bind: number; // STB_LOCAL 0, GLOBAL 1, WEAK 2
  shndx: number;
  section: string | null; // name of the section it is defined in, null if absolute/undefined
}

export interface ElfFile {
  header: ElfHeader;
  programHeaders: ElfProgramHeader[];
  sections: ElfSectionHeader[];
  symbols: ElfSymbol[];
  bytes: Uint8Array;
}

class Bad extends Error {}

class Reader {
  private dv: DataView;
  constructor(readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  check(off: number, len: number, what: string): void {
    if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > this.b.length) {
      throw new Bad(`${what} lies outside the file (offset ${off}, size ${len}, file size ${this.b.length})`);
    }
  }
  u8 = (o: number) => this.b[o];
  u16 = (o: number) => this.dv.getUint16(o, true);
  u32 = (o: number) => this.dv.getUint32(o, true);
  u64 = (o: number) => this.dv.getBigUint64(o, true);
  /** A 64-bit size or offset that must fit a JS number. */
  num(o: number, what: string): number {
    const v = this.u64(o);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Bad(`${what} is too large (0x${v.toString(16)})`);
    return Number(v);
  }
  cstr(off: number, limit: number): string {
    let end = off;
    while (end < limit && this.b[end] !== 0) end++;
    if (end >= limit) throw new Bad(`string at offset ${off} is not terminated`);
    return new TextDecoder().decode(this.b.subarray(off, end));
  }
}

function header(r: Reader): ElfHeader {
  r.check(0, 64, 'ELF header');
  if (r.u8(0) !== 0x7f || r.u8(1) !== 0x45 || r.u8(2) !== 0x4c || r.u8(3) !== 0x46) throw new Bad('not an ELF file (bad magic)');
  if (r.u8(4) !== 2) throw new Bad('not a 64-bit ELF file');
  if (r.u8(5) !== 1) throw new Bad('not a little-endian ELF file');
  const h: ElfHeader = {
    type: r.u16(16),
    machine: r.u16(18),
    entry: r.u64(24),
    phoff: r.num(32, 'e_phoff'),
    shoff: r.num(40, 'e_shoff'),
    phnum: r.u16(56),
    shnum: r.u16(60),
    shstrndx: r.u16(62),
  };
  if (h.phnum > 0 && r.u16(54) !== 56) throw new Bad(`bad program header size ${r.u16(54)}`);
  if (h.shnum > 0 && r.u16(58) !== 64) throw new Bad(`bad section header size ${r.u16(58)}`);
  return h;
}

function programHeaders(r: Reader, h: ElfHeader): ElfProgramHeader[] {
  r.check(h.phoff, h.phnum * 56, 'program header table');
  const out: ElfProgramHeader[] = [];
  for (let i = 0; i < h.phnum; i++) {
    const at = h.phoff + i * 56;
    const p: ElfProgramHeader = {
      type: r.u32(at),
      flags: r.u32(at + 4),
      offset: r.num(at + 8, 'p_offset'),
      vaddr: r.u64(at + 16),
      filesz: r.num(at + 32, 'p_filesz'),
      memsz: r.num(at + 40, 'p_memsz'),
      align: r.num(at + 48, 'p_align'),
    };
    if (p.type === 1) {
      r.check(p.offset, p.filesz, `segment ${i}`);
      if (p.filesz > p.memsz) throw new Bad(`segment ${i}: file size larger than memory size`);
    }
    out.push(p);
  }
  return out;
}

function sectionHeaders(r: Reader, h: ElfHeader): ElfSectionHeader[] {
  if (h.shnum === 0) return [];
  r.check(h.shoff, h.shnum * 64, 'section header table');
  const raw = [];
  for (let i = 0; i < h.shnum; i++) {
    const at = h.shoff + i * 64;
    raw.push({
      nameOff: r.u32(at),
      type: r.u32(at + 4),
      flags: Number(r.u64(at + 8) & 0xffffffffn),
      addr: r.u64(at + 16),
      offset: r.num(at + 24, 'sh_offset'),
      size: r.num(at + 32, 'sh_size'),
      link: r.u32(at + 40),
      info: r.u32(at + 44),
      addralign: r.num(at + 48, 'sh_addralign'),
      entsize: r.num(at + 56, 'sh_entsize'),
    });
  }
  const strs = raw[h.shstrndx];
  if (h.shstrndx !== 0 && !strs) throw new Bad(`section name table index ${h.shstrndx} out of range`);
  if (strs) r.check(strs.offset, strs.size, 'section name table');
  return raw.map((s, i) => {
    if (s.type !== 8 && s.type !== 0) r.check(s.offset, s.size, `section ${i}`);
    let name = '';
    if (strs && i !== 0) {
      if (s.nameOff >= strs.size) throw new Bad(`section ${i}: name offset out of range`);
      name = r.cstr(strs.offset + s.nameOff, strs.offset + strs.size);
    }
    const { nameOff: _unused, ...rest } = s;
    return { name, ...rest };
  });
}

function symbols(r: Reader, secs: ElfSectionHeader[]): ElfSymbol[] {
  const tab = secs.find((s) => s.type === 2);
  if (!tab) return [];
  const strs = secs[tab.link];
  if (!strs || strs.type !== 3) throw new Bad('symbol table has no string table');
  const out: ElfSymbol[] = [];
  for (let at = tab.offset + 24; at + 24 <= tab.offset + tab.size; at += 24) {
    const nameOff = r.u32(at);
    if (nameOff >= Math.max(strs.size, 1)) throw new Bad('symbol name offset out of range');
    const info = r.u8(at + 4);
    const shndx = r.u16(at + 6);
    out.push({
      name: strs.size ? r.cstr(strs.offset + nameOff, strs.offset + strs.size) : '',
      value: r.u64(at + 8),
      size: r.num(at + 16, 'st_size'),
      type: info & 15,
      bind: info >> 4,
      shndx,
      section: shndx > 0 && shndx < secs.length ? secs[shndx].name : null,
    });
  }
  return out;
}

/** Parse an ELF64 file; a string says what is wrong with it. */
export function readElf(bytes: Uint8Array): ElfFile | string {
  try {
    const r = new Reader(bytes);
    const h = header(r);
    const programHeaders_ = programHeaders(r, h);
    const sections = sectionHeaders(r, h);
    return { header: h, programHeaders: programHeaders_, sections, symbols: symbols(r, sections), bytes };
  } catch (err) {
    if (err instanceof Bad) return err.message;
    if (err instanceof RangeError || err instanceof TypeError) return `malformed ELF file (${err.message})`;
    throw err;
  }
}
