/* The firmware's <stdlib.h>, only for Duktape: empty. Memory comes through the heap's allocator
 * (common/pac.c) and fatal errors through its fatal handler, so no malloc or abort is needed. */
#ifndef PF_LIBC_STDLIB_H
#define PF_LIBC_STDLIB_H
#include <stddef.h>
#endif
