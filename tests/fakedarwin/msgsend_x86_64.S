/* msgsend_x86_64.S: objc_msgSend for the fake Objective-C runtime (x86-64
 * System V, Linux; tests only).
 *
 * A message to nil returns zero (rax, rdx, xmm0, xmm1), as on Apple
 * platforms. Otherwise the six integer argument registers, rax (the vector
 * register count of a variadic call) and xmm0-xmm7 are saved, the C function
 * fake_objc_lookup(self, _cmd) finds the method (or aborts naming class and
 * selector), the registers are restored and the trampoline jumps to the
 * method with the caller's stack untouched, so stack-passed arguments and the
 * return address are exactly those of the typed call in the bridge. */
        .text
        .globl  objc_msgSend
        .type   objc_msgSend, @function
objc_msgSend:
        .cfi_startproc
        test    %rdi, %rdi
        jz      1f
        push    %rbp
        .cfi_def_cfa_offset 16
        .cfi_offset %rbp, -16
        mov     %rsp, %rbp
        .cfi_def_cfa_register %rbp
        sub     $208, %rsp              /* 16-byte aligned for the call below */
        mov     %rdi, 0(%rsp)
        mov     %rsi, 8(%rsp)
        mov     %rdx, 16(%rsp)
        mov     %rcx, 24(%rsp)
        mov     %r8, 32(%rsp)
        mov     %r9, 40(%rsp)
        mov     %rax, 48(%rsp)
        movdqa  %xmm0, 64(%rsp)
        movdqa  %xmm1, 80(%rsp)
        movdqa  %xmm2, 96(%rsp)
        movdqa  %xmm3, 112(%rsp)
        movdqa  %xmm4, 128(%rsp)
        movdqa  %xmm5, 144(%rsp)
        movdqa  %xmm6, 160(%rsp)
        movdqa  %xmm7, 176(%rsp)
        call    fake_objc_lookup        /* (rdi = self, rsi = _cmd) -> rax = IMP */
        mov     %rax, %r11
        mov     0(%rsp), %rdi
        mov     8(%rsp), %rsi
        mov     16(%rsp), %rdx
        mov     24(%rsp), %rcx
        mov     32(%rsp), %r8
        mov     40(%rsp), %r9
        mov     48(%rsp), %rax
        movdqa  64(%rsp), %xmm0
        movdqa  80(%rsp), %xmm1
        movdqa  96(%rsp), %xmm2
        movdqa  112(%rsp), %xmm3
        movdqa  128(%rsp), %xmm4
        movdqa  144(%rsp), %xmm5
        movdqa  160(%rsp), %xmm6
        movdqa  176(%rsp), %xmm7
        leave
        .cfi_def_cfa %rsp, 8
        jmp     *%r11
1:
        xor     %eax, %eax
        xor     %edx, %edx
        pxor    %xmm0, %xmm0
        pxor    %xmm1, %xmm1
        ret
        .cfi_endproc
        .size   objc_msgSend, .-objc_msgSend
        .section .note.GNU-stack,"",@progbits
