/* The user's side of the user flow checked through Microsoft Graph (efi/graph_user.c, docs/user-checks.md). */
#ifndef PF_EFI_GRAPH_USER_H
#define PF_EFI_GRAPH_USER_H

#include "graph_online.h"
#include "graphuser.h"

/*
 * The user the flow will see (the record's assigned user, else graph.expected_user), with the
 * session's token, all within graph.user_timeout_ms: the account (exists, enabled), its Intune
 * licence, Entra join allowed and the device quota (efi/graph_user.c); the Autopilot device's
 * userless enrolment status and profile, the ESP and the Intune device limit that apply
 * (efi/graph_enrol.c). Each problem has its finding; a check Graph refuses or does not answer is
 * USER-CHECK-INCOMPLETE (info) and the others still run. s NULL: not checked, ret->reason says why.
 * rec: the chosen record (NULL none), for the Autopilot device's id.
 */
void graph_user_check(graph_session *s, const pf_config *c, const pf_record *rec, pf_user_result *ret,
		      pf_findings *f);

/* Shared with efi/graph_enrol.c. */
/* A check that could not run: an info finding naming what was left out and why. */
void graph_user_incomplete(pf_user_result *u, pf_findings *f, const pf_url *url, const char *what, const char *why);
/* GET one resource: path from the endpoint when not NULL, else the user's resource with suffix; false
 * (and an info finding naming perm on a 401/403) when no usable answer came. */
bool graph_user_get(graph_session *s, pf_user_result *u, pf_findings *f, const char *path, const char *suffix,
		    const char *what, const char *perm, graph_answer *ret, pf_url *ret_url);
/* A reader of one answer's body into out (the common/ parsers' shape). */
typedef pf_status (*graph_reader_fn)(const void *body, size_t len, void *out);
/* graph_user_get, then a 200 parsed by read into out (graph_user_usable): false, with an info
 * finding, when no usable answer came. */
bool graph_user_fetch(graph_session *s, pf_user_result *u, pf_findings *f, const char *path, const char *suffix,
		      const char *what, const char *perm, graph_reader_fn read, void *out);
/* Not a 200 with the expected JSON (parsed: the reader's status): a check left incomplete, the
 * reason "HTTP <status>" or not_json. */
bool graph_user_usable(pf_user_result *u, pf_findings *f, const pf_url *url, const char *what, const graph_answer *a,
		       pf_status parsed, const char *not_json);

#endif
