/* Small string helpers used by every parser: ASCII case folding, trimming, bounded copies, duplication. */
#ifndef PF_STR_H
#define PF_STR_H

#include "pf.h"

static inline char pf_tolower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }
static inline bool pf_isspace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
static inline bool pf_isdigit(char c) { return c >= '0' && c <= '9'; }

/* A view of bytes that is not NUL-terminated. */
typedef struct {
	const char *p;
	size_t len;
} pf_span;

static inline pf_span pf_span_of(const char *s) { return (pf_span){ s, s ? strlen(s) : 0 }; }
pf_span pf_span_trim(pf_span s);
bool pf_span_eq_nocase(pf_span a, pf_span b);
bool pf_span_eq_cstr_nocase(pf_span a, const char *b);
bool pf_span_starts_nocase(pf_span a, const char *prefix);
/* True when needle occurs in hay, ASCII case-insensitively. */
bool pf_span_contains_nocase(pf_span hay, const char *needle);

int pf_strcmp(const char *a, const char *b);
/* Copies at most cap-1 bytes and always NUL-terminates (cap > 0). Returns bytes copied. */
size_t pf_strlcpy(char *dst, const char *src, size_t cap);
/* NUL-terminated copy of len bytes; NULL when out of memory. */
char *pf_strndup(const char *s, size_t len);
char *pf_strdup(const char *s);

/* Parses an unsigned decimal number filling the whole span; false on junk or overflow past max. */
bool pf_parse_u64(pf_span s, uint64_t max, uint64_t *ret);
/* Parses true/false/yes/no/on/off/1/0, case-insensitively. */
bool pf_parse_bool(pf_span s, bool *ret);

/* Copies at most cap-1 bytes of v, each byte outside printable ASCII as '?': for text from a server
 * that goes on screen and into reports. Always NUL-terminates (cap > 0). */
void pf_copy_printable(char *dst, size_t cap, pf_span v);

/* Lower-case hex of len bytes into out (cap bytes, always NUL-terminated when cap > 0); returns the
 * length the whole text has (2 * len), as snprintf does, so a short out is detectable. */
size_t pf_hex(const void *data, size_t len, char *out, size_t cap);

/* Zeroes n bytes at p in a way the compiler keeps (for buffers that held a secret). */
void pf_wipe(void *p, size_t n);

#endif
