/* HTTP/1.1 for the network checks: the GET request, the response head (status, Date, length), NCSI body. */
#ifndef PF_HTTP_H
#define PF_HTTP_H

#include "pf.h"
#include "str.h"

#define PF_HTTP_HEAD_MAX (16 * 1024)

typedef struct {
	unsigned status;          /* 100..999 */
	unsigned minor;           /* HTTP/1.<minor> */
	size_t head_len;          /* bytes up to and including the empty line; the body starts here */
	bool has_date;
	int64_t date_unix;        /* Date header as seconds since 1970 (UTC) */
	bool has_length;
	uint64_t content_length;
	bool chunked;             /* Transfer-Encoding: chunked */
	size_t location_off;      /* Location header value inside the buffer (0/0 when absent) */
	size_t location_len;
} pf_http_response;

/*
 * Parses a response head from the start of buf. PF_ERR_TRUNCATED: the empty line has not arrived
 * yet (read more); PF_ERR_TOO_BIG: no end within PF_HTTP_HEAD_MAX; PF_ERR_INVALID: not HTTP/1.x.
 * Unknown or malformed header lines other than Date/Content-Length are ignored.
 */
PF_MUST_CHECK pf_status pf_http_parse_head(const void *buf, size_t len, pf_http_response *ret);

/*
 * The body of a complete response in buf (head included). With Content-Length: PF_ERR_TRUNCATED
 * until all of it is there. Chunked: decoded into out; PF_ERR_TRUNCATED until the last chunk.
 * Neither: everything after the head (the connection's close ends it; the caller knows when).
 * ret_len gets the body length; the body is at buf + head_len, or in out for chunked bodies.
 */
PF_MUST_CHECK pf_status pf_http_body(const void *buf, size_t len, const pf_http_response *r, void *out, size_t cap,
				     const uint8_t **ret_body, size_t *ret_len);

/* One header line ("Name: value", no line end) into its name and trimmed value; false without a colon. */
bool pf_http_header_split(pf_span line, pf_span *ret_name, pf_span *ret_value);

/* HTTP dates: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850 and asctime forms (RFC 9110). */
bool pf_http_date_parse(const char *s, size_t len, int64_t *ret_unix);

/* "GET path HTTP/1.1" with Host, Connection: close, Cache-Control: no-cache. Returns the length
 * (as snprintf, may exceed cap: then the request did not fit). */
size_t pf_http_get_request(const char *host, const char *path, char *buf, size_t cap);

/* The NCSI page must say exactly "Microsoft Connect Test" (a trailing newline is tolerated). */
#define PF_NCSI_TEXT "Microsoft Connect Test"
bool pf_ncsi_body_ok(const void *body, size_t len);

#endif
