/* The firmware's <math.h>, only for Duktape: empty. common/pac_duk_config.h points Duktape's math
 * macros at common/pfmath.c, and without FP_NAN and friends Duktape uses its own classification. */
#ifndef PF_LIBC_MATH_H
#define PF_LIBC_MATH_H
#endif
