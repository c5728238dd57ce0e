/* What the network phase found (interfaces, address, per-endpoint checks, clock skew) and its findings. */
#include "netresult.h"
#include "netservice.h"
#include "fmt.h"
#include "ip6.h"
#include "str.h"

static const char *const status_names[PF_CHK__COUNT] = {
	[PF_CHK_NOT_RUN] = "not-run",
	[PF_CHK_OK] = "ok",
	[PF_CHK_DNS_FAILED] = "dns-failed",
	[PF_CHK_TCP_REFUSED] = "tcp-refused",
	[PF_CHK_TCP_TIMEOUT] = "tcp-timeout",
	[PF_CHK_HTTP_FAILED] = "http-failed",
	[PF_CHK_NCSI_WRONG] = "ncsi-wrong",
	[PF_CHK_NTP_FAILED] = "ntp-failed",
	[PF_CHK_TLS_UNTRUSTED] = "tls-untrusted",
	[PF_CHK_TLS_FAILED] = "tls-failed",
	[PF_CHK_PROXY_AUTH] = "proxy-auth",
	[PF_CHK_PROXY_REFUSED] = "proxy-refused",
	[PF_CHK_PROXY_FAILED] = "proxy-failed",
	[PF_CHK_ERROR] = "error",
};

const char *pf_chk_status_str(pf_chk_status s)
{
	return (unsigned)s < PF_CHK__COUNT ? status_names[s] : "?";
}

bool pf_net_kind_proxied(pf_ep_kind k)
{
	return k == PF_EP_TCP || k == PF_EP_HTTP || k == PF_EP_HTTPS;
}

const pf_net_proxy *pf_net_check_proxy(const pf_net_result *r, const pf_net_check *c)
{
	if (!c->via_proxy || c->hop >= c->n_route || c->route[c->hop] == 0 || c->route[c->hop] > r->proxy.n)
		return NULL;
	return &r->proxy.list[c->route[c->hop] - 1];
}

void pf_net_check_path(const pf_net_result *r, const pf_net_check *c, char *buf, size_t cap)
{
	const pf_net_proxy *p = pf_net_check_proxy(r, c);
	if (!p)
		pf_snprintf(buf, cap, "direct");
	else if (r->proxy.source == PF_PROXY_PAC)
		pf_snprintf(buf, cap, "proxy %s:%u via PAC %s", p->at.host, (unsigned)p->at.port, r->proxy.pac_url);
	else
		pf_snprintf(buf, cap, "proxy %s:%u (configured)", p->at.host, (unsigned)p->at.port);
}

bool pf_net_dot1x_asks(const pf_net_dot1x *d)
{
	return d->probed && pf_dot1x_frame_asks(d->frame);
}

/* The authenticator's frame as a network admin names it: "EAP-Request/Identity", "EAP-Request (method 25)". */
static void dot1x_frame_words(const pf_net_dot1x *d, char *buf, size_t cap)
{
	switch (d->frame) {
	case PF_DOT1X_EAP_REQUEST_IDENTITY:
		pf_snprintf(buf, cap, "EAP-Request/Identity");
		break;
	case PF_DOT1X_EAP_REQUEST_METHOD:
		pf_snprintf(buf, cap, "EAP-Request (method %u)", (unsigned)d->eap_method);
		break;
	case PF_DOT1X_EAPOL_KEY:
		pf_snprintf(buf, cap, "EAPOL-Key");
		break;
	case PF_DOT1X_EAP_SUCCESS:
		pf_snprintf(buf, cap, "EAP-Success");
		break;
	case PF_DOT1X_EAP_FAILURE:
		pf_snprintf(buf, cap, "EAP-Failure");
		break;
	default:
		pf_snprintf(buf, cap, "no authenticator frame");
		break;
	}
}

/*
 * The port asks for 802.1X, which OOBE cannot answer on a wired port. When DHCP failed or no check got
 * through, that is the cause (error; NET-DHCP-FAILED stays, naming it); when the network worked anyway, the
 * port let us in unauthenticated (MAC authentication bypass or a guest VLAN): a warning.
 */
static void dot1x_finding(const pf_net_result *r, bool blocked, const char *what, pf_findings *f)
{
	char words[48];
	dot1x_frame_words(&r->dot1x, words, sizeof(words));
	pf_finding *fd;
	if (blocked)
		fd = pf_finding_add(f, PF_NET_8021X_REQUIRED,
				    "The switch port asks for 802.1X authentication (%s from %s) and %s: 802.1X is the cause. "
				    "OOBE cannot authenticate on a wired port (Windows' Wired AutoConfig service does not run "
				    "there), so Autopilot will not get through this port.", words, r->dot1x.authenticator, what);
	else
		fd = pf_finding_add(f, PF_NET_8021X_BYPASSED,
				    "The switch port asks for 802.1X authentication (%s from %s), but the network works without "
				    "it (MAC authentication bypass or a guest VLAN): OOBE will get the same access, not more.",
				    words, r->dot1x.authenticator);
	size_t ok = 0;
	for (size_t i = 0; i < r->n_checks; i++)
		ok += r->checks[i].status == PF_CHK_OK;
	pf_finding_detail(fd, "frame=%s authenticator=%s ms=%u dhcp=%s checks_ok=%zu/%zu", pf_dot1x_frame_str(r->dot1x.frame),
			  r->dot1x.authenticator, (unsigned)r->dot1x.ms, r->has_ipv4 ? "ok" : "failed", ok, r->n_checks);
}

