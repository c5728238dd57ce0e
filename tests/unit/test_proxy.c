/* The proxy's address (network.proxy), the CONNECT and absolute-URI requests, and a proxy's answer. */
#include "testutil.h"
#include "http.h"
#include "proxy.h"

static void test_hostport(void **state)
{
	(void)state;
	pf_hostport hp;
	char err[200];
	const struct {
		const char *in, *host;
		unsigned port;
	} good[] = {
		{ "proxy.contoso.test:3128", "proxy.contoso.test", 3128 },
		{ "  Proxy.Contoso.TEST:8080  ", "proxy.contoso.test", 8080 },
		{ "http://10.0.0.5:3128/", "10.0.0.5", 3128 },
		{ "HTTP://squid:65535", "squid", 65535 },
		{ "squid", "squid", PF_PROXY_DEFAULT_PORT },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(good); i++) {
		if (pf_hostport_parse(good[i].in, strlen(good[i].in), &hp, err, sizeof(err)) != PF_OK)
			fail_msg("'%s' refused: %s", good[i].in, err);
		assert_string_equal(hp.host, good[i].host);
		assert_int_equal(hp.port, good[i].port);
	}
	const struct {
		const char *in, *why;
	} bad[] = {
		{ "", "is not a host name" },
		{ "proxy:0", "port" },
		{ "proxy:65536", "port" },
		{ "proxy:31x", "port" },
		{ "proxy:", "port" },
		{ "https://proxy:443", "only an http:// proxy" },
		{ "socks://proxy:1080", "only an http:// proxy" },
		{ "user:secret@proxy:3128", "no user name" },
		{ "proxy:3128/path", "no path" },
		{ "-proxy:3128", "not a host name" },
		{ "pro xy:3128", "not a host name" },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		if (pf_hostport_parse(bad[i].in, strlen(bad[i].in), &hp, err, sizeof(err)) != PF_ERR_INVALID)
			fail_msg("'%s' accepted", bad[i].in);
		if (!strstr(err, bad[i].why))
			fail_msg("'%s': message '%s' does not say '%s'", bad[i].in, err, bad[i].why);
	}
}

static void test_ipv4(void **state)
{
	(void)state;
	uint8_t a[4];
	assert_true(pf_ipv4_parse("192.168.77.3", a));
	assert_memory_equal(a, ((uint8_t[]){ 192, 168, 77, 3 }), 4);
	assert_true(pf_ipv4_parse("0.0.0.0", a));
	assert_true(pf_ipv4_parse("255.255.255.255", a));
	const char *bad[] = { "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..3.4", "1.2.3.4 ", "a.b.c.d",
			      "1.2.3.1000", "proxy.contoso.test", "1.2.3.-4" };
	for (size_t i = 0; i < PF_ARRAY_SIZE(bad); i++)
		if (pf_ipv4_parse(bad[i], a))
			fail_msg("'%s' accepted", bad[i]);
}

