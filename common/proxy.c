/* An HTTP proxy on the way out: its address, the CONNECT and absolute-URI requests, and its answer. */
#include "proxy.h"
#include "fmt.h"
#include "http.h"
#include "str.h"

pf_status pf_hostport_parse(const void *buf, size_t len, pf_hostport *ret, char *err, size_t cap)
{
	pf_span v = pf_span_trim((pf_span){ buf, len });
	pf_span all = v;
	if (pf_span_starts_nocase(v, "http://")) {
		v.p += 7;
		v.len -= 7;
	} else {
		for (size_t i = 0; i + 2 < v.len; i++)
			if (v.p[i] == ':' && v.p[i + 1] == '/' && v.p[i + 2] == '/') {
				/* An https:// proxy would need TLS to the proxy itself: WinHTTP's proxy list has none. */
				pf_snprintf(err, cap, "'%.*s': only an http:// proxy (host:port) can be checked", (int)all.len,
					    all.p);
				return PF_ERR_INVALID;
			}
	}
	if (v.len && v.p[v.len - 1] == '/')
		v.len--;
	for (size_t i = 0; i < v.len; i++)
		if (v.p[i] == '@' || v.p[i] == '/') {
			pf_snprintf(err, cap, "'%.*s' is not host:port (no path, no user name)", (int)all.len, all.p);
			return PF_ERR_INVALID;
		}
	size_t colon = v.len;
	for (size_t i = 0; i < v.len; i++)
		if (v.p[i] == ':') {
			colon = i;
			break;
		}
	pf_span host = { v.p, colon };
	uint64_t port = PF_PROXY_DEFAULT_PORT;
	if (colon < v.len && (!pf_parse_u64((pf_span){ v.p + colon + 1, v.len - colon - 1 }, 65535, &port) || !port)) {
		pf_snprintf(err, cap, "'%.*s': the port is not a number from 1 to 65535", (int)all.len, all.p);
		return PF_ERR_INVALID;
	}
	if (!pf_host_valid(host.p, host.len)) {
		pf_snprintf(err, cap, "'%.*s': '%.*s' is not a host name or IPv4 address", (int)all.len, all.p,
			    (int)PF_MIN(host.len, 80), host.p);
		return PF_ERR_INVALID;
	}
	for (size_t i = 0; i < host.len; i++)
		ret->host[i] = pf_tolower(host.p[i]);
	ret->host[host.len] = '\0';
	ret->port = (uint16_t)port;
	return PF_OK;
}

bool pf_ipv4_parse(const char *s, uint8_t ret[4])
{
	uint8_t a[4];
	for (int part = 0; part < 4; part++) {
		if (part && *s++ != '.')
			return false;
		unsigned v = 0, digits = 0;
		while (pf_isdigit(*s) && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || digits > 3 || v > 255 || (digits > 1 && s[-(int)digits] == '0'))
			return false;
		a[part] = (uint8_t)v;
	}
	if (*s)
		return false;
	memcpy(ret, a, 4);
	return true;
}

size_t pf_proxy_connect_request(const char *host, uint16_t port, char *buf, size_t cap)
{
	return pf_snprintf(buf, cap,
			   "CONNECT %s:%u HTTP/1.1\r\nHost: %s:%u\r\nUser-Agent: Preflight/" PF_VERSION "\r\n\r\n", host,
			   (unsigned)port, host, (unsigned)port);
}

size_t pf_proxy_get_request(const char *host, uint16_t port, const char *path, char *buf, size_t cap)
{
	char hp[PF_HOST_MAX + 8];
	if (port == 80)
		pf_snprintf(hp, sizeof(hp), "%s", host);
	else
		pf_snprintf(hp, sizeof(hp), "%s:%u", host, (unsigned)port);
	return pf_snprintf(buf, cap,
			   "GET http://%s%s HTTP/1.1\r\nHost: %s\r\nUser-Agent: Preflight/" PF_VERSION
			   "\r\nAccept: */*\r\nCache-Control: no-cache\r\nPragma: no-cache\r\nConnection: close\r\n\r\n",
			   hp, path, hp);
}

