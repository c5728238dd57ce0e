/* libFuzzer target: `kind:host[:port]` endpoint lists and network.proxy values as they come from preflight.ini. */
#include "fuzzutil.h"
#include "endpoint.h"
#include "proxy.h"

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
	pf_hostport hp;
	char req[1024]; /* as efi/net/net_check.c */
	if (pf_hostport_parse(buf, size, &hp, err, sizeof(err)) == PF_OK) {
		uint8_t a[4];
		if (!hp.port || !pf_host_valid(hp.host, strlen(hp.host)) ||
		    pf_proxy_connect_request(hp.host, hp.port, req, sizeof(req)) >= sizeof(req))
			__builtin_trap();
		(void)pf_ipv4_parse(hp.host, a);
	}
	pf_free(buf);
	return 0;
}
