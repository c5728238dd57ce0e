/* The few libc functions that common/ and the compiler expect, for the freestanding build. */
#include "pf.h"

/* gnu-efi's libefi supplies memcpy and memset; these it lacks. */
void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if (d == s || n == 0)
		return dst;
	if (d < s) {
		for (size_t i = 0; i < n; i++)
			d[i] = s[i];
	} else {
		for (size_t i = n; i > 0; i--)
			d[i - 1] = s[i - 1];
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

/* Eight bytes at a time: record files are scanned for line ends and quotes with this, so it sets
 * the speed of a lookup in a large CSV under the firmware. */
void *memchr(const void *s, int c, size_t n)
{
	const uint8_t *p = s;
	const uint8_t ch = (uint8_t)c;
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull, pat = ones * ch;

	while (n && ((uintptr_t)p & 7)) {
		if (*p == ch)
			return (void *)p;
		p++;
		n--;
	}
	for (; n >= 8; p += 8, n -= 8) {
		uint64_t w = *(const uint64_t *)(const void *)p ^ pat;
		if ((w - ones) & ~w & highs)
			break;
	}
	for (; n; p++, n--)
		if (*p == ch)
			return (void *)p;
	return NULL;
}

/* The rest of what Debian's qrcodegen.c (the result screen's QR code) takes from libc. */
char *strchr(const char *s, int c);
int abs(int v);
long labs(long v);

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

int abs(int v)
{
	return v < 0 ? -v : v;
}

long labs(long v)
{
	return v < 0 ? -v : v;
}

/* What Debian's duktape.c (the PAC evaluator, common/pac.c) takes from libc besides the above; it
 * sees these through efi/libc-include/, the headers of its build. Formatting is common/fmt.c's
 * (Duktape formats error messages and ISO dates with %s %c %d %ld %lu %lld %lx %02d %04ld %p; it
 * prints numbers itself, exactly, and never asks libc for %f or %g). */
#include "fmt.h"

int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
int vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
int snprintf(char *buf, size_t cap, const char *fmt, ...);
int sprintf(char *buf, const char *fmt, ...);

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

int vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	size_t n = pf_vsnprintf(buf, cap, fmt, ap);
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

int snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}

/* Unbounded, as C's: Duktape calls it only into buffers sized for the format (dates, symbols). */
int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, SIZE_MAX, fmt, ap);
	va_end(ap);
	return n;
}
