# strings.s: byte-by-byte string handling.
# Shows: strlen with a loop over a NUL-terminated .asciz string, reversing a string in place in
# .data, upper-casing with a range check (cmpb/ja/subb), movzbl byte loads, .string escapes.
# Look for: "DLROW OLLEH" then "tab:\tquote:\"" on stdout; exit status 11 (the length).

        .globl  _start
        .text
_start:
        leaq    text(%rip), %rdi
        call    strlen
        movq    %rax, %r12              # keep the length

        leaq    text(%rip), %rsi        # reverse in place
        leaq    -1(%rsi,%rax), %rdi
1:      cmpq    %rdi, %rsi
        jae     2f
        movzbl  (%rsi), %eax
        movzbl  (%rdi), %edx
        movb    %dl, (%rsi)
        movb    %al, (%rdi)
        incq    %rsi
        decq    %rdi
        jmp     1b

2:      leaq    text(%rip), %rsi        # upper-case a..z
3:      movzbl  (%rsi), %eax
        testb   %al, %al
        jz      4f
        subb    $'a', %al
        cmpb    $'z' - 'a', %al
        ja      5f
        subb    $0x20, (%rsi)
5:      incq    %rsi
        jmp     3b

4:      movb    $10, (%rsi)             # replace the NUL by a newline and print
        leaq    text(%rip), %rsi
        leaq    1(%r12), %rdx
        call    print
        leaq    escapes(%rip), %rdi
        call    strlen
        movq    %rax, %rdx
        leaq    escapes(%rip), %rsi
        call    print

        movq    %r12, %rdi
        movl    $60, %eax
        syscall

# strlen(%rdi) -> %rax
strlen:
        movq    %rdi, %rax
1:      cmpb    $0, (%rax)
        je      2f
        incq    %rax
        jmp     1b
2:      subq    %rdi, %rax
        ret

# print(%rsi, %rdx)
print:
        movl    $1, %eax
        movl    $1, %edi
        syscall
        ret

        .data
text:   .asciz  "hello world"
        .section .rodata
escapes: .string "tab:\tquote:\"\n"

        .section .note.GNU-stack,"",@progbits