pf_status pf_net_result_init(pf_net_result *r, const pf_endpoints *eps)
{
	pf_free(r->checks);
	r->checks = NULL;
	r->n_checks = 0;
	if (!eps->n)
		return PF_OK;
	r->checks = pf_malloc(eps->n * sizeof(*r->checks));
	if (!r->checks)
		return PF_ERR_NOMEM;
	for (size_t i = 0; i < eps->n; i++)
		r->checks[i] = (pf_net_check){ .ep = eps->items[i], .status = PF_CHK_NOT_RUN };
	r->n_checks = eps->n;
	return PF_OK;
}

void pf_net_result_free(pf_net_result *r)
{
	pf_free(r->checks);
	r->checks = NULL;
	r->n_checks = 0;
}

void pf_net_pick_skew(pf_net_result *r)
{
	const pf_net_check *best = NULL;
	for (size_t i = 0; i < r->n_checks; i++) {
		const pf_net_check *c = &r->checks[i];
		if (!c->has_skew)
			continue;
		if (!best || (c->ep.kind == PF_EP_NTP && best->ep.kind != PF_EP_NTP))
			best = c;
	}
	r->has_clock_skew = best != NULL;
	r->clock_source = NULL;
	if (!best) {
		/* No IPv4 check gave a time (an IPv6-only network): the same choice among the IPv6 attempts. */
		for (size_t i = 0; i < r->n_checks; i++) {
			const pf_net_check *c = &r->checks[i];
			if (c->v6.has_skew && (!best || (c->ep.kind == PF_EP_NTP && best->ep.kind != PF_EP_NTP)))
				best = c;
		}
		if (!best)
			return;
		r->has_clock_skew = true;
		r->clock_skew_s = best->v6.skew_s;
		pf_snprintf(r->clock_source_buf, sizeof(r->clock_source_buf), "%s %s over IPv6",
			    best->ep.kind == PF_EP_NTP ? "ntp" : "http-date", best->ep.host);
		r->clock_source = r->clock_source_buf;
		return;
	}
	r->clock_skew_s = best->skew_s;
	pf_snprintf(r->clock_source_buf, sizeof(r->clock_source_buf), "%s %s",
		    best->ep.kind == PF_EP_NTP ? "ntp" : "http-date", best->ep.host);
	r->clock_source = r->clock_source_buf;
}

static pf_finding *add_for_check(const pf_net_result *r, pf_findings *f, pf_code code, const pf_net_check *c,
				 const char *what, uint32_t required_services)
{
	/* Through a proxy the cause may be the proxy's (TLS inspection, its own error page): the finding names it,
	 * and the detail says which proxy (via=HOST:PORT; the check's path says how it was chosen). */
	const pf_net_proxy *p = pf_net_check_proxy(r, c);
	char through[PF_HOST_MAX + 48] = "", via[PF_HOST_MAX + 16] = "";
	if (p && code != PF_NET_PROXY_DENIED) /* that one says "refused by the proxy" already */
		pf_snprintf(through, sizeof(through), code == PF_NET_TLS_UNTRUSTED ?
			    " through proxy %s:%u, which likely inspects TLS" : " through proxy %s:%u", p->at.host,
			    (unsigned)p->at.port);
	if (p)
		pf_snprintf(via, sizeof(via), " via=%s:%u", p->at.host, (unsigned)p->at.port);
	/* The service first: what a network admin looks up in Microsoft's allow-list. */
	pf_finding *fd = pf_finding_add(f, code, "%s: %s %s:%u %s%s (%s).",
					c->ep.service ? c->ep.service : PF_SERVICE_OTHER, pf_ep_kind_str(c->ep.kind),
					c->ep.host, (unsigned)c->ep.port, what, through, pf_step_title(c->ep.step));
	if (!fd)
		return NULL;
	fd->step = c->ep.step;
	if (fd->severity == PF_SEV_ERROR && pf_ep_warns(&c->ep, required_services))
		fd->severity = PF_SEV_WARN;
	pf_finding_detail(fd, "host=%s port=%u step=%s status=%s%s%s%s%s%s", c->ep.host, (unsigned)c->ep.port,
			  pf_step_str(c->ep.step), pf_chk_status_str(c->status), c->addr[0] ? " addr=" : "", c->addr, via,
			  c->detail[0] ? ": " : "", c->detail);
	return fd;
}

/* A proxy's 407 for the hosts of one step: one finding naming them (a proxy asking every host for a
 * login would otherwise give thirty findings with one cause). */
static void proxy_auth_finding(const pf_net_result *r, const pf_config *c, pf_step step, pf_findings *f)
{
	size_t n = 0;
	bool all_warn = true;
	const pf_net_proxy *p = NULL;
	char hosts[PF_NET_DETAIL_MAX] = "", schemes[PF_PROXY_SCHEMES_MAX] = "";
	for (size_t i = 0; i < r->n_checks; i++) {
		const pf_net_check *k = &r->checks[i];
		if (k->status != PF_CHK_PROXY_AUTH || k->ep.step != step)
			continue;
		n++;
		if (!p)
			p = pf_net_check_proxy(r, k);
		all_warn &= pf_ep_warns(&k->ep, c->network_required_services);
		pf_proxy_add_schemes(pf_span_of(k->proxy_schemes), schemes, sizeof(schemes));
		size_t used = strlen(hosts);
		if (used + strlen(k->ep.host) + 3 < sizeof(hosts))
			pf_snprintf(hosts + used, sizeof(hosts) - used, "%s%s", used ? ", " : "", k->ep.host);
	}
	if (!n || !p)
		return;
	pf_finding *fd = pf_finding_add(f, PF_NET_PROXY_AUTH,
					"Proxy %s:%u asks for a login (HTTP 407%s%s) for %zu host%s of %s: OOBE runs as SYSTEM "
					"and cannot answer it.", p->at.host, (unsigned)p->at.port,
					schemes[0] ? ", " : "", schemes, n, n == 1 ? "" : "s", pf_step_title(step));
	if (!fd)
		return;
	fd->step = step;
	if (all_warn)
		fd->severity = PF_SEV_WARN;
	pf_finding_detail(fd, "proxy=%s:%u step=%s schemes=%s hosts=%s", p->at.host, (unsigned)p->at.port,
			  pf_step_str(step), schemes[0] ? schemes : "-", hosts);
}

