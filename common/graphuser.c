/* The user's side from Microsoft Graph answers: the user object and its licences (docs/user-checks-research.md). */
#include "graphuser.h"
#include "graphquery.h"
#include "jsonscan.h"
#include "str.h"

/* "Product names and service plan identifiers for licensing" (Microsoft Learn, 2025-10-29). */
static const pf_intune_plan intune_plans[] = {
	{ "INTUNE_A", "c1ec4a95-1f05-45b3-a911-aa3fa01094f5" },
	{ "INTUNE_EDU", "da24caf9-af8e-485c-b7c8-e73336da2693" },
	{ "INTUNE_SMBIZ", "8e9ff0ff-aa7a-4b20-83c1-2f636b600ac2" },
};

const pf_intune_plan *pf_intune_plans(size_t *ret_n)
{
	*ret_n = PF_ARRAY_SIZE(intune_plans);
	return intune_plans;
}

/* ---- the user ---- */

typedef struct {
	pf_graph_user u;
	int member; /* 1 id, 2 userPrincipalName, 3 accountEnabled, 0 other */
	bool object;
} user_ctx;

static bool user_event(void *ctx, const pf_jsonscan_event *ev)
{
	user_ctx *c = ctx;
	if (ev->depth == 0) {
		c->object |= ev->type == PF_JEV_OBJ_START;
		return true;
	}
	if (ev->depth != 1)
		return true;
	if (ev->type == PF_JEV_KEY) {
		c->member = pf_span_eq_cstr_nocase(ev->val, "id") ? 1 :
			    pf_span_eq_cstr_nocase(ev->val, "userPrincipalName") ? 2 :
			    pf_span_eq_cstr_nocase(ev->val, "accountEnabled") ? 3 : 0;
		return true;
	}
	if (ev->type == PF_JEV_STRING && c->member == 1)
		pf_copy_printable(c->u.id, sizeof(c->u.id), ev->val);
	else if (ev->type == PF_JEV_STRING && c->member == 2)
		pf_copy_printable(c->u.upn, sizeof(c->u.upn), ev->val);
	else if ((ev->type == PF_JEV_TRUE || ev->type == PF_JEV_FALSE) && c->member == 3) {
		c->u.has_enabled = true;
		c->u.enabled = ev->type == PF_JEV_TRUE;
	}
	c->member = 0;
	return true;
}

pf_status pf_graph_user_read(const void *body, size_t len, pf_graph_user *ret)
{
	user_ctx c = { .member = 0 };
	pf_status st = pf_jsonscan_whole(body, len, user_event, &c, false);
	if (st == PF_OK && !c.object)
		st = PF_ERR_INVALID;
	if (st == PF_OK)
		*ret = c.u;
	return st;
}

/* ---- the licences ---- */

typedef struct {
	pf_graph_licenses l;
	pf_graph_collection coll;
	int key3;                /* a licence's key: 1 skuPartNumber, 2 servicePlans */
	int key5;                /* a plan's key: 1 servicePlanId, 2 servicePlanName, 3 provisioningStatus */
	bool in_plans;
	char sku[64];            /* the current licence */
	char plan_id[40], plan_name[32], plan_status[24];
	bool sku_has_intune;     /* the current licence carries the chosen Intune plan: name it at its end */
} lic_ctx;

static const pf_intune_plan *intune_of(const char *id, const char *name)
{
	for (size_t i = 0; i < PF_ARRAY_SIZE(intune_plans); i++)
		if ((id[0] && pf_span_eq_cstr_nocase(pf_span_of(id), intune_plans[i].id)) ||
		    (name[0] && pf_span_eq_cstr_nocase(pf_span_of(name), intune_plans[i].name)))
			return &intune_plans[i];
	return NULL;
}

/* A plan ended: an Intune plan that is provisioned wins; else the first Intune plan seen is kept
 * with its state, so the finding can say "INTUNE_A is Disabled". */
static void plan_done(lic_ctx *c)
{
	c->l.plans++;
	const pf_intune_plan *p = intune_of(c->plan_id, c->plan_name);
	if (p && !c->l.intune) {
		bool ok = pf_span_eq_cstr_nocase(pf_span_of(c->plan_status), "Success");
		if (ok || !c->l.status[0]) {
			pf_strlcpy(c->l.plan, p->name, sizeof(c->l.plan));
			pf_strlcpy(c->l.status, c->plan_status[0] ? c->plan_status : "(none)", sizeof(c->l.status));
			c->l.intune = ok;
			c->sku_has_intune = true;
			c->l.sku[0] = '\0';
		}
	}
	c->plan_id[0] = c->plan_name[0] = c->plan_status[0] = '\0';
}

