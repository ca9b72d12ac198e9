# recursion.s: calls, recursion and the stack.
# Shows: a recursive fib(n) that saves registers with push/pop and keeps the stack 16-byte
# aligned, a recursive factorial using imul, and returning a value through %rax.
# Look for: exit status 89 (fib(10) = 55, plus factorial(5) = 120 mod 86 = 34: 55 + 34).

        .globl  _start
        .text
_start:
        movl    $10, %edi
        call    fib                     # 55
        movq    %rax, %rbx
        movl    $5, %edi
        call    fact                    # 120
        xorl    %edx, %edx
        movl    $86, %ecx
        divq    %rcx                    # 120 mod 86 = 34
        leaq    (%rbx,%rdx), %rdi       # 55 + 34 = 89
        movl    $60, %eax
        syscall

# fib(n) = n < 2 ? n : fib(n-1) + fib(n-2)
fib:
        cmpq    $2, %rdi
        jl      .Lsmall
        pushq   %rbx
        pushq   %rbp
        subq    $8, %rsp
        movq    %rdi, %rbp
        leaq    -1(%rdi), %rdi
        call    fib
        movq    %rax, %rbx
        leaq    -2(%rbp), %rdi
        call    fib
        addq    %rbx, %rax
        addq    $8, %rsp
        popq    %rbp
        popq    %rbx
        ret
.Lsmall:
        movq    %rdi, %rax
        ret

# fact(n) = n <= 1 ? 1 : n * fact(n-1)
fact:
        movl    $1, %eax
        cmpq    $1, %rdi
        jle     1f
        pushq   %rdi
        decq    %rdi
        call    fact
        popq    %rdi
        imulq   %rdi, %rax
1:      ret

        .section .note.GNU-stack,"",@progbits
