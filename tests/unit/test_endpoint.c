/* Endpoint table and `kind:host[:port]` lists from the configuration. */
#include "testutil.h"
#include "endpoint.h"

static pf_status parse(const char *s, pf_endpoints *l, char *err)
{
	return pf_endpoints_parse(s, strlen(s), l, err, 200);
}

static void test_table(void **state)
{
	(void)state;
	size_t n;
	const pf_endpoint *t = pf_endpoint_table(&n);
	assert_true(n >= 10);
	bool ncsi = false, ntp = false;
	for (size_t i = 0; i < n; i++) {
		assert_true(pf_host_valid(t[i].host, strlen(t[i].host)));
		assert_non_null(t[i].purpose);
		assert_int_not_equal(t[i].port, 0);
		ncsi |= t[i].kind == PF_EP_HTTP && strcmp(t[i].host, "www.msftconnecttest.com") == 0 && t[i].port == 80;
		ntp |= t[i].kind == PF_EP_NTP && strcmp(t[i].host, "time.windows.com") == 0 && t[i].port == 123;
		if (strcmp(t[i].host, "login.microsoftonline.com") == 0)
			assert_int_equal(t[i].step, PF_STEP_SIGN_IN);
	}
	assert_true(ncsi);
	assert_true(ntp);
	/* Every row names a listed service, every service has a row; http rows other than NCSI fetch a
	 * published file (a 404 on "/" would read as blocked). */
	size_t ns;
	const pf_service *svc = pf_services(&ns);
	for (size_t i = 0; i < n; i++) {
		assert_true(pf_service_index(t[i].service) >= 0);
		if (t[i].kind == PF_EP_HTTP)
			assert_true(t[i].path && t[i].path[0] == '/');
		else
			assert_null(t[i].path);
	}
	for (size_t k = 0; k < ns; k++) {
		size_t rows = 0;
		for (size_t i = 0; i < n; i++)
			rows += strcmp(t[i].service, svc[k].name) == 0;
		if (rows == 0)
			fail_msg("service %s has no row", svc[k].id);
		for (size_t j = 0; j < k; j++)
			assert_true(strcmp(svc[j].id, svc[k].id) != 0 && strcmp(svc[j].name, svc[k].name) != 0);
	}
	assert_true(pf_ep_is_ncsi(&t[0]));
	assert_string_equal(pf_ep_http_path(&t[0]), "/connecttest.txt");
	pf_endpoint other = { .kind = PF_EP_HTTP, .host = "example.test", .port = 80 };
	assert_false(pf_ep_is_ncsi(&other));
	assert_string_equal(pf_ep_http_path(&other), "/");
}

