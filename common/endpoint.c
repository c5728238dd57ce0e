/* Network endpoints as data: the built-in user-flow table and the `kind:host[:port]` config lists. */
#include "endpoint.h"
#include "fmt.h"
#include "str.h"

static const char *const kind_names[PF_EP__COUNT] = { "dns", "tcp", "http", "https", "ntp" };
static const uint16_t kind_ports[PF_EP__COUNT] = { 0, 443, 80, 443, 123 };

#define EP(k, h, p, s, o, why, svc) \
	{ .kind = k, .host = h, .port = p, .step = s, .optional = o, .purpose = why, .service = svc }
/* An http row that fetches a file published at that path (a 404 on "/" would be a false alarm). */
#define EPP(k, h, p, s, o, why, svc, pth) \
	{ .kind = k, .host = h, .port = p, .step = s, .optional = o, .purpose = why, .service = svc, .path = pth }

/*
 * Service names as Microsoft's "Windows Autopilot networking requirements" page groups its hosts,
 * with a short id for network.required_services. docs/network.md names the page of every host.
 */
#define SVC_NCSI "Network Connection Status Indicator (NCSI)"
#define SVC_NTP "Network Time Protocol (NTP)"
#define SVC_ADS "Autopilot Deployment Service"
#define SVC_ENTRA "Microsoft Entra ID"
#define SVC_INTUNE "Intune"
#define SVC_WIN32 "Intune Win32 apps and scripts"
#define SVC_ACT "Windows Activation"
#define SVC_WU "Windows Update"
#define SVC_DO "Delivery Optimization"
#define SVC_WNS "Windows Notification Services (WNS)"
#define SVC_STORE "Microsoft Store"
#define SVC_M365 "Microsoft 365 Apps"
#define SVC_DIAGDATA "Diagnostics data"
#define SVC_CRL "Certificate revocation (CRL, OCSP)"
#define SVC_TPM "TPM attestation"
#define SVC_DIAG "Autopilot automatic diagnostics upload"

static const pf_service services[] = {
	{ "ncsi", SVC_NCSI },
	{ "ntp", SVC_NTP },
	{ "autopilot", SVC_ADS },
	{ "entra", SVC_ENTRA },
	{ "intune", SVC_INTUNE },
	{ "win32-apps", SVC_WIN32 },
	{ "activation", SVC_ACT },
	{ "windows-update", SVC_WU },
	{ "delivery-optimization", SVC_DO },
	{ "wns", SVC_WNS },
	{ "store", SVC_STORE },
	{ "m365", SVC_M365 },
	{ "diagnostics-data", SVC_DIAGDATA },
	{ "crl", SVC_CRL },
	{ "tpm", SVC_TPM },
	{ "autopilot-diagnostics", SVC_DIAG },
};
_Static_assert(PF_ARRAY_SIZE(services) <= 32, "network.required_services is a 32-bit mask");

#define N PF_STEP_NETWORK
#define S PF_STEP_SIGN_IN
#define D PF_STEP_ESP_DEVICE
#define A PF_STEP_ESP_ACCOUNT
#define HTTP PF_EP_HTTP
#define HTTPS PF_EP_HTTPS

/*
 * docs/autopilot.md's user-flow endpoints plus every service of Microsoft's networking requirements
 * (docs/network.md: the page each host comes from, why each row is an error or a warning). The step
 * is the part of the user flow that breaks when the endpoint cannot be reached; optional rows give
 * warnings (Microsoft: the flow goes on without that service) unless network.required_services
 * names their service. Wildcards (*.manage.microsoft.com, *.delivery.mp.microsoft.com, ...) cannot
 * be probed as such: named members stand for them.
 */
