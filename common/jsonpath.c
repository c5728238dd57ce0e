/* The member names leading to a JSON scanner event: path matching for the Graph readers. */
#include "jsonpath.h"

void pf_jsonpath_event(pf_jsonpath *p, const pf_jsonscan_event *ev)
{
	unsigned d = ev->depth;
	if (d > PF_JSONPATH_MAX)
		return;
	if (ev->type == PF_JEV_KEY) {
		pf_copy_printable(p->key[d], sizeof(p->key[d]), ev->val);
		return;
	}
	/* A container's members sit one level deeper: an array's have no name, an object's get theirs
	 * from their KEY events. */
	if (d < PF_JSONPATH_MAX && ev->type == PF_JEV_ARR_START)
		pf_strlcpy(p->key[d + 1], "[]", sizeof(p->key[d + 1]));
	else if (d < PF_JSONPATH_MAX && ev->type == PF_JEV_OBJ_START)
		p->key[d + 1][0] = '\0';
}

bool pf_jsonpath_is(const pf_jsonpath *p, const pf_jsonscan_event *ev, unsigned from, const char *path)
{
	unsigned d = from;
	const char *s = path;
	if (from == 0)
		return false;
	for (;;) {
		const char *end = s;
		while (*end && *end != '/')
			end++;
		if (d > PF_JSONPATH_MAX || d > ev->depth)
			return false;
		if (!pf_span_eq_cstr_nocase((pf_span){ s, (size_t)(end - s) }, p->key[d]))
			return false;
		if (!*end)
			return d == ev->depth;
		s = end + 1;
		d++;
	}
}
