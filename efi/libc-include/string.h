/* The firmware's <string.h>, only for Duktape (efi/libc-include: see efi/libc.c). memcpy and memset
 * come from gnu-efi's libefi, the rest from efi/libc.c. */
#ifndef PF_LIBC_STRING_H
#define PF_LIBC_STRING_H
#include <stddef.h>
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
#endif
