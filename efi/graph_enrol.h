/* What the user will wait for, from Microsoft Graph: the Autopilot device's userless status and profile, the ESP and device limit that apply (efi/graph_enrol.c). */
#ifndef PF_EFI_GRAPH_ENROL_H
#define PF_EFI_GRAPH_ENROL_H

#include "graph_online.h"
#include "graphuser.h"

typedef struct graph_enrol graph_enrol;

/* Reads the Autopilot device (beta, by the record's id) with its profile, and the tenant's enrolment
 * configurations. NULL only when out of memory; a read that fails leaves its part out (with an info
 * finding). */
graph_enrol *graph_enrol_begin(graph_session *s, const pf_record *rec, pf_user_result *u, pf_findings *f);
/* More groups whose membership matters (the join policy's). */
void graph_enrol_want_groups(graph_enrol *e, const char (*ids)[40], size_t n);
/* One transitiveMemberOf for the user and one for the device (when a configuration names groups). */
void graph_enrol_read_groups(graph_enrol *e, graph_session *s, pf_user_result *u, pf_findings *f);
/* Is the user in the group: UNKNOWN when the user's groups were not read in full. */
pf_tri graph_enrol_user_in(const graph_enrol *e, const char *group);
/* The reason the user's groups are unknown ("" when read in full). */
const char *graph_enrol_groups_why(const graph_enrol *e);
/* REC-USERLESS-BLOCKED, the ESP and the device limit that apply (USER-ENROLLMENT-LIMIT-REACHED). */
void graph_enrol_check(graph_enrol *e, graph_session *s, pf_user_result *u, pf_findings *f);
void graph_enrol_end(graph_enrol *e);

#endif
