// faultline disasm PROG: print an ELF's code as `objdump -d` does (AT&T syntax), decoding the
// file's bytes with the CPU's own instruction decoder.

import { parseArgs, UsageError } from '../usage.js';
import { readElf, type ElfFile } from '../../asm/elf.js';
import { formatObjdump, type ListingSection, type ListingSymbol } from '../../vm/disasm-listing.js';
import { readInput } from '../read-input.js';

export const HELP = `usage: faultline disasm FILE

Disassemble the code sections (.text) of an x86-64 ELF file in AT&T syntax, laid out as
\`objdump -d FILE\` prints it: a line per symbol, then address, bytes and instruction, with
branch targets and RIP-relative addresses named after the nearest symbol.

options:
  -h, --help          show this help
`;

const SHT_PROGBITS = 1;
const SHF_EXECINSTR = 4;
const SHN_UNDEF = 0;
const SHN_ABS = 0xfff1;
const SHN_COMMON = 0xfff2;
const STT_SECTION = 3;
const STT_FILE = 4;
const ET_REL = 1;

/** The executable sections, in file order, or an error message. */
export function codeSections(elf: ElfFile): ListingSection[] | string {
  const out: ListingSection[] = [];
  elf.sections.forEach((s, index) => {
    if (s.type !== SHT_PROGBITS || (s.flags & SHF_EXECINSTR) === 0 || s.size === 0) return;
    out.push({ name: s.name, index, addr: Number(s.addr), bytes: elf.bytes.subarray(s.offset, s.offset + s.size) });
  });
  if (out.length === 0) return 'no .text section (no executable code in the file)';
  const huge = out.find((s) => !Number.isSafeInteger(s.addr + s.bytes.length));
  if (huge !== undefined) return `section ${huge.name} lies above the addresses faultline can show`;
  return out;
}

/** The symbols objdump uses for names: not section, file, undefined or common symbols. */
export function listingSymbols(elf: ElfFile): ListingSymbol[] {
  return elf.symbols
    .filter((s) => s.name !== '' && s.type !== STT_SECTION && s.type !== STT_FILE && s.shndx !== SHN_UNDEF && s.shndx !== SHN_COMMON)
    .filter((s) => Number.isSafeInteger(Number(s.value)))
    .map((s) => ({
      name: s.name, addr: Number(s.value), section: s.shndx === SHN_ABS ? -1 : s.shndx, size: s.size,
      func: s.type === 2, object: s.type === 1, global: s.bind === 1, local: s.bind === 0,
    }));
}

/** `objdump -d` text for an ELF file's bytes, or an error message. */
export function disassembleElf(fileName: string, bytes: Uint8Array): string | { error: string } {
  const magic = bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
  if (!magic) return { error: 'not an ELF file (bad magic)' };
  const elf = readElf(bytes);
  if (typeof elf === 'string') return { error: elf };
  if (elf.header.machine !== 62) return { error: `not an x86-64 ELF file (machine ${elf.header.machine})` };
  const sections = codeSections(elf);
  if (typeof sections === 'string') return { error: sections };
  return formatObjdump(fileName, sections, listingSymbols(elf), elf.header.type === ET_REL);
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { boolean: ['help', 'h'] });
  if (args.flags.has('help') || args.flags.has('h')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positional.length !== 1) throw new UsageError('disasm needs exactly one ELF file (try faultline disasm --help)');
  const file = args.positional[0];
  const bytes = readInput(file);
  if (bytes === null) return 1;
  const r = disassembleElf(file, bytes);
  if (typeof r !== 'string') {
    process.stderr.write(`faultline: ${file}: ${r.error}\n`);
    return 1;
  }
  process.stdout.write(r);
  return 0;
}
