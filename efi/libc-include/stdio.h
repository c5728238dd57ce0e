/* The firmware's <stdio.h>, only for Duktape: formatting into memory, by common/fmt.c (efi/libc.c). */
#ifndef PF_LIBC_STDIO_H
#define PF_LIBC_STDIO_H
#include <stdarg.h>
#include <stddef.h>
int snprintf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
int sprintf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#endif
