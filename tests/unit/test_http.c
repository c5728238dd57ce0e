/* HTTP response heads, chunked bodies, HTTP dates, the GET request and the NCSI body check. */
#include "testutil.h"
#include "http.h"

static void test_http_date(void **state)
{
	(void)state;
	int64_t t;
	assert_true(pf_http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", 29, &t));
	assert_int_equal(t, 784111777);
	assert_true(pf_http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", 30, &t));
	assert_int_equal(t, 784111777);
	assert_true(pf_http_date_parse("Sun Nov  6 08:49:37 1994", 24, &t));
	assert_int_equal(t, 784111777);
	const char *s = "Wed, 25 Nov 2026 04:30:00 GMT";
	assert_true(pf_http_date_parse(s, strlen(s), &t));
	assert_int_equal(t, 1795581000);
	const char *bad[] = { "", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 31 Feb 2020 00:00:00 GMT",
			      "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 8:49:37 GMT",
			      "Sun, 06 Nov 1994 08:49:37 GMTX", "Sun 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT" };
	for (size_t i = 0; i < PF_ARRAY_SIZE(bad); i++)
		if (pf_http_date_parse(bad[i], strlen(bad[i]), &t))
			fail_msg("'%s' was accepted", bad[i]);
}

static void test_http_head(void **state)
{
	(void)state;
	const char *resp = "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\ncontent-length: 22\r\n"
			   "Content-Type: text/plain\r\n\r\nMicrosoft Connect Test";
	pf_http_response r;
	for (size_t n = 0; n < strlen(resp) - 22; n++)
		assert_int_equal(pf_http_parse_head(resp, n, &r), PF_ERR_TRUNCATED);
	assert_int_equal(pf_http_parse_head(resp, strlen(resp), &r), PF_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.minor, 1);
	assert_true(r.has_date);
	assert_int_equal(r.date_unix, 784111777);
	assert_true(r.has_length);
	assert_int_equal(r.content_length, 22);
	const uint8_t *body;
	size_t blen;
	assert_int_equal(pf_http_body(resp, strlen(resp) - 1, &r, NULL, 0, &body, &blen), PF_ERR_TRUNCATED);
	assert_int_equal(pf_http_body(resp, strlen(resp), &r, NULL, 0, &body, &blen), PF_OK);
	assert_true(pf_ncsi_body_ok(body, blen));

	const char *e500 = "HTTP/1.0 500 Internal Server Error\n\nboom";
	assert_int_equal(pf_http_parse_head(e500, strlen(e500), &r), PF_OK);
	assert_int_equal(r.status, 500);
	assert_false(r.has_date);
	assert_int_equal(pf_http_body(e500, strlen(e500), &r, NULL, 0, &body, &blen), PF_OK);
	assert_int_equal(blen, 4);

	const char *redirect = "HTTP/1.1 302\r\nLocation:  http://portal.test/login \r\n\r\n";
	assert_int_equal(pf_http_parse_head(redirect, strlen(redirect), &r), PF_OK);
	assert_int_equal(r.status, 302);
	assert_int_equal(r.location_len, strlen("http://portal.test/login"));
	assert_memory_equal(redirect + r.location_off, "http://portal.test/login", r.location_len);

	const char *bad[] = { "SSH-2.0-OpenSSH_9.2\r\n\r\n", "HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n",
			      "HTTP/1.1 200OK\r\n\r\n", "HTTP/1.1 099 x\r\n\r\n" };
	for (size_t i = 0; i < PF_ARRAY_SIZE(bad); i++)
		if (pf_http_parse_head(bad[i], strlen(bad[i]), &r) != PF_ERR_INVALID)
			fail_msg("'%s' was accepted", bad[i]);
	assert_int_equal(pf_http_parse_head("SSH-2.0-Open", 12, &r), PF_ERR_INVALID);
	char *big = malloc(PF_HTTP_HEAD_MAX + 10);
	memcpy(big, "HTTP/1.1 200 OK\r\n", 17);
	memset(big + 17, 'x', PF_HTTP_HEAD_MAX - 7);
	assert_int_equal(pf_http_parse_head(big, PF_HTTP_HEAD_MAX + 10, &r), PF_ERR_TOO_BIG);
	free(big);
}

static void test_http_chunked(void **state)
{
	(void)state;
	const char *resp = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			   "9\r\nMicrosoft\r\nd;ext=1\r\n Connect Test\r\n0\r\n\r\n";
	pf_http_response r;
	assert_int_equal(pf_http_parse_head(resp, strlen(resp), &r), PF_OK);
	assert_true(r.chunked);
	uint8_t out[64];
	const uint8_t *body;
	size_t blen;
	for (size_t n = r.head_len; n < strlen(resp) - 4; n++)
		assert_int_equal(pf_http_body(resp, n, &r, out, sizeof(out), &body, &blen), PF_ERR_TRUNCATED);
	assert_int_equal(pf_http_body(resp, strlen(resp), &r, out, sizeof(out), &body, &blen), PF_OK);
	assert_true(pf_ncsi_body_ok(body, blen));
	assert_int_equal(pf_http_body(resp, strlen(resp), &r, out, 10, &body, &blen), PF_ERR_TOO_BIG);
	const char *bad = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n";
	assert_int_equal(pf_http_parse_head(bad, strlen(bad), &r), PF_OK);
	assert_int_equal(pf_http_body(bad, strlen(bad), &r, out, sizeof(out), &body, &blen), PF_ERR_INVALID);
}

static void test_ncsi_and_request(void **state)
{
	(void)state;
	assert_true(pf_ncsi_body_ok("Microsoft Connect Test", 22));
	assert_true(pf_ncsi_body_ok("Microsoft Connect Test\r\n", 24));
	assert_false(pf_ncsi_body_ok("Microsoft Connect Tes", 21));
	assert_false(pf_ncsi_body_ok("microsoft connect test", 22));
	assert_false(pf_ncsi_body_ok(" Microsoft Connect Test", 23));
	assert_false(pf_ncsi_body_ok("<html>Microsoft Connect Test</html>", 35));
	assert_false(pf_ncsi_body_ok("", 0));
	char req[256];
	size_t n = pf_http_get_request("www.msftconnecttest.com", "/connecttest.txt", req, sizeof(req));
	assert_int_equal(n, strlen(req));
	assert_true(strncmp(req, "GET /connecttest.txt HTTP/1.1\r\nHost: www.msftconnecttest.com\r\n", 62) == 0);
	assert_non_null(strstr(req, "Connection: close\r\n\r\n"));
	assert_true(pf_http_get_request("h", "/", req, 10) > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_date),
		cmocka_unit_test(test_http_head),
		cmocka_unit_test(test_http_chunked),
		cmocka_unit_test(test_ncsi_and_request),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
