/* The verdict of an endpoint check on a server's HTTP answer, over IPv4 or IPv6: status, words and its Date. */
#include "httpcheck.h"
#include "fmt.h"
#include "http.h"

bool pf_http_verdict_judge(const void *buf, size_t len, bool closed, bool ncsi, const char *tls_summary,
			   pf_http_verdict *ret)
{
	pf_http_verdict v = { .status = PF_CHK_OK };
	pf_http_response r;
	pf_status st = pf_http_parse_head(buf, len, &r);
	if (st == PF_ERR_TRUNCATED && !closed)
		return false;
	if (st != PF_OK) {
		v.status = PF_CHK_HTTP_FAILED;
		pf_snprintf(v.detail, sizeof(v.detail), "malformed answer (%s, %zu bytes)", pf_status_str(st), len);
		*ret = v;
		return true;
	}
	uint8_t tmp[256];
	const uint8_t *body = NULL;
	size_t blen = 0;
	st = pf_http_body(buf, len, &r, tmp, sizeof(tmp), &body, &blen);
	if (st == PF_ERR_TRUNCATED && !closed)
		return false;
	v.has_date = r.has_date;
	v.date_unix = r.date_unix;
	if (tls_summary) {
		v.status = r.status >= 500 ? PF_CHK_HTTP_FAILED : PF_CHK_OK;
		pf_snprintf(v.detail, sizeof(v.detail), "%s; HTTP %u", tls_summary, r.status);
	} else if (r.status >= 400) {
		v.status = PF_CHK_HTTP_FAILED;
		pf_snprintf(v.detail, sizeof(v.detail), "HTTP %u", r.status);
	} else if (!ncsi) {
		pf_snprintf(v.detail, sizeof(v.detail), "HTTP %u", r.status);
	} else if (r.status >= 300) {
		v.status = PF_CHK_NCSI_WRONG;
		pf_snprintf(v.detail, sizeof(v.detail), "HTTP %u redirect to %.*s", r.status, (int)PF_MIN(r.location_len, 100),
			    (const char *)buf + r.location_off);
	} else if (st != PF_OK || !pf_ncsi_body_ok(body, blen)) {
		char shown[41];
		size_t k = 0;
		for (size_t i = 0; body && i < blen && k < sizeof(shown) - 1; i++)
			shown[k++] = body[i] >= 0x20 && body[i] < 0x7f ? (char)body[i] : '.';
		shown[k] = '\0';
		v.status = PF_CHK_NCSI_WRONG;
		pf_snprintf(v.detail, sizeof(v.detail), "HTTP %u, %zu bytes not '" PF_NCSI_TEXT "': %s", r.status, blen, shown);
	} else {
		pf_snprintf(v.detail, sizeof(v.detail), "HTTP %u", r.status);
	}
	*ret = v;
	return true;
}
