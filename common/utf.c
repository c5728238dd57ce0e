/* Encoding detection and conversion between UTF-8, UTF-16 and Windows-1252. */
#include "utf.h"

static const uint16_t cp1252_80[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

uint32_t pf_cp1252_to_cp(uint8_t b)
{
	return (b >= 0x80 && b < 0xA0) ? cp1252_80[b - 0x80] : b;
}

size_t pf_utf8_put(char *dst, uint32_t cp)
{
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		dst[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		dst[0] = (char)(0xC0 | (cp >> 6));
		dst[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		dst[0] = (char)(0xE0 | (cp >> 12));
		dst[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		dst[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	dst[0] = (char)(0xF0 | (cp >> 18));
	dst[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	dst[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	dst[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

uint32_t pf_utf8_get(const uint8_t *p, size_t len, size_t *ret_used)
{
	*ret_used = 1;
	if (len == 0)
		return 0xFFFD;
	uint8_t b = p[0];
	if (b < 0x80)
		return b;
	size_t n;
	uint32_t cp, min;
	if ((b & 0xE0) == 0xC0) {
		n = 2, cp = b & 0x1F, min = 0x80;
	} else if ((b & 0xF0) == 0xE0) {
		n = 3, cp = b & 0x0F, min = 0x800;
	} else if ((b & 0xF8) == 0xF0) {
		n = 4, cp = b & 0x07, min = 0x10000;
	} else {
		return 0xFFFD;
	}
	if (len < n)
		return 0xFFFD;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0xFFFD;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0xFFFD;
	*ret_used = n;
	return cp;
}

bool pf_utf8_valid(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t i = 0;
	while (i < len) {
		size_t used;
		uint32_t cp = pf_utf8_get(p + i, len - i, &used);
		if (cp == 0xFFFD && !(used == 3 && p[i] == 0xEF && p[i + 1] == 0xBF && p[i + 2] == 0xBD))
			return false;
		i += used;
	}
	return true;
}

pf_encoding pf_detect_encoding(const void *buf, size_t len, size_t *ret_bom_len)
{
	const uint8_t *p = buf;
	*ret_bom_len = 0;
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		*ret_bom_len = 3;
		return PF_ENC_UTF8;
	}
	if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
		*ret_bom_len = 2;
		return PF_ENC_UTF16LE;
	}
	if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF) {
		*ret_bom_len = 2;
		return PF_ENC_UTF16BE;
	}
	/* UTF-16 without a BOM (some tools write it): text of Latin characters has a zero in every
	 * other byte, which valid UTF-8 text never has. Judged on the first 256 units. */
	size_t units = PF_MIN(len, 512) / 2, zero_odd = 0, zero_even = 0;
	for (size_t i = 0; i < units; i++) {
		zero_even += p[2 * i] == 0;
		zero_odd += p[2 * i + 1] == 0;
	}
	if (units >= 2 && zero_odd * 10 >= units * 9 && zero_even * 10 < units)
		return PF_ENC_UTF16LE;
	if (units >= 2 && zero_even * 10 >= units * 9 && zero_odd * 10 < units)
		return PF_ENC_UTF16BE;
	/* Judge only a prefix so that a streaming reader can decide from its first block; a multi-byte
	 * sequence cut by the prefix's end is not held against it. */
	size_t n = len < 4096 ? len : 4096;
	for (size_t back = 0; back < 4 && n > 0 && n < len && (p[n] & 0xC0) == 0x80; back++)
		n--;
	return pf_utf8_valid(p, n) ? PF_ENC_UTF8 : PF_ENC_CP1252;
}

const char *pf_encoding_str(pf_encoding e)
{
	switch (e) {
	case PF_ENC_UTF16LE:
		return "UTF-16LE";
	case PF_ENC_UTF16BE:
		return "UTF-16BE";
	case PF_ENC_CP1252:
		return "Windows-1252";
	default:
		return "UTF-8";
	}
}

pf_status pf_to_utf8(const void *buf, size_t len, pf_encoding enc, char **ret, size_t *ret_len)
{
	const uint8_t *p = buf;
	/* Worst case: each input byte (CP1252) or unit (UTF-16, 2 bytes) becomes 3 bytes. */
	if (len > (SIZE_MAX - 1) / 3)
		return PF_ERR_TOO_BIG;
	char *out = pf_malloc(len * 3 + 1);
	if (!out)
		return PF_ERR_NOMEM;
	size_t o = 0, i = 0;
	switch (enc) {
	case PF_ENC_UTF8:
		while (i < len) {
			size_t used;
			uint32_t cp = pf_utf8_get(p + i, len - i, &used);
			if (cp == 0xFFFD)
				o += pf_utf8_put(out + o, cp);
			else {
				memcpy(out + o, p + i, used);
				o += used;
			}
			i += used;
		}
		break;
	case PF_ENC_CP1252:
		for (; i < len; i++)
			o += pf_utf8_put(out + o, pf_cp1252_to_cp(p[i]));
		break;
	case PF_ENC_UTF16LE:
	case PF_ENC_UTF16BE: {
		bool le = enc == PF_ENC_UTF16LE;
		while (i + 1 < len) {
			uint32_t u = le ? (uint32_t)(p[i] | p[i + 1] << 8) : (uint32_t)(p[i] << 8 | p[i + 1]);
			i += 2;
			if (u >= 0xD800 && u < 0xDC00 && i + 1 < len) {
				uint32_t l = le ? (uint32_t)(p[i] | p[i + 1] << 8) : (uint32_t)(p[i] << 8 | p[i + 1]);
				if (l >= 0xDC00 && l < 0xE000) {
					u = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
					i += 2;
				}
			}
			o += pf_utf8_put(out + o, u); /* a lone surrogate becomes U+FFFD there */
		}
		if (i < len) /* odd trailing byte */
			o += pf_utf8_put(out + o, 0xFFFD);
		break;
	}
	}
	out[o] = '\0';
	*ret = out;
	if (ret_len)
		*ret_len = o;
	return PF_OK;
}

size_t pf_utf8_to_ucs2(const char *src, size_t len, uint16_t *dst, size_t cap)
{
	size_t o = 0, i = 0;
	if (cap == 0)
		return 0;
	while (i < len && o + 1 < cap) {
		size_t used;
		uint32_t cp = pf_utf8_get((const uint8_t *)src + i, len - i, &used);
		dst[o++] = cp > 0xFFFF ? 0xFFFD : (uint16_t)cp;
		i += used;
	}
	dst[o] = 0;
	return o;
}

char *pf_ucs2_to_utf8(const uint16_t *src, size_t n)
{
	size_t units = 0;
	while (units < n && src[units])
		units++;
	char *out;
	if (pf_to_utf8(src, units * 2, PF_ENC_UTF16LE, &out, NULL) != PF_OK)
		return NULL;
	return out;
}
