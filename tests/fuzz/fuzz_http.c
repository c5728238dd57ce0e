/* libFuzzer target: HTTP response heads, a proxy's answers (CONNECT, 407 challenges), bodies (chunked too), the checks' verdict on an answer, HTTP dates, NTP answers, Blob upload URLs and error codes. */
#include "blob.h"
#include "fuzzutil.h"
#include "http.h"
#include "httpcheck.h"
#include "ntp.h"
#include "proxy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;
	pf_http_response r;
	if (pf_http_parse_head(buf, size, &r) == PF_OK) {
		if (r.head_len > size || r.location_off + r.location_len > size)
			__builtin_trap();
		uint8_t out[256];
		const uint8_t *body;
		size_t n;
		if (pf_http_body(buf, size, &r, out, sizeof(out), &body, &n) == PF_OK)
			(void)pf_ncsi_body_ok(body, n);
		char code[64];
		pf_blob_error_code(buf, r.head_len, buf + r.head_len, size - r.head_len, code, sizeof(code));
		if (strlen(code) >= sizeof(code))
			__builtin_trap();
	}
	/* The checks' verdict: a closed answer is always judged, its words always terminated within the detail. */
	pf_http_verdict v;
	for (int kind = 0; kind < 3; kind++) {
		if (!pf_http_verdict_judge(buf, size, true, kind == 1, kind == 2 ? "TLS 1.2 X" : NULL, &v) ||
		    strlen(v.detail) >= sizeof(v.detail))
			__builtin_trap();
		(void)pf_http_verdict_judge(buf, size, false, kind == 1, NULL, &v);
	}
	/* The input as a container URL: the masked form never holds the signature's value. */
	pf_blob_container *c = pf_malloc(sizeof(*c));
	if (c && pf_blob_container_parse(buf, size, c) == PF_OK) {
		char masked[PF_BLOB_SAS_MAX + 600], req[PF_BLOB_SAS_MAX + 1200];
		pf_blob_masked_url(c, "b.json", masked, sizeof(masked));
		if (!strstr(masked, "sig=***") || pf_blob_put_request(c, "b.json", 1, req, sizeof(req)) >= sizeof(req))
			__builtin_trap();
		char broad[sizeof(c->perms)];
		(void)pf_blob_sas_broad(c, broad, sizeof(broad));
	}
	pf_free(c);
	pf_proxy_reply pr;
	if (pf_proxy_reply_parse(buf, size, &pr) == PF_OK &&
	    (pr.head_len > size || strlen(pr.schemes) >= sizeof(pr.schemes) || strlen(pr.reason) >= sizeof(pr.reason)))
		__builtin_trap();
	char abs[512];
	size_t an = pf_proxy_absolute_request(buf, size, "graph.microsoft.com", 8080, abs, sizeof(abs));
	/* Rewritten: exactly the prefix longer, the prefix right after the method, the last byte unchanged. */
	if (an && an < sizeof(abs)) {
		const char *sp = memchr(abs, ' ', an);
		if (an != size + 31 || !sp || memcmp(sp + 1, "http://graph.microsoft.com:8080/", 32) != 0 ||
		    abs[an - 1] != (char)buf[size - 1])
			__builtin_trap();
	}
	char schemes[24] = "";
	pf_proxy_add_schemes((pf_span){ (const char *)buf, size }, schemes, sizeof(schemes));
	if (strlen(schemes) >= sizeof(schemes))
		__builtin_trap();
	int64_t t;
	(void)pf_http_date_parse((const char *)buf, size, &t);
	pf_ntp_reply nr;
	(void)pf_ntp_parse(buf, size, size >= 32 ? 0 : 1, &nr);
	pf_free(buf);
	return 0;
}
