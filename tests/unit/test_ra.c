/* Router advertisements' RDNSS servers: a real advertisement from dnsmasq (captured on the test network's tap,
 * fault ipv6-rdnss), and every way one is refused. */
#include <arpa/inet.h>
#undef PF_MAX /* <sys/socket.h>'s count of protocol families, not pf.h's maximum */

#include "testutil.h"
#include "ra.h"

/* dnsmasq's RA: M/O off, router lifetime 1800, prefix fd77::/64, MTU 1500, source link-layer, RDNSS fd77::1 (3600 s). */
static const char DNSMASQ_RA[] =
	"6c0fc21600583afffe800000000000001c0fc3fffe543261ff020000000000000000000000000001"
	"8600828f400007080000000000000000030440c000000e1000000e1000000000fd77000000000000"
	"000000000000000005010000000005dc01011e0fc35432611903000000000e10fd77000000000000"
	"0000000000000001";

static size_t unhex(const char *h, uint8_t *out)
{
	size_t n = strlen(h) / 2;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

/* The ICMPv6 checksum written out as RFC 8200 8.1 describes it, for the edited packets below. */
static void fix_checksum(uint8_t *p, size_t len)
{
	size_t n = len - 40;
	uint32_t sum = 0;
	uint8_t pseudo[40] = { 0 };
	memcpy(pseudo, p + 8, 32);
	pseudo[34] = (uint8_t)(n >> 8), pseudo[35] = (uint8_t)n, pseudo[39] = 58;
	p[42] = p[43] = 0;
	for (size_t i = 0; i < 40; i += 2)
		sum += (uint32_t)(pseudo[i] << 8 | pseudo[i + 1]);
	for (size_t i = 0; i < n; i += 2)
		sum += (uint32_t)(p[40 + i] << 8 | (i + 1 < n ? p[40 + i + 1] : 0));
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	p[42] = (uint8_t)(~sum >> 8), p[43] = (uint8_t)~sum;
}

static void test_dnsmasq(void **state)
{
	(void)state;
	uint8_t p[256];
	size_t n = unhex(DNSMASQ_RA, p);
	pf_ra_dns d;
	assert_int_equal(pf_ra_parse_dns(p, n, &d), PF_OK);
	assert_int_equal(d.n_dns, 1);
	char text[INET6_ADDRSTRLEN];
	assert_non_null(inet_ntop(AF_INET6, d.dns[0], text, sizeof(text)));
	assert_string_equal(text, "fd77::1");
	/* Trailing bytes beyond the payload length (an Ethernet pad) do not matter. */
	p[n] = 0xee;
	assert_int_equal(pf_ra_parse_dns(p, n + 1, &d), PF_OK);
}

static void test_refused(void **state)
{
	(void)state;
	uint8_t orig[256], p[256];
	size_t n = unhex(DNSMASQ_RA, orig);
	pf_ra_dns d = { .n_dns = 9 };
	memcpy(p, orig, n);
	p[n - 1] ^= 1; /* one bit of the address: the checksum no longer matches */
	assert_int_equal(pf_ra_parse_dns(p, n, &d), PF_ERR_INVALID);
	assert_int_equal(d.n_dns, 9); /* untouched */
	memcpy(p, orig, n);
	p[7] = 254; /* forwarded by a router: not from the link */
	fix_checksum(p, n);
	assert_int_equal(pf_ra_parse_dns(p, n, &d), PF_ERR_INVALID);
	memcpy(p, orig, n);
	inet_pton(AF_INET6, "fd77::1", p + 8); /* not link-local */
	fix_checksum(p, n);
	assert_int_equal(pf_ra_parse_dns(p, n, &d), PF_ERR_INVALID);
	memcpy(p, orig, n);
	p[40] = 135; /* a neighbour solicitation */
	fix_checksum(p, n);
	assert_int_equal(pf_ra_parse_dns(p, n, &d), PF_ERR_INVALID);
	/* A payload length that claims more than arrived, and a cut packet. */
	assert_int_equal(pf_ra_parse_dns(orig, n - 1, &d), PF_ERR_INVALID);
	assert_int_equal(pf_ra_parse_dns(orig, 50, &d), PF_ERR_INVALID);
	assert_int_equal(pf_ra_parse_dns(NULL, 0, &d), PF_ERR_INVALID);
	/* An option of length 0 (the RDNSS's length byte) invalidates the whole RA (RFC 4861 4.6). */
	memcpy(p, orig, n);
	p[n - 23] = 0;
	fix_checksum(p, n);
	assert_int_equal(pf_ra_parse_dns(p, n, &d), PF_ERR_INVALID);
	/* An option running past the end too. */
	memcpy(p, orig, n);
	p[n - 23] = 5;
	fix_checksum(p, n);
	assert_int_equal(pf_ra_parse_dns(p, n, &d), PF_ERR_INVALID);
}

static void test_lifetime_zero(void **state)
{
	(void)state;
	uint8_t p[256];
	size_t n = unhex(DNSMASQ_RA, p);
	memset(p + n - 20, 0, 4); /* RDNSS lifetime 0: the servers are withdrawn */
	fix_checksum(p, n);
	pf_ra_dns d;
	assert_int_equal(pf_ra_parse_dns(p, n, &d), PF_OK);
	assert_int_equal(d.n_dns, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dnsmasq),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_lifetime_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
