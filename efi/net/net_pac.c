/* WPAD as WinHTTP's auto-detection does it, the PAC file fetched and evaluated for each endpoint: each check's route. */
#include "net.h"
#include "clock.h"
#include "dhcpinform.h"
#include "digest.h"
#include "fmt.h"
#include "graphquery.h"
#include "http.h"
#include "log.h"
#include "pac.h"
#include "pacresult.h"
#include "str.h"

/* One FindProxyForURL call; past it the script is cut off and the PAC is not used (Windows goes direct). */
#define PAC_BUDGET_MS 1000
/* A wpad name is a local lookup: a short wait each, so devolution over several names stays bounded. */
#define WPAD_DNS_MS 1500
/* A DHCP server on the segment answers a DHCPINFORM in milliseconds; a network without one costs this once. */
#define INFORM_MS 1000
#define PAC_ANSWER_MAX 512
#define PAC_CACHE 16
/* The host whose route the exchanges after the checks take (Graph, sign-in, upload): Graph's. */
#define LINK_URL "https://graph.microsoft.com/"
#define LINK_HOST "graph.microsoft.com"

/* What the PAC's helpers ask of the firmware, answered from the phase (names cached: a script asks
 * dnsResolve for the same host in every call). */
typedef struct {
	const net_env *env;
	pf_net_result *r;
	struct {
		char host[PF_HOST_MAX + 1];
		char addr[16];      /* "" does not resolve */
	} cache[PAC_CACHE];
	size_t n_cache;
} pac_ctx;

static bool pac_resolve(void *ctx, const char *host, char *ret_addr, size_t cap)
{
	pac_ctx *p = ctx;
	for (size_t i = 0; i < p->n_cache; i++)
		if (pf_strcmp(p->cache[i].host, host) == 0) {
			pf_strlcpy(ret_addr, p->cache[i].addr, cap);
			return p->cache[i].addr[0] != '\0';
		}
	EFI_IPv4_ADDRESS a;
	char why[PF_NET_DETAIL_MAX], addr[16] = "";
	if (!EFI_ERROR(net_resolve_name(p->env, host, WPAD_DNS_MS, &a, why, sizeof(why))))
		net_ip_str(&a, addr);
	if (p->n_cache < PAC_CACHE && strlen(host) <= PF_HOST_MAX) {
		pf_strlcpy(p->cache[p->n_cache].host, host, sizeof(p->cache[0].host));
		pf_strlcpy(p->cache[p->n_cache++].addr, addr, sizeof(p->cache[0].addr));
	}
	pf_strlcpy(ret_addr, addr, cap);
	return addr[0] != '\0';
}

static bool pac_my_address(void *ctx, char *ret_addr, size_t cap)
{
	const pac_ctx *p = ctx;
	if (!p->r->has_ipv4)
		return false;
	pf_strlcpy(ret_addr, p->r->ipv4, cap);
	return true;
}

/* The RTC is read as UTC (what the report's times assume); a PC keeping local time shifts timeRange. */
static bool pac_wall_clock(void *ctx, int64_t *ret_unix, int32_t *ret_tz_minutes)
{
	(void)ctx;
	pf_time t;
	if (EFI_ERROR(clock_rtc(&t)))
		return false;
	*ret_unix = pf_time_to_unix(&t);
	*ret_tz_minutes = 0;
	return true;
}

static uint64_t pac_ticks(void *ctx)
{
	(void)ctx;
	return clock_ms();
}