static const pf_endpoint table[] = {
	EPP(HTTP, "www.msftconnecttest.com", 80, N, false, "connectivity test (NCSI)", SVC_NCSI, PF_NCSI_PATH),
	EP(PF_EP_NTP, "time.windows.com", 123, N, false, "time", SVC_NTP),
	EP(HTTPS, "ztd.dds.microsoft.com", 443, S, false, "Autopilot deployment service", SVC_ADS),
	/* Gone from the current requirements page, still on the device preparation one: a warning. */
	EP(HTTPS, "cs.dds.microsoft.com", 443, S, true, "Autopilot deployment service", SVC_ADS),
	EP(HTTPS, "login.live.com", 443, S, false, "Microsoft account / OOBE", SVC_ADS),
	EP(HTTPS, "login.microsoftonline.com", 443, S, false, "Entra ID sign-in", SVC_ENTRA),
	EP(HTTPS, "aadcdn.msftauth.net", 443, S, false, "Entra ID sign-in page content", SVC_ENTRA),
	EP(HTTPS, "enterpriseregistration.windows.net", 443, D, false, "device registration", SVC_ENTRA),
	EP(HTTPS, "enterpriseenrollment.manage.microsoft.com", 443, D, false, "Intune enrollment and ESP", SVC_INTUNE),
	/* The region of the tenant decides which IME host serves it; this is North America's. */
	EP(HTTPS, "imeswda-afd-primary.manage.microsoft.com", 443, D, true, "Intune Management Extension", SVC_WIN32),
	EP(HTTPS, "swda01-mscdn.manage.microsoft.com", 443, D, true, "Win32 app content", SVC_WIN32),
	EP(HTTPS, "activation-v2.sls.microsoft.com", 443, S, true, "Windows activation", SVC_ACT),
	EP(HTTPS, "licensing.mp.microsoft.com", 443, A, true, "licensing (activation, Store apps)", SVC_ACT),
	EP(HTTPS, "fe3.delivery.mp.microsoft.com", 443, D, true, "Windows Update service", SVC_WU),
	EP(HTTPS, "tsfe.trafficshaping.dsp.mp.microsoft.com", 443, D, true, "Windows Update traffic shaping", SVC_WU),
	EP(HTTPS, "geo.prod.do.dsp.mp.microsoft.com", 443, D, true, "Delivery Optimization service", SVC_DO),
	EP(PF_EP_TCP, "dl.delivery.mp.microsoft.com", 80, D, true, "update and app downloads", SVC_DO),
	EP(HTTPS, "client.wns.windows.com", 443, D, true, "push notifications from Intune", SVC_WNS),
	EP(HTTPS, "clientconfig.passport.net", 443, D, true, "WNS dependency for Autopilot", SVC_WNS),
	EP(HTTPS, "displaycatalog.mp.microsoft.com", 443, D, true, "Store app catalog", SVC_STORE),
	EP(HTTPS, "storeedgefd.dsx.mp.microsoft.com", 443, D, true, "Store app delivery", SVC_STORE),
	EP(HTTPS, "officecdn.microsoft.com", 443, D, true, "Microsoft 365 Apps installation", SVC_M365),
	EP(HTTPS, "v10.events.data.microsoft.com", 443, A, true, "Windows diagnostic data", SVC_DIAGDATA),
	EPP(HTTP, "ctldl.windowsupdate.com", 80, N, true, "trusted root certificate list", SVC_CRL,
	    "/msdownload/update/v3/static/trustedr/en/authrootstl.cab"),
	EPP(HTTP, "www.microsoft.com", 80, N, true, "Microsoft root CA revocation list", SVC_CRL,
	    "/pkiops/crl/Microsoft%20RSA%20Root%20Certificate%20Authority%202017.crl"),
	EPP(HTTP, "crl3.digicert.com", 80, N, true, "DigiCert root CA revocation list", SVC_CRL,
	    "/DigiCertGlobalRootG2.crl"),
	EP(PF_EP_TCP, "oneocsp.microsoft.com", 80, N, true, "Microsoft OCSP responder", SVC_CRL),
	EP(HTTPS, "ekop.intel.com", 443, D, true, "TPM attestation (Intel EK certificates)", SVC_TPM),
	EP(HTTPS, "ekcert.spserv.microsoft.com", 443, D, true, "TPM attestation (EK certificates)", SVC_TPM),
	EP(HTTPS, "ftpm.amd.com", 443, D, true, "TPM attestation (AMD fTPM certificates)", SVC_TPM),
	EP(HTTPS, "lgmsapeweu.blob.core.windows.net", 443, A, true, "diagnostics upload", SVC_DIAG),
};

#undef N
#undef S
#undef D
#undef A
#undef HTTP
#undef HTTPS

const pf_service *pf_services(size_t *ret_n)
{
	*ret_n = PF_ARRAY_SIZE(services);
	return services;
}

int pf_service_index(const char *name)
{
	for (size_t i = 0; name && i < PF_ARRAY_SIZE(services); i++)
		if (pf_strcmp(services[i].name, name) == 0)
			return (int)i;
	return -1;
}

pf_status pf_services_parse(const void *buf, size_t len, uint32_t *ret_mask, char *err, size_t cap)
{
	const char *s = buf;
	uint32_t mask = 0;
	if (cap)
		err[0] = '\0';
	for (size_t i = 0; i <= len;) {
		size_t j = i;
		while (j < len && s[j] != ',')
			j++;
		pf_span it = pf_span_trim((pf_span){ s + i, j - i });
		if (it.len) {
			size_t k = 0;
			while (k < PF_ARRAY_SIZE(services) && !pf_span_eq_cstr_nocase(it, services[k].id))
				k++;
			if (k == PF_ARRAY_SIZE(services)) {
				pf_snprintf(err, cap, "'%.*s' is not a service id (docs/network.md lists them: ncsi, "
					    "autopilot, entra, intune, win32-apps, activation, windows-update, ...)",
					    (int)PF_MIN(it.len, 60), it.p);
				return PF_ERR_INVALID;
			}
			mask |= 1u << k;
		}
		i = j + 1;
	}
	*ret_mask = mask;
	return PF_OK;
}

bool pf_ep_warns(const pf_endpoint *ep, uint32_t required_services)
{
	int k = pf_service_index(ep->service);
	return ep->optional && !(k >= 0 && (required_services & (1u << k)));
}

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
	if (ep->path)
		return ep->path;
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
			if (table[i].kind == kind)
				ret->path = table[i].path;
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
