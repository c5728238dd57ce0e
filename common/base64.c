/* Base64 decoding: a table lookup per character, whitespace skipped, padding checked at the end. */
#include "base64.h"

/* Character to 1 + its 6-bit value; 0 for a character that is not Base64 (most of the table,
 * which designated initialisers leave zero). */
#define B64_SPACE 0x80
#define B64_PAD 0x81

static const uint8_t b64_value[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6, ['G'] = 7, ['H'] = 8,
	['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16,
	['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
	['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
	['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40,
	['o'] = 41, ['p'] = 42, ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
	['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56,
	['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64,
	[' '] = B64_SPACE, ['\t'] = B64_SPACE, ['\r'] = B64_SPACE, ['\n'] = B64_SPACE, ['='] = B64_PAD,
};

size_t pf_base64_decoded_max(size_t len)
{
	/* Four characters make three bytes; a partial group of k characters makes fewer than k. */
	return len / 4 * 3 + len % 4;
}

pf_status pf_base64_decode(const void *in, size_t len, uint8_t *out, size_t cap, size_t *ret_len)
{
	const uint8_t *p = in;
	size_t o = 0, n = 0, pad = 0;   /* n: data characters so far */
	uint32_t acc = 0;

	for (size_t i = 0; i < len; i++) {
		uint8_t v = b64_value[p[i]];
		if (v >= 1 && v <= 64) {
			if (pad)
				return PF_ERR_INVALID;  /* data after padding */
			acc = acc << 6 | (uint32_t)(v - 1);
			if (++n % 4 == 0) {
				if (cap - o < 3)
					return PF_ERR_TOO_BIG;
				out[o++] = (uint8_t)(acc >> 16);
				out[o++] = (uint8_t)(acc >> 8);
				out[o++] = (uint8_t)acc;
				acc = 0;
			}
		} else if (v == B64_PAD) {
			pad++;
		} else if (v != B64_SPACE) {   /* 0: not Base64 */
			return PF_ERR_INVALID;
		}
	}
	/* What the last group's size allows: 0 (no padding), 2 (one byte, "=="), 3 (two bytes, "="). */
	size_t rest = n % 4;
	if (rest == 1 || (pad && pad != 4 - rest) || (pad && rest == 0))
		return PF_ERR_INVALID;
	if (rest) {
		if (cap - o < rest - 1)
			return PF_ERR_TOO_BIG;
		acc <<= 6 * (4 - rest);
		out[o++] = (uint8_t)(acc >> 16);
		if (rest == 3)
			out[o++] = (uint8_t)(acc >> 8);
	}
	*ret_len = o;
	return PF_OK;
}
