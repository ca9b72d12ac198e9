# bss.s: zero-initialised data in .bss.
# Shows: a large .bss array (no bytes in the file, memsz > filesz in the RW segment), that it
# reads as zero, filling it with a pattern and reading it back, .zero and .comm-free layout.
# Look for: "bss ok" on stdout and exit status 0; readelf shows .bss as NOBITS.

        .globl  _start
        .text
_start:
        leaq    table(%rip), %rbx
        xorl    %ecx, %ecx
        xorl    %eax, %eax
1:      orq     (%rbx,%rcx,8), %rax     # everything starts as zero
        incq    %rcx
        cmpq    $entries, %rcx
        jne     1b
        testq   %rax, %rax
        jnz     fail

        xorl    %ecx, %ecx
2:      movq    %rcx, %rdx
        imulq   $3, %rdx
        movq    %rdx, (%rbx,%rcx,8)     # table[i] = 3*i
        incq    %rcx
        cmpq    $entries, %rcx
        jne     2b

        movq    (entries-1)*8(%rbx), %rax
        cmpq    $3*(entries-1), %rax
        jne     fail
        cmpq    $0, counter(%rip)
        jne     fail

        movl    $1, %eax
        movl    $1, %edi
        leaq    ok(%rip), %rsi
        movl    $7, %edx
        syscall
        movl    $60, %eax
        xorl    %edi, %edi
        syscall
fail:
        movl    $60, %eax
        movl    $1, %edi
        syscall

        .section .rodata
ok:     .ascii  "bss ok\n"

        .bss
        entries = 20000
counter: .zero  8
        .p2align 3
table:  .skip   entries * 8

        .section .note.GNU-stack,"",@progbits
