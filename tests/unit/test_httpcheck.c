/* The HTTP answer's verdict shared by the IPv4 and IPv6 checks: status, words, Date, and "more to come". */
#include "testutil.h"
#include "httpcheck.h"
#include "http.h"

static pf_http_verdict judge(const char *answer, bool closed, bool ncsi, const char *tls)
{
	pf_http_verdict v = { .status = PF_CHK_NOT_RUN };
	assert_true(pf_http_verdict_judge(answer, strlen(answer), closed, ncsi, tls, &v));
	return v;
}

#define DATE "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"

static void test_ncsi(void **state)
{
	(void)state;
	pf_http_verdict v = judge("HTTP/1.1 200 OK\r\n" DATE "Content-Length: 22\r\n\r\n" PF_NCSI_TEXT, false, true, NULL);
	assert_int_equal(v.status, PF_CHK_OK);
	assert_string_equal(v.detail, "HTTP 200");
	assert_true(v.has_date);
	assert_int_equal(v.date_unix, 784111777); /* RFC 9110's example date */
	v = judge("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nlogin", false, true, NULL);
	assert_int_equal(v.status, PF_CHK_NCSI_WRONG);
	assert_string_equal(v.detail, "HTTP 200, 5 bytes not '" PF_NCSI_TEXT "': login");
	assert_false(v.has_date);
	v = judge("HTTP/1.1 302 Found\r\nLocation: http://portal.example/login\r\nContent-Length: 0\r\n\r\n", false, true,
		  NULL);
	assert_int_equal(v.status, PF_CHK_NCSI_WRONG);
	assert_string_equal(v.detail, "HTTP 302 redirect to http://portal.example/login");
	/* Another http row: a redirect is no failure, 400 and above are. */
	v = judge("HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n", false, false, NULL);
	assert_int_equal(v.status, PF_CHK_OK);
	v = judge("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", false, false, NULL);
	assert_int_equal(v.status, PF_CHK_HTTP_FAILED);
	assert_string_equal(v.detail, "HTTP 404");
}

static void test_https(void **state)
{
	(void)state;
	pf_http_verdict v = judge("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", false, false, "TLS 1.2 X");
	assert_int_equal(v.status, PF_CHK_OK); /* a 404 on / is normal for these services */
	assert_string_equal(v.detail, "TLS 1.2 X; HTTP 404");
	v = judge("HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n", false, false, "TLS 1.2 X");
	assert_int_equal(v.status, PF_CHK_HTTP_FAILED);
	assert_string_equal(v.detail, "TLS 1.2 X; HTTP 503");
}

static void test_incomplete(void **state)
{
	(void)state;
	pf_http_verdict v = { .status = PF_CHK_NOT_RUN };
	const char *head = "HTTP/1.1 200 OK\r\nContent-Le";
	assert_false(pf_http_verdict_judge(head, strlen(head), false, true, NULL, &v));
	assert_int_equal(v.status, PF_CHK_NOT_RUN); /* untouched while more may come */
	const char *part = "HTTP/1.1 200 OK\r\nContent-Length: 22\r\n\r\nMicrosoft";
	assert_false(pf_http_verdict_judge(part, strlen(part), false, true, NULL, &v));
	/* The server closed: what came is judged. */
	v = judge(part, true, true, NULL);
	assert_int_equal(v.status, PF_CHK_NCSI_WRONG);
	v = judge(head, true, true, NULL);
	assert_int_equal(v.status, PF_CHK_HTTP_FAILED);
	assert_non_null(strstr(v.detail, "malformed answer ("));
	v = judge("SSH-2.0-OpenSSH_9.2\r\n\r\n", false, false, NULL);
	assert_int_equal(v.status, PF_CHK_HTTP_FAILED);
	/* No length, no chunks: the close ends the body. */
	v = judge("HTTP/1.0 200 OK\r\n\r\n" PF_NCSI_TEXT, true, true, NULL);
	assert_int_equal(v.status, PF_CHK_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ncsi),
		cmocka_unit_test(test_https),
		cmocka_unit_test(test_incomplete),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
