/* The online Graph lookup's portable parts: URLs, the request, the bearer token, Retry-After, answer classes, page metadata. */
#ifndef PF_GRAPHQUERY_H
#define PF_GRAPHQUERY_H

#include "pf.h"
#include "str.h"
#include "endpoint.h"
#include "jsonscan.h"

/* Longest request target (path and query) kept; a longer URL or @odata.nextLink is refused. */
#define PF_URL_TARGET_MAX 2048
/* Longest bearer token accepted (Entra access tokens are 1-3 KB). */
#define PF_GRAPH_TOKEN_MAX 16384
/* Pages followed through @odata.nextLink, the first included. */
#define PF_GRAPH_MAX_PAGES 8
/* Retries after a 429, and the longest Retry-After honoured (longer ones are cut to it). */
#define PF_GRAPH_MAX_RETRIES 2
#define PF_GRAPH_MAX_RETRY_AFTER_S 30

/* An http:// or https:// URL split for one request. */
typedef struct {
	bool https;
	char host[PF_HOST_MAX + 1];
	uint16_t port;
	char target[PF_URL_TARGET_MAX + 1];  /* path and query, starting with '/'; no fragment */
} pf_url;

/*
 * Splits an absolute http(s) URL (scheme case-insensitive). Refused (PF_ERR_INVALID): other schemes,
 * user info, an empty or bad host (letters, digits, '-', '.'), a bad port, control characters, spaces
 * or non-ASCII bytes anywhere; PF_ERR_TOO_BIG: host or target too long. A missing path is "/".
 */
PF_MUST_CHECK pf_status pf_url_parse(pf_span s, pf_url *ret);

/*
 * The lookup's first page for serial (whitespace trimmed) under endpoint (graph.endpoint; a path of
 * its own is kept as a prefix, a query is refused): {endpoint}/v1.0/deviceManagement/
 * windowsAutopilotDeviceIdentities?$filter=contains(serialNumber,'S') with S an OData string literal
 * (quotes doubled) percent-encoded (everything but unreserved characters).
 */
PF_MUST_CHECK pf_status pf_graph_lookup_url(const char *endpoint, const char *serial, pf_url *ret);

/* Percent-encodes s as the inside of an OData string literal ('' for '); returns the length as
 * snprintf does (the output did not fit when >= cap). */
/* Percent-encodes every byte outside RFC 3986's unreserved set (and doubles apostrophes when asked,
 * for OData string literals). Returns the full length, like snprintf; out gets at most cap-1 bytes. */
size_t pf_percent_encode(pf_span s, bool double_apostrophes, char *out, size_t cap);
size_t pf_odata_literal_encode(pf_span s, char *out, size_t cap);

/*
 * The token file's text as a bearer token: a UTF-8 BOM, surrounding whitespace and a leading
 * "Bearer " are dropped; the rest must be 1..PF_GRAPH_TOKEN_MAX visible ASCII characters
 * (0x21..0x7e), so that it can never break the request's header lines. ret points into data.
 */
/* An object id safe to put in a Graph path as is: 1 to 64 letters, digits and '-' (GUIDs are). */
bool pf_graph_id_ok(const char *id);
/* {endpoint}{path}, path starting with '/' (e.g. "/v1.0/policies/deviceRegistrationPolicy"). */
PF_MUST_CHECK pf_status pf_graph_path_url(const char *endpoint, const char *path, pf_url *ret);
/* {endpoint}/v1.0/users/{upn, percent-encoded}{suffix}, e.g. suffix "/licenseDetails". PF_ERR_INVALID
 * for an endpoint that is not a URL or has a query, or an empty user; PF_ERR_TOO_BIG when too long. */
PF_MUST_CHECK pf_status pf_graph_user_url(const char *endpoint, const char *upn, const char *suffix, pf_url *ret);
PF_MUST_CHECK pf_status pf_graph_token(const void *data, size_t len, pf_span *ret);

/* GET u->target with Host, Authorization: Bearer token, Accept: application/json, Connection:
 * close. Returns the length as snprintf does (the request did not fit when >= cap). The caller
 * wipes buf after use: it holds the token. */
size_t pf_graph_request(const pf_url *u, pf_span token, char *buf, size_t cap);

/* The value of header name (case-insensitive) in a response head of head_len bytes, trimmed. */
bool pf_http_header(const void *buf, size_t head_len, const char *name, pf_span *ret);

/* Retry-After as seconds from now: delta-seconds, or an HTTP date minus now_unix (0 when past).
 * False when the value is neither. Capped at PF_GRAPH_MAX_RETRY_AFTER_S. */
bool pf_retry_after_parse(pf_span value, int64_t now_unix, uint32_t *ret_s);

typedef enum {
	PF_GQ_OK,         /* 200: a page of devices */
	PF_GQ_AUTH,       /* 401, 403: the token was refused */
	PF_GQ_THROTTLED,  /* 429: retry after Retry-After */
	PF_GQ_FAILED,     /* anything else: the service did not answer the query */
} pf_graph_class;

pf_graph_class pf_graph_classify(unsigned http_status);

/* What a Graph answer says besides its devices: the next page, and the error of an error body. */
#define PF_GRAPH_ERR_TEXT 200
typedef struct {
	bool has_next;
	pf_url next;                     /* @odata.nextLink of a page */
	bool has_error;
	char code[64];                   /* error.code, printable ASCII (others become '?'), cut to fit */
	char message[PF_GRAPH_ERR_TEXT]; /* error.message, likewise */
	bool next_invalid;               /* a nextLink was there but is not a usable URL */
} pf_graph_meta;

/*
 * Reads a Graph answer body (JSON) for its top-level "@odata.nextLink" and "error": {"code",
 * "message"}. PF_OK when the body is one valid JSON value (the meta then says what was found),
 * PF_ERR_INVALID / PF_ERR_TRUNCATED when it is not JSON (the meta says nothing), PF_ERR_NOMEM.
 */
/* The frame of a Graph collection answer, {"value": [...], "@odata.nextLink": "..."}, followed by a
 * scanner callback: pf_graph_collection_event takes the events at depth 0 and 1 (returns true for
 * them), the caller reads the entries (depth 2 and deeper) while in_value. */
typedef struct {
	bool object;    /* the answer is a JSON object */
	bool in_value;  /* inside the top-level "value" array */
	bool has_next;  /* an @odata.nextLink was given */
	int key;        /* the depth-1 key being read: 1 value, 2 @odata.nextLink */
} pf_graph_collection;
bool pf_graph_collection_event(pf_graph_collection *c, const pf_jsonscan_event *ev);

PF_MUST_CHECK pf_status pf_graph_meta_read(const void *body, size_t len, pf_graph_meta *ret);

#endif