static void test_parse_ok(void **state)
{
	(void)state;
	pf_endpoints l = { 0 };
	char err[200];
	assert_int_equal(parse(" https:Login.Live.com , tcp:example.org:8443,dns:a.b ,, ntp:pool.ntp.org,http:x.test:8080 ",
			       &l, err), PF_OK);
	assert_int_equal(l.n, 5);
	assert_int_equal(l.items[0].kind, PF_EP_HTTPS);
	assert_string_equal(l.items[0].host, "login.live.com");
	assert_int_equal(l.items[0].port, 443);
	assert_int_equal(l.items[0].step, PF_STEP_SIGN_IN); /* from the table */
	assert_int_equal(l.items[1].kind, PF_EP_TCP);
	assert_int_equal(l.items[1].port, 8443);
	assert_int_equal(l.items[1].step, PF_STEP_NETWORK);
	assert_int_equal(l.items[2].kind, PF_EP_DNS);
	assert_int_equal(l.items[2].port, 0);
	assert_int_equal(l.items[3].port, 123);
	assert_int_equal(l.items[4].port, 8080);
	/* duplicates are dropped */
	assert_int_equal(parse("HTTPS:login.live.com:443", &l, err), PF_OK);
	assert_int_equal(l.n, 5);
	pf_endpoints_free(&l);
	assert_int_equal(parse("", &l, err), PF_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(parse(" , ,", &l, err), PF_OK);
	assert_int_equal(l.n, 0);
}

/* network.required_services: ids, case-insensitive, empty items skipped; an unknown id is named. */
static void test_services_parse(void **state)
{
	(void)state;
	char err[200];
	uint32_t mask = 7;
	size_t ns;
	const pf_service *svc = pf_services(&ns);
	assert_int_equal(pf_services_parse("", 0, &mask, err, sizeof(err)), PF_OK);
	assert_int_equal(mask, 0);
	const char *s = "store, WNS,,m365 ";
	assert_int_equal(pf_services_parse(s, strlen(s), &mask, err, sizeof(err)), PF_OK);
	int store = -1, wns = -1, m365 = -1;
	for (size_t k = 0; k < ns; k++) {
		store = strcmp(svc[k].id, "store") == 0 ? (int)k : store;
		wns = strcmp(svc[k].id, "wns") == 0 ? (int)k : wns;
		m365 = strcmp(svc[k].id, "m365") == 0 ? (int)k : m365;
	}
	assert_true(store >= 0 && wns >= 0 && m365 >= 0);
	assert_int_equal(mask, (1u << store) | (1u << wns) | (1u << m365));
	uint32_t before = mask;
	s = "store, windows-updates";
	assert_int_equal(pf_services_parse(s, strlen(s), &mask, err, sizeof(err)), PF_ERR_INVALID);
	assert_int_equal(mask, before); /* written only on success */
	assert_non_null(strstr(err, "'windows-updates' is not a service id"));
	pf_endpoint ep = { .optional = true, .service = svc[store].name };
	assert_false(pf_ep_warns(&ep, 1u << store));
	assert_true(pf_ep_warns(&ep, 1u << wns));
	ep.optional = false;
	assert_false(pf_ep_warns(&ep, 0));
}

static void test_parse_bad(void **state)
{
	(void)state;
	const char *bad[] = { "login.live.com", "ftp:x.com", "https:", "https:bad host", "https:x.com:0",
			      "https:x.com:65536", "https:x.com:", "https:x.com:80:1", "dns:x.com:53",
			      "https:-x.com", "https:x..com", "https:.x.com", "tcp:x-.com", "https:x.com:8o" };
	for (size_t i = 0; i < PF_ARRAY_SIZE(bad); i++) {
		pf_endpoints l = { 0 };
		char err[200];
		if (parse(bad[i], &l, err) != PF_ERR_INVALID)
			fail_msg("'%s' was accepted", bad[i]);
		assert_true(strlen(err) > 0);
		pf_endpoints_free(&l);
	}
	char host[300];
	memset(host, 'a', sizeof(host));
	memcpy(host, "dns:", 4);
	host[4 + 64] = '\0';
	pf_endpoints l = { 0 };
	char err[200];
	assert_int_equal(parse(host, &l, err), PF_ERR_INVALID); /* label of 64 */
	host[4 + 63] = '\0';
	assert_int_equal(parse(host, &l, err), PF_OK);
	pf_endpoints_free(&l);
}

static void test_build(void **state)
{
	(void)state;
	pf_endpoints l;
	char err[200];
	size_t n;
	pf_endpoint_table(&n);
	assert_int_equal(pf_endpoints_build(NULL, NULL, &l, err, sizeof(err)), PF_OK);
	assert_int_equal(l.n, n);
	pf_endpoints_free(&l);
	assert_int_equal(pf_endpoints_build(NULL, "tcp:intranet.contoso.test:8443, https:login.live.com", &l, err, sizeof(err)),
			 PF_OK);
	assert_int_equal(l.n, n + 1);
	assert_string_equal(l.items[n].host, "intranet.contoso.test");
	pf_endpoints_free(&l);
	assert_int_equal(pf_endpoints_build("dns:a.test", "dns:b.test", &l, err, sizeof(err)), PF_OK);
	assert_int_equal(l.n, 2);
	pf_endpoints_free(&l);
	assert_int_equal(pf_endpoints_build("dns:a.test", "bogus", &l, err, sizeof(err)), PF_ERR_INVALID);
	assert_non_null(strstr(err, "bogus"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_services_parse),
		cmocka_unit_test(test_build),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