static bool lic_event(void *ctx, const pf_jsonscan_event *ev)
{
	lic_ctx *c = ctx;
	if (pf_graph_collection_event(&c->coll, ev) || !c->coll.in_value)
		return true;
	switch (ev->depth) {
	case 2: /* a licence */
		if (ev->type == PF_JEV_OBJ_START) {
			c->sku[0] = '\0';
			c->sku_has_intune = false;
		} else if (ev->type == PF_JEV_OBJ_END) {
			c->l.skus++;
			if (c->sku_has_intune && !c->l.sku[0])
				pf_strlcpy(c->l.sku, c->sku, sizeof(c->l.sku));
			c->sku_has_intune = false;
		}
		return true;
	case 3: /* a licence's members */
		if (ev->type == PF_JEV_KEY) {
			c->key3 = pf_span_eq_cstr_nocase(ev->val, "skuPartNumber") ? 1 :
				  pf_span_eq_cstr_nocase(ev->val, "servicePlans") ? 2 : 0;
			return true;
		}
		if (ev->type == PF_JEV_STRING && c->key3 == 1) {
			pf_copy_printable(c->sku, sizeof(c->sku), ev->val);
			if (c->sku_has_intune && !c->l.sku[0])
				pf_strlcpy(c->l.sku, c->sku, sizeof(c->l.sku));
		}
		c->in_plans = ev->type == PF_JEV_ARR_START && c->key3 == 2;
		c->key3 = 0;
		return true;
	case 4: /* a service plan */
		if (c->in_plans && ev->type == PF_JEV_OBJ_END)
			plan_done(c);
		return true;
	case 5: /* a plan's members */
		if (!c->in_plans)
			return true;
		if (ev->type == PF_JEV_KEY) {
			c->key5 = pf_span_eq_cstr_nocase(ev->val, "servicePlanId") ? 1 :
				  pf_span_eq_cstr_nocase(ev->val, "servicePlanName") ? 2 :
				  pf_span_eq_cstr_nocase(ev->val, "provisioningStatus") ? 3 : 0;
			return true;
		}
		if (ev->type == PF_JEV_STRING && c->key5 == 1)
			pf_copy_printable(c->plan_id, sizeof(c->plan_id), ev->val);
		else if (ev->type == PF_JEV_STRING && c->key5 == 2)
			pf_copy_printable(c->plan_name, sizeof(c->plan_name), ev->val);
		else if (ev->type == PF_JEV_STRING && c->key5 == 3)
			pf_copy_printable(c->plan_status, sizeof(c->plan_status), ev->val);
		c->key5 = 0;
		return true;
	default:
		return true;
	}
}

pf_status pf_graph_licenses_read(const void *body, size_t len, pf_graph_licenses *ret)
{
	lic_ctx *c = pf_malloc(sizeof(*c));
	if (!c)
		return PF_ERR_NOMEM;
	*c = (lic_ctx){ .key3 = 0 };
	pf_status st = pf_jsonscan_whole(body, len, lic_event, c, false);
	if (st == PF_OK && !c->coll.object)
		st = PF_ERR_INVALID;
	if (st == PF_OK) {
		c->l.has_next = c->coll.has_next;
		*ret = c->l;
	}
	pf_free(c);
	return st;
}

void pf_user_pick(const char *record_upn, const char *expected_user, pf_user_result *ret)
{
	pf_span r = pf_span_trim(pf_span_of(record_upn ? record_upn : ""));
	pf_span e = pf_span_trim(pf_span_of(expected_user ? expected_user : ""));
	*ret = (pf_user_result){ .exists = PF_UNKNOWN, .enabled = PF_UNKNOWN, .licensed = PF_UNKNOWN,
				 .join_allowed = PF_UNKNOWN, .quota_left = PF_UNKNOWN, .quota = -1, .devices = -1,
				 .esp_timeout_min = -1, .esp_shown = PF_UNKNOWN, .enrol_limit = -1, .enrolled = -1 };
	pf_span use = r.len ? r : e;
	if (!use.len) {
		pf_strlcpy(ret->reason, "no user is assigned in the record and graph.expected_user is empty",
			   sizeof(ret->reason));
		return;
	}
	ret->source = r.len ? "record" : "graph.expected_user";
	pf_copy_printable(ret->upn, sizeof(ret->upn), use);
}
