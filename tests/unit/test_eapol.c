/* EAPOL-Start frame and the decoding of an authenticator's EAPOL frames, with their length checks. */
#include "testutil.h"
#include "eapol.h"

static const uint8_t our_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t switch_mac[6] = { 0x00, 0x1b, 0x54, 0xaa, 0xbb, 0xcc };

/* An Ethernet frame from the switch to us: header, then body (its own length), then zero padding to 60. */
static size_t frame(uint8_t out[128], const uint8_t *body, size_t n)
{
	memset(out, 0, 128);
	memcpy(out, our_mac, 6);
	memcpy(out + 6, switch_mac, 6);
	out[12] = 0x88;
	out[13] = 0x8e;
	memcpy(out + 14, body, n);
	return 14 + n < 60 ? 60 : 14 + n;
}

static void test_start(void **state)
{
	(void)state;
	uint8_t f[PF_EAPOL_START_FRAME];
	assert_int_equal(pf_eapol_start(our_mac, f), 60);
	static const uint8_t head[] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x03, 0x52, 0x54, 0x00, 0x12,
					0x34, 0x56, 0x88, 0x8e, 0x02, 0x01, 0x00, 0x00 };
	assert_memory_equal(f, head, sizeof(head));
	for (size_t i = sizeof(head); i < sizeof(f); i++)
		assert_int_equal(f[i], 0);
	/* Our own frame decodes as a Start: nothing about the port. */
	pf_eapol_frame e;
	assert_int_equal(pf_eapol_parse(f, sizeof(f), &e), PF_OK);
	assert_int_equal(e.type, PF_EAPOL_START);
	assert_int_equal(e.meaning, PF_DOT1X_OTHER);
	assert_false(pf_dot1x_frame_asks(e.meaning));
}

static void test_request_identity(void **state)
{
	(void)state;
	/* What hostapd sent the tap (seen in the test network): version 2, EAP-Packet, Request id 0x54 Identity. */
	static const uint8_t body[] = { 0x02, 0x00, 0x00, 0x05, 0x01, 0x54, 0x00, 0x05, 0x01 };
	uint8_t f[128];
	size_t n = frame(f, body, sizeof(body));
	pf_eapol_frame e;
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_OK);
	assert_memory_equal(e.src, switch_mac, 6);
	assert_memory_equal(e.dst, our_mac, 6);
	assert_int_equal(e.version, 2);
	assert_int_equal(e.body_len, 5);
	assert_true(e.has_eap);
	assert_int_equal(e.eap_code, PF_EAP_REQUEST);
	assert_int_equal(e.eap_id, 0x54);
	assert_int_equal(e.eap_len, 5);
	assert_int_equal(e.eap_type, PF_EAP_TYPE_IDENTITY);
	assert_int_equal(e.meaning, PF_DOT1X_EAP_REQUEST_IDENTITY);
	assert_string_equal(pf_dot1x_frame_str(e.meaning), "eap-request-identity");
	assert_true(pf_dot1x_frame_asks(e.meaning));
	/* Without the padding (an 18+5-byte frame as a driver may hand it over) it is the same. */
	assert_int_equal(pf_eapol_parse(f, 14 + sizeof(body), &e), PF_OK);
	assert_int_equal(e.meaning, PF_DOT1X_EAP_REQUEST_IDENTITY);
	/* The same request with a displayable message after the type (RFC 3748 5.1), version 1 and 3. */
	static const uint8_t body2[] = { 0x01, 0x00, 0x00, 0x08, 0x01, 0x07, 0x00, 0x08, 0x01, 'h', 'i', '!' };
	n = frame(f, body2, sizeof(body2));
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_OK);
	assert_int_equal(e.meaning, PF_DOT1X_EAP_REQUEST_IDENTITY);
	f[14] = 3;
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_OK);
	assert_int_equal(e.version, 3);
}

