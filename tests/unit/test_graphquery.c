/* The online Graph lookup's portable parts: URLs, OData literal encoding, token, request, headers, Retry-After, metadata. */
#include "testutil.h"
#include "graphquery.h"

static pf_span sp(const char *s) { return pf_span_of(s); }

static void test_url_parse(void **state)
{
	(void)state;
	pf_url u;
	assert_int_equal(pf_url_parse(sp("https://graph.microsoft.com"), &u), PF_OK);
	assert_true(u.https);
	assert_string_equal(u.host, "graph.microsoft.com");
	assert_int_equal(u.port, 443);
	assert_string_equal(u.target, "/");
	assert_int_equal(pf_url_parse(sp("HTTP://10.0.0.1:8080/a/b?x=1&$skiptoken=Zz#frag"), &u), PF_OK);
	assert_false(u.https);
	assert_string_equal(u.host, "10.0.0.1");
	assert_int_equal(u.port, 8080);
	assert_string_equal(u.target, "/a/b?x=1&$skiptoken=Zz");
	assert_int_equal(pf_url_parse(sp("https://h?q=1"), &u), PF_OK);
	assert_string_equal(u.target, "/?q=1");
	const char *bad[] = { "", "ftp://h/", "https://", "https:///x", "https://user@h/", "https://h:0/", "https://h:65536/",
			      "https://h:/", "https://h/a b", "https://h/a\r\nX: y", "https://h/\xc3\xa9", "https://.h/", "graph.microsoft.com" };
	for (size_t i = 0; i < PF_ARRAY_SIZE(bad); i++)
		if (pf_url_parse(sp(bad[i]), &u) == PF_OK)
			fail_msg("'%s' was accepted", bad[i]);
	char big[PF_URL_TARGET_MAX + 40];
	memcpy(big, "https://h/", 10);
	memset(big + 10, 'a', sizeof(big) - 11);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(pf_url_parse(sp(big), &u), PF_ERR_TOO_BIG);
}

static void test_lookup_url(void **state)
{
	(void)state;
	pf_url u;
	assert_int_equal(pf_graph_lookup_url("https://graph.microsoft.com", " PF-0001 ", &u), PF_OK);
	assert_string_equal(u.target, "/v1.0/deviceManagement/windowsAutopilotDeviceIdentities?$filter=contains(serialNumber,'PF-0001')");
	assert_int_equal(pf_graph_lookup_url("http://127.0.0.1:8080/graph/", "O'Neil 7/8&x", &u), PF_OK);
	assert_int_equal(u.port, 8080);
	assert_string_equal(u.target, "/graph/v1.0/deviceManagement/windowsAutopilotDeviceIdentities?$filter="
				      "contains(serialNumber,'O%27%27Neil%207%2F8%26x')");
	assert_int_equal(pf_graph_lookup_url("https://h/?a=b", "S", &u), PF_ERR_INVALID);
	assert_int_equal(pf_graph_lookup_url("nope", "S", &u), PF_ERR_INVALID);
	char enc[8];
	assert_int_equal(pf_odata_literal_encode(sp("\xc3\xa9'"), enc, sizeof(enc)), 12);
	assert_string_equal(enc, "%C3%A9%");
	assert_int_equal(pf_odata_literal_encode(sp("a~_.-"), enc, sizeof(enc)), 5);
	assert_string_equal(enc, "a~_.-");
}

static void test_token_and_request(void **state)
{
	(void)state;
	pf_span t;
	const char *file = "\xef\xbb\xbf  Bearer eyJ0eXAi.eyJhdWQi.c2ln-_~+/=\r\n";
	assert_int_equal(pf_graph_token(file, strlen(file), &t), PF_OK);
	assert_int_equal(t.len, strlen("eyJ0eXAi.eyJhdWQi.c2ln-_~+/="));
	assert_memory_equal(t.p, "eyJ0eXAi.eyJhdWQi.c2ln-_~+/=", t.len);
	assert_int_equal(pf_graph_token("good-token\n", 11, &t), PF_OK);
	assert_int_equal(t.len, 10);
	const char *bad[] = { "", " \r\n", "Bearer ", "two words", "a\r\nX-Injected: 1", "caf\xc3\xa9" };
	for (size_t i = 0; i < PF_ARRAY_SIZE(bad); i++)
		if (pf_graph_token(bad[i], strlen(bad[i]), &t) == PF_OK)
			fail_msg("token '%s' was accepted", bad[i]);
	char *huge = malloc(PF_GRAPH_TOKEN_MAX + 1);
	memset(huge, 'a', PF_GRAPH_TOKEN_MAX + 1);
	assert_int_equal(pf_graph_token(huge, PF_GRAPH_TOKEN_MAX + 1, &t), PF_ERR_TOO_BIG);
	free(huge);

	pf_url u;
	assert_int_equal(pf_url_parse(sp("https://graph.microsoft.com/v1.0/x?$top=1"), &u), PF_OK);
	char req[512];
	size_t n = pf_graph_request(&u, sp("good-token"), req, sizeof(req));
	assert_int_equal(n, strlen(req));
	assert_true(strncmp(req, "GET /v1.0/x?$top=1 HTTP/1.1\r\nHost: graph.microsoft.com\r\nAuthorization: Bearer good-token\r\n", 87) == 0);
	assert_non_null(strstr(req, "Accept: application/json\r\n"));
	assert_non_null(strstr(req, "Connection: close\r\n\r\n"));
	assert_int_equal(pf_url_parse(sp("http://h:8080/"), &u), PF_OK);
	pf_graph_request(&u, sp("t"), req, sizeof(req));
	assert_non_null(strstr(req, "Host: h:8080\r\n"));
	assert_true(pf_graph_request(&u, sp("t"), req, 20) > 20);
}

