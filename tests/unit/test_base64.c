/* The Base64 decoder against RFC 4648's vectors, vectors made by Python's base64 module, and a test-side encoder. */
#include "testutil.h"
#include "base64.h"

typedef struct {
	const char *bin;    /* NUL-free in these tables, so strlen gives the length */
	const char *b64;
} vector;

/* RFC 4648, section 10. */
static const vector rfc4648[] = {
	{ "", "" },
	{ "f", "Zg==" },
	{ "fo", "Zm8=" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" },
	{ "fooba", "Zm9vYmE=" },
	{ "foobar", "Zm9vYmFy" },
};

/* python3: base64.b64encode(random.Random(4648).randbytes(n)) for n = 1 2 3 4 5 31 32 33 64. */
static const vector python[] = {
	{ "\xcb", "yw==" },
	{ "\xcf\x91", "z5E=" },
	{ "\x6e\xcd\xff", "bs3/" },
	{ "\x7f\xab\x89\x59", "f6uJWQ==" },
	{ "\xf4\x97\x3f\x1e\x04", "9Jc/HgQ=" },
	{ "\xdc\x88\x31\x90\xbe\x6a\xb1\xeb\x5e\x3d\xc5\xa4\x6d\x96\xb4\xc8\x47\xd1\x14\x3e\x6d\x1a\xe4\xef\x25\xb0\x0d\x10\x3e\x60\x07", "3IgxkL5qsetePcWkbZa0yEfRFD5tGuTvJbANED5gBw==" },
	{ "\xdc\x38\x70\x37\xe8\x0b\xaa\x74\x63\x92\xf8\xaf\x5c\x03\xde\xe5\x91\xaf\x7f\xbe\xf0\x41\x12\x70\x60\x33\xae\x8c\x76\x15\x6b\x57", "3DhwN+gLqnRjkvivXAPe5ZGvf77wQRJwYDOujHYVa1c=" },
	{ "\x3f\xf5\x9f\x90\xfb\x08\xe3\x7d\xd2\xf1\x06\x97\xb4\x71\xf0\xfc\x31\xcc\x4d\xb8\x7f\x31\xcb\x18\xd2\x30\x28\x97\xea\x3d\xe4\x16\x2a", "P/WfkPsI433S8QaXtHHw/DHMTbh/McsY0jAol+o95BYq" },
	{ "\x8b\xb1\xd7\x75\xdd\x9a\xcc\x64\x7e\x53\x27\xf1\xd3\x57\x38\xab\xd8\x23\x10\x84\xd9\xab\x09\x08\xc5\xf8\x0a\xc2\x4e\xab\x83\xba\xda\x95\xbb\xde\x6e\x19\x65\x21\x0d\x0f\xbe\x54\x79\x7d\x41\xf7\x89\xd7\xac\x44\x4a\xa1\x0b\x87\x7f\x81\x7b\x1d\x48\x5a\x28\x11", "i7HXdd2azGR+Uyfx01c4q9gjEITZqwkIxfgKwk6rg7ralbvebhllIQ0PvlR5fUH3idesREqhC4d/gXsdSFooEQ==" },
};

/* Decodes s into an exact-size heap buffer (so ASan sees any write past cap). */
static pf_status decode(const char *s, size_t cap, uint8_t **ret, size_t *ret_len)
{
	uint8_t *out = malloc(cap ? cap : 1);
	size_t n = 0xDEAD;
	pf_status st = pf_base64_decode(s, strlen(s), out, cap, &n);
	if (st != PF_OK)
		assert_int_equal(n, 0xDEAD);    /* ret_len is written only on success */
	*ret = out;
	*ret_len = n;
	return st;
}

static void check_vectors(const vector *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t *out;
		size_t len, want = strlen(v[i].bin);
		assert_true(pf_base64_decoded_max(strlen(v[i].b64)) >= want);
		assert_int_equal(decode(v[i].b64, want, &out, &len), PF_OK);
		assert_int_equal(len, want);
		assert_memory_equal(out, v[i].bin, want);
		free(out);
		/* Padding is optional. */
		char unpadded[200];
		snprintf(unpadded, sizeof(unpadded), "%s", v[i].b64);
		char *eq = strchr(unpadded, '=');
		if (eq)
			*eq = '\0';
		assert_int_equal(decode(unpadded, want, &out, &len), PF_OK);
		assert_int_equal(len, want);
		assert_memory_equal(out, v[i].bin, want);
		free(out);
		/* One byte less room than needed is refused. */
		if (want > 0) {
			assert_int_equal(decode(v[i].b64, want - 1, &out, &len), PF_ERR_TOO_BIG);
			free(out);
		}
	}
}

