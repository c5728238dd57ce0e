/* Device-code sign-in's portable parts: URLs, form bodies, the POST, device code and token answers, polling. */
#include "testutil.h"
#include "signin.h"

#define S(lit) lit, sizeof(lit) - 1

static void test_url(void **state)
{
	(void)state;
	pf_url u;
	assert_int_equal(pf_signin_url("https://login.microsoftonline.com", "contoso.onmicrosoft.com", "devicecode", &u), PF_OK);
	assert_true(u.https);
	assert_string_equal(u.host, "login.microsoftonline.com");
	assert_string_equal(u.target, "/contoso.onmicrosoft.com/oauth2/v2.0/devicecode");
	assert_int_equal(pf_signin_url(" http://10.0.0.1:8080/prefix/ ", " 72f988bf-86f1-41af-91ab-2d7cd011db47 ", "token", &u), PF_OK);
	assert_int_equal(u.port, 8080);
	assert_string_equal(u.target, "/prefix/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token");
	const char *bad_tenants[] = { "", "  ", "a/b", "a b", "a?x", "..", "a%2F", "t\xc3\xa9" };
	for (size_t i = 0; i < PF_ARRAY_SIZE(bad_tenants); i++)
		if (pf_signin_url("https://login.microsoftonline.com", bad_tenants[i], "token", &u) == PF_OK)
			fail_msg("tenant '%s' was accepted", bad_tenants[i]);
	assert_int_equal(pf_signin_url("https://h/?q=1", "t", "token", &u), PF_ERR_INVALID);
	assert_int_equal(pf_signin_url("ftp://h/", "t", "token", &u), PF_ERR_INVALID);
}

