/* IPv6 text (RFC 5952), scope, SLAAC interface identifiers and NAT64 prefixes (RFC 6052), against the host's
 * inet_pton as the independent parser. */
#include <arpa/inet.h>
#undef PF_MAX /* <sys/socket.h>'s count of protocol families, not pf.h's maximum */

#include "testutil.h"
#include "ip6.h"
#include "str.h"

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

static void pton6(const char *text, uint8_t a[16])
{
	assert_int_equal(inet_pton(AF_INET6, text, a), 1);
}

/* RFC 6052 section 2.4's table: 192.0.2.33 embedded after each allowed prefix length. */
static void test_embedded_v4(void **state)
{
	(void)state;
	static const struct {
		unsigned len;
		const char *addr;
	} rfc[] = {
		{ 32, "2001:db8:c000:221::" },       { 40, "2001:db8:1c0:2:21::" },
		{ 48, "2001:db8:122:c000:2:2100::" }, { 56, "2001:db8:122:3c0:0:221::" },
		{ 64, "2001:db8:122:344:c0:2:2100:0" }, { 96, "2001:db8:122:344::192.0.2.33" },
	};
	for (size_t i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++) {
		uint8_t a[16], v4[4] = { 0 };
		pton6(rfc[i].addr, a);
		assert_true(pf_ip6_embedded_v4(a, rfc[i].len, v4));
		uint8_t want[4];
		assert_int_equal(inet_pton(AF_INET, "192.0.2.33", want), 1);
		assert_memory_equal(v4, want, 4);
	}
	uint8_t a[16], v4[4] = { 9, 9, 9, 9 };
	pton6("2001:db8:122:c000:ff02:2100::", a); /* u octet not zero */
	assert_false(pf_ip6_embedded_v4(a, 48, v4));
	pton6("2001:db8:122:344::192.0.2.33", a);
	assert_false(pf_ip6_embedded_v4(a, 80, v4)); /* not a length RFC 6052 allows */
	assert_false(pf_ip6_embedded_v4(a, 0, v4));
	assert_int_equal(v4[0], 9); /* written only on success */
}

static void nat64_is(const char *text, const char *want_prefix, const char *want_v4)
{
	uint8_t a[16], v4[4] = { 0 };
	pton6(text, a);
	const char *p = pf_ip6_nat64(a, v4);
	if (!want_prefix) {
		assert_null(p);
		return;
	}
	assert_non_null(p);
	assert_string_equal(p, want_prefix);
	char got[INET_ADDRSTRLEN];
	assert_non_null(inet_ntop(AF_INET, v4, got, sizeof(got)));
	assert_string_equal(got, want_v4);
	/* The prefix's own text names the address it came from. */
	uint8_t pfx[16];
	char head[PF_IP6_STR_MAX];
	pf_strlcpy(head, p, sizeof(head));
	*strchr(head, '/') = '\0';
	pton6(head, pfx);
	size_t bytes = (size_t)atoi(strchr(p, '/') + 1) / 8;
	assert_memory_equal(a, pfx, bytes);
}

static void test_nat64(void **state)
{
	(void)state;
	nat64_is("64:ff9b::6440:4d01", "64:ff9b::/96", "100.64.77.1");      /* the test network's NAT64 */
	nat64_is("64:ff9b::192.0.2.33", "64:ff9b::/96", "192.0.2.33");
	nat64_is("64:ff9b::c0a8:4d01", "64:ff9b::/96", "192.168.77.1");     /* by prefix: what the translator allows is its own business */
	nat64_is("64:ff9b:1:6440:4d:100::", "64:ff9b:1::/48", "100.64.77.1"); /* RFC 8215 local use, RFC 6052 /48 layout */
	nat64_is("64:ff9b:1:6440:ff4d:100::", NULL, NULL);                  /* u octet set: not an RFC 6052 address */
	nat64_is("64:ff9b:0:0:1::6440:4d01", NULL, NULL);                   /* inside 64:ff9b::/64 but not the /96 */
	nat64_is("64:ff9b:2::6440:4d01", NULL, NULL);
	nat64_is("fd77::1", NULL, NULL);
	nat64_is("::ffff:100.64.77.1", NULL, NULL);                          /* IPv4-mapped is no NAT64 */
	nat64_is("2001:db8:122:344::192.0.2.33", NULL, NULL);               /* a network-specific prefix: not by address */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_eui64),
		cmocka_unit_test(test_embedded_v4),
		cmocka_unit_test(test_nat64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