/* One finding per proxy that could not be used at all (no address, no connection, not HTTP). */
static void proxy_unreachable_findings(const pf_net_result *r, pf_findings *f)
{
	for (size_t p = 0; p < r->proxy.n; p++) {
		const pf_net_proxy *x = &r->proxy.list[p];
		const pf_net_check *broken = NULL;
		size_t n_broken = 0;
		for (size_t i = 0; i < r->n_checks; i++)
			if (r->checks[i].status == PF_CHK_PROXY_FAILED && pf_net_check_proxy(r, &r->checks[i]) == x &&
			    n_broken++ == 0)
				broken = &r->checks[i];
		if (!broken && !x->error[0])
			continue;
		pf_finding *fd = pf_finding_add(f, PF_NET_PROXY_UNREACHABLE,
						"Proxy %s:%u cannot be used: %zu check%s through it failed.", x->at.host,
						(unsigned)x->at.port, n_broken, n_broken == 1 ? "" : "s");
		pf_finding_detail(fd, "proxy=%s:%u addr=%s: %s", x->at.host, (unsigned)x->at.port, x->addr[0] ? x->addr : "-",
				  x->error[0] ? x->error : broken->detail);
	}
}

static const char *pac_from_str(pf_pac_from f)
{
	static const char *const names[] = { [PF_PAC_FROM_NONE] = "none", [PF_PAC_FROM_DHCP] = "wpad-dhcp",
					     [PF_PAC_FROM_DNS] = "wpad-dns", [PF_PAC_FROM_CONFIG] = "network.pac_url",
					     [PF_PAC_FROM_INFORM] = "wpad-dhcp-inform" };
	return (unsigned)f < PF_ARRAY_SIZE(names) ? names[f] : "?";
}

static void proxy_findings(const pf_net_result *r, const pf_config *c, pf_findings *f)
{
	if (r->proxy.pac_error[0]) {
		pf_finding *fd = pf_finding_add(f, PF_NET_PAC_FAILED, "The proxy auto-configuration file %s cannot be used: "
						"%s; Windows then connects directly, as these checks did.",
						r->proxy.pac_url[0] ? r->proxy.pac_url : "(none)", r->proxy.pac_error);
		pf_finding_detail(fd, "pac_url=%s from=%s", r->proxy.pac_url, pac_from_str(r->proxy.pac_from));
	}
	if (r->proxy.source == PF_PROXY_NONE)
		return;
	proxy_unreachable_findings(r, f);
	for (pf_step s = 0; s < PF_STEP__COUNT; s++)
		proxy_auth_finding(r, c, s, f);
	pf_finding *fd = NULL;
	if (r->proxy.source == PF_PROXY_CONFIGURED) {
		const pf_net_proxy *p = &r->proxy.list[0];
		fd = pf_finding_add(f, PF_NET_PROXY_MANUAL, "The checks went through proxy %s:%u from network.proxy: OOBE "
				    "will not find this proxy by itself (it looks for one by WPAD only).", p->at.host,
				    (unsigned)p->at.port);
		pf_finding_detail(fd, "proxy=%s:%u source=network.proxy", p->at.host, (unsigned)p->at.port);
	} else if (r->proxy.pac_from == PF_PAC_FROM_CONFIG) {
		fd = pf_finding_add(f, PF_NET_PROXY_MANUAL, "The checks followed the PAC file %s from network.pac_url: OOBE "
				    "will not find it by itself (it looks for one by WPAD only).", r->proxy.pac_url);
		pf_finding_detail(fd, "pac_url=%s source=network.pac_url", r->proxy.pac_url);
	}
}

void pf_net_check6_set_addr(pf_net_check6 *v, const uint8_t a[16])
{
	uint8_t v4[4];
	pf_ip6_str(a, v->addr);
	v->nat64 = pf_ip6_nat64(a, v4);
	v->nat64_v4[0] = '\0';
	if (v->nat64)
		pf_snprintf(v->nat64_v4, sizeof(v->nat64_v4), "%u.%u.%u.%u", v4[0], v4[1], v4[2], v4[3]);
}

size_t pf_net_nat64_checks(const pf_net_result *r, const char **ret_prefix)
{
	size_t n = 0;
	const char *first = NULL;
	for (size_t i = 0; i < r->n_checks; i++) {
		const pf_net_check6 *v = &r->checks[i].v6;
		if (!v->nat64 || v->status == PF_CHK_NOT_RUN)
			continue;
		if (!n++)
			first = v->nat64;
	}
	*ret_prefix = first;
	return n;
}

bool pf_net_ipv6_only(const pf_net_result *r)
{
	return !r->has_ipv4 && r->ipv6.offered && r->reached == PF_NET_STAGE_CHECKS;
}

pf_chk_status pf_net_check_status(const pf_net_result *r, const pf_net_check *c)
{
	return pf_net_ipv6_only(r) ? c->v6.status : c->status;
}

