/* libFuzzer target: FindProxyForURL answers ("PROXY a:8080; DIRECT") read as route lists. */
#include "fuzzutil.h"
#include "pacresult.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;
	pf_pac_routes r;
	char err[160];
	pf_status st = pf_pac_parse_result((const char *)buf, size, &r, err, sizeof(err));
	if (st == PF_OK) {
		if (r.n == 0 || r.n > PF_PAC_ROUTES_MAX)
			__builtin_trap();
		for (size_t i = 0; i < r.n; i++) {
			const pf_pac_route *e = &r.items[i];
			if (e->kind != PF_PAC_DIRECT && (!e->host[0] || !e->port || strlen(e->host) > PF_PAC_HOST_MAX))
				__builtin_trap();
			if (e->supported != (e->kind != PF_PAC_SOCKS))
				__builtin_trap();
		}
	} else if (!err[0] || r.n) {
		__builtin_trap();
	}
	pf_free(buf);
	return 0;
}
