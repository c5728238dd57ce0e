/* The firmware's <time.h>, only for Duktape: empty. Date's clock and zone come from the PAC
 * environment (DUK_USE_DATE_GET_NOW in common/pac_duk_config.h). */
#ifndef PF_LIBC_TIME_H
#define PF_LIBC_TIME_H
#endif
