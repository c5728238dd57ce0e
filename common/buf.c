/* Growable buffer used by the report writers. */
#include "buf.h"
#include "fmt.h"

static bool reserve(pf_buf *b, size_t extra)
{
	if (b->oom)
		return false;
	if (extra > SIZE_MAX - b->len - 1) {
		b->oom = true;
		return false;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = pf_realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void pf_buf_append(pf_buf *b, const void *data, size_t n)
{
	if (!reserve(b, n))
		return;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void pf_buf_puts(pf_buf *b, const char *s)
{
	pf_buf_append(b, s, strlen(s));
}

void pf_buf_putc(pf_buf *b, char c)
{
	pf_buf_append(b, &c, 1);
}

void pf_buf_vprintf(pf_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	size_t n = pf_vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (!reserve(b, n))
		return;
	pf_vsnprintf(b->p + b->len, n + 1, fmt, ap);
	b->len += n;
}

void pf_buf_printf(pf_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pf_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void pf_buf_free(pf_buf *b)
{
	pf_free(b->p);
	*b = (pf_buf){ 0 };
}

char *pf_buf_steal(pf_buf *b, size_t *ret_len)
{
	char *p = b->oom ? NULL : b->p;
	if (b->oom)
		pf_free(b->p);
	else if (!p && (p = pf_malloc(1)))
		p[0] = '\0';
	if (p && ret_len)
		*ret_len = b->len;
	*b = (pf_buf){ 0 };
	return p;
}

char *pf_vasprintf(const char *fmt, va_list ap)
{
	pf_buf b = { 0 };
	pf_buf_vprintf(&b, fmt, ap);
	return pf_buf_steal(&b, NULL);
}