/* The check as its verdict sees it: on an IPv6-only network, the IPv6 attempt's status, address and detail. */
static const pf_net_check *verdict_view(const pf_net_result *r, const pf_net_check *k, pf_net_check *tmp)
{
	if (!pf_net_ipv6_only(r))
		return k;
	*tmp = *k;
	tmp->status = k->v6.status;
	pf_strlcpy(tmp->addr, k->v6.addr, sizeof(tmp->addr)); /* shortened to fit: the report has it whole */
	char via[64] = "";
	if (k->v6.nat64)
		pf_snprintf(via, sizeof(via), " (NAT64 %s to %s)", k->v6.nat64, k->v6.nat64_v4);
	pf_snprintf(tmp->detail, sizeof(tmp->detail), "over IPv6 [%s]%s%s%s", k->v6.addr, via, k->v6.detail[0] ? ": " : "",
		    k->v6.detail);
	return tmp;
}

/*
 * IPv6 offered, an endpoint reached over IPv4 but not over IPv6 although it has an AAAA record: Windows tries
 * IPv6 first and falls back to IPv4 only after a delay (Happy Eyeballs, RFC 8305 and 6555), for every
 * connection. One finding naming the hosts. A host without an AAAA record is no problem: Windows then uses
 * IPv4 at once.
 */
/* The IPv6 outcomes that make an endpoint broken over IPv6: the connection failed (Windows falls back to IPv4 only
 * after Happy Eyeballs' delay), or TLS or HTTP failed after it (no fallback then: the connection was made). */
static bool ipv6_broken_status(pf_chk_status st)
{
	return st == PF_CHK_TCP_TIMEOUT || st == PF_CHK_TCP_REFUSED || st == PF_CHK_TLS_FAILED ||
	       st == PF_CHK_TLS_UNTRUSTED || st == PF_CHK_HTTP_FAILED || st == PF_CHK_NCSI_WRONG;
}

static void ipv6_broken_finding(const pf_net_result *r, pf_findings *f)
{
	if (!r->ipv6.offered || pf_net_ipv6_only(r))
		return;
	size_t n = 0;
	bool late_any = false;
	const pf_net_check *first = NULL;
	char hosts[PF_NET_DETAIL_MAX] = "";
	for (size_t i = 0; i < r->n_checks; i++) {
		const pf_net_check *k = &r->checks[i];
		if (k->status != PF_CHK_OK || !k->v6.addr[0] || !ipv6_broken_status(k->v6.status))
			continue;
		if (n++ == 0)
			first = k;
		/* A connection that failed is named by host and port; a later failure (TLS, HTTP) also by its status. */
		bool late = k->v6.status != PF_CHK_TCP_TIMEOUT && k->v6.status != PF_CHK_TCP_REFUSED;
		late_any |= late;
		size_t used = strlen(hosts);
		if (used + strlen(k->ep.host) + 24 < sizeof(hosts))
			pf_snprintf(hosts + used, sizeof(hosts) - used, "%s%s:%u%s%s%s", used ? ", " : "", k->ep.host,
				    (unsigned)k->ep.port, late ? " (" : "", late ? pf_chk_status_str(k->v6.status) : "",
				    late ? ")" : "");
	}
	if (!n)
		return;
	pf_finding *fd = pf_finding_add(f, PF_NET_IPV6_BROKEN,
					"IPv6 is offered (%s) but %zu host%s cannot be reached over it while IPv4 works: %s. "
					"Windows tries IPv6 first and falls back to IPv4 only after a delay (Happy Eyeballs), "
					"on every connection%s.", r->ipv6.n_addresses ? r->ipv6.addresses[0] : "-", n,
					n == 1 ? "" : "s", hosts,
					late_any ? "; a TLS or HTTP failure after an IPv6 connection is not retried over IPv4 at all" : "");
	pf_finding_detail(fd, "hosts=%s ipv6=%s first=%s [%s] status=%s: %s", hosts,
			  r->ipv6.n_addresses ? r->ipv6.addresses[0] : "-", first->ep.host, first->v6.addr,
			  pf_chk_status_str(first->v6.status), first->v6.detail);
}

