/* Boot#### load options as bcdboot writes them, matched against the ESP's partition signature; damaged ones. */
#include "testutil.h"
#include "loadopt.h"

typedef struct {
	uint8_t b[512];
	size_t n;
} opt_buf;

static void put(opt_buf *o, const void *d, size_t n)
{
	assert_true(o->n + n <= sizeof(o->b));
	memcpy(o->b + o->n, d, n);
	o->n += n;
}
static void put16(opt_buf *o, uint16_t v) { put(o, (uint8_t[]){ (uint8_t)v, (uint8_t)(v >> 8) }, 2); }
static void put32(opt_buf *o, uint32_t v) { put16(o, (uint16_t)v); put16(o, (uint16_t)(v >> 16)); }
static void put_ucs2(opt_buf *o, const char *s)
{
	for (; *s; s++)
		put16(o, (uint8_t)*s);
	put16(o, 0);
}

static const uint8_t sig[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

/* Attributes, FilePathListLength, "Windows Boot Manager", HD(1,GPT,sig)/File(path)/End. */
static void windows_option(opt_buf *o, const char *path, uint16_t hd_len_override)
{
	opt_buf dp = { 0 };
	put(&dp, (uint8_t[]){ 4, 1 }, 2);
	put16(&dp, hd_len_override ? hd_len_override : 42);
	put32(&dp, 1);
	put32(&dp, 2048), put32(&dp, 0);
	put32(&dp, 204800), put32(&dp, 0);
	put(&dp, sig, 16);
	put(&dp, (uint8_t[]){ 2, 2 }, 2);
	put(&dp, (uint8_t[]){ 4, 4 }, 2);
	put16(&dp, (uint16_t)(4 + 2 * (strlen(path) + 1)));
	put_ucs2(&dp, path);
	put(&dp, (uint8_t[]){ 0x7f, 0xff, 4, 0 }, 4);
	*o = (opt_buf){ 0 };
	put32(o, 1);
	put16(o, (uint16_t)dp.n);
	put_ucs2(o, "Windows Boot Manager");
	put(o, dp.b, dp.n);
}

static void test_windows_entry(void **state)
{
	(void)state;
	opt_buf o;
	pf_load_option opt;
	windows_option(&o, "\\EFI\\Microsoft\\Boot\\bootmgfw.efi", 0);
	assert_int_equal(pf_load_option_parse(o.b, o.n, &opt), PF_OK);
	assert_string_equal(opt.description, "Windows Boot Manager");
	assert_true(opt.has_hd);
	assert_int_equal(opt.partition, 1);
	assert_string_equal(opt.file, "\\EFI\\Microsoft\\Boot\\bootmgfw.efi");
	assert_true(pf_load_option_is_bootmgfw(&opt, sig));
	uint8_t other[16] = { 0 };
	assert_false(pf_load_option_is_bootmgfw(&opt, other));
	pf_load_option_free(&opt);

	/* Case does not matter on FAT; another file does. */
	windows_option(&o, "\\efi\\MICROSOFT\\boot\\BOOTMGFW.EFI", 0);
	assert_int_equal(pf_load_option_parse(o.b, o.n, &opt), PF_OK);
	assert_true(pf_load_option_is_bootmgfw(&opt, sig));
	pf_load_option_free(&opt);
	windows_option(&o, "\\EFI\\BOOT\\BOOTX64.EFI", 0);
	assert_int_equal(pf_load_option_parse(o.b, o.n, &opt), PF_OK);
	assert_false(pf_load_option_is_bootmgfw(&opt, sig));
	pf_load_option_free(&opt);
}

/* A node length of 0 or past the list, and every truncation: refused, never read beyond. */
static void test_damaged(void **state)
{
	(void)state;
	opt_buf o;
	pf_load_option opt;
	windows_option(&o, "\\EFI\\Microsoft\\Boot\\bootmgfw.efi", 0);
	size_t ok = 0;
	for (size_t n = 0; n < o.n; n++) {
		uint8_t *cut = malloc(n ? n : 1);
		memcpy(cut, o.b, n);
		if (pf_load_option_parse(cut, n, &opt) == PF_OK) {
			ok++;
			pf_load_option_free(&opt);
		}
		free(cut);
	}
	assert_int_equal(ok, 0);
	windows_option(&o, "\\x", 2);
	assert_int_equal(pf_load_option_parse(o.b, o.n, &opt), PF_ERR_INVALID);
	windows_option(&o, "\\x", 0);
	o.b[4] = 0xff; /* FilePathListLength past the end */
	assert_int_equal(pf_load_option_parse(o.b, o.n, &opt), PF_ERR_TRUNCATED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows_entry),
		cmocka_unit_test(test_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
