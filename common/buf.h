/* A growable byte buffer for report text; remembers an allocation failure instead of failing each call. */
#ifndef PF_BUF_H
#define PF_BUF_H

#include "pf.h"

typedef struct {
	char *p;     /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
	bool oom;    /* an append failed: contents are incomplete */
} pf_buf;

void pf_buf_append(pf_buf *b, const void *data, size_t n);
void pf_buf_puts(pf_buf *b, const char *s);
void pf_buf_putc(pf_buf *b, char c);
void pf_buf_printf(pf_buf *b, const char *fmt, ...) PF_PRINTF(2, 3);
void pf_buf_vprintf(pf_buf *b, const char *fmt, va_list ap);
void pf_buf_free(pf_buf *b);
/* Hands the contents to the caller (NULL after an allocation failure) and resets b. */
char *pf_buf_steal(pf_buf *b, size_t *ret_len);
/* A new string formatted as by pf_buf_printf (caller frees; NULL when out of memory). */
char *pf_vasprintf(const char *fmt, va_list ap);

#endif
