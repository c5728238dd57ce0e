/* The user's side of the user flow checked through Microsoft Graph (efi/graph_user.c, docs/user-checks.md). */
#ifndef PF_EFI_GRAPH_USER_H
#define PF_EFI_GRAPH_USER_H

#include "graph_online.h"
#include "graphuser.h"

/*
 * The user the flow will see (the record's assigned user, else graph.expected_user): the account
 * (GET /v1.0/users/{upn}: exists, enabled) and its Intune licence (licenseDetails), with the
 * session's token. USER-NOT-FOUND, USER-DISABLED, USER-NO-INTUNE-LICENSE; a check Graph refuses or
 * does not answer is USER-CHECK-INCOMPLETE (info) and the others still run. s NULL: not checked,
 * ret->reason says why.
 */
void graph_user_check(graph_session *s, const pf_config *c, const char *record_upn, pf_user_result *ret,
		      pf_findings *f);

#endif
