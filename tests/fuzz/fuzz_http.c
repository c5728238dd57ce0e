/* libFuzzer target: HTTP response heads, bodies (chunked too), HTTP dates and NTP answers. */
#include "fuzzutil.h"
#include "http.h"
#include "ntp.h"

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
	}
	int64_t t;
	(void)pf_http_date_parse((const char *)buf, size, &t);
	pf_ntp_reply nr;
	(void)pf_ntp_parse(buf, size, size >= 32 ? 0 : 1, &nr);
	pf_free(buf);
	return 0;
}
