/* printf-style formatting without libc: the subset common/ and efi/ need, checked against libc in the tests. */
#ifndef PF_FMT_H
#define PF_FMT_H

#include "pf.h"

/*
 * Supports %s %c %d %i %u %x %X %p %% with flags '-' and '0', a width, a precision for %s
 * (also '*'), and the length modifiers hh h l ll z. Always NUL-terminates when cap > 0 and
 * returns the length the full output would have (as C99 snprintf does).
 */
size_t pf_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
size_t pf_snprintf(char *buf, size_t cap, const char *fmt, ...) PF_PRINTF(3, 4);

#endif