static void test_headers_retry_class(void **state)
{
	(void)state;
	const char *head = "HTTP/1.1 429 Too Many Requests\r\nretry-after:  7 \r\nX-Retry-After-Bogus: 1\r\nDate: x\r\n\r\n";
	pf_span v;
	assert_true(pf_http_header(head, strlen(head), "Retry-After", &v));
	assert_int_equal(v.len, 1);
	assert_int_equal(v.p[0], '7');
	assert_false(pf_http_header(head, strlen(head), "Content-Length", &v));
	assert_false(pf_http_header("HTTP/1.1 200 OK\r\n\r\n", 19, "HTTP/1.1 200 OK", &v));
	uint32_t s;
	assert_true(pf_retry_after_parse(sp("1"), 0, &s));
	assert_int_equal(s, 1);
	assert_true(pf_retry_after_parse(sp("0"), 0, &s));
	assert_int_equal(s, 0);
	assert_true(pf_retry_after_parse(sp("3600"), 0, &s));
	assert_int_equal(s, PF_GRAPH_MAX_RETRY_AFTER_S);
	assert_true(pf_retry_after_parse(sp("Sun, 06 Nov 1994 08:49:40 GMT"), 784111777, &s));
	assert_int_equal(s, 3);
	assert_true(pf_retry_after_parse(sp("Sun, 06 Nov 1994 08:49:37 GMT"), 784111999, &s));
	assert_int_equal(s, 0);
	assert_false(pf_retry_after_parse(sp(""), 0, &s));
	assert_false(pf_retry_after_parse(sp("-1"), 0, &s));
	assert_false(pf_retry_after_parse(sp("1.5"), 0, &s));
	assert_false(pf_retry_after_parse(sp("99999999999999999999"), 0, &s));
	assert_int_equal(pf_graph_classify(200), PF_GQ_OK);
	assert_int_equal(pf_graph_classify(401), PF_GQ_AUTH);
	assert_int_equal(pf_graph_classify(403), PF_GQ_AUTH);
	assert_int_equal(pf_graph_classify(429), PF_GQ_THROTTLED);
	assert_int_equal(pf_graph_classify(404), PF_GQ_FAILED);
	assert_int_equal(pf_graph_classify(503), PF_GQ_FAILED);
}

static void test_meta(void **state)
{
	(void)state;
	pf_graph_meta m;
	const char *page = "{\"@odata.context\":\"x\",\"value\":[{\"serialNumber\":\"A\",\"error\":{\"code\":\"no\"}}],"
			   "\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/deviceManagement/windowsAutopilotDeviceIdentities?$skiptoken=p2\"}";
	assert_int_equal(pf_graph_meta_read(page, strlen(page), &m), PF_OK);
	assert_true(m.has_next);
	assert_false(m.has_error);
	assert_string_equal(m.next.host, "graph.microsoft.com");
	assert_string_equal(m.next.target, "/v1.0/deviceManagement/windowsAutopilotDeviceIdentities?$skiptoken=p2");
	const char *err = "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token is empty.\\n\","
			  "\"innerError\":{\"code\":\"inner\",\"message\":\"deep\"}}}";
	assert_int_equal(pf_graph_meta_read(err, strlen(err), &m), PF_OK);
	assert_false(m.has_next);
	assert_true(m.has_error);
	assert_string_equal(m.code, "InvalidAuthenticationToken");
	assert_string_equal(m.message, "Access token is empty.?");
	const char *badnext = "{\"value\":[],\"@odata.nextLink\":\"javascript:alert(1)\"}";
	assert_int_equal(pf_graph_meta_read(badnext, strlen(badnext), &m), PF_OK);
	assert_false(m.has_next);
	assert_true(m.next_invalid);
	assert_int_equal(pf_graph_meta_read("{\"value\":[", 10, &m), PF_ERR_TRUNCATED);
	assert_false(m.has_next);
	assert_int_equal(pf_graph_meta_read("Too Many Requests", 17, &m), PF_ERR_INVALID);
	assert_int_equal(pf_graph_meta_read("[\"@odata.nextLink\",\"https://h/\"]", 32, &m), PF_OK);
	assert_false(m.has_next);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_parse),
		cmocka_unit_test(test_lookup_url),
		cmocka_unit_test(test_token_and_request),
		cmocka_unit_test(test_headers_retry_class),
		cmocka_unit_test(test_meta),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
