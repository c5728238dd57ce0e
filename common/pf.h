/* The one header that switches common/ between the freestanding EFI build (PF_EFI) and the host build. */
#ifndef PF_PF_H
#define PF_PF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(PF_EFI)
#if __STDC_HOSTED__
#error "PF_EFI builds must be freestanding"
#endif
/* Supplied by efi/libc.c (memmove, memcmp, memchr, strlen) and gnu-efi's libefi (memcpy, memset). */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
/* Pool memory, supplied by efi/mem.c. */
void *pf_malloc(size_t n);
void *pf_realloc(void *p, size_t n);
void pf_free(void *p);
#else
#include <stdlib.h>
#include <string.h>
static inline void *pf_malloc(size_t n) { return malloc(n ? n : 1); }
static inline void *pf_realloc(void *p, size_t n) { return realloc(p, n ? n : 1); }
static inline void pf_free(void *p) { free(p); }
#endif

#define PF_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PF_MIN(a, b) ((a) < (b) ? (a) : (b))
#define PF_MAX(a, b) ((a) > (b) ? (a) : (b))
#define PF_UNUSED __attribute__((unused))
#define PF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define PF_MUST_CHECK __attribute__((warn_unused_result))

/* Status values of common/: 0 is success, the rest say what went wrong. efi/ converts at its edge. */
typedef enum {
	PF_OK = 0,
	PF_ERR_INVALID,     /* malformed input */
	PF_ERR_TRUNCATED,   /* input ends too early */
	PF_ERR_NOMEM,       /* allocation failed */
	PF_ERR_NOT_FOUND,   /* nothing there */
	PF_ERR_IO,          /* read or write failed */
	PF_ERR_READ_ONLY,   /* media write-protected */
	PF_ERR_FULL,        /* media or buffer full */
	PF_ERR_TIMEOUT,     /* a limit ran out */
	PF_ERR_UNSUPPORTED, /* not available here */
	PF_ERR_TOO_BIG,     /* over a fixed limit */
} pf_status;

const char *pf_status_str(pf_status s);

/* Cleanup attribute for pool memory (systemd's _cleanup_free_). */
static inline void pf_freep(void *p) { pf_free(*(void **)p); }
#define _cleanup_free_ __attribute__((cleanup(pf_freep)))

#endif
