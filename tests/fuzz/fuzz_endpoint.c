/* libFuzzer target: `kind:host[:port]` endpoint lists as they come from preflight.ini. */
#include "fuzzutil.h"
#include "endpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;
	pf_endpoints l = { 0 };
	char err[120];
	if (pf_endpoints_parse(buf, size, &l, err, sizeof(err)) == PF_OK)
		for (size_t i = 0; i < l.n; i++)
			if (!pf_host_valid(l.items[i].host, strlen(l.items[i].host)) || (l.items[i].kind != PF_EP_DNS && !l.items[i].port))
				__builtin_trap();
	pf_endpoints_free(&l);
	(void)pf_host_valid((const char *)buf, size);
	pf_free(buf);
	return 0;
}