static void test_vectors(void **state)
{
	(void)state;
	check_vectors(rfc4648, PF_ARRAY_SIZE(rfc4648));
	check_vectors(python, PF_ARRAY_SIZE(python));
}

static void test_whitespace(void **state)
{
	(void)state;
	static const char *const forms[] = {
		"Zm9v YmFy", " Zm9vYmFy\r\n", "Z\tm\n9\rv Y m F y", "Zm9v\r\nYmFy\r\n", "\n\n Zm9vYmFy \t",
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(forms); i++) {
		uint8_t *out;
		size_t len;
		assert_int_equal(decode(forms[i], 6, &out, &len), PF_OK);
		assert_int_equal(len, 6);
		assert_memory_equal(out, "foobar", 6);
		free(out);
	}
	uint8_t *out;
	size_t len;
	assert_int_equal(decode("Zm8 =\r\n", 2, &out, &len), PF_OK);
	assert_int_equal(len, 2);
	free(out);
	assert_int_equal(decode("Zg= =", 1, &out, &len), PF_OK);
	assert_int_equal(len, 1);
	free(out);
	assert_int_equal(decode(" \r\n\t", 0, &out, &len), PF_OK);
	assert_int_equal(len, 0);
	free(out);
}

static void test_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"Zm9v!mFy",     /* not in the alphabet */
		"Zm9v-mFy",     /* URL-safe alphabet is not accepted */
		"Zm9v_mFy",
		"Zm9v\fYmFy",   /* form feed is not among the blanks skipped */
		"Zm9vY",        /* one character left over: no encoder makes that */
		"Z",
		"Zm9vY===",
		"Zg=",          /* one '=' where two belong */
		"Zg===",
		"Zm8==",        /* two where one belongs */
		"Zm9v=",        /* padding after a full group */
		"=",
		"==",
		"Zg==Zg==",     /* data after padding */
		"Zm=9v",
		"Zm9v\x80YmFy", /* a byte past ASCII */
		"Zm9v\0YmFy",
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(bad); i++) {
		uint8_t out[16];
		size_t len = 77;
		size_t n = i == PF_ARRAY_SIZE(bad) - 1 ? 9 : strlen(bad[i]);
		if (pf_base64_decode(bad[i], n, out, sizeof(out), &len) != PF_ERR_INVALID)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(len, 77);
	}
	/* Non-zero unused bits in the last character are tolerated (Python accepts them too). */
	uint8_t out[4];
	size_t len;
	assert_int_equal(pf_base64_decode("Zh==", 4, out, sizeof(out), &len), PF_OK);
	assert_int_equal(len, 1);
	assert_int_equal(out[0], 'f');
}

/* A test-side encoder, written from RFC 4648 independently of the decoder. */
static size_t encode(const uint8_t *in, size_t n, char *out, bool pad)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t k = n - i < 3 ? n - i : 3;
		if (k > 1)
			v |= (uint32_t)in[i + 1] << 8;
		if (k > 2)
			v |= in[i + 2];
		for (size_t j = 0; j < 4; j++) {
			if (j <= k)
				out[o++] = a[(v >> (18 - 6 * j)) & 63];
			else if (pad)
				out[o++] = '=';
		}
	}
	out[o] = '\0';
	return o;
}

static void test_round_trip(void **state)
{
	(void)state;
	srand(1);
	for (int iter = 0; iter < 2000; iter++) {
		size_t n = (size_t)rand() % 300;
		uint8_t in[300], out[300];
		char text[1200], wrapped[2400];
		for (size_t i = 0; i < n; i++)
			in[i] = (uint8_t)rand();
		size_t tl = encode(in, n, text, iter % 2 == 0);
		/* Sprinkle blanks, as wrapped or pasted text has them. */
		size_t w = 0;
		for (size_t i = 0; i < tl; i++) {
			if (rand() % 8 == 0)
				wrapped[w++] = " \t\r\n"[rand() % 4];
			wrapped[w++] = text[i];
		}
		size_t len;
		assert_true(pf_base64_decoded_max(w) >= n);
		assert_int_equal(pf_base64_decode(wrapped, w, out, n, &len), PF_OK);
		assert_int_equal(len, n);
		assert_memory_equal(out, in, n);
		/* Any single character outside the alphabet spoils it. */
		if (tl > 0) {
			text[(size_t)rand() % tl] = "!*-_.\"\x01\xff"[rand() % 8];
			assert_int_equal(pf_base64_decode(text, tl, out, sizeof(out), &len), PF_ERR_INVALID);
		}
	}
	assert_int_equal(pf_base64_decoded_max(0), 0);
	assert_int_equal(pf_base64_decoded_max(4), 3);
	assert_true(pf_base64_decoded_max(SIZE_MAX) >= SIZE_MAX / 4 * 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_whitespace),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests_name("base64", tests, NULL, NULL);
}
