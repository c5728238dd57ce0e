/* FindProxyForURL's answer read as a route list (common/pacresult.c). */
#include "testutil.h"
#include "pacresult.h"

static pf_status parse(const char *s, pf_pac_routes *r, char *err)
{
	return pf_pac_parse_result(s, strlen(s), r, err, 200);
}

static void test_lists(void **state)
{
	(void)state;
	pf_pac_routes r;
	char err[200];
	assert_int_equal(parse("PROXY a:8080; PROXY b:3128; DIRECT", &r, err), PF_OK);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.items[0].kind, PF_PAC_PROXY);
	assert_string_equal(r.items[0].host, "a");
	assert_int_equal(r.items[0].port, 8080);
	assert_string_equal(r.items[1].host, "b");
	assert_int_equal(r.items[1].port, 3128);
	assert_int_equal(r.items[2].kind, PF_PAC_DIRECT);
	assert_true(r.items[2].supported);

	/* Case, blanks, empty entries, default ports, the other keywords. */
	assert_int_equal(parse("  proxy  proxy.corp.example  ;;\tHTTPS secure.example;HTTP 10.0.0.1:81 ; direct ;", &r, err),
			 PF_OK);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.items[0].keyword, "PROXY");
	assert_string_equal(r.items[0].host, "proxy.corp.example");
	assert_int_equal(r.items[0].port, 80);
	assert_int_equal(r.items[1].kind, PF_PAC_HTTPS);
	assert_int_equal(r.items[1].port, 443);
	assert_int_equal(r.items[2].kind, PF_PAC_PROXY);
	assert_string_equal(r.items[2].keyword, "HTTP");
	assert_string_equal(r.items[2].host, "10.0.0.1");
	assert_int_equal(r.items[2].port, 81);
	assert_int_equal(r.items[3].kind, PF_PAC_DIRECT);

	/* SOCKS is named but not usable. */
	assert_int_equal(parse("SOCKS5 s:1081; SOCKS s2; socks4 s3:9", &r, err), PF_OK);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.items[0].kind, PF_PAC_SOCKS);
	assert_false(r.items[0].supported);
	assert_string_equal(r.items[0].keyword, "SOCKS5");
	assert_int_equal(r.items[1].port, 1080);
	assert_string_equal(r.items[2].keyword, "SOCKS4");

	/* IPv6 in brackets. */
	assert_int_equal(parse("PROXY [2001:db8::1]:3128", &r, err), PF_OK);
	assert_string_equal(r.items[0].host, "2001:db8::1");
	assert_int_equal(r.items[0].port, 3128);

	/* Nothing at all is DIRECT. */
	assert_int_equal(parse("", &r, err), PF_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.items[0].kind, PF_PAC_DIRECT);
	assert_int_equal(parse(" ; ;", &r, err), PF_OK);
	assert_int_equal(r.n, 1);
}

static void test_garbage(void **state)
{
	(void)state;
	pf_pac_routes r;
	char err[200];
	static const struct {
		const char *in, *msg;
	} bad[] = {
		{ "PROXIE a:1", "unknown keyword 'PROXIE'" },
		{ "PROXY", "PROXY without a host" },
		{ "PROXY a:0", "port of a must be 1-65535" },
		{ "PROXY a:65536", "port of a must be 1-65535" },
		{ "PROXY a:", "port of a must be 1-65535" },
		{ "PROXY a:80x", "unexpected 'x' after a" },
		{ "PROXY a:80 PROXY b:81", "unexpected 'PROXY b:81' after a" },
		{ "DIRECT now", "DIRECT takes no host" },
		{ "PROXY [::1:80", "must end with ']'" },
		{ "PROXY /a", "'/' cannot start a host name" },
		{ "DIRECT; http://proxy:80", "entry 2: unknown keyword 'http://proxy:80'" },
		{ "PROXY a\x01:1", "control character 0x01" },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(bad); i++) {
		assert_int_equal(parse(bad[i].in, &r, err), PF_ERR_INVALID);
		if (!strstr(err, bad[i].msg))
			fail_msg("'%s': '%s' does not say '%s'", bad[i].in, err, bad[i].msg);
		assert_int_equal(r.n, 0);
	}
	char many[400] = "";
	for (int i = 0; i <= PF_PAC_ROUTES_MAX; i++)
		strcat(many, "DIRECT;");
	assert_int_equal(parse(many, &r, err), PF_ERR_TOO_BIG);
	/* A NUL inside the answer is no terminator. */
	assert_int_equal(pf_pac_parse_result("DIRECT\0; PROXY x", 16, &r, err, sizeof(err)), PF_ERR_INVALID);
	char longhost[300] = "PROXY ";
	memset(longhost + 6, 'a', 260);
	assert_int_equal(parse(longhost, &r, err), PF_ERR_INVALID);
	assert_non_null(strstr(err, "longer than 255"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests_name("pacresult", tests, NULL, NULL);
}
