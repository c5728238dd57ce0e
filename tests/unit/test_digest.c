/* The BearSSL digest wrappers (digest.h) against the FIPS 180 examples and hashlib digests of committed
 * random data, and pf_hex. */
#include "testutil.h"
#include "digest.h"
#include "str.h"

static void check_hex(const uint8_t d[PF_SHA256_SIZE], const char *want)
{
	char hex[PF_SHA256_HEX_SIZE];
	assert_int_equal(pf_hex(d, PF_SHA256_SIZE, hex, sizeof(hex)), 64);
	assert_string_equal(hex, want);
}

static void test_fips_vectors(void **state)
{
	(void)state;
	static const struct {
		const char *msg;
		const char *digest;
	} v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	uint8_t d[PF_SHA256_SIZE];
	for (size_t i = 0; i < PF_ARRAY_SIZE(v); i++) {
		pf_sha256(v[i].msg, strlen(v[i].msg), d);
		check_hex(d, v[i].digest);
	}
}

static void test_million_a(void **state)
{
	(void)state;
	char block[1000];
	memset(block, 'a', sizeof(block));
	char *million = malloc(1000000);
	assert_non_null(million);
	for (int i = 0; i < 1000; i++)
		memcpy(million + i * 1000, block, sizeof(block));
	uint8_t d[PF_SHA256_SIZE];
	pf_sha256(million, 1000000, d);
	free(million);
	check_hex(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Every prefix in expected.txt (block edges and lengths around them). */
static void test_random_data(void **state)
{
	(void)state;
	size_t data_len, exp_len;
	char *data = test_read_file("tests/unit/data/sha256/random.bin", &data_len);
	char *exp = test_read_file("tests/unit/data/sha256/expected.txt", &exp_len);
	int checked = 0;

	for (char *line = strtok(exp, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#')
			continue;
		size_t n;
		char want[65];
		assert_int_equal(sscanf(line, "%zu %64s", &n, want), 2);
		assert_true(n <= data_len);
		uint8_t d[PF_SHA256_SIZE];
		pf_sha256(data, n, d);
		check_hex(d, want);
		checked++;
	}
	assert_int_equal(checked, 20);
	free(data);
	free(exp);
}

/* FIPS 180-2 appendix A examples for SHA-1 (used for certificate thumbprints). */
static void test_sha1_vectors(void **state)
{
	(void)state;
	static const struct {
		const char *msg;
		const char *digest;
	} v[] = {
		{ "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
		{ "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	};
	uint8_t d[PF_SHA1_SIZE];
	char hex[PF_SHA1_HEX_SIZE];
	for (size_t i = 0; i < PF_ARRAY_SIZE(v); i++) {
		pf_sha1(v[i].msg, strlen(v[i].msg), d);
		assert_int_equal(pf_hex(d, sizeof(d), hex, sizeof(hex)), 40);
		assert_string_equal(hex, v[i].digest);
	}
}

static void test_hex(void **state)
{
	(void)state;
	const uint8_t b[] = { 0x00, 0x01, 0xab, 0xff };
	char out[9], small[4];
	assert_int_equal(pf_hex(b, 4, out, sizeof(out)), 8);
	assert_string_equal(out, "0001abff");
	/* Short buffers hold whole bytes only and stay terminated; the return value shows the need. */
	assert_int_equal(pf_hex(b, 4, small, sizeof(small)), 8);
	assert_string_equal(small, "00");
	assert_int_equal(pf_hex(b, 4, NULL, 0), 8);
	assert_int_equal(pf_hex(b, 0, out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fips_vectors),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_random_data),
		cmocka_unit_test(test_sha1_vectors),
		cmocka_unit_test(test_hex),
	};
	return cmocka_run_group_tests_name("digest", tests, NULL, NULL);
}
