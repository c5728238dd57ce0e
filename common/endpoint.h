/* Network endpoints as data: the built-in user-flow table and the `kind:host[:port]` config lists. */
#ifndef PF_ENDPOINT_H
#define PF_ENDPOINT_H

#include "findings.h"

typedef enum {
	PF_EP_DNS,   /* name resolves */
	PF_EP_TCP,   /* name resolves and the port accepts a connection */
	PF_EP_HTTP,  /* plus an HTTP GET answers 2xx/3xx (the NCSI page must hold the NCSI text) */
	PF_EP_HTTPS, /* plus TLS on the port */
	PF_EP_NTP,   /* name resolves and an NTP server answers on UDP */
	PF_EP__COUNT,
} pf_ep_kind;

#define PF_HOST_MAX 253

typedef struct {
	pf_ep_kind kind;
	char host[PF_HOST_MAX + 1];
	uint16_t port;      /* 0 for dns */
	pf_step step;       /* user-flow step a failure breaks */
	bool optional;      /* a failure is a warning, not an error */
	const char *purpose; /* table entries: what the host is for; NULL for config entries */
	const char *service; /* the service of Microsoft's networking requirements it belongs to (the name a
	                      * network admin finds in the allow-lists); NULL for hosts not in the table */
	const char *path;    /* http: the path to GET (a file published there); NULL: "/" */
} pf_endpoint;

/* A service of Microsoft's networking requirements: its short id (network.required_services) and
 * the name findings, the report and the screen use. */
typedef struct {
	const char *id;
	const char *name;
} pf_service;

const pf_service *pf_services(size_t *ret_n);
/* The index of the service with this name in pf_services(), or -1. */
int pf_service_index(const char *name);
/* A comma list of service ids (case-insensitive) into a mask of pf_services() indexes; an unknown
 * id is PF_ERR_INVALID with a message naming it in err (cap bytes). */
PF_MUST_CHECK pf_status pf_services_parse(const void *buf, size_t len, uint32_t *ret_mask, char *err, size_t cap);
/* A failure of ep is a warning: the row is optional and network.required_services (mask) does not
 * name its service. */
bool pf_ep_warns(const pf_endpoint *ep, uint32_t required_services);

/* The service name shown for an endpoint outside the table (network.endpoints / extra_endpoints). */
#define PF_SERVICE_OTHER "Other endpoints from preflight.ini"

typedef struct {
	pf_endpoint *items;
	size_t n;
	size_t cap;
} pf_endpoints;

/* "dns", "tcp", ... and back; pf_ep_kind_parse is case-insensitive. */
const char *pf_ep_kind_str(pf_ep_kind k);
bool pf_ep_kind_parse(const char *s, size_t len, pf_ep_kind *ret);
uint16_t pf_ep_default_port(pf_ep_kind k);

/* The built-in table of docs/autopilot.md's user-flow endpoints. */
const pf_endpoint *pf_endpoint_table(size_t *ret_n);

/*
 * Parses one comma list of `kind:host[:port]` (spaces around items allowed, empty items skipped)
 * and appends to list. Host names are lower-cased; entries from config take the step from the
 * built-in table when the host is in it, else `network`. On a bad item returns PF_ERR_INVALID and
 * writes a message naming it into err (cap bytes); items before it stay appended.
 */
PF_MUST_CHECK pf_status pf_endpoints_parse(const void *buf, size_t len, pf_endpoints *list, char *err, size_t cap);

/* The list the network phase checks: the table (or `endpoints` when not NULL) plus `extra`,
 * duplicates (same kind, host and port) dropped. */
PF_MUST_CHECK pf_status pf_endpoints_build(const char *endpoints, const char *extra, pf_endpoints *ret,
					   char *err, size_t cap);
void pf_endpoints_free(pf_endpoints *list);

/* The NCSI probe (http www.msftconnecttest.com) must answer PF_NCSI_TEXT at /connecttest.txt. */
#define PF_NCSI_HOST "www.msftconnecttest.com"
#define PF_NCSI_PATH "/connecttest.txt"
bool pf_ep_is_ncsi(const pf_endpoint *ep);
/* The path an http check requests: the row's published file, the NCSI page, else "/". */
const char *pf_ep_http_path(const pf_endpoint *ep);

/* True for a syntactically valid DNS name (letters, digits, '-', '.', labels 1..63). */
bool pf_host_valid(const char *s, size_t len);

#endif
