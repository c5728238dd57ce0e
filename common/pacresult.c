/* Reading FindProxyForURL's answer: the route list of the PAC interface (Netscape's description, with
 * the HTTP/HTTPS/SOCKS4/SOCKS5 keywords that Mozilla and WinHTTP accept besides PROXY and SOCKS). */
#include "pacresult.h"
#include "fmt.h"

static const struct {
	const char *word;
	pf_pac_kind kind;
	uint16_t port;
} keywords[] = {
	{ "DIRECT", PF_PAC_DIRECT, 0 },   { "PROXY", PF_PAC_PROXY, 80 },    { "HTTP", PF_PAC_PROXY, 80 },
	{ "HTTPS", PF_PAC_HTTPS, 443 },   { "SOCKS", PF_PAC_SOCKS, 1080 },  { "SOCKS4", PF_PAC_SOCKS, 1080 },
	{ "SOCKS5", PF_PAC_SOCKS, 1080 },
};

const char *pf_pac_kind_str(pf_pac_kind k)
{
	switch (k) {
	case PF_PAC_DIRECT: return "direct";
	case PF_PAC_PROXY: return "proxy";
	case PF_PAC_HTTPS: return "https";
	case PF_PAC_SOCKS: return "socks";
	}
	return "?";
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
	       c == '_';
}

/* One entry, e[0..n) with no blanks at either end and n > 0. */
static pf_status parse_entry(const char *e, size_t n, size_t idx, pf_pac_route *r, char *err, size_t cap)
{
	size_t w = 0;
	while (w < n && !blank(e[w]))
		w++;
	size_t k;
	for (k = 0; k < PF_ARRAY_SIZE(keywords); k++) {
		const char *kw = keywords[k].word;
		size_t kl = strlen(kw), i;
		if (kl != w)
			continue;
		for (i = 0; i < kl && upper(e[i]) == kw[i]; i++)
			;
		if (i == kl)
			break;
	}
	if (k == PF_ARRAY_SIZE(keywords)) {
		pf_snprintf(err, cap, "entry %zu: unknown keyword '%.*s' (DIRECT, PROXY, HTTP, HTTPS, SOCKS, SOCKS4, SOCKS5)",
			    idx, (int)PF_MIN(w, 32), e);
		return PF_ERR_INVALID;
	}
	memset(r, 0, sizeof(*r));
	r->kind = keywords[k].kind;
	memcpy(r->keyword, keywords[k].word, strlen(keywords[k].word) + 1);
	r->supported = r->kind != PF_PAC_SOCKS;
	size_t p = w;
	while (p < n && blank(e[p]))
		p++;
	if (r->kind == PF_PAC_DIRECT) {
		if (p < n) {
			pf_snprintf(err, cap, "entry %zu: DIRECT takes no host, found '%.*s'", idx, (int)PF_MIN(n - p, 32),
				    e + p);
			return PF_ERR_INVALID;
		}
		return PF_OK;
	}
	if (p == n) {
		pf_snprintf(err, cap, "entry %zu: %s without a host", idx, r->keyword);
		return PF_ERR_INVALID;
	}
	/* The host: [v6] or a run of name characters. */
	size_t hs, he;
	if (e[p] == '[') {
		hs = ++p;
		while (p < n && (host_char(e[p]) || e[p] == ':') && e[p] != '_')
			p++;
		if (p == n || e[p] != ']' || p == hs) {
			pf_snprintf(err, cap, "entry %zu: an IPv6 address in brackets must end with ']'", idx);
			return PF_ERR_INVALID;
		}
		he = p++;
	} else {
		hs = p;
		while (p < n && host_char(e[p]))
			p++;
		he = p;
		if (he == hs) {
			pf_snprintf(err, cap, "entry %zu: '%c' cannot start a host name", idx, e[p]);
			return PF_ERR_INVALID;
		}
	}
	if (he - hs > PF_PAC_HOST_MAX) {
		pf_snprintf(err, cap, "entry %zu: host name longer than %d characters", idx, PF_PAC_HOST_MAX);
		return PF_ERR_INVALID;
	}
	memcpy(r->host, e + hs, he - hs);
	r->host[he - hs] = '\0';
	r->port = keywords[k].port;
	if (p < n && e[p] == ':') {
		p++;
		uint32_t port = 0;
		size_t ds = p;
		while (p < n && e[p] >= '0' && e[p] <= '9' && port <= 65535)
			port = port * 10 + (uint32_t)(e[p++] - '0');
		if (p == ds || port == 0 || port > 65535) {
			pf_snprintf(err, cap, "entry %zu: the port of %s must be 1-65535", idx, r->host);
			return PF_ERR_INVALID;
		}
		r->port = (uint16_t)port;
	}
	if (p < n) {
		while (blank(e[p]))
			p++; /* n ends on a non-blank */
		pf_snprintf(err, cap, "entry %zu: unexpected '%.*s' after %s (entries are separated by ';')", idx,
			    (int)PF_MIN(n - p, 32), e + p, r->host);
		return PF_ERR_INVALID;
	}
	return PF_OK;
}

pf_status pf_pac_parse_result(const char *s, size_t len, pf_pac_routes *ret, char *ret_err, size_t err_cap)
{
	char dummy;
	if (!ret_err || !err_cap) {
		ret_err = &dummy;
		err_cap = 1;
	}
	ret_err[0] = '\0';
	ret->n = 0;
	size_t i = 0, idx = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && s[end] != ';')
			end++;
		size_t a = i, b = end;
		while (a < b && blank(s[a]))
			a++;
		while (b > a && blank(s[b - 1]))
			b--;
		i = end + 1;
		if (a == b)
			continue;
		idx++;
		if (ret->n == PF_PAC_ROUTES_MAX) {
			pf_snprintf(ret_err, err_cap, "more than %d entries", PF_PAC_ROUTES_MAX);
			ret->n = 0;
			return PF_ERR_TOO_BIG;
		}
		for (size_t c = a; c < b; c++)
			if ((uint8_t)s[c] < 0x20 && !blank(s[c])) {
				pf_snprintf(ret_err, err_cap, "entry %zu: control character 0x%02x", idx, (uint8_t)s[c]);
				ret->n = 0;
				return PF_ERR_INVALID;
			}
		pf_status st = parse_entry(s + a, b - a, idx, &ret->items[ret->n], ret_err, err_cap);
		if (st != PF_OK) {
			ret->n = 0;
			return st;
		}
		ret->n++;
	}
	if (ret->n == 0) {
		memset(&ret->items[0], 0, sizeof(ret->items[0]));
		ret->items[0].kind = PF_PAC_DIRECT;
		memcpy(ret->items[0].keyword, "DIRECT", 7);
		ret->items[0].supported = true;
		ret->n = 1;
	}
	return PF_OK;
}
