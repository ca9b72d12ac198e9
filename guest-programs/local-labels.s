# local-labels.s: numeric local labels.
# Shows: `1:` defined many times, `1b` (the nearest one before) and `1f` (the next one after),
# nested loops with labels 1 and 2, and forward jumps that GNU as relaxes to the short form.
# Look for: a 4x6 rectangle of '*' printed, then exit status 24 (the number of stars).

        .globl  _start
        .text
_start:
        xorl    %r12d, %r12d            # stars printed
        movl    $4, %r13d               # rows
1:      movl    $6, %r14d               # columns
2:      leaq    star(%rip), %rsi
        call    put
        incl    %r12d
        decl    %r14d
        jnz     2b
        leaq    newline(%rip), %rsi
        call    put
        decl    %r13d
        jnz     1b
        jmp     1f                      # over the unreachable exit(1)
        movl    $1, %edi
        movl    $60, %eax
        syscall
1:      movl    %r12d, %edi
        movl    $60, %eax
        syscall

# put: write the one byte at %rsi
put:
        movl    $1, %eax
        movl    $1, %edi
        movl    $1, %edx
        syscall
        testq   %rax, %rax
        js      1f
        ret
1:      ud2                             # a failed write: stop here

        .section .rodata
star:   .byte   '*'
newline: .byte  10

        .section .note.GNU-stack,"",@progbits
