/* Small string helpers shared by the parsers; the host tests compare them with libc. */
#include "str.h"

pf_span pf_span_trim(pf_span s)
{
	while (s.len > 0 && pf_isspace(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && pf_isspace(s.p[s.len - 1]))
		s.len--;
	return s;
}

bool pf_span_eq_nocase(pf_span a, pf_span b)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++)
		if (pf_tolower(a.p[i]) != pf_tolower(b.p[i]))
			return false;
	return true;
}

bool pf_span_eq_cstr_nocase(pf_span a, const char *b)
{
	return pf_span_eq_nocase(a, pf_span_of(b));
}

bool pf_span_starts_nocase(pf_span a, const char *prefix)
{
	pf_span p = pf_span_of(prefix);
	if (p.len > a.len)
		return false;
	return pf_span_eq_nocase((pf_span){ a.p, p.len }, p);
}

bool pf_span_contains_nocase(pf_span hay, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return true;
	for (size_t i = 0; i + n <= hay.len; i++)
		if (pf_span_starts_nocase((pf_span){ hay.p + i, hay.len - i }, needle))
			return true;
	return false;
}

int pf_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

size_t pf_strlcpy(char *dst, const char *src, size_t cap)
{
	size_t n = 0;
	if (cap == 0)
		return 0;
	while (src[n] && n + 1 < cap) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = '\0';
	return n;
}

char *pf_strndup(const char *s, size_t len)
{
	char *r = pf_malloc(len + 1);
	if (!r)
		return NULL;
	if (len)
		memcpy(r, s, len);
	r[len] = '\0';
	return r;
}

char *pf_strdup(const char *s)
{
	return pf_strndup(s, strlen(s));
}

bool pf_parse_u64(pf_span s, uint64_t max, uint64_t *ret)
{
	uint64_t v = 0;
	if (s.len == 0)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		if (!pf_isdigit(s.p[i]))
			return false;
		unsigned d = (unsigned)(s.p[i] - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*ret = v;
	return true;
}

bool pf_parse_bool(pf_span s, bool *ret)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	for (size_t i = 0; i < PF_ARRAY_SIZE(yes); i++) {
		if (pf_span_eq_cstr_nocase(s, yes[i])) {
			*ret = true;
			return true;
		}
		if (pf_span_eq_cstr_nocase(s, no[i])) {
			*ret = false;
			return true;
		}
	}
	return false;
}

void pf_copy_printable(char *dst, size_t cap, pf_span v)
{
	size_t n = 0;
	if (!cap)
		return;
	for (size_t i = 0; i < v.len && n + 1 < cap; i++)
		dst[n++] = (unsigned char)v.p[i] >= 0x20 && (unsigned char)v.p[i] < 0x7f ? v.p[i] : '?';
	dst[n] = '\0';
}

void pf_wipe(void *p, size_t n)
{
	volatile uint8_t *b = p;
	while (n--)
		*b++ = 0;
}

size_t pf_hex(const void *data, size_t len, char *out, size_t cap)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *p = data;
	size_t o = 0;
	if (cap == 0)
		return 2 * len;
	for (size_t i = 0; i < len && o + 2 < cap; i++) {
		out[o++] = digits[p[i] >> 4];
		out[o++] = digits[p[i] & 15];
	}
	out[o] = '\0';
	return 2 * len;
}
