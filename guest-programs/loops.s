# loops.s: counted loops and printing a number in decimal.
# Shows: a sum loop with cmp/jle, division by 10 (divq) to turn
# the sum into digits, built backwards in a stack buffer.
# Look for: "sum 1..100 = 5050" and exit status 186 (5050 mod 256).

        .globl  _start
        .text
_start:
        xorl    %ebx, %ebx              # sum
        movl    $1, %ecx                # i
.Lsum:
        addq    %rcx, %rbx
        incq    %rcx
        cmpq    $100, %rcx
        jle     .Lsum

        leaq    prefix(%rip), %rsi
        movl    $prefix_len, %edx
        call    write_out

        movq    %rbx, %rax
        call    print_decimal

        movq    %rbx, %rdi              # exit status: 5050 & 0xff = 186
        movl    $60, %eax
        syscall

# print_decimal: write %rax in decimal followed by a newline.
print_decimal:
        subq    $32, %rsp
        leaq    31(%rsp), %rsi          # fill from the end
        movb    $10, (%rsi)
        movq    $10, %rcx
.Ldigit:
        xorl    %edx, %edx
        divq    %rcx                    # rax = rax / 10, rdx = digit
        addb    $'0', %dl
        decq    %rsi
        movb    %dl, (%rsi)
        testq   %rax, %rax
        jnz     .Ldigit
        leaq    32(%rsp), %rdx
        subq    %rsi, %rdx              # length = end - start
        call    write_out
        addq    $32, %rsp
        ret

# write_out: write(1, %rsi, %rdx)
write_out:
        movl    $1, %eax
        movl    $1, %edi
        syscall
        ret

        .section .rodata
prefix: .ascii  "sum 1..100 = "
        prefix_len = . - prefix

        .section .note.GNU-stack,"",@progbits
