/* The answer of a PAC file's FindProxyForURL ("PROXY a:8080; PROXY b:3128; DIRECT") as a list of routes. */
#ifndef PF_PACRESULT_H
#define PF_PACRESULT_H

#include "pf.h"

#define PF_PAC_ROUTES_MAX 16
#define PF_PAC_HOST_MAX 255

typedef enum {
	PF_PAC_DIRECT, /* DIRECT: no proxy */
	PF_PAC_PROXY,  /* PROXY or HTTP: an HTTP proxy (CONNECT for TLS) */
	PF_PAC_HTTPS,  /* HTTPS: an HTTP proxy reached over TLS */
	PF_PAC_SOCKS,  /* SOCKS, SOCKS4, SOCKS5: named, but Preflight cannot use them */
} pf_pac_kind;

typedef struct {
	pf_pac_kind kind;
	char keyword[8];                /* as written, upper-cased: "PROXY", "HTTP", "SOCKS5", ... */
	char host[PF_PAC_HOST_MAX + 1]; /* a name, an IPv4 address or an IPv6 address without brackets */
	uint16_t port;                  /* as written, else the keyword's default (80, 443, 1080) */
	bool supported;                 /* false for SOCKS */
} pf_pac_route;

typedef struct {
	pf_pac_route items[PF_PAC_ROUTES_MAX];
	size_t n;
} pf_pac_routes;

/*
 * Parses s (len bytes, no NUL needed) as Mozilla and WinHTTP read it: entries separated by ';',
 * blanks around them ignored, empty entries skipped; keywords in any case; "host:port", "host" or
 * "[v6]:port". An answer with no entry at all means DIRECT (as browsers take it). Returns PF_OK;
 * PF_ERR_INVALID for anything else (an unknown keyword, a missing or malformed host or port, text
 * after the port), PF_ERR_TOO_BIG over PF_PAC_ROUTES_MAX entries; ret_err says which entry and why.
 */
pf_status pf_pac_parse_result(const char *s, size_t len, pf_pac_routes *ret, char *ret_err, size_t err_cap) PF_MUST_CHECK;

const char *pf_pac_kind_str(pf_pac_kind k);

#endif
