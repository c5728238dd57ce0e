/* The firmware's <limits.h>, only for Duktape: GCC's own, told that there is no C library's to
 * chain to (GCC's header otherwise #include_next's one). */
#ifndef PF_LIBC_LIMITS_H
#define PF_LIBC_LIMITS_H
#define _LIBC_LIMITS_H_
#include_next <limits.h>
#endif
