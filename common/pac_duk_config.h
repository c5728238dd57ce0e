/*
 * Duktape's configuration for Preflight's PAC evaluator (common/pac.c). The Makefile copies this file
 * as duk_config.h beside Debian's dist sources (build/duktape/), so that duktape.c and duktape.h
 * see it; the dist's own file is included from here as duk_config_dist.h.
 *
 * Before the dist file: the platform fill-ins it only defines when they are missing (math functions,
 * setjmp, formatting). After it: the feature options (DUK_USE_*), which it defines unconditionally.
 * The same configuration serves the firmware (PF_EFI) and the host build, so the unit tests run the
 * engine exactly as the firmware does, timeout hook, clock and math included.
 */
#ifndef PF_PAC_DUK_CONFIG_H
#define PF_PAC_DUK_CONFIG_H

#include "pfmath.h"

/* Math: ours in both builds (common/pfmath.c, tested against libm). Duktape takes their addresses. */
#define DUK_FABS  pf_fabs
#define DUK_FLOOR pf_floor
#define DUK_CEIL  pf_ceil
#define DUK_FMOD  pf_fmod
#define DUK_POW   pf_pow
#define DUK_ACOS  pf_acos
#define DUK_ASIN  pf_asin
#define DUK_ATAN  pf_atan
#define DUK_ATAN2 pf_atan2
#define DUK_SIN   pf_sin
#define DUK_COS   pf_cos
#define DUK_TAN   pf_tan
#define DUK_EXP   pf_exp
#define DUK_LOG   pf_log
#define DUK_SQRT  pf_sqrt
#define DUK_CBRT  pf_cbrt
#define DUK_LOG2  pf_log2
#define DUK_LOG10 pf_log10
#define DUK_TRUNC pf_trunc

#if defined(PF_EFI)
/* gnu-efi's setjmp/longjmp (libefi, System V calling convention); see efi/libc-include/setjmp.h. */
#define DUK_JMPBUF_TYPE jmp_buf
#define DUK_SETJMP(jb) setjmp((jb))
#define DUK_LONGJMP(jb) longjmp((jb), 1)
#endif

#include "duk_config_dist.h"

/* Date: "now" and the local offset come from the PAC environment (common/pac.c), never from libc. */
#undef DUK_USE_DATE_NOW_GETTIMEOFDAY
#undef DUK_USE_DATE_NOW_TIME
#undef DUK_USE_DATE_NOW_WINDOWS
#undef DUK_USE_DATE_NOW_WINDOWS_SUBMS
#undef DUK_USE_DATE_TZO_GMTIME_R
#undef DUK_USE_DATE_TZO_GMTIME_S
#undef DUK_USE_DATE_TZO_GMTIME
#undef DUK_USE_DATE_TZO_WINDOWS
#undef DUK_USE_DATE_TZO_WINDOWS_NO_DST
#undef DUK_USE_DATE_PRS_STRPTIME
#undef DUK_USE_DATE_FMT_STRFTIME
#undef DUK_USE_GET_MONOTONIC_TIME
#undef DUK_USE_DATE_GET_NOW
#undef DUK_USE_DATE_GET_LOCAL_TZOFFSET
#undef DUK_USE_DATE_PARSE_STRING  /* Duktape's own ISO 8601 parser and formatter, not strptime/strftime */
#undef DUK_USE_DATE_FORMAT_STRING
#define DUK_USE_DATE_GET_NOW(ctx) pf_pac_date_now((ctx))
#define DUK_USE_DATE_GET_LOCAL_TZOFFSET(d) pf_pac_date_tzoffset((d))
double pf_pac_date_now(void *ctx);
int pf_pac_date_tzoffset(double d);

/* A PAC that never returns: the executor asks every few thousand instructions whether the budget
 * is spent (a sticky yes throws a RangeError that no catch can outlast). */
#undef DUK_USE_INTERRUPT_COUNTER
#define DUK_USE_INTERRUPT_COUNTER
#undef DUK_USE_EXEC_TIMEOUT_CHECK
#define DUK_USE_EXEC_TIMEOUT_CHECK(udata) pf_pac_timeout_check((udata))
int pf_pac_timeout_check(void *udata);

/* Fatal errors (out of memory outside a protected call, internal errors) unwind to pf_pac_eval,
 * which frees the heap's blocks itself; the default handler would call abort(). */
#undef DUK_USE_FATAL_HANDLER
#define DUK_USE_FATAL_HANDLER(udata, msg) pf_pac_fatal((udata), (msg))
void pf_pac_fatal(void *udata, const char *msg) __attribute__((noreturn));

/* The C stack. UEFI promises an application 128 KiB of stack and the rest of Preflight sits below the
 * PAC evaluation, but Duktape's default limits let a hostile script recurse through more than 256 KiB
 * (nested native calls, deep expressions, JSON, regular expressions). Each limit below throws a
 * RangeError long before that (tests/unit/test_pac.c, test_hostile). Real PAC files nest a handful
 * of levels. Measured in OVMF (tests/qemu/pactest.c): the worst of the hostile cases takes 38 KiB
 * with these limits; the regexp matcher's limit at 512 took over 60 KiB. The price: a capturing
 * group repeated per character, /^([a-z]|\.)*$/, fails with a RangeError after about 50
 * characters (five matcher levels each). */
#undef DUK_USE_NATIVE_CALL_RECLIMIT
#define DUK_USE_NATIVE_CALL_RECLIMIT 24
#undef DUK_USE_COMPILER_RECLIMIT
#define DUK_USE_COMPILER_RECLIMIT 40
#undef DUK_USE_JSON_ENC_RECLIMIT
#define DUK_USE_JSON_ENC_RECLIMIT 64
#undef DUK_USE_JSON_DEC_RECLIMIT
#define DUK_USE_JSON_DEC_RECLIMIT 64
#undef DUK_USE_CBOR_ENC_RECLIMIT
#define DUK_USE_CBOR_ENC_RECLIMIT 64
#undef DUK_USE_CBOR_DEC_RECLIMIT
#define DUK_USE_CBOR_DEC_RECLIMIT 64
#undef DUK_USE_REGEXP_COMPILER_RECLIMIT
#define DUK_USE_REGEXP_COMPILER_RECLIMIT 64
#undef DUK_USE_REGEXP_EXECUTOR_RECLIMIT
#define DUK_USE_REGEXP_EXECUTOR_RECLIMIT 256
#undef DUK_USE_MARK_AND_SWEEP_RECLIMIT
#define DUK_USE_MARK_AND_SWEEP_RECLIMIT 32

/* Regular expressions: the matcher counts its steps but never calls the timeout hook, and its limit
 * (DUK_RE_EXECUTE_STEPS_LIMIT, 1e9, about 10 s on a PC) is fixed in duktape.c; the Makefile points it
 * here. 1e7 steps take some 0.1 s; a PAC's patterns on a host name need a few thousand. A pattern
 * that backtracks beyond it throws "regexp step limit". */
#define PF_DUK_RE_STEPS_LIMIT 10000000L

/* Every heap gets pf_pac_eval's capped allocator; no malloc() fallback is compiled. */
#undef DUK_USE_PROVIDE_DEFAULT_ALLOC_FUNCTIONS

/* What a PAC file has no use for, dropped where the dist's pre-built builtin tables allow it (they
 * still name CBOR, TextEncoder and Duktape.Thread): the JX/JC encodings (they would need sscanf)
 * and bytecode dumps. */
#undef DUK_USE_JX
#undef DUK_USE_JC
#undef DUK_USE_BYTECODE_DUMP_SUPPORT

#endif