void pf_net_findings(const pf_net_result *r, const pf_config *c, pf_findings *f)
{
	if (r->n_nics == 0) {
		pf_finding_add(f, PF_NET_NO_NIC, "No network adapter was found after connecting all controllers.");
		return;
	}
	if (r->n_wired == 0) {
		pf_finding_add(f, PF_NET_WIFI_ONLY, "Only wireless adapters (%zu): the user will connect to Wi-Fi in OOBE; the "
				"network was not checked.", r->n_wireless);
		return;
	}
	if (r->n_wired_media == 0) {
		pf_finding_add(f, PF_NET_NO_LINK, "No wired adapter has a link (%zu wired adapter%s).", r->n_wired,
			       r->n_wired == 1 ? "" : "s");
		return;
	}
	bool asks = pf_net_dot1x_asks(&r->dot1x);
	if (pf_net_ipv6_only(r)) {
		/* No DHCPv4, but IPv6 carries the checks: the verdict comes from them, as Windows would get through.
		 * NET-DHCP-FAILED stays (a contract code scripts count), as information. */
		pf_finding *fd = pf_finding_add(f, PF_NET_DHCP_FAILED, "No IPv4 address from DHCP within %u ms: the "
						"network is IPv6-only (NET-IPV6-ONLY), which Windows can use.",
						(unsigned)c->dhcp_timeout_ms);
		if (fd) {
			fd->severity = PF_SEV_INFO;
			if (r->n_nics_used)
				pf_finding_detail(fd, "adapter %s", r->nics_used[0]);
		}
		/* Behind DNS64/NAT64 the IPv4-only services answer through the translator: say how many did. */
		const char *prefix;
		size_t n64 = pf_net_nat64_checks(r, &prefix);
		char nat64[96] = "";
		if (n64)
			pf_snprintf(nat64, sizeof(nat64), " (%zu of them through NAT64 %s, from DNS64 answers)", n64, prefix);
		fd = pf_finding_add(f, PF_NET_IPV6_ONLY, "No IPv4 address from DHCP within %u ms, but the "
						"network is IPv6-only (%s, %s): the checks ran over IPv6%s.",
						(unsigned)c->dhcp_timeout_ms, r->ipv6.n_addresses ? r->ipv6.addresses[0] : "-",
						r->ipv6.how ? r->ipv6.how : "?", nat64);
		pf_finding_detail(fd, "ipv6=%s how=%s dns=%s nat64=%s checks_via_nat64=%zu",
				  r->ipv6.n_addresses ? r->ipv6.addresses[0] : "-", r->ipv6.how ? r->ipv6.how : "-",
				  r->ipv6.n_dns_servers ? r->ipv6.dns_servers[0] : "-", prefix ? prefix : "-", n64);
	} else if (r->reached == PF_NET_STAGE_DHCP || !r->has_ipv4) {
		pf_finding *fd = pf_finding_add(f, PF_NET_DHCP_FAILED, "No IPv4 address from DHCP within %u ms%s.",
						(unsigned)c->dhcp_timeout_ms,
						asks ? ": the port asks for 802.1X and stays closed (NET-8021X-REQUIRED)" : "");
		if (fd && r->n_nics_used)
			pf_finding_detail(fd, "adapter %s", r->nics_used[0]);
		if (asks)
			dot1x_finding(r, true, "no IPv4 address came from DHCP", f);
		return;
	}
	uint32_t req = c->network_required_services;
	for (size_t i = 0; i < r->n_checks; i++) {
		pf_net_check tmp;
		const pf_net_check *k = verdict_view(r, &r->checks[i], &tmp);
		switch (k->status) {
		case PF_CHK_DNS_FAILED:
			add_for_check(r, f, PF_NET_DNS_FAILED, k, "does not resolve", req);
			break;
		case PF_CHK_TCP_REFUSED:
			add_for_check(r, f, PF_NET_TCP_BLOCKED, k, "refuses connections", req);
			break;
		case PF_CHK_TCP_TIMEOUT:
			add_for_check(r, f, PF_NET_TCP_BLOCKED, k, "does not answer connections", req);
			break;
		case PF_CHK_HTTP_FAILED:
			add_for_check(r, f, PF_NET_HTTP_FAILED, k, "gives no usable HTTP answer", req);
			break;
		case PF_CHK_NCSI_WRONG:
			add_for_check(r, f, PF_NET_NCSI_FAILED, k, "answers the connectivity test with other content", req);
			break;
		case PF_CHK_TLS_UNTRUSTED:
			add_for_check(r, f, PF_NET_TLS_UNTRUSTED, k, "presents a certificate from an untrusted issuer", req);
			break;
		case PF_CHK_TLS_FAILED:
			add_for_check(r, f, PF_NET_TLS_FAILED, k, "fails the TLS handshake", req);
			break;
		case PF_CHK_PROXY_REFUSED:
			add_for_check(r, f, PF_NET_PROXY_DENIED, k, "is refused by the proxy", req);
			break;
		case PF_CHK_PROXY_AUTH:   /* one finding per step: proxy_findings() */
		case PF_CHK_PROXY_FAILED: /* one finding for the proxy: proxy_findings() */
		case PF_CHK_NTP_FAILED: /* no code of its own: the skew then comes from HTTP Date */
		case PF_CHK_ERROR:
		case PF_CHK_NOT_RUN:
		case PF_CHK_OK:
		case PF_CHK__COUNT:
			break;
		}
	}
	proxy_findings(r, c, f);
	ipv6_broken_finding(r, f);
	if (asks) {
		bool any_ok = r->n_checks == 0;
		for (size_t i = 0; i < r->n_checks; i++)
			any_ok |= pf_net_check_status(r, &r->checks[i]) == PF_CHK_OK;
		dot1x_finding(r, !any_ok, "no endpoint check got through", f);
	}
	if (r->has_clock_skew) {
		int64_t a = r->clock_skew_s < 0 ? -r->clock_skew_s : r->clock_skew_s;
		if (a > (int64_t)c->max_clock_skew_s) {
			pf_finding *fd = pf_finding_add(f, PF_NET_CLOCK_SKEW, "The firmware clock is %lld s %s server time.",
							(long long)a, r->clock_skew_s > 0 ? "behind" : "ahead of");
			if (fd)
				pf_finding_detail(fd, "skew=%llds limit=%us source=%s", (long long)r->clock_skew_s,
						  (unsigned)c->max_clock_skew_s, r->clock_source ? r->clock_source : "?");
		}
	}
}

static const char *proxy_source_str(pf_proxy_source s)
{
	return s == PF_PROXY_CONFIGURED ? "configured" : s == PF_PROXY_PAC ? "pac" : "none";
}

/* network.proxy: how the way out was chosen (docs/report.md). host, port, address and error: the configured
 * proxy; proxies: every proxy a check could take. */
