/* The formatter behind logs, reports and file names; no libc, bounded output. */
#include "fmt.h"

typedef struct {
	char *buf;
	size_t cap;
	size_t len; /* length the full output would have */
} sink;

static void put(sink *s, char c)
{
	if (s->len + 1 < s->cap)
		s->buf[s->len] = c;
	s->len++;
}

static void put_padded(sink *s, const char *p, size_t n, size_t width, bool left, char pad)
{
	size_t fill = width > n ? width - n : 0;
	if (!left)
		for (size_t i = 0; i < fill; i++)
			put(s, pad);
	for (size_t i = 0; i < n; i++)
		put(s, p[i]);
	if (left)
		for (size_t i = 0; i < fill; i++)
			put(s, ' ');
}

static void put_number(sink *s, uint64_t v, bool neg, unsigned base, bool upper, size_t width, bool left, bool zero)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	size_t n = 0;
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (zero && !left) {
		/* Zero padding goes between the sign and the digits. */
		if (neg) {
			put(s, '-');
			if (width)
				width--;
		}
		for (size_t i = n; i < width; i++)
			put(s, '0');
		while (n)
			put(s, tmp[--n]);
		return;
	}
	if (neg)
		tmp[n++] = '-';
	char out[24];
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	put_padded(s, out, n, width, left, ' ');
}

size_t pf_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	sink s = { buf, cap, 0 };

	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&s, *f);
			continue;
		}
		f++;
		bool left = false, zero = false;
		for (;; f++) {
			if (*f == '-')
				left = true;
			else if (*f == '0')
				zero = true;
			else
				break;
		}
		size_t width = 0;
		if (*f == '*') {
			int w = va_arg(ap, int);
			if (w < 0) {
				left = true;
				w = -w;
			}
			width = (size_t)w;
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				width = width * 10 + (size_t)(*f++ - '0');
		}
		bool has_prec = false;
		size_t prec = 0;
		if (*f == '.') {
			has_prec = true;
			f++;
			if (*f == '*') {
				int p = va_arg(ap, int);
				prec = p < 0 ? 0 : (size_t)p;
				has_prec = p >= 0;
				f++;
			} else {
				while (*f >= '0' && *f <= '9')
					prec = prec * 10 + (size_t)(*f++ - '0');
			}
		}
		int lng = 0; /* -2 hh, -1 h, 1 l, 2 ll, 3 z */
		if (*f == 'h') {
			lng = -1;
			if (*++f == 'h') {
				lng = -2;
				f++;
			}
		} else if (*f == 'l') {
			lng = 1;
			if (*++f == 'l') {
				lng = 2;
				f++;
			}
		} else if (*f == 'z') {
			lng = 3;
			f++;
		}

		switch (*f) {
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			size_t n = 0;
			while ((!has_prec || n < prec) && str[n])
				n++;
			put_padded(&s, str, n, width, left, ' ');
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			put_padded(&s, &c, 1, width, left, ' ');
			break;
		}
		case 'd':
		case 'i': {
			int64_t v;
			if (lng == 2)
				v = va_arg(ap, long long);
			else if (lng == 1)
				v = va_arg(ap, long);
			else if (lng == 3)
				v = (int64_t)va_arg(ap, size_t);
			else
				v = va_arg(ap, int);
			if (lng == -1)
				v = (short)v;
			else if (lng == -2)
				v = (signed char)v;
			uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
			put_number(&s, mag, v < 0, 10, false, width, left, zero);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v;
			if (lng == 2)
				v = va_arg(ap, unsigned long long);
			else if (lng == 1)
				v = va_arg(ap, unsigned long);
			else if (lng == 3)
				v = va_arg(ap, size_t);
			else
				v = va_arg(ap, unsigned int);
			if (lng == -1)
				v = (unsigned short)v;
			else if (lng == -2)
				v = (unsigned char)v;
			put_number(&s, v, false, *f == 'u' ? 10 : 16, *f == 'X', width, left, zero);
			break;
		}
		case 'p': { /* as glibc prints it, "0x" and lowercase hex or "(nil)"; Duktape's messages use it */
			uintptr_t v = (uintptr_t)va_arg(ap, void *);
			if (!v) {
				put_padded(&s, "(nil)", 5, width, left, ' ');
				break;
			}
			char hex[2 + 16];
			size_t n = 0;
			for (int sh = 60; sh >= 0; sh -= 4)
				if (n || (v >> sh) & 0xf || sh == 0)
					hex[2 + n++] = "0123456789abcdef"[(v >> sh) & 0xf];
			hex[0] = '0';
			hex[1] = 'x';
			put_padded(&s, hex, n + 2, width, left, ' ');
			break;
		}
		case '%':
			put(&s, '%');
			break;
		case '\0':
			f--; /* a lone '%' at the end: stop without reading past the terminator */
			break;
		default:
			put(&s, '%');
			put(&s, *f);
			break;
		}
	}
	if (cap)
		buf[s.len < cap ? s.len : cap - 1] = '\0';
	return s.len;
}

size_t pf_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = pf_vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}
