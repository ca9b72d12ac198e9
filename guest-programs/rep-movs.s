# rep-movs.s: string instructions with the rep prefix.
# Shows: rep stosq to fill a buffer 8 bytes at a time, rep movsb to copy bytes (both with cld),
# the `rep; stosb` spelling, and printing the result.
# Look for: "copied: Hello from rep movsb!" then a line of 16 '=' characters; exit status 0.

        .globl  _start
        .text
_start:
        cld
        leaq    buf(%rip), %rdi         # fill buf with '.' (8 at a time)
        movabsq $0x2e2e2e2e2e2e2e2e, %rax
        movl    $8, %ecx
        rep stosq

        leaq    src(%rip), %rsi         # copy the message over the dots
        leaq    buf(%rip), %rdi
        movl    $srclen, %ecx
        rep movsb

        leaq    line(%rip), %rdi        # 16 '=' and a newline
        movb    $'=', %al
        movl    $16, %ecx
        rep; stosb
        movb    $10, (%rdi)

        movl    $1, %eax
        movl    $1, %edi
        leaq    buf(%rip), %rsi
        movl    $srclen, %edx
        syscall
        movl    $1, %eax
        movl    $1, %edi
        leaq    line(%rip), %rsi
        movl    $17, %edx
        syscall

        movl    $60, %eax
        xorl    %edi, %edi
        syscall

        .section .rodata
src:    .ascii  "copied: Hello from rep movsb!\n"
        srclen = . - src

        .bss
        .p2align 4
buf:    .skip   64
line:   .skip   32

        .section .note.GNU-stack,"",@progbits