static void proxy_json(pf_json *j, const pf_net_proxies *p)
{
	const pf_net_proxy *cfg = p->source == PF_PROXY_CONFIGURED && p->n ? &p->list[0] : NULL;
	pf_json_obj_begin(j, "proxy");
	pf_json_str(j, "source", proxy_source_str(p->source));
	pf_json_str(j, "host", cfg ? cfg->at.host : NULL);
	if (cfg)
		pf_json_int(j, "port", cfg->at.port);
	else
		pf_json_null(j, "port");
	pf_json_str(j, "address", cfg && cfg->addr[0] ? cfg->addr : NULL);
	pf_json_str(j, "error", cfg && cfg->error[0] ? cfg->error : NULL);
	pf_json_arr_begin(j, "proxies");
	for (size_t i = 0; i < p->n; i++) {
		pf_json_obj_begin(j, NULL);
		pf_json_str(j, "host", p->list[i].at.host);
		pf_json_int(j, "port", p->list[i].at.port);
		pf_json_str(j, "address", p->list[i].addr[0] ? p->list[i].addr : NULL);
		pf_json_str(j, "error", p->list[i].error[0] ? p->list[i].error : NULL);
		pf_json_obj_end(j);
	}
	pf_json_arr_end(j);
	if (!p->wpad_checked) {
		pf_json_str(j, "wpad", "not-checked");
	} else {
		pf_json_obj_begin(j, "wpad");
		bool found = p->pac_from == PF_PAC_FROM_DHCP || p->pac_from == PF_PAC_FROM_INFORM ||
			     p->pac_from == PF_PAC_FROM_DNS;
		pf_json_bool(j, "found", found);
		pf_json_str(j, "from", found ? pac_from_str(p->pac_from) : NULL);
		pf_json_str(j, "inform", p->inform[0] ? p->inform : NULL);
		if (p->inform[0])
			pf_json_int(j, "inform_ms", p->inform_ms);
		else
			pf_json_null(j, "inform_ms");
		pf_json_arr_begin(j, "dns_names");
		for (size_t i = 0; i < p->n_wpad_dns; i++)
			pf_json_str(j, NULL, p->wpad_dns[i]);
		pf_json_arr_end(j);
		pf_json_obj_end(j);
	}
	pf_json_str(j, "pac_url", p->pac_url[0] ? p->pac_url : NULL);
	if (!p->pac_url[0]) {
		pf_json_null(j, "pac");
	} else {
		pf_json_obj_begin(j, "pac");
		pf_json_str(j, "from", pac_from_str(p->pac_from));
		pf_json_int(j, "size", (int64_t)p->pac_size);
		pf_json_str(j, "sha256", p->pac_sha256[0] ? p->pac_sha256 : NULL);
		pf_json_int(j, "fetch_ms", p->pac_fetch_ms);
		pf_json_int(j, "eval_ms", p->pac_eval_ms);
		pf_json_str(j, "error", p->pac_error[0] ? p->pac_error : NULL);
		pf_json_obj_end(j);
	}
	pf_json_obj_end(j);
}

/* checks[].ipv6: the same endpoint over IPv6; null when IPv6 was not offered. */
static void check6_json(pf_json *j, const pf_net_result *r, const pf_net_check6 *v)
{
	if (!r->ipv6.offered) {
		pf_json_null(j, "ipv6");
		return;
	}
	pf_json_obj_begin(j, "ipv6");
	pf_json_str(j, "status", pf_chk_status_str(v->status));
	pf_json_str(j, "address", v->addr[0] ? v->addr : NULL);
	if (v->status == PF_CHK_NOT_RUN)
		pf_json_null(j, "ms");
	else
		pf_json_int(j, "ms", v->ms);
	pf_json_str(j, "detail", v->detail[0] ? v->detail : NULL);
	if (v->nat64) {
		pf_json_obj_begin(j, "nat64");
		pf_json_str(j, "prefix", v->nat64);
		pf_json_str(j, "ipv4", v->nat64_v4);
		pf_json_obj_end(j);
	} else {
		pf_json_null(j, "nat64");
	}
	pf_json_obj_end(j);
}

/* network.ipv6: what the firmware's IPv6 stack got on the adapter (docs/report.md). */
static void ipv6_json(pf_json *j, const pf_net_result *r)
{
	const pf_net_ipv6 *v = &r->ipv6;
	pf_json_obj_begin(j, "ipv6");
	pf_json_bool(j, "checked", v->checked);
	pf_json_bool(j, "offered", v->offered);
	pf_json_bool(j, "router", v->router);
	pf_json_arr_begin(j, "addresses");
	for (size_t i = 0; i < v->n_addresses; i++)
		pf_json_str(j, NULL, v->addresses[i]);
	pf_json_arr_end(j);
	pf_json_arr_begin(j, "dns_servers");
	for (size_t i = 0; i < v->n_dns_servers; i++)
		pf_json_str(j, NULL, v->dns_servers[i]);
	pf_json_arr_end(j);
	pf_json_str(j, "how", v->how);
	pf_json_str(j, "dns_from", !v->n_dns_servers ? NULL : v->dns_by_ra ? "rdnss" : "dhcpv6");
	if (v->checked)
		pf_json_int(j, "ms", v->ms);
	else
		pf_json_null(j, "ms");
	if (v->offered)
		pf_json_int(j, "checks_ms", v->checks_ms);
	else
		pf_json_null(j, "checks_ms");
	pf_json_str(j, "error", v->error[0] ? v->error : NULL);
	const char *prefix;
	size_t n64 = pf_net_nat64_checks(r, &prefix);
	if (n64) {
		pf_json_obj_begin(j, "nat64");
		pf_json_str(j, "prefix", prefix);
		pf_json_int(j, "checks", (int64_t)n64);
		pf_json_obj_end(j);
	} else {
		pf_json_null(j, "nat64");
	}
	pf_json_obj_end(j);
}