/* The PAC file's URL: network.pac_url, else DHCP option 252, else the first wpad.<domain> that resolves. */
static bool find_pac(const pf_config *c, pf_net_result *r, const net_env *env)
{
	pf_net_proxies *px = &r->proxy;
	if (c->network_pac_url) {
		pf_strlcpy(px->pac_url, c->network_pac_url, sizeof(px->pac_url));
		px->pac_from = PF_PAC_FROM_CONFIG;
		return true;
	}
	if (!c->network_wpad)
		return false;
	px->wpad_checked = true;
	if (r->wpad_dhcp[0]) {
		pf_strlcpy(px->pac_url, r->wpad_dhcp, sizeof(px->pac_url));
		px->pac_from = PF_PAC_FROM_DHCP;
		return true;
	}
	/* The lease had no 252 (or, on the firmware's DHCP path, could not be read): ask the DHCP server with a
	 * DHCPINFORM, as Windows' DHCP client does for WinHTTP; its domain (15) serves devolution when the lease's
	 * could not be read. */
	pf_dhcp_inform_answer ack;
	if (!EFI_ERROR(net_dhcp_inform(env->nic, r, INFORM_MS, &ack))) {
		if (ack.has_wpad && ack.wpad_url[0]) {
			pf_strlcpy(px->pac_url, ack.wpad_url, sizeof(px->pac_url));
			pf_strlcpy(r->wpad_dhcp, ack.wpad_url, sizeof(r->wpad_dhcp));
			px->pac_from = PF_PAC_FROM_INFORM;
			return true;
		}
		if (!r->dhcp_domain[0] && ack.has_domain)
			pf_strlcpy(r->dhcp_domain, ack.domain, sizeof(r->dhcp_domain));
	}
	px->n_wpad_dns = pf_wpad_candidates(r->dhcp_domain, px->wpad_dns, PF_WPAD_MAX_CANDIDATES);
	for (size_t i = 0; i < px->n_wpad_dns; i++) {
		EFI_IPv4_ADDRESS a;
		char why[PF_NET_DETAIL_MAX];
		if (EFI_ERROR(net_resolve_name(env, px->wpad_dns[i], WPAD_DNS_MS, &a, why, sizeof(why))))
			continue;
		px->n_wpad_dns = i + 1; /* the names asked, the one found last */
		pf_snprintf(px->pac_url, sizeof(px->pac_url), "http://%s" PF_WPAD_PATH, px->wpad_dns[i]);
		px->pac_from = PF_PAC_FROM_DNS;
		return true;
	}
	return false;
}

/* GET the PAC file (direct: WinHTTP fetches it without a proxy) into *ret_script (pool, the caller frees). */
static EFI_STATUS fetch_pac(pf_net_result *r, const net_env *env, char **ret_script, size_t *ret_len)
{
	pf_net_proxies *px = &r->proxy;
	_cleanup_free_ pf_url *u = pf_malloc(sizeof(*u));
	if (!u)
		return log_error_status(EFI_OUT_OF_RESOURCES, "PAC URL");
	if (pf_url_parse(pf_span_of(px->pac_url), u) != PF_OK) {
		pf_snprintf(px->pac_error, sizeof(px->pac_error), "not an http:// or https:// URL");
		return EFI_INVALID_PARAMETER;
	}
	char req[PF_URL_TARGET_MAX + PF_HOST_MAX + 160];
	size_t n = pf_http_get_request(u->host, u->target, req, sizeof(req));
	if (n >= sizeof(req)) {
		pf_snprintf(px->pac_error, sizeof(px->pac_error), "URL too long");
		return EFI_BAD_BUFFER_SIZE;
	}
	/* https: the same TLS 1.2 client, roots and certificate checks as the checks (WinHTTP takes https PAC
	 * URLs and checks their certificates as for any request); a certificate it refuses is the fetch's cause. */
	net_link l = { .nic = env->nic, .n_dns = env->n_dns, .tls = env->tls };
	memcpy(l.dns, env->dns, sizeof(l.dns));
	net_fetch_outcome o;
	uint8_t *ans = NULL;
	size_t alen = 0;
	uint64_t t0 = clock_ms();
	EFI_STATUS err = net_fetch(&l, u->host, u->port, u->https, req, n, t0 + env->limit_ms,
				   PF_PAC_SCRIPT_MAX + PF_HTTP_HEAD_MAX, &o, &ans, &alen);
	px->pac_fetch_ms = (uint32_t)(clock_ms() - t0);
	if (EFI_ERROR(err)) {
		pf_snprintf(px->pac_error, sizeof(px->pac_error), "%s from %s: %s",
			    err == EFI_BUFFER_TOO_SMALL ? "larger than 1 MiB" : "not fetched", u->host, o.detail);
		return err;
	}
	_cleanup_free_ uint8_t *body_buf = NULL;
	pf_http_response h;
	const uint8_t *body = NULL;
	size_t blen = 0;
	pf_status st = pf_http_parse_head(ans, alen, &h);
	if (st == PF_OK && h.chunked && !(body_buf = pf_malloc(PF_PAC_SCRIPT_MAX + 1)))
		st = PF_ERR_NOMEM;
	if (st == PF_OK)
		st = pf_http_body(ans, alen, &h, body_buf, PF_PAC_SCRIPT_MAX + 1, &body, &blen);
	if (st != PF_OK || h.status != 200) {
		if (st == PF_OK)
			pf_snprintf(px->pac_error, sizeof(px->pac_error), "%s answered HTTP %u", u->host, h.status);
		else
			pf_snprintf(px->pac_error, sizeof(px->pac_error), "%s: malformed answer (%s)", u->host, pf_status_str(st));
		pf_free(ans);
		return EFI_NOT_FOUND;
	}
	px->pac_size = blen;
	if (blen > PF_PAC_SCRIPT_MAX) {
		pf_snprintf(px->pac_error, sizeof(px->pac_error), "%zu bytes, larger than the %u bytes allowed", blen,
			    (unsigned)PF_PAC_SCRIPT_MAX);
		pf_free(ans);
		return EFI_BAD_BUFFER_SIZE;
	}
	uint8_t digest[PF_SHA256_SIZE];
	pf_sha256(body, blen, digest);
	pf_hex(digest, sizeof(digest), px->pac_sha256, sizeof(px->pac_sha256));
	char *script = pf_malloc(blen + 1);
	if (!script) {
		pf_free(ans);
		return log_error_status(EFI_OUT_OF_RESOURCES, "PAC file");
	}
	memcpy(script, body, blen);
	script[blen] = '\0';
	pf_free(ans);
	*ret_script = script;
	*ret_len = blen;
	return EFI_SUCCESS;
}

