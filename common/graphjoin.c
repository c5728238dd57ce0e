/* May the user Entra-join one more device: the device registration policy, the user's devices and groups (docs/user-checks.md). */
#include "graphjoin.h"
#include "graphquery.h"
#include "jsonscan.h"
#include "str.h"

const char *pf_join_kind_str(pf_join_kind k)
{
	static const char *const names[] = { "unknown", "all", "selected", "none" };
	return (unsigned)k < PF_ARRAY_SIZE(names) ? names[k] : "unknown";
}

/* ---- the policy: {"userDeviceQuota": N, "azureADJoin": {"allowedToJoin": {"@odata.type", "users", "groups"}}} ---- */

typedef struct {
	pf_join_policy p;
	bool object;
	int key1;   /* 1 userDeviceQuota, 2 azureADJoin */
	int key2;   /* in azureADJoin: 1 allowedToJoin */
	bool in_join, in_allowed;
	int key3;   /* in allowedToJoin: 1 @odata.type, 2 users, 3 groups */
	int list;   /* the id array being read: 2 users, 3 groups */
} policy_ctx;

static void add_id(policy_ctx *c, pf_span v)
{
	char (*ids)[40] = c->list == 2 ? c->p.users : c->p.groups;
	size_t *n = c->list == 2 ? &c->p.n_users : &c->p.n_groups;
	if (*n == PF_JOIN_IDS_MAX) {
		c->p.ids_cut = true;
		return;
	}
	pf_copy_printable(ids[(*n)++], sizeof(ids[0]), v);
}

static bool policy_event(void *ctx, const pf_jsonscan_event *ev)
{
	policy_ctx *c = ctx;
	if (ev->depth == 0) {
		c->object |= ev->type == PF_JEV_OBJ_START;
		return true;
	}
	if (ev->depth == 1) {
		if (ev->type == PF_JEV_KEY) {
			c->key1 = pf_span_eq_cstr_nocase(ev->val, "userDeviceQuota") ? 1 :
				  pf_span_eq_cstr_nocase(ev->val, "azureADJoin") ? 2 : 0;
			return true;
		}
		if (ev->type == PF_JEV_NUMBER && c->key1 == 1) {
			uint64_t v;
			if (pf_parse_u64(ev->val, INT32_MAX, &v)) {
				c->p.has_quota = true;
				c->p.quota = (int64_t)v;
			}
		}
		c->in_join = ev->type == PF_JEV_OBJ_START && c->key1 == 2;
		c->key1 = 0;
		return true;
	}
	if (!c->in_join)
		return true;
	if (ev->depth == 2) {
		if (ev->type == PF_JEV_KEY) {
			c->key2 = pf_span_eq_cstr_nocase(ev->val, "allowedToJoin") ? 1 : 0;
			return true;
		}
		c->in_allowed = ev->type == PF_JEV_OBJ_START && c->key2 == 1;
		c->key2 = 0;
		return true;
	}
	if (!c->in_allowed)
		return true;
	if (ev->depth == 3) {
		if (ev->type == PF_JEV_KEY) {
			c->key3 = pf_span_eq_cstr_nocase(ev->val, "@odata.type") ? 1 :
				  pf_span_eq_cstr_nocase(ev->val, "users") ? 2 :
				  pf_span_eq_cstr_nocase(ev->val, "groups") ? 3 : 0;
			return true;
		}
		if (ev->type == PF_JEV_STRING && c->key3 == 1) {
			if (pf_span_eq_cstr_nocase(ev->val, "#microsoft.graph.allDeviceRegistrationMembership"))
				c->p.join = PF_JOIN_ALL;
			else if (pf_span_eq_cstr_nocase(ev->val, "#microsoft.graph.enumeratedDeviceRegistrationMembership"))
				c->p.join = PF_JOIN_SELECTED;
			else if (pf_span_eq_cstr_nocase(ev->val, "#microsoft.graph.noDeviceRegistrationMembership"))
				c->p.join = PF_JOIN_NONE;
		}
		c->list = ev->type == PF_JEV_ARR_START ? c->key3 : 0;
		c->key3 = 0;
		return true;
	}
	if (ev->depth == 4 && ev->type == PF_JEV_STRING && (c->list == 2 || c->list == 3))
		add_id(c, ev->val);
	return true;
}

pf_status pf_join_policy_read(const void *body, size_t len, pf_join_policy *ret)
{
	policy_ctx *c = pf_malloc(sizeof(*c));
	if (!c)
		return PF_ERR_NOMEM;
	*c = (policy_ctx){ .object = false };
	pf_status st = pf_jsonscan_whole(body, len, policy_event, c, false);
	if (st == PF_OK && !c->object)
		st = PF_ERR_INVALID;
	if (st == PF_OK)
		*ret = c->p;
	pf_free(c);
	return st;
}

/* ---- collections: {"value": [{...}, ...], "@odata.nextLink": "..."} ---- */

