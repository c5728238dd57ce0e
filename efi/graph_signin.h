/* Device-code sign-in for the online lookup (efi/graph_signin.c): a Graph token without a token file. */
#ifndef PF_EFI_GRAPH_SIGNIN_H
#define PF_EFI_GRAPH_SIGNIN_H

#include <efi.h>
#include "config.h"
#include "findings.h"
#include "net.h"

/* True when graph.client_id and graph.tenant are both set. */
bool graph_signin_configured(const pf_config *c);

/*
 * Signs in with the device authorization grant at graph.login_endpoint: shows "Sign in at <uri> with
 * code <user code>", polls the token endpoint until the user is done, the code expires (at most
 * PF_SIGNIN_MAX_WAIT_S), Esc is pressed or an error comes back. True with the access token in *ret_token
 * (pool, *ret_len bytes, NUL-terminated; the caller wipes and frees it). Otherwise a GRAPH-AUTH-FAILED
 * (refused, expired, cancelled) or GRAPH-UNREACHABLE (network) finding in f. The device code and the
 * token are never printed, and every buffer that held them is wiped before it is freed.
 */
bool graph_signin(const pf_config *c, const net_link *link, pf_findings *f, char **ret_token, size_t *ret_len);

#endif
