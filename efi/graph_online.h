/* The online record lookup in Microsoft Graph with a bearer token from the stick or a sign-in (efi/graph_online.c). */
#ifndef PF_EFI_GRAPH_ONLINE_H
#define PF_EFI_GRAPH_ONLINE_H

#include <efi.h>
#include "config.h"
#include "findings.h"
#include "netresult.h"
#include "records.h"

/*
 * With graph.enabled and a token (graph.token_file, else device-code sign-in with graph.tenant and
 * graph.client_id, efi/graph_signin.c): looks the serial up through the adapter of the network
 * phase and adds what Graph returns to rr as source graph-online, file "graph:<endpoint>"; problems
 * become GRAPH-AUTH-FAILED, GRAPH-THROTTLED or GRAPH-UNREACHABLE in f. The token is never printed,
 * and every buffer that held it is wiped before it is freed. Does nothing without graph.enabled.
 */
void graph_online_lookup(EFI_FILE *root, const pf_config *c, const pf_net_result *net, const char *serial,
			 pf_record_result *rr, pf_findings *f);

#endif
