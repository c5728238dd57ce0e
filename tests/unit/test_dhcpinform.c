/* DHCPINFORM built byte by byte as RFC 2131 lays it out, and DHCPACKs read with every length checked. */
#include "testutil.h"
#include "dhcpinform.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t ciaddr[4] = { 192, 168, 77, 50 };
#define XID 0x1a2b3c4du

static void test_build(void **state)
{
	(void)state;
	uint8_t m[PF_DHCP_INFORM_LEN + 8];
	memset(m, 0xee, sizeof(m));
	assert_int_equal(pf_dhcp_inform_build(mac, ciaddr, XID, m, PF_DHCP_INFORM_LEN - 1), 0);
	assert_int_equal(m[0], 0xee); /* nothing written when it does not fit */
	assert_int_equal(pf_dhcp_inform_build(mac, ciaddr, XID, m, sizeof(m)), 300);
	static const uint8_t head[] = { 1, 1, 6, 0, 0x1a, 0x2b, 0x3c, 0x4d, 0, 0, 0, 0, 192, 168, 77, 50 };
	assert_memory_equal(m, head, sizeof(head));
	for (size_t i = 16; i < 28; i++) /* yiaddr, siaddr, giaddr */
		assert_int_equal(m[i], 0);
	assert_memory_equal(m + 28, mac, 6);
	for (size_t i = 34; i < 236; i++) /* rest of chaddr, sname, file */
		assert_int_equal(m[i], 0);
	static const uint8_t tail[] = { 99, 130, 83, 99, 53, 1, 8, 61, 7, 1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
					55, 5, 1, 3, 6, 15, 252, 57, 2, 2, 64, 255 };
	assert_memory_equal(m + 236, tail, sizeof(tail));
	for (size_t i = 236 + sizeof(tail); i < 300; i++)
		assert_int_equal(m[i], 0);
	assert_int_equal(m[300], 0xee);
	/* Our own request is no answer. */
	pf_dhcp_inform_answer a;
	assert_int_equal(pf_dhcp_ack_parse(m, 300, XID, mac, &a), PF_ERR_INVALID);
}

/* A reply: the fixed part for (xid, chaddr), then opts as given. Returns its length. */
static size_t reply(uint8_t *out, uint32_t xid, const uint8_t *chaddr, const uint8_t *opts, size_t n)
{
	memset(out, 0, 240);
	out[0] = 2;
	out[1] = 1;
	out[2] = 6;
	out[4] = (uint8_t)(xid >> 24);
	out[5] = (uint8_t)(xid >> 16);
	out[6] = (uint8_t)(xid >> 8);
	out[7] = (uint8_t)xid;
	memcpy(out + 12, ciaddr, 4);
	memcpy(out + 28, chaddr, 6);
	static const uint8_t cookie[] = { 99, 130, 83, 99 };
	memcpy(out + 236, cookie, 4);
	memcpy(out + 240, opts, n);
	return 240 + n;
}

/* 252 in two parts (RFC 3396) with the NUL a Windows DHCP server adds, 15, 54, pads, end, then padding. */
static const uint8_t ack_opts[] = {
	53, 1, 5, 54, 4, 192, 168, 77, 1, 0, 0,
	252, 20, 'h', 't', 't', 'p', ':', '/', '/', '1', '9', '2', '.', '1', '6', '8', '.', '7', '7', '.', '4', '/',
	15, 17, 'c', 'o', 'r', 'p', '.', 'c', 'o', 'n', 't', 'o', 's', 'o', '.', 't', 'e', 's', 't',
	252, 9, 'w', 'p', 'a', 'd', '.', 'd', 'a', 't', 0,
	255, 0, 0, 0,
};

static void test_ack(void **state)
{
	(void)state;
	uint8_t m[600];
	size_t n = reply(m, XID, mac, ack_opts, sizeof(ack_opts));
	pf_dhcp_inform_answer a;
	assert_int_equal(pf_dhcp_ack_parse(m, n, XID, mac, &a), PF_OK);
	assert_true(a.has_wpad);
	assert_string_equal(a.wpad_url, "http://192.168.77.4/wpad.dat");
	assert_true(a.has_domain);
	assert_string_equal(a.domain, "corp.contoso.test");
	static const uint8_t server[] = { 192, 168, 77, 1 };
	assert_memory_equal(a.server, server, 4);

	/* Without END the options run to the datagram's end. */
	assert_int_equal(pf_dhcp_ack_parse(m, n - 4, XID, mac, &a), PF_OK);
	assert_string_equal(a.wpad_url, "http://192.168.77.4/wpad.dat");

	/* An ACK without 252: answered, nothing published. */
	static const uint8_t bare[] = { 53, 1, 5, 255 };
	n = reply(m, XID, mac, bare, sizeof(bare));
	assert_int_equal(pf_dhcp_ack_parse(m, n, XID, mac, &a), PF_OK);
	assert_false(a.has_wpad);
	assert_false(a.has_domain);
	assert_string_equal(a.wpad_url, "");
}

