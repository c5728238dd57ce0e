/* Network endpoints as data: the built-in user-flow table and the `kind:host[:port]` config lists. */
#include "endpoint.h"
#include "fmt.h"
#include "str.h"

static const char *const kind_names[PF_EP__COUNT] = { "dns", "tcp", "http", "https", "ntp" };
static const uint16_t kind_ports[PF_EP__COUNT] = { 0, 443, 80, 443, 123 };

#define EP(k, h, p, s, o, why, svc) \
	{ .kind = k, .host = h, .port = p, .step = s, .optional = o, .purpose = why, .service = svc }

/* Service names as Microsoft's "Windows Autopilot networking requirements" page groups its hosts. */
#define SVC_NCSI "Network Connection Status Indicator (NCSI)"
#define SVC_NTP "Network Time Protocol (NTP)"
#define SVC_ADS "Autopilot Deployment Service"
#define SVC_ENTRA "Microsoft Entra ID"
#define SVC_INTUNE "Intune"
#define SVC_TPM "TPM attestation"
#define SVC_DIAG "Autopilot automatic diagnostics upload"

/*
 * docs/autopilot.md, "Network endpoints used during the user flow". The step is the part of the
 * user flow that breaks when the endpoint cannot be reached. Wildcards (*.manage.microsoft.com,
 * *.microsoftaik.azure.net) cannot be probed as such: their named members stand for them.
 */
static const pf_endpoint table[] = {
	EP(PF_EP_HTTP, "www.msftconnecttest.com", 80, PF_STEP_NETWORK, false, "connectivity test (NCSI)", SVC_NCSI),
	EP(PF_EP_NTP, "time.windows.com", 123, PF_STEP_NETWORK, false, "time", SVC_NTP),
	EP(PF_EP_HTTPS, "ztd.dds.microsoft.com", 443, PF_STEP_SIGN_IN, false, "Autopilot deployment service", SVC_ADS),
	EP(PF_EP_HTTPS, "cs.dds.microsoft.com", 443, PF_STEP_SIGN_IN, false, "Autopilot deployment service", SVC_ADS),
	EP(PF_EP_HTTPS, "login.microsoftonline.com", 443, PF_STEP_SIGN_IN, false, "Entra ID sign-in", SVC_ENTRA),
	EP(PF_EP_HTTPS, "login.live.com", 443, PF_STEP_SIGN_IN, false, "Microsoft account / OOBE", SVC_ENTRA),
	EP(PF_EP_HTTPS, "enterpriseregistration.windows.net", 443, PF_STEP_ESP_DEVICE, false, "device registration",
	   SVC_ENTRA),
	EP(PF_EP_HTTPS, "enterpriseenrollment.manage.microsoft.com", 443, PF_STEP_ESP_DEVICE, false,
	   "Intune enrollment and ESP", SVC_INTUNE),
	EP(PF_EP_HTTPS, "ekop.intel.com", 443, PF_STEP_ESP_DEVICE, true, "TPM attestation (Intel EK certificates)",
	   SVC_TPM),
	EP(PF_EP_HTTPS, "ekcert.spserv.microsoft.com", 443, PF_STEP_ESP_DEVICE, true, "TPM attestation (EK certificates)",
	   SVC_TPM),
	EP(PF_EP_HTTPS, "ftpm.amd.com", 443, PF_STEP_ESP_DEVICE, true, "TPM attestation (AMD fTPM certificates)", SVC_TPM),
	EP(PF_EP_HTTPS, "lgmsapeweu.blob.core.windows.net", 443, PF_STEP_ESP_ACCOUNT, true, "diagnostics upload",
	   SVC_DIAG),
};

const char *pf_ep_kind_str(pf_ep_kind k)
{
	return (unsigned)k < PF_EP__COUNT ? kind_names[k] : "?";
}

bool pf_ep_kind_parse(const char *s, size_t len, pf_ep_kind *ret)
{
	for (int k = 0; k < PF_EP__COUNT; k++)
		if (pf_span_eq_cstr_nocase((pf_span){ s, len }, kind_names[k])) {
			*ret = (pf_ep_kind)k;
			return true;
		}
	return false;
}

uint16_t pf_ep_default_port(pf_ep_kind k)
{
	return (unsigned)k < PF_EP__COUNT ? kind_ports[k] : 0;
}

const pf_endpoint *pf_endpoint_table(size_t *ret_n)
{
	*ret_n = PF_ARRAY_SIZE(table);
	return table;
}

bool pf_ep_is_ncsi(const pf_endpoint *ep)
{
	return ep->kind == PF_EP_HTTP && pf_strcmp(ep->host, PF_NCSI_HOST) == 0;
}

const char *pf_ep_http_path(const pf_endpoint *ep)
{
	return pf_ep_is_ncsi(ep) ? PF_NCSI_PATH : "/";
}

