# jump-table.s: a switch statement compiled to a jump table.
# Shows: an indirect jump through a table of code addresses (jmp *table(,%rax,8)), a bounds
# check before it, .quad entries holding labels, and exit_group (syscall 231).
# Look for: "two\nzero\nfour\nother\n" on stdout and exit status 3.

        .globl  _start
        .text
_start:
        xorl    %r12d, %r12d            # index into the inputs
next:
        movzbl  inputs(%r12), %eax
        cmpb    $0xff, %al
        je      done
        incq    %r12
        cmpq    $4, %rax
        ja      other
        jmp     *table(,%rax,8)

case0:  leaq    s0(%rip), %rsi
        movl    $5, %edx
        jmp     say
case2:  leaq    s2(%rip), %rsi
        movl    $4, %edx
        jmp     say
case4:  leaq    s4(%rip), %rsi
        movl    $5, %edx
        jmp     say
other:  leaq    so(%rip), %rsi
        movl    $6, %edx
say:    movl    $1, %eax
        movl    $1, %edi
        syscall
        jmp     next

done:   movl    $231, %eax              # exit_group(3)
        movl    $3, %edi
        syscall

        .section .rodata
        .p2align 3
table:  .quad   case0, other, case2, other, case4
inputs: .byte   2, 0, 4, 7, 0xff
s0:     .ascii  "zero\n"
s2:     .ascii  "two\n"
s4:     .ascii  "four\n"
so:     .ascii  "other\n"

        .section .note.GNU-stack,"",@progbits