/* The index + 1 of proxy host:port in the result's list, added when new; 0 when the list is full. */
static uint8_t proxy_slot(pf_net_proxies *px, const pf_pac_route *rt)
{
	for (size_t i = 0; i < px->n; i++)
		if (px->list[i].at.port == rt->port && pf_strcmp(px->list[i].at.host, rt->host) == 0)
			return (uint8_t)(i + 1);
	if (px->n >= PF_NET_MAX_PROXIES || strlen(rt->host) > PF_HOST_MAX)
		return 0;
	px->list[px->n] = (pf_net_proxy){ .at.port = rt->port };
	pf_strlcpy(px->list[px->n].at.host, rt->host, sizeof(px->list[0].at.host));
	return (uint8_t)++px->n;
}

/* One call's URL and host, and where its answer goes: a check's route, or the later exchanges'. */
typedef struct {
	char url[PF_HOST_MAX + 128];
	const char *host;
	uint8_t *route, *n_route;
	char *answer;
	size_t answer_cap;
} pac_call;

typedef struct {
	pac_ctx *ctx;
	pac_call *calls;
} pac_calls;

static void call_get(void *c, size_t i, const char **ret_url, const char **ret_host)
{
	const pac_calls *cs = c;
	*ret_url = cs->calls[i].url;
	*ret_host = cs->calls[i].host;
}

/* An answer into hops, as WinHTTP reads the list: DIRECT and HTTP proxies in order; SOCKS and HTTPS proxies
 * skipped as it skips them. An answer that is no proxy list leaves the route direct and is named once. */
static void call_answer(void *c, size_t i, const char *out)
{
	const pac_calls *cs = c;
	pac_call *k = &cs->calls[i];
	pf_net_proxies *px = &cs->ctx->r->proxy;
	char err[PF_NET_DETAIL_MAX - 64];
	pf_copy_printable(k->answer, k->answer_cap, pf_span_of(out));
	*k->n_route = 0;
	pf_pac_routes routes;
	if (pf_pac_parse_result(out, strlen(out), &routes, err, sizeof(err)) != PF_OK) {
		if (!px->pac_error[0])
			pf_snprintf(px->pac_error, sizeof(px->pac_error), "FindProxyForURL answered '%.60s' for %s: %s",
				    k->answer, k->url, err);
		return;
	}
	for (size_t j = 0; j < routes.n && *k->n_route < PF_NET_MAX_HOPS; j++) {
		const pf_pac_route *rt = &routes.items[j];
		if (rt->kind == PF_PAC_DIRECT)
			k->route[(*k->n_route)++] = 0;
		else if (rt->kind == PF_PAC_PROXY && (k->route[*k->n_route] = proxy_slot(px, rt)) != 0)
			(*k->n_route)++;
	}
	if (routes.n == 0)
		k->route[(*k->n_route)++] = 0;
}

/* The URL WinHTTP would ask the PAC about for an endpoint. */
static void endpoint_url(const pf_endpoint *ep, char *buf, size_t cap)
{
	if (ep->kind == PF_EP_HTTP)
		pf_snprintf(buf, cap, "http://%s%s", ep->host, pf_ep_http_path(ep));
	else if (ep->port == 443)
		pf_snprintf(buf, cap, "https://%s/", ep->host);
	else if (ep->port == 80)
		pf_snprintf(buf, cap, "http://%s/", ep->host);
	else
		pf_snprintf(buf, cap, "https://%s:%u/", ep->host, (unsigned)ep->port);
}

