# p2align.s: alignment padding in code.
# Shows: .p2align between functions and before a loop head, padded with the multi-byte NOPs GNU as
# uses (0f 1f ...), .p2align with a max-skip, .balign, and that execution runs straight through
# the padding.
# Look for: exit status 21 (each aligned function adds to the total).

        .globl  _start
        .text
_start:
        xorl    %eax, %eax
        call    add_one
        nop                             # padding below must be executed safely
        .p2align 4
        addl    $2, %eax                # falls through aligned NOPs
        call    add_three
        call    loop_five
        .p2align 5,,7                   # skipped if more than 7 bytes are needed
        addl    $10, %eax
        movl    %eax, %edi
        movl    $60, %eax
        syscall

        .p2align 4
add_one:
        incl    %eax
        ret

        .balign 16
add_three:
        addl    $3, %eax
        ret

        .p2align 6
loop_five:
        movl    $5, %ecx
        .p2align 4
1:      incl    %eax
        decl    %ecx
        jnz     1b
        ret

        .section .note.GNU-stack,"",@progbits
