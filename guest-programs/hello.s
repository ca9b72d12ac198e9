# hello.s: the smallest complete program.
# Shows: write(2) to stdout through the syscall instruction, RIP-relative addressing of a string
# in .rodata, an assemble-time constant (len = . - msg), and exit(0) via syscall 60.
# Look for: "Hello, world!" on stdout and exit status 0.

        .globl  _start
        .text
_start:
        movl    $1, %eax                # write(
        movl    $1, %edi                #   fd 1,
        leaq    msg(%rip), %rsi         #   buffer,
        movl    $len, %edx              #   length)
        syscall
        movl    $60, %eax               # exit(0)
        xorl    %edi, %edi
        syscall

        .section .rodata
msg:    .ascii  "Hello, world!\n"
        len = . - msg

        .section .note.GNU-stack,"",@progbits