void net_pac_setup(const pf_config *c, pf_net_result *r, net_env *env)
{
	pf_net_proxies *px = &r->proxy;
	if (!find_pac(c, r, env)) {
		if (px->wpad_checked)
			con_progress("Network: WPAD: no PAC file published (DHCP option 252, %zu wpad name%s).\n",
				     px->n_wpad_dns, px->n_wpad_dns == 1 ? "" : "s");
		return;
	}
	con_progress("Network: PAC file %s...\n", px->pac_url);
	char *script = NULL;
	size_t len = 0;
	if (EFI_ERROR(fetch_pac(r, env, &script, &len))) {
		con_printf("Network: PAC file not used (%s); checking directly.\n", px->pac_error);
		return;
	}
	/* One call per tcp/http/https check, then one for the later exchanges, all in one engine. */
	pac_ctx *ctx = pf_malloc(sizeof(*ctx));
	pac_call *calls = pf_malloc((r->n_checks + 1) * sizeof(*calls));
	char *out = pf_malloc(PAC_ANSWER_MAX);
	uint8_t link_route[PF_NET_MAX_HOPS], link_n = 0;
	char link_answer[96], err[PF_NET_DETAIL_MAX];
	bool ok = ctx && calls && out;
	if (!ok)
		pf_snprintf(px->pac_error, sizeof(px->pac_error), "out of memory");
	size_t n = 0;
	for (size_t i = 0; ok && i < r->n_checks; i++) {
		pf_net_check *k = &r->checks[i];
		if (!pf_net_kind_proxied(k->ep.kind))
			continue;
		calls[n] = (pac_call){ .host = k->ep.host, .route = k->route, .n_route = &k->n_route, .answer = k->pac_answer,
				       .answer_cap = sizeof(k->pac_answer) };
		endpoint_url(&k->ep, calls[n].url, sizeof(calls[n].url));
		n++;
	}
	if (ok) {
		calls[n] = (pac_call){ .host = LINK_HOST, .route = link_route, .n_route = &link_n, .answer = link_answer,
				       .answer_cap = sizeof(link_answer) };
		pf_strlcpy(calls[n].url, LINK_URL, sizeof(calls[n].url));
		n++;
		*ctx = (pac_ctx){ .env = env, .r = r };
		pac_calls cs = { ctx, calls };
		pf_pac_env penv = { .ctx = ctx, .resolve = pac_resolve, .my_address = pac_my_address,
				    .wall_clock = pac_wall_clock, .ticks_ms = pac_ticks };
		uint64_t t0 = clock_ms();
		pf_status st = pf_pac_eval_each(script, len, n, call_get, call_answer, &cs, &penv, PAC_BUDGET_MS, out,
						PAC_ANSWER_MAX, err, sizeof(err));
		px->pac_eval_ms = (uint32_t)(clock_ms() - t0);
		if (st != PF_OK) {
			pf_strlcpy(px->pac_error, err, sizeof(px->pac_error)); /* the engine names the line, or the cut-off */
			ok = false;
		}
	}
	pf_free(out);
	pf_free(calls);
	pf_free(ctx);
	pf_free(script);
	if (!ok) {
		/* A script that fails is no proxy list at all: WinHTTP connects directly, and so do the checks. */
		for (size_t i = 0; i < r->n_checks; i++) {
			r->checks[i].n_route = 0;
			r->checks[i].pac_answer[0] = '\0';
		}
		px->n = 0;
		con_printf("Network: PAC file not used (%s); checking directly.\n", px->pac_error);
		return;
	}
	px->source = PF_PROXY_PAC;
	env->proxy = px;
	env->link_proxy = link_n && link_route[0] ? link_route[0] - 1 : -1;
	for (size_t i = 0; i < px->n; i++) {
		con_progress("Network: resolving proxy %s:%u (PAC)...\n", px->list[i].at.host, (unsigned)px->list[i].at.port);
		if (EFI_ERROR(net_proxy_resolve(env, &px->list[i], env->limit_ms, &env->proxy_addr[i])))
			con_printf("Network: proxy %s:%u: %s\n", px->list[i].at.host, (unsigned)px->list[i].at.port,
				   px->list[i].error);
	}
}
