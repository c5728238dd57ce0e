/* The network checks per service of Microsoft's allow-lists: "Intune: blocked (1 of 1 host)". */
#ifndef PF_NETSERVICE_H
#define PF_NETSERVICE_H

#include "buf.h"
#include "json.h"
#include "netresult.h"

#define PF_NET_MAX_SERVICES 32

typedef struct {
	const char *service;  /* the endpoint's service, PF_SERVICE_OTHER for hosts outside the table */
	size_t hosts;         /* checks of this service */
	size_t run;           /* of them, checks that ran */
	size_t failed;        /* of those, checks that did not pass */
	size_t inspected;     /* of those, checks whose certificate came from an untrusted issuer */
} pf_net_service;

/* The services of r's checks in the order they first appear; at most max (later ones are folded into
 * the last). Returns how many were written. */
size_t pf_net_services(const pf_net_result *r, pf_net_service *ret, size_t max);
/* "ok", "blocked" (every check that ran failed), "partly blocked", "not checked" (none ran); "TLS
 * inspected" / "partly TLS inspected" when every failure is an untrusted certificate (a proxy that
 * inspects TLS lets the connection through but Windows refuses it). */
const char *pf_net_service_state(const pf_net_service *s);
/* Lines "  Intune: blocked (1 of 1 host)" for the text report and the screen. */
void pf_net_services_text(const pf_net_result *r, pf_buf *out);
/* The "services" array of the network object: {service, state, hosts, run, failed}. */
void pf_net_services_json(pf_json *j, const pf_net_result *r);

#endif
