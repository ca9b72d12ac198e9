// The ELF64 writer and reader, in one place for their users (assembler, kernel exec, disassembler).
export { writeElf, ELF } from './elf-write.js';
export { readElf, type ElfFile, type ElfHeader, type ElfProgramHeader, type ElfSectionHeader, type ElfSymbol } from './elf-read.js';