static void test_not_ours(void **state)
{
	(void)state;
	uint8_t m[600];
	pf_dhcp_inform_answer a = { .has_wpad = true, .wpad_url = "untouched" };
	size_t n = reply(m, XID + 1, mac, ack_opts, sizeof(ack_opts));
	assert_int_equal(pf_dhcp_ack_parse(m, n, XID, mac, &a), PF_ERR_NOT_FOUND);
	static const uint8_t other[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x57 };
	n = reply(m, XID, other, ack_opts, sizeof(ack_opts));
	assert_int_equal(pf_dhcp_ack_parse(m, n, XID, mac, &a), PF_ERR_NOT_FOUND);
	static const uint8_t nak[] = { 53, 1, 6, 255 };
	n = reply(m, XID, mac, nak, sizeof(nak));
	assert_int_equal(pf_dhcp_ack_parse(m, n, XID, mac, &a), PF_ERR_NOT_FOUND);
	assert_string_equal(a.wpad_url, "untouched");
}

static void test_malformed(void **state)
{
	(void)state;
	uint8_t m[600];
	pf_dhcp_inform_answer a = { .wpad_url = "untouched" };
	size_t n = reply(m, XID, mac, ack_opts, sizeof(ack_opts));
	assert_int_equal(pf_dhcp_ack_parse(m, 239, XID, mac, &a), PF_ERR_TRUNCATED);
	/* Cut inside 252's value, and right after a code without its length byte. */
	assert_int_equal(pf_dhcp_ack_parse(m, 240 + 11 + 10, XID, mac, &a), PF_ERR_TRUNCATED);
	assert_int_equal(pf_dhcp_ack_parse(m, 240 + 11 + 1, XID, mac, &a), PF_ERR_TRUNCATED);
	/* A length that claims more than is left. */
	static const uint8_t over[] = { 53, 1, 5, 252, 200, 'h', 't' };
	n = reply(m, XID, mac, over, sizeof(over));
	assert_int_equal(pf_dhcp_ack_parse(m, n, XID, mac, &a), PF_ERR_TRUNCATED);
	/* No message type, a wrong cookie, a BOOTREQUEST. */
	static const uint8_t untyped[] = { 252, 2, 'h', 't', 255 };
	n = reply(m, XID, mac, untyped, sizeof(untyped));
	assert_int_equal(pf_dhcp_ack_parse(m, n, XID, mac, &a), PF_ERR_INVALID);
	n = reply(m, XID, mac, ack_opts, sizeof(ack_opts));
	m[238] ^= 1;
	assert_int_equal(pf_dhcp_ack_parse(m, n, XID, mac, &a), PF_ERR_INVALID);
	m[238] ^= 1;
	m[0] = 1;
	assert_int_equal(pf_dhcp_ack_parse(m, n, XID, mac, &a), PF_ERR_INVALID);
	assert_string_equal(a.wpad_url, "untouched");
}

/* 252 repeated past the join limit: cut, never written beyond the answer's field. */
static void test_long_url(void **state)
{
	(void)state;
	uint8_t opts[3 + 4 * 257 + 1];
	size_t k = 0;
	opts[k++] = 53;
	opts[k++] = 1;
	opts[k++] = 5;
	for (int part = 0; part < 4; part++) {
		opts[k++] = 252;
		opts[k++] = 255;
		memset(opts + k, 'a', 255);
		k += 255;
	}
	opts[k++] = 255;
	uint8_t m[240 + sizeof(opts)];
	size_t n = reply(m, XID, mac, opts, k);
	pf_dhcp_inform_answer a;
	assert_int_equal(pf_dhcp_ack_parse(m, n, XID, mac, &a), PF_OK);
	assert_int_equal(strlen(a.wpad_url), PF_WPAD_URL_MAX);
}

static void test_mac(void **state)
{
	(void)state;
	uint8_t m[6] = { 0 };
	assert_true(pf_mac_parse("52:54:00:12:34:56", m));
	assert_memory_equal(m, mac, 6);
	assert_true(pf_mac_parse("AA:bb:0C:d0:E0:ff", m));
	static const uint8_t up[6] = { 0xaa, 0xbb, 0x0c, 0xd0, 0xe0, 0xff };
	assert_memory_equal(m, up, 6);
	static const char *const bad[] = { "", "52:54:00:12:34", "52:54:00:12:34:56:", "52-54-00-12-34-56",
					   "52:54:00:12:34:5g", "5:54:00:12:34:56", "52:54:00:12:34:567" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t x[6] = { 1, 2, 3, 4, 5, 6 };
		assert_false(pf_mac_parse(bad[i], x));
		assert_int_equal(x[0], 1); /* untouched */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_not_ours),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_long_url),
		cmocka_unit_test(test_mac),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
