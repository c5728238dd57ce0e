/* The report upload's parts: container URL and SAS, the signature never shown, the Put Blob request, the storage error code. */
#include "testutil.h"
#include "blob.h"
#include "http.h"

#define URL "https://acct.blob.core.windows.net/preflight?sv=2021-08-06&spr=https&se=2026-12-31T00%3A00%3A00Z&sr=c&sp=cw&sig=AbC%2Bd%3D"

static void test_parse(void **state)
{
	(void)state;
	pf_blob_container c;
	/* From a file: whitespace and CR LF around it go. */
	const char *text = "  " URL "\r\n";
	assert_int_equal(pf_blob_container_parse(text, strlen(text), &c), PF_OK);
	assert_true(c.url.https);
	assert_string_equal(c.url.host, "acct.blob.core.windows.net");
	assert_int_equal(c.url.port, 443);
	assert_string_equal(c.url.target, "/preflight");
	assert_string_equal(c.perms, "cw");
	assert_string_equal(c.expiry, "2026-12-31T00%3A00%3A00Z");
	char broad[16];
	assert_false(pf_blob_sas_broad(&c, broad, sizeof(broad)));
	/* Refused: no query, no sig, no container, not http(s), a fragment. */
	static const char *const bad[] = {
		"https://acct.blob.core.windows.net/preflight",
		"https://acct.blob.core.windows.net/preflight?sv=2021-08-06&sp=cw",
		"https://acct.blob.core.windows.net/preflight?sig=",
		"https://acct.blob.core.windows.net/?sv=1&sig=x",
		"ftp://acct.blob.core.windows.net/preflight?sig=x",
		"https://acct.blob.core.windows.net/preflight?sig=x#frag",
		"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (pf_blob_container_parse(bad[i], strlen(bad[i]), &c) == PF_OK)
			fail_msg("'%s' was accepted", bad[i]);
	/* A SAS that may read, delete and list too. */
	const char *wide = "http://h:10000/c/?sp=racwdl&sig=s";
	assert_int_equal(pf_blob_container_parse(wide, strlen(wide), &c), PF_OK);
	assert_string_equal(c.url.target, "/c");
	assert_true(pf_blob_sas_broad(&c, broad, sizeof(broad)));
	assert_string_equal(broad, "rdl");
}

static void test_masked_and_request(void **state)
{
	(void)state;
	pf_blob_container c;
	char out[600];
	assert_int_equal(pf_blob_container_parse(URL, strlen(URL), &c), PF_OK);
	size_t n = pf_blob_masked_url(&c, "PF 1.json", out, sizeof(out));
	assert_int_equal(n, strlen(out));
	assert_string_equal(out, "https://acct.blob.core.windows.net/preflight/PF 1.json?sv=2021-08-06&spr=https&"
				 "se=2026-12-31T00%3A00%3A00Z&sr=c&sp=cw&sig=***");
	assert_null(strstr(out, "AbC"));
	/* Any case, any place in the query; another port is kept. */
	const char *other = "https://h:8443/c?SIG=secret&sv=1";
	assert_int_equal(pf_blob_container_parse(other, strlen(other), &c), PF_OK);
	pf_blob_masked_url(&c, NULL, out, sizeof(out));
	assert_string_equal(out, "https://h:8443/c?sig=***&sv=1");

	assert_int_equal(pf_blob_container_parse(URL, strlen(URL), &c), PF_OK);
	n = pf_blob_put_request(&c, "PF 1.json", 1234, out, sizeof(out));
	assert_int_equal(n, strlen(out));
	assert_string_equal(out, "PUT /preflight/PF%201.json?sv=2021-08-06&spr=https&se=2026-12-31T00%3A00%3A00Z&sr=c&sp=cw"
				 "&sig=AbC%2Bd%3D HTTP/1.1\r\nHost: acct.blob.core.windows.net\r\nx-ms-blob-type: BlockBlob\r\n"
				 "x-ms-version: 2021-08-06\r\nContent-Type: application/json\r\nContent-Length: 1234\r\n"
				 "Connection: close\r\n\r\n");
	/* Too small: the length still says how much was needed. */
	char small[8];
	assert_int_equal(pf_blob_put_request(&c, "x", 1, small, sizeof(small)), pf_blob_put_request(&c, "x", 1, NULL, 0));
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

static void test_error_code(void **state)
{
	(void)state;
	char code[64];
	/* Azure Storage's error body (the REST reference's shape) and its x-ms-error-code header. */
	const char *answer = "HTTP/1.1 403 Server failed to authenticate the request.\r\nContent-Length: 10\r\n"
			     "x-ms-error-code: AuthenticationFailed\r\n\r\n";
	pf_http_response r;
	assert_int_equal(pf_http_parse_head(answer, strlen(answer), &r), PF_OK);
	pf_blob_error_code(answer, r.head_len, NULL, 0, code, sizeof(code));
	assert_string_equal(code, "AuthenticationFailed");
	const char *xml = "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ContainerNotFound</Code>"
			  "<Message>The specified container does not exist.</Message></Error>";
	const char *head = "HTTP/1.1 404 Not Found\r\nContent-Type: application/xml\r\n\r\n";
	assert_int_equal(pf_http_parse_head(head, strlen(head), &r), PF_OK);
	pf_blob_error_code(head, r.head_len, xml, strlen(xml), code, sizeof(code));
	assert_string_equal(code, "ContainerNotFound");
	/* Neither, or a <Code> cut off: "" or what there is, never past the body. */
	pf_blob_error_code(head, r.head_len, "<Error>", 7, code, sizeof(code));
	assert_string_equal(code, "");
	pf_blob_error_code(head, r.head_len, "<Code>Server", 12, code, sizeof(code));
	assert_string_equal(code, "Server");
	assert_string_equal(pf_upload_state_str(PF_UPLOAD_DONE), "uploaded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_masked_and_request),
		cmocka_unit_test(test_error_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
