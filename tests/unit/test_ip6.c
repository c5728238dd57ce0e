/* IPv6 text (RFC 5952), scope and SLAAC interface identifiers. */
#include "testutil.h"
#include "ip6.h"

static void str_is(const char *hex32, const char *want)
{
	uint8_t a[16];
	for (size_t i = 0; i < 16; i++) {
		unsigned v;
		sscanf(hex32 + 2 * i, "%2x", &v);
		a[i] = (uint8_t)v;
	}
	char out[PF_IP6_STR_MAX];
	pf_ip6_str(a, out);
	assert_string_equal(out, want);
}

static void test_str(void **state)
{
	(void)state;
	str_is("00000000000000000000000000000000", "::");
	str_is("00000000000000000000000000000001", "::1");
	str_is("fd770000000000000000000000000001", "fd77::1");
	str_is("fe80000000000000505400fffe123456", "fe80::5054:ff:fe12:3456");
	str_is("20010db8000000010000000000000001", "2001:db8:0:1::1");            /* a single 0 group stays */
	str_is("20010db8000000000001000000000001", "2001:db8::1:0:0:1");           /* the first of equal runs */
	str_is("20010db8000100010001000100010001", "2001:db8:1:1:1:1:1:1");
	str_is("20010db8000000000000000100000000", "2001:db8::1:0:0");
	str_is("ffffffffffffffffffffffffffffffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	str_is("00010000000000000000000000000000", "1::");
	str_is("0064ff9b0000000000000000c0a84d01", "64:ff9b::c0a8:4d01");
}

static void test_scope(void **state)
{
	(void)state;
	uint8_t a[16] = { 0 };
	assert_false(pf_ip6_is_global(a));
	a[15] = 1;
	assert_false(pf_ip6_is_global(a));
	a[0] = 0xfe, a[1] = 0x80;
	assert_false(pf_ip6_is_global(a));
	a[1] = 0xbf;
	assert_false(pf_ip6_is_global(a));
	a[1] = 0xc0; /* fec0::/10, deprecated site-local: not link-local */
	assert_true(pf_ip6_is_global(a));
	a[0] = 0xff, a[1] = 0x02;
	assert_false(pf_ip6_is_global(a));
	a[0] = 0xfd, a[1] = 0x77;
	assert_true(pf_ip6_is_global(a));
	a[0] = 0x20, a[1] = 0x01;
	assert_true(pf_ip6_is_global(a));
}

static void test_eui64(void **state)
{
	(void)state;
	const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	uint8_t a[16] = { 0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0x00, 0xff, 0xfe, 0x12, 0x34, 0x56 };
	assert_true(pf_ip6_is_eui64(a, mac));
	a[8] = 0x52; /* the universal/local bit not inverted */
	assert_false(pf_ip6_is_eui64(a, mac));
	a[8] = 0x50;
	a[15] = 0x57;
	assert_false(pf_ip6_is_eui64(a, mac));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_eui64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
