# exit-group.s: pushing and popping, conditional moves and setcc, exit_group.
# Shows: a stack used as a scratch array (push in a loop, pop back in reverse), cmov to keep a
# maximum, setcc to count, and leaving through exit_group (syscall 231) with a computed status.
# Look for: exit status 97 (the maximum 93 plus 4 values above 50).

        .globl  _start
        .text
_start:
        leaq    values(%rip), %rsi
        movl    $nvalues, %ecx
1:      pushq   (%rsi)
        addq    $8, %rsi
        decl    %ecx
        jnz     1b

        xorl    %ebx, %ebx              # maximum
        xorl    %r8d, %r8d              # how many above 50
        movl    $nvalues, %ecx
2:      popq    %rax
        cmpq    %rbx, %rax
        cmovgq  %rax, %rbx
        cmpq    $50, %rax
        setg    %dl
        movzbl  %dl, %edx
        addl    %edx, %r8d
        decl    %ecx
        jnz     2b

        leal    (%rbx,%r8), %edi
        movl    $231, %eax
        syscall

        .data
values: .quad   12, 93, 51, 7, 88, 50, 64, 3
        nvalues = (. - values) / 8

        .section .note.GNU-stack,"",@progbits
