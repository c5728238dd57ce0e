/* The online record lookup in Microsoft Graph with a bearer token from the stick or a sign-in (efi/graph_online.c). */
#ifndef PF_EFI_GRAPH_ONLINE_H
#define PF_EFI_GRAPH_ONLINE_H

#include <efi.h>
#include "config.h"
#include "findings.h"
#include "netresult.h"
#include "graphquery.h"
#include "http.h"
#include "records.h"

/* The token, the TLS environment and the adapter of one run's Graph work, kept from the record
 * lookup to the user checks (efi/graph_user.c). */
typedef struct graph_session graph_session;

/*
 * With graph.enabled and a token (graph.token_file, else device-code sign-in with graph.tenant and
 * graph.client_id, efi/graph_signin.c): looks the serial up through the adapter of the network
 * phase and adds what Graph returns to rr as source graph-online, file "graph:<endpoint>"; problems
 * become GRAPH-AUTH-FAILED, GRAPH-THROTTLED or GRAPH-UNREACHABLE in f. The token is never printed,
 * and every buffer that held it is wiped before it is freed. Does nothing without graph.enabled.
 * Returns the session when a token was had (for the user checks), else NULL; graph_session_close
 * ends it.
 */
graph_session *graph_online_lookup(EFI_FILE *root, const pf_config *c, const pf_net_result *net, const char *serial,
				   pf_record_result *rr, pf_findings *f);
/* Wipes the token and frees the session; NULL is fine. */
void graph_session_close(graph_session *s);
const char *graph_session_endpoint(const graph_session *s);

/* One GET with the session's token, bounded by network.timeout_ms. */
typedef struct {
	unsigned status;         /* the HTTP status */
	const uint8_t *body;     /* the body (dechunked) */
	size_t len;
	char error[PF_GRAPH_ERR_TEXT + 80]; /* ": code: message" from Graph's error body, or "" */
	uint8_t *buf, *dechunk;  /* owned; graph_answer_free */
	pf_http_response head;   /* the parsed head of buf */
} graph_answer;
/* From now on every GET also ends within ms of now; one past that is refused with the reason. */
void graph_session_limit(graph_session *s, uint32_t ms);
/* false with the reason in why (DNS, TCP, TLS, timeout, malformed answer, the session's limit). */
bool graph_session_get(graph_session *s, const pf_url *u, graph_answer *ret, char *why, size_t cap);
void graph_answer_free(graph_answer *a);

#endif