typedef struct {
	pf_graph_collection coll;
	int key3;      /* an entry's key: 1 @odata.type, 2 trustType, 3 id */
	size_t entries;
	/* the entry being read */
	bool is_device, trust_known, trust_counts;
	char id[40];
	/* what the caller wants of each entry */
	void (*on_entry)(void *ctx, bool is_device, bool trust_known, bool trust_counts, const char *id);
	void *ctx;
} list_ctx;

static bool list_event(void *ctx, const pf_jsonscan_event *ev)
{
	list_ctx *c = ctx;
	if (pf_graph_collection_event(&c->coll, ev) || !c->coll.in_value)
		return true;
	switch (ev->depth) {
	case 2:
		if (ev->type == PF_JEV_OBJ_START) {
			c->is_device = c->trust_known = c->trust_counts = false;
			c->id[0] = '\0';
		} else if (ev->type == PF_JEV_OBJ_END) {
			c->entries++;
			c->on_entry(c->ctx, c->is_device, c->trust_known, c->trust_counts, c->id);
		}
		return true;
	case 3:
		if (ev->type == PF_JEV_KEY) {
			c->key3 = pf_span_eq_cstr_nocase(ev->val, "@odata.type") ? 1 :
				  pf_span_eq_cstr_nocase(ev->val, "trustType") ? 2 :
				  pf_span_eq_cstr_nocase(ev->val, "id") ? 3 : 0;
			return true;
		}
		if (ev->type == PF_JEV_STRING && c->key3 == 1)
			c->is_device = pf_span_eq_cstr_nocase(ev->val, "#microsoft.graph.device");
		else if (ev->type == PF_JEV_STRING && c->key3 == 2) {
			c->trust_known = true;
			c->trust_counts = pf_span_eq_cstr_nocase(ev->val, "AzureAd") ||
					  pf_span_eq_cstr_nocase(ev->val, "Workplace");
		} else if (ev->type == PF_JEV_STRING && c->key3 == 3)
			pf_copy_printable(c->id, sizeof(c->id), ev->val);
		c->key3 = 0;
		return true;
	default:
		return true;
	}
}

static pf_status list_read(const void *body, size_t len, list_ctx *c)
{
	pf_status st = pf_jsonscan_whole(body, len, list_event, c, false);
	if (st == PF_OK && !c->coll.object)
		st = PF_ERR_INVALID;
	return st;
}

static void count_device(void *ctx, bool is_device, bool trust_known, bool trust_counts, const char *id)
{
	pf_owned_devices *d = ctx;
	(void)id;
	if (!is_device)
		return;
	d->devices++;
	if (!trust_known || trust_counts)
		d->counted++;
}

pf_status pf_owned_devices_read(const void *body, size_t len, pf_owned_devices *ret)
{
	pf_owned_devices d = { 0 };
	list_ctx c = { .on_entry = count_device, .ctx = &d };
	pf_status st = list_read(body, len, &c);
	if (st == PF_OK) {
		d.has_next = c.coll.has_next;
		*ret = d;
	}
	return st;
}

typedef struct {
	pf_member_of m;
	const char (*ids)[40];
	size_t n;
	bool *hits;   /* NULL, or n entries: this page's hits are added */
} member_ctx;

static void match_group(void *ctx, bool is_device, bool trust_known, bool trust_counts, const char *id)
{
	member_ctx *c = ctx;
	(void)is_device, (void)trust_known, (void)trust_counts;
	c->m.objects++;
	for (size_t i = 0; i < c->n && id[0]; i++)
		if (pf_span_eq_cstr_nocase(pf_span_of(id), c->ids[i])) {
			if (!c->m.member)
				pf_strlcpy(c->m.group, id, sizeof(c->m.group));
			c->m.member = true;
			if (c->hits)
				c->hits[i] = true;
		}
}

pf_status pf_member_of_read(const void *body, size_t len, const char (*ids)[40], size_t n, bool *ret_hits,
			    pf_member_of *ret)
{
	bool *hits = n ? pf_malloc(n * sizeof(*hits)) : NULL;
	if (n && !hits)
		return PF_ERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		hits[i] = false;
	member_ctx m = { .ids = ids, .n = n, .hits = hits };
	list_ctx c = { .on_entry = match_group, .ctx = &m };
	pf_status st = list_read(body, len, &c);
	if (st == PF_OK) {
		m.m.has_next = c.coll.has_next;
		*ret = m.m;
		for (size_t i = 0; i < n && ret_hits; i++)
			ret_hits[i] = hits[i];
	}
	pf_free(hits);
	return st;
}

static void count_entry(void *ctx, bool is_device, bool trust_known, bool trust_counts, const char *id)
{
	(void)is_device, (void)trust_known, (void)trust_counts, (void)id;
	((pf_graph_count *)ctx)->entries++;
}

pf_status pf_graph_count_read(const void *body, size_t len, pf_graph_count *ret)
{
	pf_graph_count n = { 0 };
	list_ctx c = { .on_entry = count_entry, .ctx = &n };
	pf_status st = list_read(body, len, &c);
	if (st == PF_OK) {
		n.has_next = c.coll.has_next;
		*ret = n;
	}
	return st;
}
