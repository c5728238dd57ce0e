/* NTP client request and the checks on server answers, era handling. */
#include "testutil.h"
#include "ntp.h"

static void test_ntp(void **state)
{
	(void)state;
	uint8_t req[PF_NTP_PACKET];
	uint64_t cookie = 0x0123456789abcdefull;
	pf_ntp_request(req, cookie);
	assert_int_equal(req[0], 0x23);
	assert_int_equal(req[40], 0x01);
	assert_int_equal(req[47], 0xef);

	/* A server reply for 2026-11-25T04:30:00.500Z. */
	uint8_t rep[PF_NTP_PACKET] = { 0x24, 2, 0, 0xec };
	memcpy(rep + 24, req + 40, 8);
	uint32_t secs = (uint32_t)(1795581000ull + PF_NTP_UNIX_DELTA);
	rep[40] = secs >> 24;
	rep[41] = secs >> 16;
	rep[42] = secs >> 8;
	rep[43] = secs;
	rep[44] = 0x80;
	pf_ntp_reply r;
	assert_int_equal(pf_ntp_parse(rep, sizeof(rep), cookie, &r), PF_OK);
	assert_int_equal(r.server_unix, 1795581000);
	assert_int_equal(r.server_ms, 500);
	assert_int_equal(r.stratum, 2);
	assert_int_equal(pf_ntp_parse(rep, 47, cookie, &r), PF_ERR_TRUNCATED);
	assert_int_equal(pf_ntp_parse(rep, sizeof(rep), cookie + 1, &r), PF_ERR_INVALID);
	uint8_t t[PF_NTP_PACKET];
	memcpy(t, rep, sizeof(t));
	t[1] = 0; /* kiss-o'-death */
	assert_int_equal(pf_ntp_parse(t, sizeof(t), cookie, &r), PF_ERR_INVALID);
	memcpy(t, rep, sizeof(t));
	t[0] = 0xe4; /* leap 3: unsynchronised */
	assert_int_equal(pf_ntp_parse(t, sizeof(t), cookie, &r), PF_ERR_INVALID);
	memcpy(t, rep, sizeof(t));
	t[0] = 0x23; /* a client packet echoed */
	assert_int_equal(pf_ntp_parse(t, sizeof(t), cookie, &r), PF_ERR_INVALID);
	/* era 1: 2036-02-07T06:28:16Z is NTP second 0 of era 1 */
	assert_int_equal(pf_ntp_to_unix(0), 2085978496);
	assert_int_equal(pf_ntp_to_unix(0x80000000u), 0x80000000ll - PF_NTP_UNIX_DELTA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ntp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
