# data-tables.s: tables of every width in .data and .rodata.
# Shows: .quad/.long/.short/.byte tables, label differences as element counts, scaled-index
# addressing (table(,%rcx,8)), sign- and zero-extending loads (movslq, movzwl, movsbq), and
# .quad holding addresses of other labels.
# Look for: exit status 42: the sums below combine to 42.

        .globl  _start
        .text
_start:
        xorl    %eax, %eax              # running total
        xorl    %ecx, %ecx
1:      addq    quads(,%rcx,8), %rax    # 1+2+3+4 = 10
        incq    %rcx
        cmpq    $nquads, %rcx
        jne     1b

        leaq    longs(%rip), %rsi
        xorl    %ecx, %ecx
2:      movslq  (%rsi,%rcx,4), %rdx     # -5 + 20 = 15
        addq    %rdx, %rax
        incq    %rcx
        cmpq    $nlongs, %rcx
        jne     2b

        movzwl  shorts+2(%rip), %edx    # 7
        addq    %rdx, %rax
        movsbq  bytes+1(%rip), %rdx     # -3
        addq    %rdx, %rax

        movq    pointers+8(%rip), %rsi  # address of the 13 below
        addq    (%rsi), %rax            # 10 + 15 + 7 - 3 + 13 = 42
        movq    %rax, %rdi
        movl    $60, %eax
        syscall

        .data
quads:  .quad   1, 2, 3, 4
        nquads = (. - quads) / 8
        .p2align 2
longs:  .long   -5, 20
        .set    nlongs, (. - longs) / 4
shorts: .short  1, 7, 0xffff
bytes:  .byte   9, -3, 'a, 0b101
        .p2align 3
pointers:
        .quad   quads, thirteen, bytes

        .section .rodata
        .p2align 3
thirteen:
        .quad   13

        .section .note.GNU-stack,"",@progbits
