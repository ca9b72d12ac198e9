// The assembled program, laid out: what the ELF writer writes and what the kernel's loader reads.

export interface ImageSectionFlags {
  alloc: boolean;
  write: boolean;
  exec: boolean;
}

export interface ImageSection {
  name: string;
  addr: bigint;
  size: number;
  flags: ImageSectionFlags;
  data: Uint8Array; // empty for NOBITS
  nobits: boolean;
  align: number;
  fileOffset: number; // where the writer puts it (sh_offset)
}

export interface ImageSymbol {
  name: string;
  value: bigint;
  /** Output section name, or null for an absolute symbol. */
  section: string | null;
  global: boolean;
  type: 'notype' | 'func' | 'object' | 'file';
  size: number;
}

export interface ImageSegment {
  type: 'load' | 'gnu-stack';
  flags: { r: boolean; w: boolean; x: boolean };
  offset: number;
  vaddr: bigint;
  filesz: number;
  memsz: number;
  align: number;
}

export interface Image {
  entry: bigint;
  sections: ImageSection[];
  symbols: ImageSymbol[];
  segments: ImageSegment[];
}