void pf_net_json(pf_json *j, const char *key, const pf_net_result *r)
{
	if (!r) {
		pf_json_null(j, key);
		return;
	}
	pf_json_obj_begin(j, key);
	pf_json_arr_begin(j, "nics_used");
	for (size_t i = 0; i < r->n_nics_used; i++)
		pf_json_str(j, NULL, r->nics_used[i]);
	pf_json_arr_end(j);
	pf_json_str(j, "ipv4", r->has_ipv4 ? r->ipv4 : NULL);
	pf_json_str(j, "netmask", r->has_ipv4 && r->netmask[0] ? r->netmask : NULL);
	pf_json_str(j, "gateway", r->gateway[0] ? r->gateway : NULL);
	pf_json_arr_begin(j, "dns_servers");
	for (size_t i = 0; i < r->n_dns_servers; i++)
		pf_json_str(j, NULL, r->dns_servers[i]);
	pf_json_arr_end(j);
	pf_json_arr_begin(j, "checks");
	for (size_t i = 0; i < r->n_checks; i++) {
		const pf_net_check *c = &r->checks[i];
		pf_json_obj_begin(j, NULL);
		pf_json_str(j, "kind", pf_ep_kind_str(c->ep.kind));
		pf_json_str(j, "host", c->ep.host);
		if (c->ep.port)
			pf_json_int(j, "port", c->ep.port);
		else
			pf_json_null(j, "port");
		pf_json_str(j, "status", pf_chk_status_str(c->status));
		if (c->status == PF_CHK_NOT_RUN) {
			pf_json_null(j, "ms");
			pf_json_null(j, "start_ms");
		} else {
			pf_json_int(j, "ms", c->ms);
			pf_json_int(j, "start_ms", c->start_ms);
		}
		pf_json_str(j, "detail", c->detail[0] ? c->detail : NULL);
		pf_json_str(j, "step", pf_step_str(c->ep.step));
		pf_json_str(j, "service", c->ep.service ? c->ep.service : PF_SERVICE_OTHER);
		pf_json_str(j, "address", c->addr[0] ? c->addr : NULL);
		char path[PF_HOST_MAX + 32];
		pf_net_check_path(r, c, path, sizeof(path));
		pf_json_str(j, "path", path);
		pf_json_str(j, "pac_answer", c->pac_answer[0] ? c->pac_answer : NULL);
		check6_json(j, r, &c->v6);
		pf_json_obj_end(j);
	}
	pf_json_arr_end(j);
	pf_net_services_json(j, r);
	if (r->has_clock_skew)
		pf_json_int(j, "clock_skew_s", r->clock_skew_s);
	else
		pf_json_null(j, "clock_skew_s");
	pf_json_str(j, "clock_source", r->clock_source);
	pf_json_int(j, "dhcp_ms", r->dhcp_ms);
	pf_json_str(j, "dhcp_method", r->dhcp_method);
	pf_json_str(j, "policy_before", r->policy_before);
	pf_json_str(j, "static_before", r->static_before[0] ? r->static_before : NULL);
	pf_json_int(j, "checks_ms", r->checks_ms);
	pf_json_int(j, "duration_ms", (int64_t)r->duration_ms);
	pf_json_int(j, "timeout_ms", r->timeout_ms);
	pf_json_str(j, "entropy", r->entropy);
	proxy_json(j, &r->proxy);
	ipv6_json(j, r);
	pf_json_obj_begin(j, "dot1x");
	pf_json_bool(j, "probed", r->dot1x.probed);
	pf_json_bool(j, "port_asks", pf_net_dot1x_asks(&r->dot1x));
	pf_json_str(j, "frame", r->dot1x.probed ? pf_dot1x_frame_str(r->dot1x.frame) : NULL);
	pf_json_str(j, "authenticator", r->dot1x.authenticator[0] ? r->dot1x.authenticator : NULL);
	if (r->dot1x.frame == PF_DOT1X_EAP_REQUEST_METHOD)
		pf_json_int(j, "eap_method", r->dot1x.eap_method);
	else
		pf_json_null(j, "eap_method");
	if (r->dot1x.probed)
		pf_json_int(j, "ms", r->dot1x.ms);
	else
		pf_json_null(j, "ms");
	pf_json_int(j, "starts", r->dot1x.starts);
	pf_json_int(j, "timeout_ms", r->dot1x.timeout_ms);
	pf_json_str(j, "error", r->dot1x.error[0] ? r->dot1x.error : NULL);
	pf_json_obj_end(j);
	pf_json_obj_begin(j, "trust");
	pf_json_int(j, "builtin_roots", (int64_t)r->roots_builtin);
	pf_json_int(j, "extra_roots", (int64_t)r->roots_extra);
	pf_json_arr_begin(j, "bad_files");
	for (size_t i = 0; i < r->n_certs_bad; i++)
		pf_json_str(j, NULL, r->certs_bad[i]);
	pf_json_arr_end(j);
	pf_json_obj_end(j);
	pf_json_obj_end(j);
}