size_t pf_proxy_absolute_request(const void *req, size_t len, const char *host, uint16_t port, char *out, size_t cap)
{
	const char *r = req;
	size_t sp = 0;
	while (sp < len && sp < 16 && r[sp] != ' ')
		sp++;
	if (sp == 0 || sp >= len - 1 || r[sp] != ' ' || r[sp + 1] != '/')
		return 0;
	char prefix[PF_HOST_MAX + 16];
	int n = port == 80 ? pf_snprintf(prefix, sizeof(prefix), "http://%s", host)
			   : pf_snprintf(prefix, sizeof(prefix), "http://%s:%u", host, (unsigned)port);
	size_t plen = (size_t)n, total = len + plen;
	if (plen >= sizeof(prefix) || total >= cap)
		return total;
	memcpy(out, r, sp + 1);
	memcpy(out + sp + 1, prefix, plen);
	memcpy(out + sp + 1 + plen, r + sp + 1, len - sp - 1);
	out[total] = '\0';
	return total;
}

static bool is_tchar(char c)
{
	/* RFC 9110's token characters */
	static const char extra[] = "!#$%&'*+-.^_`|~";
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || pf_isdigit(c))
		return true;
	for (size_t i = 0; i < sizeof(extra) - 1; i++)
		if (c == extra[i])
			return true;
	return false;
}

/* Appends one scheme name unless the list has it already or it does not fit whole. */
static void add_scheme(pf_span name, char *list, size_t cap)
{
	size_t n = strlen(list);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && list[j] != ',')
			j++;
		if (pf_span_eq_nocase((pf_span){ list + i, j - i }, name))
			return;
		i = j < n ? j + 2 : j;
	}
	size_t need = name.len + (n ? 2 : 0);
	if (n + need + 1 > cap)
		return;
	if (n) {
		list[n++] = ',';
		list[n++] = ' ';
	}
	memcpy(list + n, name.p, name.len);
	list[n + name.len] = '\0';
}

void pf_proxy_add_schemes(pf_span value, char *list, size_t cap)
{
	/* A value is a comma list of challenges and their parameters: "Basic realm="a, b", NTLM". A scheme
	 * starts an element and is a token not followed by '='; an auth-param ("name=value") is not one. */
	size_t i = 0;
	while (i < value.len) {
		while (i < value.len && (value.p[i] == ' ' || value.p[i] == '\t' || value.p[i] == ','))
			i++;
		size_t s = i;
		while (i < value.len && is_tchar(value.p[i]))
			i++;
		pf_span tok = { value.p + s, i - s };
		size_t k = i;
		while (k < value.len && (value.p[k] == ' ' || value.p[k] == '\t'))
			k++;
		bool param = k < value.len && value.p[k] == '=';
		if (tok.len && !param)
			add_scheme(tok, list, cap);
		/* Skip the rest of the element, quoted strings whole. */
		bool quoted = false;
		while (i < value.len && (quoted || value.p[i] != ',')) {
			if (value.p[i] == '\\' && quoted && i + 1 < value.len)
				i++;
			else if (value.p[i] == '"')
				quoted = !quoted;
			i++;
		}
		if (!tok.len && i == s)
			i++; /* a character that is neither token nor separator: step over it */
	}
}

pf_status pf_proxy_reply_parse(const void *buf, size_t len, pf_proxy_reply *ret)
{
	pf_http_response h;
	pf_status st = pf_http_parse_head(buf, len, &h);
	if (st != PF_OK)
		return st;
	pf_proxy_reply r = { .status = h.status, .head_len = h.head_len };
	const char *s = buf;
	char squid[PF_PROXY_REASON_MAX] = "";
	bool first = true;
	for (size_t i = 0; i < h.head_len;) {
		size_t j = i;
		while (j < h.head_len && s[j] != '\n')
			j++;
		pf_span l = { s + i, j - i };
		if (l.len && l.p[l.len - 1] == '\r')
			l.len--;
		i = j + 1;
		if (first) {
			first = false;
			/* "HTTP/1.1 407 Proxy Authentication Required": the phrase after the code */
			if (l.len > 13)
				pf_copy_printable(r.reason, sizeof(r.reason), pf_span_trim((pf_span){ l.p + 13, l.len - 13 }));
			continue;
		}
		pf_span name, val;
		if (!pf_http_header_split(l, &name, &val))
			continue;
		if (pf_span_eq_cstr_nocase(name, "proxy-authenticate"))
			pf_proxy_add_schemes(val, r.schemes, sizeof(r.schemes));
		else if (pf_span_eq_cstr_nocase(name, "x-squid-error"))
			pf_copy_printable(squid, sizeof(squid), val);
	}
	if (!r.reason[0] && squid[0])
		pf_strlcpy(r.reason, squid, sizeof(r.reason));
	*ret = r;
	return PF_OK;
}
