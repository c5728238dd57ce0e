/* The firmware's <inttypes.h>, only for Duktape: it wants the integer types, not the PRI macros. */
#ifndef PF_LIBC_INTTYPES_H
#define PF_LIBC_INTTYPES_H
#include <stdint.h>
#endif
