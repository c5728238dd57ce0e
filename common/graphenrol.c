/* Intune's enrolment configurations: which Enrollment Status Page and device limit apply (docs/user-checks.md). */
#include "graphenrol.h"
#include "fmt.h"
#include "jsonpath.h"
#include "str.h"

typedef struct {
	pf_jsonpath path;
	bool object, has_next, keep;
	int kind;                 /* the entry's: -1 another kind, else pf_enrol_kind */
	char id[96], type[64];    /* the entry's id and deviceEnrollmentConfigurationType */
	pf_enrol_config cur;
	pf_enrol_configs *out;
} configs_ctx;

#define AT(p) pf_jsonpath_is(&c->path, ev, 1, "value/[]/" p)

static int64_t number(const pf_jsonscan_event *ev)
{
	uint64_t v;
	return ev->type == PF_JEV_NUMBER && pf_parse_u64(ev->val, INT32_MAX, &v) ? (int64_t)v : -1;
}

static pf_tri tri_of(const pf_jsonscan_event *ev)
{
	return ev->type == PF_JEV_TRUE ? PF_YES : ev->type == PF_JEV_FALSE ? PF_NO : PF_UNKNOWN;
}

static bool ends_with_nocase(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && pf_span_eq_cstr_nocase((pf_span){ s + n - m, m }, suffix);
}

/* An entry ends: kept when it is an ESP or a limit. Intune names its defaults by type (beta) and
 * by an id ending in the type's name. */
static void entry_end(configs_ctx *c)
{
	if (c->kind < 0)
		return;
	c->cur.kind = (pf_enrol_kind)c->kind;
	c->cur.is_default = pf_span_eq_cstr_nocase(pf_span_of(c->type), "defaultWindows10EnrollmentCompletionPageConfiguration") ||
			    pf_span_eq_cstr_nocase(pf_span_of(c->type), "defaultLimit") ||
			    ends_with_nocase(c->id, "_DefaultWindows10EnrollmentCompletionPageConfiguration") ||
			    ends_with_nocase(c->id, "_DefaultLimit");
	if (c->out->n == PF_ENROL_CONFIGS_MAX) {
		c->out->cut = true;
		return;
	}
	c->out->c[c->out->n++] = c->cur;
}

static void on_string(configs_ctx *c, const pf_jsonscan_event *ev)
{
	pf_enrol_config *e = &c->cur;
	pf_enrol_target *t = e->n_targets ? &e->targets[e->n_targets - 1] : NULL;
	if (AT("@odata.type")) {
		if (pf_span_eq_cstr_nocase(ev->val, "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration"))
			c->kind = PF_ENROL_ESP;
		else if (pf_span_eq_cstr_nocase(ev->val, "#microsoft.graph.deviceEnrollmentLimitConfiguration"))
			c->kind = PF_ENROL_LIMIT;
	} else if (AT("id"))
		pf_copy_printable(c->id, sizeof(c->id), ev->val);
	else if (AT("deviceEnrollmentConfigurationType"))
		pf_copy_printable(c->type, sizeof(c->type), ev->val);
	else if (AT("displayName"))
		pf_copy_printable(e->name, sizeof(e->name), ev->val);
	else if (AT("selectedMobileAppIds/[]"))
		e->blocking_apps++;
	else if (t && c->keep && AT("assignments/[]/target/@odata.type")) {
		static const struct { const char *type; pf_target_kind kind; } kinds[] = {
			{ "#microsoft.graph.groupAssignmentTarget", PF_TARGET_GROUP },
			{ "#microsoft.graph.exclusionGroupAssignmentTarget", PF_TARGET_EXCLUDE },
			{ "#microsoft.graph.allLicensedUsersAssignmentTarget", PF_TARGET_ALL_USERS },
			{ "#microsoft.graph.allDevicesAssignmentTarget", PF_TARGET_ALL_DEVICES },
		};
		for (size_t i = 0; i < PF_ARRAY_SIZE(kinds); i++)
			if (pf_span_eq_cstr_nocase(ev->val, kinds[i].type))
				t->kind = kinds[i].kind;
	} else if (t && c->keep && AT("assignments/[]/target/groupId"))
		pf_copy_printable(t->group, sizeof(t->group), ev->val);
}

static bool configs_event(void *ctx, const pf_jsonscan_event *ev)
{
	configs_ctx *c = ctx;
	pf_enrol_config *e = &c->cur;
	pf_jsonpath_event(&c->path, ev);
	if (ev->depth == 0)
		c->object |= ev->type == PF_JEV_OBJ_START;
	if (ev->depth == 1 && ev->type == PF_JEV_STRING && pf_jsonpath_is(&c->path, ev, 1, "@odata.nextLink"))
		c->has_next = true;
	if (ev->depth == 2 && pf_jsonpath_is(&c->path, ev, 1, "value/[]")) {
		if (ev->type == PF_JEV_OBJ_START) {
			c->kind = -1;
			c->id[0] = c->type[0] = '\0';
			*e = (pf_enrol_config){ .priority = -1, .limit = -1, .timeout_min = -1, .show_progress = PF_UNKNOWN,
						.use_on_failure = PF_UNKNOWN };
		} else if (ev->type == PF_JEV_OBJ_END) {
			c->out->entries++;
			entry_end(c);
		}
		return true;
	}
	if (ev->type == PF_JEV_OBJ_START && AT("assignments/[]")) {
		c->keep = e->n_targets < PF_ENROL_TARGETS_MAX;
		if (c->keep)
			e->targets[e->n_targets++] = (pf_enrol_target){ .kind = PF_TARGET_OTHER };
		else
			e->targets_cut = true;
		return true;
	}
	switch (ev->type) {
	case PF_JEV_STRING:
		on_string(c, ev);
		break;
	case PF_JEV_NUMBER:
		if (AT("priority"))
			e->priority = number(ev);
		else if (AT("limit"))
			e->limit = number(ev);
		else if (AT("installProgressTimeoutInMinutes"))
			e->timeout_min = number(ev);
		break;
	case PF_JEV_TRUE:
	case PF_JEV_FALSE:
		if (AT("showInstallationProgress"))
			e->show_progress = tri_of(ev);
		else if (AT("allowDeviceUseOnInstallFailure"))
			e->use_on_failure = tri_of(ev);
		break;
	default:
		break;
	}
	return true;
}

