/* The firmware's <setjmp.h>, only for Duktape: gnu-efi's setjmp/longjmp (libefi's setjmp.S, System V
 * calling convention: they save rbx, rsp, rbp, r12-r15 and the return address, all that the caller's
 * convention needs). */
#ifndef PF_LIBC_SETJMP_H
#define PF_LIBC_SETJMP_H
#include <efibind.h>
#include <efisetjmp.h>
#endif