bool pf_host_valid(const char *s, size_t len)
{
	if (len == 0 || len > PF_HOST_MAX || s[0] == '.' || s[len - 1] == '.')
		return false;
	size_t label = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || pf_isdigit(c) || c == '-' || c == '_';
		if (!ok || (label == 0 && c == '-') || ++label > 63)
			return false;
	}
	return s[len - 1] != '-';
}

static pf_status list_add(pf_endpoints *list, const pf_endpoint *ep)
{
	for (size_t i = 0; i < list->n; i++) {
		const pf_endpoint *o = &list->items[i];
		if (o->kind == ep->kind && o->port == ep->port && pf_strcmp(o->host, ep->host) == 0)
			return PF_OK; /* already there */
	}
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		pf_endpoint *p = pf_realloc(list->items, cap * sizeof(*p));
		if (!p)
			return PF_ERR_NOMEM;
		list->items = p;
		list->cap = cap;
	}
	list->items[list->n++] = *ep;
	return PF_OK;
}

/* One `kind:host[:port]` item, already trimmed and non-empty. */
static pf_status parse_item(pf_span it, pf_endpoint *ret, char *err, size_t cap)
{
	size_t c1 = 0;
	while (c1 < it.len && it.p[c1] != ':')
		c1++;
	pf_ep_kind kind;
	if (c1 == it.len || !pf_ep_kind_parse(it.p, c1, &kind)) {
		pf_snprintf(err, cap, "'%.*s': expected kind:host[:port] with kind dns, tcp, http, https or ntp",
			    (int)PF_MIN(it.len, 80), it.p);
		return PF_ERR_INVALID;
	}
	pf_span host = { it.p + c1 + 1, 0 };
	while (c1 + 1 + host.len < it.len && host.p[host.len] != ':')
		host.len++;
	if (!pf_host_valid(host.p, host.len)) {
		pf_snprintf(err, cap, "'%.*s': '%.*s' is not a host name", (int)PF_MIN(it.len, 80), it.p,
			    (int)PF_MIN(host.len, 80), host.p);
		return PF_ERR_INVALID;
	}
	uint16_t port = pf_ep_default_port(kind);
	size_t rest = c1 + 1 + host.len;
	if (rest < it.len) {
		uint64_t v;
		pf_span ps = { it.p + rest + 1, it.len - rest - 1 };
		if (kind == PF_EP_DNS || !pf_parse_u64(ps, 65535, &v) || v == 0) {
			pf_snprintf(err, cap, "'%.*s': %s", (int)PF_MIN(it.len, 80), it.p,
				    kind == PF_EP_DNS ? "a dns entry takes no port" : "port must be 1..65535");
			return PF_ERR_INVALID;
		}
		port = (uint16_t)v;
	}
	*ret = (pf_endpoint){ .kind = kind, .port = port, .step = PF_STEP_NETWORK };
	for (size_t i = 0; i < host.len; i++)
		ret->host[i] = pf_tolower(host.p[i]);
	ret->host[host.len] = '\0';
	for (size_t i = 0; i < PF_ARRAY_SIZE(table); i++)
		if (pf_strcmp(table[i].host, ret->host) == 0) {
			ret->step = table[i].step;
			ret->optional = table[i].optional;
			ret->purpose = table[i].purpose;
			ret->service = table[i].service;
			break;
		}
	return PF_OK;
}

pf_status pf_endpoints_parse(const void *buf, size_t len, pf_endpoints *list, char *err, size_t cap)
{
	const char *s = buf;
	size_t i = 0;
	if (cap)
		err[0] = '\0';
	if (len == 0)
		return PF_OK;
	while (i <= len) {
		size_t j = i;
		while (j < len && s[j] != ',')
			j++;
		pf_span it = pf_span_trim((pf_span){ s + i, j - i });
		if (it.len) {
			pf_endpoint ep;
			pf_status st = parse_item(it, &ep, err, cap);
			if (st != PF_OK)
				return st;
			st = list_add(list, &ep);
			if (st != PF_OK)
				return st;
		}
		i = j + 1;
	}
	return PF_OK;
}

pf_status pf_endpoints_build(const char *endpoints, const char *extra, pf_endpoints *ret, char *err, size_t cap)
{
	pf_endpoints list = { 0 };
	pf_status st = PF_OK;
	if (cap)
		err[0] = '\0';
	if (endpoints)
		st = pf_endpoints_parse(endpoints, strlen(endpoints), &list, err, cap);
	else
		for (size_t i = 0; i < PF_ARRAY_SIZE(table) && st == PF_OK; i++)
			st = list_add(&list, &table[i]);
	if (st == PF_OK && extra)
		st = pf_endpoints_parse(extra, strlen(extra), &list, err, cap);
	if (st != PF_OK) {
		pf_endpoints_free(&list);
		return st;
	}
	*ret = list;
	return PF_OK;
}

void pf_endpoints_free(pf_endpoints *list)
{
	pf_free(list->items);
	*list = (pf_endpoints){ 0 };
}