pf_status pf_enrol_configs_read(const void *body, size_t len, pf_enrol_configs *ret)
{
	configs_ctx *c = pf_malloc(sizeof(*c));
	pf_enrol_configs *out = pf_malloc(sizeof(*out));
	pf_status st = PF_ERR_NOMEM;
	if (!c || !out)
		goto out;
	*c = (configs_ctx){ .out = out };
	*out = (pf_enrol_configs){ .n = 0 };
	st = pf_jsonscan_whole(body, len, configs_event, c, false);
	if (st == PF_OK && !c->object)
		st = PF_ERR_INVALID;
	if (st == PF_OK) {
		out->has_next = c->has_next;
		*ret = *out;
	}
out:
	pf_free(out);
	pf_free(c);
	return st;
}

size_t pf_enrol_groups(const pf_enrol_configs *cs, char (*ret_ids)[40], size_t cap, bool *ret_cut)
{
	size_t n = 0;
	bool cut = false;
	for (size_t i = 0; i < cs->n; i++)
		for (size_t k = 0; k < cs->c[i].n_targets; k++) {
			const pf_enrol_target *t = &cs->c[i].targets[k];
			bool seen = !t->group[0] || (t->kind != PF_TARGET_GROUP && t->kind != PF_TARGET_EXCLUDE);
			for (size_t j = 0; j < n && !seen; j++)
				seen = pf_span_eq_cstr_nocase(pf_span_of(t->group), ret_ids[j]);
			if (seen)
				continue;
			if (n == cap)
				cut = true;
			else
				pf_strlcpy(ret_ids[n++], t->group, sizeof(ret_ids[0]));
		}
	*ret_cut = cut;
	return n;
}

/* Does a configuration's assignment take in the device or the user: YES (why says how), NO, or
 * UNKNOWN when a membership that decides it was not read. */
static pf_tri applies(const pf_enrol_config *e, pf_in_group_fn in_group, void *ctx, char *why, size_t cap)
{
	bool users_only = e->kind == PF_ENROL_LIMIT, unknown = false, in = false;
	for (size_t k = 0; k < e->n_targets; k++) {
		const pf_enrol_target *t = &e->targets[k];
		bool device = false;
		if (t->kind == PF_TARGET_EXCLUDE) {
			pf_tri m = in_group(ctx, t->group, users_only, &device);
			if (m == PF_YES)
				return PF_NO;
			unknown |= m == PF_UNKNOWN;
		} else if (in)
			continue;
		else if (t->kind == PF_TARGET_ALL_DEVICES && !users_only) {
			in = true;
			pf_strlcpy(why, "assigned to all devices", cap);
		} else if (t->kind == PF_TARGET_ALL_USERS) {
			in = true;
			pf_strlcpy(why, "assigned to all users", cap);
		} else if (t->kind == PF_TARGET_GROUP) {
			pf_tri m = in_group(ctx, t->group, users_only, &device);
			if (m == PF_YES) {
				in = true;
				pf_snprintf(why, cap, "assigned to group %s (the %s is in it)", t->group, device ? "device" : "user");
			}
			unknown |= m == PF_UNKNOWN;
		}
	}
	return unknown ? PF_UNKNOWN : in ? PF_YES : PF_NO;
}

void pf_enrol_choose(const pf_enrol_configs *cs, pf_enrol_kind kind, pf_in_group_fn in_group, void *ctx,
		     pf_enrol_pick *ret)
{
	bool used[PF_ENROL_CONFIGS_MAX] = { false };
	const pf_enrol_config *dflt = NULL;
	*ret = (pf_enrol_pick){ .config = NULL };
	for (size_t i = 0; i < cs->n; i++)
		if (cs->c[i].kind == kind && cs->c[i].is_default)
			dflt = &cs->c[i];
	/* Assigned ones by priority, 1 first; a missing priority sorts last. */
	for (;;) {
		size_t best = cs->n;
		for (size_t i = 0; i < cs->n; i++) {
			const pf_enrol_config *e = &cs->c[i];
			if (used[i] || e->kind != kind || e->is_default)
				continue;
			uint64_t pi = e->priority < 0 ? UINT64_MAX : (uint64_t)e->priority;
			if (best == cs->n || pi < (cs->c[best].priority < 0 ? UINT64_MAX : (uint64_t)cs->c[best].priority))
				best = i;
		}
		if (best == cs->n)
			break;
		used[best] = true;
		char why[sizeof(ret->why)];
		pf_tri a = applies(&cs->c[best], in_group, ctx, why, sizeof(why));
		if (a == PF_YES) {
			ret->config = &cs->c[best];
			pf_strlcpy(ret->why, why, sizeof(ret->why));
			return;
		}
		ret->uncertain |= a == PF_UNKNOWN;
	}
	if (dflt) {
		ret->config = dflt;
		pf_strlcpy(ret->why, "the default (no assigned one applies)", sizeof(ret->why));
	}
}
