/* An HTTP proxy on the way out: its address, the CONNECT and absolute-URI requests, and its answer. */
#ifndef PF_PROXY_H
#define PF_PROXY_H

#include "endpoint.h"
#include "str.h"

/* The port WinHTTP uses for a proxy given without one. */
#define PF_PROXY_DEFAULT_PORT 80

typedef struct {
	char host[PF_HOST_MAX + 1]; /* lower case: a name or a dotted IPv4 address */
	uint16_t port;
} pf_hostport;

/*
 * "host:port" (optionally "http://host:port" or "host:port/", as sites write it) into ret. A missing
 * port is PF_PROXY_DEFAULT_PORT. PF_ERR_INVALID with the reason in err (cap bytes) for anything else:
 * another scheme, a bad host name, a port outside 1..65535, credentials ("user:pass@host").
 */
PF_MUST_CHECK pf_status pf_hostport_parse(const void *buf, size_t len, pf_hostport *ret, char *err, size_t cap);

/* A strict dotted quad ("10.0.0.5"; no leading zeros, no missing parts) into ret; false otherwise. */
bool pf_ipv4_parse(const char *s, uint8_t ret[4]);

/* "CONNECT host:port HTTP/1.1" with Host and User-Agent: the tunnel a proxy opens for TLS and plain TCP.
 * Returns the length as snprintf does (>= cap: it did not fit). */
size_t pf_proxy_connect_request(const char *host, uint16_t port, char *buf, size_t cap);

/* "GET http://host[:port]path HTTP/1.1" with Host, Connection: close and no caching: a plain HTTP request
 * sent to a proxy (RFC 9112's absolute form). Returns the length as snprintf does. */
size_t pf_proxy_get_request(const char *host, uint16_t port, const char *path, char *buf, size_t cap);

/* A request in origin form ("POST /path HTTP/1.1\r\n...") rewritten for a proxy: the request line's target
 * becomes "http://host[:port]/path", everything else as it was. Returns the length as snprintf does (>= cap:
 * it did not fit, out holds nothing usable); 0 when req has no request line of the form "METHOD /TARGET ". */
size_t pf_proxy_absolute_request(const void *req, size_t len, const char *host, uint16_t port, char *out, size_t cap);

#define PF_PROXY_SCHEMES_MAX 64
#define PF_PROXY_REASON_MAX 64

/* What a proxy answered to CONNECT (or to a request it refused on its own account). */
typedef struct {
	unsigned status;                      /* 100..999 */
	size_t head_len;                      /* bytes of the head, the empty line included */
	char schemes[PF_PROXY_SCHEMES_MAX];   /* Proxy-Authenticate schemes, "Basic, NTLM, Negotiate"; "" none */
	char reason[PF_PROXY_REASON_MAX];     /* the reason phrase, else X-Squid-Error; printable ASCII */
} pf_proxy_reply;

/*
 * Parses the head of a proxy's answer at the start of buf. PF_ERR_TRUNCATED until the empty line has
 * arrived; PF_ERR_INVALID for anything that is not an HTTP/1.x head (an HTTP/0.9 answer, garbage);
 * PF_ERR_TOO_BIG for a head over PF_HTTP_HEAD_MAX.
 */
PF_MUST_CHECK pf_status pf_proxy_reply_parse(const void *buf, size_t len, pf_proxy_reply *ret);

/* The schemes of one Proxy-Authenticate value appended to list (cap bytes, ", " between, each once). */
void pf_proxy_add_schemes(pf_span value, char *list, size_t cap);

#endif