static void test_methods_and_results(void **state)
{
	(void)state;
	uint8_t f[128];
	pf_eapol_frame e;
	/* PEAP start: Request type 25 with flags (S bit). */
	static const uint8_t peap[] = { 0x02, 0x00, 0x00, 0x06, 0x01, 0x02, 0x00, 0x06, 25, 0x20 };
	size_t n = frame(f, peap, sizeof(peap));
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_OK);
	assert_int_equal(e.eap_type, 25);
	assert_int_equal(e.meaning, PF_DOT1X_EAP_REQUEST_METHOD);
	assert_string_equal(pf_dot1x_frame_str(e.meaning), "eap-request-method");
	/* EAP-TLS start (type 13). */
	static const uint8_t tls[] = { 0x02, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x06, 13, 0x20 };
	n = frame(f, tls, sizeof(tls));
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_OK);
	assert_int_equal(e.meaning, PF_DOT1X_EAP_REQUEST_METHOD);
	/* Success and Failure: 4-byte EAP packets, no type. */
	static const uint8_t ok[] = { 0x02, 0x00, 0x00, 0x04, 0x03, 0x09, 0x00, 0x04 };
	n = frame(f, ok, sizeof(ok));
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_OK);
	assert_int_equal(e.meaning, PF_DOT1X_EAP_SUCCESS);
	assert_int_equal(e.eap_type, 0);
	static const uint8_t no[] = { 0x02, 0x00, 0x00, 0x04, 0x04, 0x09, 0x00, 0x04 };
	n = frame(f, no, sizeof(no));
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_OK);
	assert_int_equal(e.meaning, PF_DOT1X_EAP_FAILURE);
	assert_string_equal(pf_dot1x_frame_str(e.meaning), "eap-failure");
	/* A Response (another supplicant on a shared segment) says nothing about our port. */
	static const uint8_t resp[] = { 0x02, 0x00, 0x00, 0x09, 0x02, 0x54, 0x00, 0x09, 0x01, 'b', 'o', 'b', '!' };
	n = frame(f, resp, sizeof(resp));
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_OK);
	assert_int_equal(e.meaning, PF_DOT1X_OTHER);
	assert_false(pf_dot1x_frame_asks(e.meaning));
	/* EAPOL-Key (a descriptor follows; not decoded) and MKA. */
	static const uint8_t key[] = { 0x02, 0x03, 0x00, 0x05, 0x02, 0x01, 0x02, 0x03, 0x04 };
	n = frame(f, key, sizeof(key));
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_OK);
	assert_false(e.has_eap);
	assert_int_equal(e.meaning, PF_DOT1X_EAPOL_KEY);
	assert_string_equal(pf_dot1x_frame_str(e.meaning), "eapol-key");
	static const uint8_t mka[] = { 0x03, 0x05, 0x00, 0x00 };
	n = frame(f, mka, sizeof(mka));
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_OK);
	assert_int_equal(e.meaning, PF_DOT1X_EAPOL_KEY);
	/* Logoff and an unknown type: not the port's. */
	static const uint8_t logoff[] = { 0x02, 0x02, 0x00, 0x00 };
	n = frame(f, logoff, sizeof(logoff));
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_OK);
	assert_int_equal(e.meaning, PF_DOT1X_OTHER);
	static const uint8_t unknown[] = { 0x03, 0x09, 0x00, 0x00 };
	n = frame(f, unknown, sizeof(unknown));
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_OK);
	assert_int_equal(e.meaning, PF_DOT1X_OTHER);
	assert_string_equal(pf_dot1x_frame_str(PF_DOT1X_NOTHING), "nothing");
	assert_string_equal(pf_dot1x_frame_str(PF_DOT1X__COUNT), "?");
}

static void test_vlan_tag(void **state)
{
	(void)state;
	uint8_t f[128] = { 0 };
	memcpy(f, our_mac, 6);
	memcpy(f + 6, switch_mac, 6);
	static const uint8_t rest[] = { 0x81, 0x00, 0x00, 0x64, 0x88, 0x8e, 0x02, 0x00, 0x00, 0x05, 0x01, 0x01, 0x00, 0x05, 0x01 };
	memcpy(f + 12, rest, sizeof(rest));
	pf_eapol_frame e;
	assert_int_equal(pf_eapol_parse(f, 12 + sizeof(rest), &e), PF_OK);
	assert_int_equal(e.meaning, PF_DOT1X_EAP_REQUEST_IDENTITY);
	assert_int_equal(pf_eapol_parse(f, 15, &e), PF_ERR_TRUNCATED);
	/* A tagged frame of another EtherType. */
	f[16] = 0x08;
	f[17] = 0x00;
	assert_int_equal(pf_eapol_parse(f, 12 + sizeof(rest), &e), PF_ERR_NOT_FOUND);
}

static void test_bounds(void **state)
{
	(void)state;
	uint8_t f[128];
	pf_eapol_frame e = { .version = 77 };
	static const uint8_t body[] = { 0x02, 0x00, 0x00, 0x05, 0x01, 0x54, 0x00, 0x05, 0x01 };
	size_t n = frame(f, body, sizeof(body));
	/* Every cut before the EAP packet's end is truncated (the padding is gone in these cuts). */
	for (size_t cut = 0; cut < 14 + sizeof(body); cut++)
		assert_int_equal(pf_eapol_parse(f, cut, &e), PF_ERR_TRUNCATED);
	assert_int_equal(e.version, 77); /* ret is written only on success */
	/* Another EtherType is not EAPOL. */
	f[13] = 0x00;
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_ERR_NOT_FOUND);
	f[13] = 0x8e;
	/* The EAPOL body length claims more than the frame holds. */
	f[16] = 0xff;
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_ERR_TRUNCATED);
	f[16] = 0x00;
	f[17] = 0x2a; /* 42: exactly the rest of the frame, padding included */
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_OK);
	f[17] = 0x2b;
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_ERR_TRUNCATED);
	f[17] = 0x05;
	/* The EAP length claims more than the EAPOL body, or less than its own header. */
	f[20] = 0x00;
	f[21] = 0x06;
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_ERR_INVALID);
	f[21] = 0x03;
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_ERR_INVALID);
	/* A Request of 4 bytes has no type. */
	f[21] = 0x04;
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_ERR_INVALID);
	/* An EAPOL body shorter than an EAP header. */
	f[17] = 0x03;
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_ERR_TRUNCATED);
	/* An empty EAP-Packet body of 0 bytes. */
	f[17] = 0x00;
	assert_int_equal(pf_eapol_parse(f, n, &e), PF_ERR_TRUNCATED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_request_identity),
		cmocka_unit_test(test_methods_and_results),
		cmocka_unit_test(test_vlan_tag),
		cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