void pf_net_text(const pf_net_result *r, pf_buf *out)
{
	pf_buf_printf(out, "Network: %zu adapter%s (%zu wired, %zu with link, %zu wireless)\n", r->n_nics,
		      r->n_nics == 1 ? "" : "s", r->n_wired, r->n_wired_media, r->n_wireless);
	if (r->has_ipv4)
		pf_buf_printf(out, "  IPv4 %s/%s gateway %s DNS %s (DHCP %u ms)\n", r->ipv4, r->netmask,
			      r->gateway[0] ? r->gateway : "-", r->n_dns_servers ? r->dns_servers[0] : "-",
			      (unsigned)r->dhcp_ms);
	const char *prefix;
	size_t n64 = pf_net_nat64_checks(r, &prefix);
	if (r->ipv6.offered)
		pf_buf_printf(out, "  IPv6 %s%s (%s) DNS %s%s (%u ms)%s\n", r->ipv6.addresses[0],
			      r->ipv6.n_addresses > 1 ? " ..." : "", r->ipv6.how ? r->ipv6.how : "?",
			      r->ipv6.n_dns_servers ? r->ipv6.dns_servers[0] : "-", r->ipv6.dns_by_ra ? " (RA RDNSS)" : "",
			      (unsigned)r->ipv6.ms, pf_net_ipv6_only(r) ? ": IPv6-only, the checks ran over IPv6" : "");
	else if (r->ipv6.checked)
		pf_buf_printf(out, "  IPv6: not offered (%s within %u ms)\n",
			      r->ipv6.router ? "a router, but no global address" : "no router advertisement", (unsigned)r->ipv6.ms);
	else if (r->ipv6.error[0])
		pf_buf_printf(out, "  IPv6: not checked (%s)\n", r->ipv6.error);
	if (n64)
		pf_buf_printf(out, "  NAT64 %s: %zu check%s reached IPv4-only servers through it (DNS64 answers)\n", prefix, n64,
			      n64 == 1 ? "" : "s");
	if (r->dot1x.probed && pf_net_dot1x_asks(&r->dot1x)) {
		char words[48];
		dot1x_frame_words(&r->dot1x, words, sizeof(words));
		pf_buf_printf(out, "  802.1X: the port asks for it (%s from %s after %u ms)\n", words, r->dot1x.authenticator,
			      (unsigned)r->dot1x.ms);
	} else if (r->dot1x.probed) {
		pf_buf_printf(out, "  802.1X: no authenticator answered (%u EAPOL-Start%s, %u ms)\n", (unsigned)r->dot1x.starts,
			      r->dot1x.starts == 1 ? "" : "s", (unsigned)r->dot1x.ms);
	} else if (r->dot1x.error[0]) {
		pf_buf_printf(out, "  802.1X: not checked (%s)\n", r->dot1x.error);
	}
	if (r->proxy.source == PF_PROXY_CONFIGURED && r->proxy.n)
		pf_buf_printf(out, "  Proxy %s:%u (network.proxy)%s%s: tcp, http and https checks go through it\n",
			      r->proxy.list[0].at.host, (unsigned)r->proxy.list[0].at.port,
			      r->proxy.list[0].error[0] ? ", unusable: " : "", r->proxy.list[0].error);
	if (r->proxy.pac_url[0])
		pf_buf_printf(out, "  PAC %s (%s, %zu bytes, sha256 %.16s..., fetched in %u ms, evaluated in %u ms)%s%s\n",
			      r->proxy.pac_url, pac_from_str(r->proxy.pac_from), r->proxy.pac_size, r->proxy.pac_sha256,
			      (unsigned)r->proxy.pac_fetch_ms, (unsigned)r->proxy.pac_eval_ms,
			      r->proxy.pac_error[0] ? ": not used, " : "", r->proxy.pac_error);
	else if (r->proxy.wpad_checked)
		pf_buf_printf(out, "  WPAD: no PAC file published (DHCP option 252: none; %zu wpad name%s asked)\n",
			      r->proxy.n_wpad_dns, r->proxy.n_wpad_dns == 1 ? "" : "s");
	for (size_t i = 0; i < r->proxy.n && r->proxy.source == PF_PROXY_PAC; i++)
		pf_buf_printf(out, "  PAC proxy %s:%u%s%s\n", r->proxy.list[i].at.host, (unsigned)r->proxy.list[i].at.port,
			      r->proxy.list[i].error[0] ? ": " : "", r->proxy.list[i].error);
	for (size_t i = 0; i < r->n_checks; i++) {
		const pf_net_check *c = &r->checks[i];
		pf_buf_printf(out, "  %-5s %-42s %-13s %5u ms %s%s\n", pf_ep_kind_str(c->ep.kind), c->ep.host,
			      pf_chk_status_str(c->status), (unsigned)c->ms, c->via_proxy ? "[proxy] " : "", c->detail);
		if (c->pac_answer[0])
			pf_buf_printf(out, "        PAC: %s\n", c->pac_answer);
		if (r->ipv6.offered) {
			char via[64] = "";
			if (c->v6.nat64)
				pf_snprintf(via, sizeof(via), " (NAT64 %s to %s)", c->v6.nat64, c->v6.nat64_v4);
			pf_buf_printf(out, "        IPv6 %-13s %5u ms %s%s%s%s\n", pf_chk_status_str(c->v6.status),
				      (unsigned)c->v6.ms, c->v6.addr, via, c->v6.addr[0] && c->v6.detail[0] ? " " : "", c->v6.detail);
		}
	}
	if (r->n_checks) {
		pf_buf_puts(out, "  Services (as Microsoft's allow-lists name them):\n");
		pf_net_services_text(r, out);
	}
	if (r->has_clock_skew)
		pf_buf_printf(out, "  clock skew %lld s (%s)\n", (long long)r->clock_skew_s, r->clock_source);
	if (r->n_checks)
		pf_buf_printf(out, "  checks took %u ms together (limit %u ms each)\n", (unsigned)r->checks_ms,
			      (unsigned)r->timeout_ms);
	if (r->entropy)
		pf_buf_printf(out, "  TLS: %zu built-in + %zu extra roots, entropy %s\n", r->roots_builtin, r->roots_extra,
			      r->entropy);
	for (size_t i = 0; i < r->n_certs_bad; i++)
		pf_buf_printf(out, "  certificate file not used: %s\n", r->certs_bad[i]);
}
