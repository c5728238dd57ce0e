/* The network checks per service of Microsoft's allow-lists: "Intune: blocked (1 of 1 host)". */
#include "netservice.h"
#include "str.h"

size_t pf_net_services(const pf_net_result *r, pf_net_service *ret, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; r && i < r->n_checks && max > 0; i++) {
		const pf_net_check *c = &r->checks[i];
		const char *svc = c->ep.service ? c->ep.service : PF_SERVICE_OTHER;
		size_t k = 0;
		while (k < n && pf_strcmp(ret[k].service, svc) != 0)
			k++;
		if (k == n) {
			if (n == max)
				k = max - 1; /* more services than room: counted with the last */
			else
				ret[n++] = (pf_net_service){ .service = svc };
		}
		ret[k].hosts++;
		pf_chk_status st = pf_net_check_status(r, c); /* IPv6's on an IPv6-only network */
		if (st != PF_CHK_NOT_RUN) {
			ret[k].run++;
			if (st != PF_CHK_OK)
				ret[k].failed++;
			if (st == PF_CHK_TLS_UNTRUSTED)
				ret[k].inspected++;
		}
	}
	return n;
}

const char *pf_net_service_state(const pf_net_service *s)
{
	if (s->run == 0)
		return "not checked";
	if (s->failed == 0)
		return "ok";
	if (s->inspected == s->failed)
		return s->failed == s->run ? "TLS inspected" : "partly TLS inspected";
	return s->failed == s->run ? "blocked" : "partly blocked";
}

void pf_net_services_text(const pf_net_result *r, pf_buf *out)
{
	pf_net_service s[PF_NET_MAX_SERVICES];
	size_t n = pf_net_services(r, s, PF_NET_MAX_SERVICES);
	for (size_t i = 0; i < n; i++) {
		if (s[i].failed)
			pf_buf_printf(out, "  %s: %s (%zu of %zu host%s)\n", s[i].service, pf_net_service_state(&s[i]),
				      s[i].failed, s[i].hosts, s[i].hosts == 1 ? "" : "s");
		else
			pf_buf_printf(out, "  %s: %s (%zu host%s)\n", s[i].service, pf_net_service_state(&s[i]), s[i].hosts,
				      s[i].hosts == 1 ? "" : "s");
	}
}

void pf_net_services_json(pf_json *j, const pf_net_result *r)
{
	pf_net_service s[PF_NET_MAX_SERVICES];
	size_t n = pf_net_services(r, s, PF_NET_MAX_SERVICES);
	pf_json_arr_begin(j, "services");
	for (size_t i = 0; i < n; i++) {
		pf_json_obj_begin(j, NULL);
		pf_json_str(j, "service", s[i].service);
		pf_json_str(j, "state", pf_net_service_state(&s[i]));
		pf_json_int(j, "hosts", (int64_t)s[i].hosts);
		pf_json_int(j, "run", (int64_t)s[i].run);
		pf_json_int(j, "failed", (int64_t)s[i].failed);
		pf_json_obj_end(j);
	}
	pf_json_arr_end(j);
}