static void test_requests(void **state)
{
	(void)state;
	char buf[512];
	size_t n = pf_proxy_connect_request("ztd.dds.microsoft.com", 443, buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_true(strncmp(buf, "CONNECT ztd.dds.microsoft.com:443 HTTP/1.1\r\nHost: ztd.dds.microsoft.com:443\r\n", 77) == 0);
	assert_true(n > 4 && strcmp(buf + n - 4, "\r\n\r\n") == 0);
	assert_true(pf_proxy_connect_request("ztd.dds.microsoft.com", 443, buf, 20) > 20);

	n = pf_proxy_get_request("www.msftconnecttest.com", 80, "/connecttest.txt", buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_true(strncmp(buf, "GET http://www.msftconnecttest.com/connecttest.txt HTTP/1.1\r\n"
				 "Host: www.msftconnecttest.com\r\n", 91) == 0);
	assert_non_null(strstr(buf, "Connection: close\r\n\r\n"));
	n = pf_proxy_get_request("h.test", 8080, "/", buf, sizeof(buf));
	assert_true(strncmp(buf, "GET http://h.test:8080/ HTTP/1.1\r\nHost: h.test:8080\r\n", 53) == 0);
}

static void test_absolute(void **state)
{
	(void)state;
	const char *req = "POST /v1.0/x?$filter=a HTTP/1.1\r\nHost: graph.test\r\nAuthorization: Bearer t\r\n\r\nbody";
	char out[256];
	size_t n = pf_proxy_absolute_request(req, strlen(req), "graph.test", 80, out, sizeof(out));
	assert_int_equal(n, strlen(out));
	assert_string_equal(out, "POST http://graph.test/v1.0/x?$filter=a HTTP/1.1\r\nHost: graph.test\r\n"
				 "Authorization: Bearer t\r\n\r\nbody");
	n = pf_proxy_absolute_request(req, strlen(req), "graph.test", 8080, out, sizeof(out));
	assert_true(strncmp(out, "POST http://graph.test:8080/v1.0/x", 34) == 0);
	/* Too small: the needed length, as snprintf. */
	assert_int_equal(pf_proxy_absolute_request(req, strlen(req), "graph.test", 80, out, 20), strlen(req) + 17);
	/* Not origin form: nothing. */
	assert_int_equal(pf_proxy_absolute_request("GET http://a/ HTTP/1.1\r\n", 24, "a", 80, out, sizeof(out)), 0);
	assert_int_equal(pf_proxy_absolute_request("GARBAGE", 7, "a", 80, out, sizeof(out)), 0);
	assert_int_equal(pf_proxy_absolute_request("", 0, "a", 80, out, sizeof(out)), 0);
	assert_int_equal(pf_proxy_absolute_request("GET ", 4, "a", 80, out, sizeof(out)), 0);
}

static void test_reply(void **state)
{
	(void)state;
	pf_proxy_reply r;
	const char *ok = "HTTP/1.1 200 Connection established\r\n\r\n";
	for (size_t n = 0; n < strlen(ok); n++)
		assert_int_equal(pf_proxy_reply_parse(ok, n, &r), PF_ERR_TRUNCATED);
	assert_int_equal(pf_proxy_reply_parse(ok, strlen(ok), &r), PF_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.head_len, strlen(ok));
	assert_string_equal(r.reason, "Connection established");
	assert_string_equal(r.schemes, "");

	/* Squid 5's 407, with a body that follows the head (not part of it). */
	const char *auth = "HTTP/1.1 407 Proxy Authentication Required\r\nServer: squid/5.7\r\n"
			   "Proxy-Authenticate: Basic realm=\"Contoso, proxy\"\r\n"
			   "proxy-authenticate: NTLM\r\nProxy-Authenticate: Negotiate, basic realm=x\r\n"
			   "X-Squid-Error: ERR_CACHE_ACCESS_DENIED 0\r\nContent-Length: 5\r\n\r\nabcde";
	assert_int_equal(pf_proxy_reply_parse(auth, strlen(auth), &r), PF_OK);
	assert_int_equal(r.status, 407);
	assert_string_equal(r.schemes, "Basic, NTLM, Negotiate");
	assert_string_equal(r.reason, "Proxy Authentication Required");
	assert_int_equal(r.head_len, strlen(auth) - 5);

	/* No reason phrase: Squid's error name stands in. */
	const char *denied = "HTTP/1.1 403\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\n\r\n";
	assert_int_equal(pf_proxy_reply_parse(denied, strlen(denied), &r), PF_OK);
	assert_int_equal(r.status, 403);
	assert_string_equal(r.reason, "ERR_ACCESS_DENIED 0");

	/* HTTP/0.9, garbage, a head that never ends. */
	assert_int_equal(pf_proxy_reply_parse("<html>hello</html>\n\n", 20, &r), PF_ERR_INVALID);
	assert_int_equal(pf_proxy_reply_parse("SSH-2.0-OpenSSH_9.2\r\n", 21, &r), PF_ERR_INVALID);
	char *big = malloc(PF_HTTP_HEAD_MAX + 64);
	assert_non_null(big);
	memset(big, 'x', PF_HTTP_HEAD_MAX + 64);
	memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
	assert_int_equal(pf_proxy_reply_parse(big, PF_HTTP_HEAD_MAX + 64, &r), PF_ERR_TOO_BIG);
	free(big);

	/* A server's bytes are never shown raw. */
	const char *odd = "HTTP/1.1 502 Bad\x01Gate\xffway\r\n\r\n";
	assert_int_equal(pf_proxy_reply_parse(odd, strlen(odd), &r), PF_OK);
	assert_string_equal(r.reason, "Bad?Gate?way");
}

static void test_schemes(void **state)
{
	(void)state;
	char list[PF_PROXY_SCHEMES_MAX] = "";
	const char *v = "Digest realm=\"a,b\", nonce=\"x\\\"y,z\", qop=auth, Negotiate YIIBhgYGKwYBBQUC==";
	pf_proxy_add_schemes((pf_span){ v, strlen(v) }, list, sizeof(list));
	assert_string_equal(list, "Digest, Negotiate");
	/* Names that do not fit whole are left out, never cut. */
	char small[12] = "";
	const char *w = "Basic, Bearer, Negotiate";
	pf_proxy_add_schemes((pf_span){ w, strlen(w) }, small, sizeof(small));
	assert_string_equal(small, "Basic");
	char none[16] = "";
	pf_proxy_add_schemes((pf_span){ ", ,=\"", 5 }, none, sizeof(none));
	assert_string_equal(none, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostport),
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_schemes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
