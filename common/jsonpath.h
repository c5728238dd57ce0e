/* The member names leading to a JSON scanner event, for readers that pick members by path. */
#ifndef PF_JSONPATH_H
#define PF_JSONPATH_H

#include "jsonscan.h"

#define PF_JSONPATH_MAX 8     /* deeper members never match */
#define PF_JSONPATH_KEY 48    /* longer names are cut, so never equal a path's (shorter) names */

typedef struct {
	/* key[d]: the name of the member at depth d, "[]" for an array element ("" before its key) */
	char key[PF_JSONPATH_MAX + 1][PF_JSONPATH_KEY];
} pf_jsonpath;

/* Keeps key[] current; call it first for every event. */
void pf_jsonpath_event(pf_jsonpath *p, const pf_jsonscan_event *ev);

/*
 * The event is at depth from + k - 1 and the names at depths from .. from + k - 1 are the k parts of
 * path ('/'-separated, compared without case; "[]" an array element). E.g. from 1,
 * "assignments/[]/target/groupId" is a member of a top-level member's array's object's member.
 */
bool pf_jsonpath_is(const pf_jsonpath *p, const pf_jsonscan_event *ev, unsigned from, const char *path);

#endif