static void test_form(void **state)
{
	(void)state;
	char buf[1024];
	size_t n = pf_signin_code_body(" 11111111-2222-3333-4444-555555555555 ", buf, sizeof(buf));
	assert_string_equal(buf, "client_id=11111111-2222-3333-4444-555555555555&scope=https%3A%2F%2Fgraph.microsoft.com%2F"
				 "DeviceManagementServiceConfig.Read.All%20https%3A%2F%2Fgraph.microsoft.com%2FUser.Read.All%20"
				 "https%3A%2F%2Fgraph.microsoft.com%2FLicenseAssignment.Read.All%20https%3A%2F%2Fgraph.microsoft.com%2F"
				 "Policy.Read.DeviceConfiguration%20https%3A%2F%2Fgraph.microsoft.com%2FGroupMember.Read.All%20"
				 "https%3A%2F%2Fgraph.microsoft.com%2FDevice.Read.All%20https%3A%2F%2Fgraph.microsoft.com%2F"
				 "DeviceManagementManagedDevices.Read.All");
	assert_int_equal(n, strlen(buf));
	n = pf_signin_token_body("c", pf_span_of("AQ a+b/c=&d"), buf, sizeof(buf));
	assert_string_equal(buf, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id=c&device_code=AQ%20a%2Bb%2Fc%3D%26d");
	assert_int_equal(n, strlen(buf));
	/* Too small: the length says how much was needed, the buffer stays terminated. */
	char small[10];
	n = pf_signin_code_body("client", small, sizeof(small));
	assert_true(n >= sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	size_t len = 0;
	pf_form_add(buf, sizeof(buf), &len, "a", pf_span_of("\x01\xff"));
	assert_string_equal(buf, "a=%01%FF");
}

static void test_request(void **state)
{
	(void)state;
	pf_url u;
	char buf[512];
	assert_int_equal(pf_signin_url("http://login.test:8080", "t", "token", &u), PF_OK);
	size_t n = pf_signin_request(&u, "a=1&b=2", 7, buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_non_null(strstr(buf, "POST /t/oauth2/v2.0/token HTTP/1.1\r\nHost: login.test:8080\r\n"));
	assert_non_null(strstr(buf, "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n"));
	assert_non_null(strstr(buf, "Connection: close\r\n\r\na=1&b=2"));
	assert_int_equal(buf[n - 1], '2');
}

static const char code_ok[] =
	"{\"user_code\":\"PFTEST123\",\"device_code\":\"PFDEVCODE-XYZ\",\"verification_uri\":\"https://microsoft.com/devicelogin\","
	"\"expires_in\":900,\"interval\":5,\"message\":\"To sign in, use a web browser\\u2026 \"}";

static void test_code_parse(void **state)
{
	(void)state;
	pf_signin_code c;
	assert_int_equal(pf_signin_code_parse(S(code_ok), &c), PF_OK);
	assert_string_equal(c.device_code, "PFDEVCODE-XYZ");
	assert_string_equal(c.user_code, "PFTEST123");
	assert_string_equal(c.verification_uri, "https://microsoft.com/devicelogin");
	assert_int_equal(c.expires_in, 900);
	assert_int_equal(c.interval, 5);
	assert_string_equal(c.message, "To sign in, use a web browser??? "); /* non-ASCII becomes '?' per byte */
	assert_string_equal(c.err.error, "");
	/* v1-style strings for the numbers; interval missing. */
	assert_int_equal(pf_signin_code_parse(S("{\"device_code\":\"d\",\"user_code\":\"u\",\"verification_uri\":\"v\",\"expires_in\":\"600\"}"), &c),
			 PF_OK);
	assert_int_equal(c.expires_in, 600);
	assert_int_equal(c.interval, 0);
	/* An error answer: the description is cut before Entra's trace lines. */
	assert_int_equal(pf_signin_code_parse(S("{\"error\":\"invalid_client\",\"error_description\":\"AADSTS700016: App not found.\\r\\n"
					       "Trace ID: 1\\r\\nCorrelation ID: 2\",\"error_codes\":[700016]}"), &c), PF_OK);
	assert_string_equal(c.err.error, "invalid_client");
	assert_string_equal(c.err.description, "AADSTS700016: App not found");
	assert_string_equal(c.device_code, "");
	/* Refused: not an object, missing members, a device code that could break a form or a header. */
	const char *bad[] = { "[]", "\"x\"", "{}", "{\"device_code\":\"d\",\"user_code\":\"u\"}",
			      "{\"device_code\":\"d e\",\"user_code\":\"u\",\"verification_uri\":\"v\"}",
			      "{\"device_code\":\"d\",\"user_code\":\"u\\n\",\"verification_uri\":\"v\"}",
			      "{\"device_code\":7,\"user_code\":\"u\",\"verification_uri\":\"v\"}",
			      "{\"device_code\":\"\",\"user_code\":\"u\",\"verification_uri\":\"v\"}" };
	for (size_t i = 0; i < PF_ARRAY_SIZE(bad); i++)
		if (pf_signin_code_parse(bad[i], strlen(bad[i]), &c) != PF_ERR_INVALID)
			fail_msg("'%s' was not refused", bad[i]);
	assert_int_equal(pf_signin_code_parse(S("{\"device_code\":\"d\""), &c), PF_ERR_TRUNCATED);
	assert_string_equal(c.device_code, ""); /* wiped */
	char big[PF_SIGNIN_DEVICE_CODE_MAX + 100];
	size_t n = (size_t)snprintf(big, sizeof(big), "{\"device_code\":\"%0*d\",\"user_code\":\"u\",\"verification_uri\":\"v\"}",
				    PF_SIGNIN_DEVICE_CODE_MAX + 1, 0);
	assert_int_equal(pf_signin_code_parse(big, n, &c), PF_ERR_INVALID);
}

static void test_token_parse(void **state)
{
	(void)state;
	pf_signin_token *t = malloc(sizeof(*t));
	assert_non_null(t);
	assert_int_equal(pf_signin_token_parse(S("{\"token_type\":\"Bearer\",\"scope\":\"x\",\"expires_in\":3599,\"access_token\":\"eyJ0.a-b_c\"}"), t),
			 PF_OK);
	assert_true(t->has_token);
	assert_string_equal(t->access_token, "eyJ0.a-b_c");
	assert_int_equal(t->token_len, 10);
	assert_int_equal(t->expires_in, 3599);
	assert_int_equal(pf_signin_token_parse(S("{\"error\":\"authorization_pending\",\"error_description\":\"AADSTS70016: pending.\\r\\nTrace ID: x\"}"), t),
			 PF_OK);
	assert_false(t->has_token);
	assert_string_equal(t->err.error, "authorization_pending");
	assert_string_equal(t->err.description, "AADSTS70016: pending");
	assert_int_equal(pf_signin_token_parse(S("{\"error\":\"x\",\"error_description\":\"one line Trace ID: 5\"}"), t), PF_OK);
	assert_string_equal(t->err.description, "one line");
	/* Not a usable token: another type, a space in it, none at all. */
	assert_int_equal(pf_signin_token_parse(S("{\"token_type\":\"pop\",\"access_token\":\"abc\"}"), t), PF_OK);
	assert_false(t->has_token);
	assert_string_equal(t->access_token, "");
	assert_int_equal(pf_signin_token_parse(S("{\"access_token\":\"a b\"}"), t), PF_OK);
	assert_false(t->has_token);
	assert_int_equal(pf_signin_token_parse(S("{\"access_token\":\"\"}"), t), PF_OK);
	assert_false(t->has_token);
	assert_string_equal(t->err.error, "");
	assert_int_equal(pf_signin_token_parse(S("[\"access_token\",\"abc\"]"), t), PF_ERR_INVALID);
	assert_false(t->has_token);
	assert_int_equal(pf_signin_token_parse(S("{\"access_token\":\"abc\""), t), PF_ERR_TRUNCATED);
	assert_false(t->has_token);
	assert_string_equal(t->access_token, "");
	free(t);
}

static void test_poll(void **state)
{
	(void)state;
	pf_signin_poll p;
	pf_signin_token *a = calloc(1, sizeof(*a));
	assert_non_null(a);
	uint64_t next = 0;
	pf_signin_poll_init(&p, 0, 0, 1000);
	assert_int_equal(p.interval_s, PF_SIGNIN_DEFAULT_INTERVAL_S);
	assert_int_equal(p.end_ms, 1000 + PF_SIGNIN_MAX_WAIT_S * 1000ull);
	pf_signin_poll_init(&p, 1000, 3600, 0);
	assert_int_equal(p.interval_s, PF_SIGNIN_MAX_INTERVAL_S);
	assert_int_equal(p.end_ms, PF_SIGNIN_MAX_WAIT_S * 1000ull); /* the hard cap */

	pf_signin_poll_init(&p, 1, 20, 0);
	assert_int_equal(p.end_ms, 20000);
	strcpy(a->err.error, "authorization_pending");
	assert_int_equal(pf_signin_poll_next(&p, a, 1000, &next), PF_POLL_AGAIN);
	assert_int_equal(next, 2000);
	strcpy(a->err.error, "slow_down");
	assert_int_equal(pf_signin_poll_next(&p, a, 2000, &next), PF_POLL_AGAIN);
	assert_int_equal(p.interval_s, 6);
	assert_int_equal(next, 8000);
	assert_int_equal(pf_signin_poll_next(&p, a, 8000, &next), PF_POLL_AGAIN);
	assert_int_equal(next, 19000);
	strcpy(a->err.error, "authorization_pending");
	assert_int_equal(pf_signin_poll_next(&p, a, 19000, &next), PF_POLL_TIMEOUT);
	const char *fatal[] = { "authorization_declined", "expired_token", "bad_verification_code", "invalid_client", "", "x" };
	for (size_t i = 0; i < PF_ARRAY_SIZE(fatal); i++) {
		strcpy(a->err.error, fatal[i]);
		assert_int_equal(pf_signin_poll_next(&p, a, 0, &next), PF_POLL_FAILED);
	}
	a->has_token = true;
	assert_int_equal(pf_signin_poll_next(&p, a, 99999999, &next), PF_POLL_TOKEN);
	free(a);
}

static void test_wipe(void **state)
{
	(void)state;
	char buf[16];
	memset(buf, 'x', sizeof(buf));
	pf_wipe(buf, sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_code_parse),
		cmocka_unit_test(test_token_parse),
		cmocka_unit_test(test_poll),
		cmocka_unit_test(test_wipe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
