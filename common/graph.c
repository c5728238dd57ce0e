/* Graph windowsAutopilotDeviceIdentity reader: picks device objects and their members out of the token stream. */
#include "graph.h"
#include "fmt.h"

/* Field buffers; the hash comes last because it alone has the large buffer. */
enum {
	F_SERIAL, F_PRODUCT_KEY, F_GROUP_TAG, F_UPN, F_AUN, F_MANUFACTURER, F_MODEL, F_ID, F_ENROLLMENT,
	F_PROFILE, F_PURCHASE_ORDER, F_DISPLAY_NAME, F_AAD, F_MANAGED, F_SKU, F_FAMILY, F_LAST_CONTACTED,
	F_HASH,
};
_Static_assert(F_HASH == PF_GRAPH_SMALL_FIELDS, "graph.h's field count is out of date");

/* What a container is to the reader. */
enum {
	R_OTHER,   /* skipped with everything inside */
	R_LIST,    /* an array whose object elements are candidates */
	R_CAND,    /* a candidate object whose members are being collected */
	R_PAGE,    /* a candidate that turned out to hold a "value" list */
};

#define NO_VIEW ((size_t)-1)
#define MEMBER(name, field, view) { name, sizeof(name) - 1, field, view }

static const struct member {
	const char *name;
	size_t len;
	int field;
	size_t view;   /* offset of the pf_record_view span, NO_VIEW for the two user names */
} members[] = {
	MEMBER("serialNumber", F_SERIAL, offsetof(pf_record_view, serial)),
	MEMBER("productKey", F_PRODUCT_KEY, offsetof(pf_record_view, product_id)),
	MEMBER("hardwareIdentifier", F_HASH, offsetof(pf_record_view, hash)),
	MEMBER("groupTag", F_GROUP_TAG, offsetof(pf_record_view, group_tag)),
	MEMBER("userPrincipalName", F_UPN, NO_VIEW),
	MEMBER("addressableUserName", F_AUN, NO_VIEW),
	MEMBER("manufacturer", F_MANUFACTURER, offsetof(pf_record_view, manufacturer)),
	MEMBER("model", F_MODEL, offsetof(pf_record_view, model)),
	MEMBER("id", F_ID, offsetof(pf_record_view, id)),
	MEMBER("enrollmentState", F_ENROLLMENT, offsetof(pf_record_view, enrollment_state)),
	MEMBER("deploymentProfileAssignmentStatus", F_PROFILE, offsetof(pf_record_view, profile_status)),
	MEMBER("purchaseOrderIdentifier", F_PURCHASE_ORDER, offsetof(pf_record_view, purchase_order)),
	MEMBER("displayName", F_DISPLAY_NAME, offsetof(pf_record_view, display_name)),
	MEMBER("azureActiveDirectoryDeviceId", F_AAD, offsetof(pf_record_view, aad_device_id)),
	MEMBER("managedDeviceId", F_MANAGED, offsetof(pf_record_view, managed_device_id)),
	MEMBER("skuNumber", F_SKU, offsetof(pf_record_view, sku)),
	MEMBER("systemFamily", F_FAMILY, offsetof(pf_record_view, system_family)),
	MEMBER("lastContactedDateTime", F_LAST_CONTACTED, offsetof(pf_record_view, last_contacted)),
};

static const char device_type[] = "microsoft.graph.windowsAutopilotDeviceIdentity";

static char *field_buf(pf_graph_reader *g, int f)
{
	return f == F_HASH ? g->hash : g->small[f];
}

static size_t field_cap(int f)
{
	return f == F_HASH ? PF_GRAPH_HASH_MAX : PF_GRAPH_FIELD_MAX;
}

static pf_span field_span(const pf_graph_reader *g, int f)
{
	if (!g->present[f])
		return (pf_span){ NULL, 0 };
	return (pf_span){ f == F_HASH ? g->hash : g->small[f], g->len[f] };
}

static void candidate_begin(pf_graph_reader *g)
{
	memset(g->present, 0, sizeof(g->present));
	g->has_serial = false;
	g->typed = false;
	g->cur_field = -1;
}

static void member_key(pf_graph_reader *g, pf_span key)
{
	g->cur_field = -1;
	g->key_value = pf_span_eq_cstr_nocase(key, "value");
	g->key_type = pf_span_eq_cstr_nocase(key, "@odata.type");
	for (size_t i = 0; i < PF_ARRAY_SIZE(members); i++)
		if (key.len == members[i].len && pf_span_eq_nocase(key, (pf_span){ members[i].name, members[i].len })) {
			g->cur_field = members[i].field;
			if (g->cur_field == F_SERIAL)
				g->has_serial = true;
			break;
		}
}

static void member_value(pf_graph_reader *g, const pf_jsonscan_event *ev)
{
	pf_span v = ev->val;

	if (g->key_type && ev->type == PF_JEV_STRING) {
		pf_span t = v;
		if (t.len && t.p[0] == '#')
			t.p++, t.len--;
		if (pf_span_eq_cstr_nocase(t, device_type))
			g->typed = true;
	}
	if (g->cur_field < 0)
		return;
	int f = g->cur_field;
	g->present[f] = false;
	switch (ev->type) {
	case PF_JEV_STRING:
	case PF_JEV_NUMBER:
		break;
	case PF_JEV_TRUE:
		v = pf_span_of("true");
		break;
	case PF_JEV_FALSE:
		v = pf_span_of("false");
		break;
	default: /* null, object, array */
		return;
	}
	if (ev->truncated || v.len > field_cap(f)) {
		g->dropped++;
		return;
	}
	char *buf = field_buf(g, f);
	memcpy(buf, v.p, v.len);
	buf[v.len] = '\0';
	g->len[f] = v.len;
	g->present[f] = true;
}

/* The first non-empty of the two user names, else the first present one. */
static pf_span assigned_user(const pf_graph_reader *g)
{
	pf_span upn = field_span(g, F_UPN), aun = field_span(g, F_AUN);

	if (upn.len)
		return upn;
	if (aun.len)
		return aun;
	return upn.p ? upn : aun;
}

static bool report(pf_graph_reader *g)
{
	pf_record_view v = { .source = PF_RECSRC_GRAPH_FILE, .line = (unsigned)g->count };

	for (size_t i = 0; i < PF_ARRAY_SIZE(members); i++)
		if (members[i].view != NO_VIEW)
			*(pf_span *)((char *)&v + members[i].view) = field_span(g, members[i].field);
	v.assigned_user = assigned_user(g);
	g->count++;
	if (!g->cb(g->ctx, &v))
		g->stopped = true;
	return !g->stopped;
}

static bool on_event(void *ctx, const pf_jsonscan_event *ev)
{
	pf_graph_reader *g = ctx;
	unsigned d = ev->depth;
	/* The container holding this token (for start and end events, holding the container). */
	uint8_t parent = d ? g->role[d - 1] : R_LIST;
	bool in_page = parent == R_CAND || parent == R_PAGE;

	switch (ev->type) {
	case PF_JEV_OBJ_START:
		if (parent == R_LIST) {
			g->role[d] = R_CAND;
			candidate_begin(g);
			return true;
		}
		g->role[d] = R_OTHER;
		if (parent == R_CAND)
			member_value(g, ev);
		return true;
	case PF_JEV_ARR_START:
		if (d == 0 || (in_page && g->key_value)) {
			g->role[d] = R_LIST;
			if (d)
				g->role[d - 1] = R_PAGE;
			return true;
		}
		g->role[d] = R_OTHER;
		if (parent == R_CAND)
			member_value(g, ev);
		return true;
	case PF_JEV_OBJ_END:
		if (g->role[d] == R_CAND && (g->has_serial || g->typed))
			return report(g);
		return true;
	case PF_JEV_ARR_END:
		return true;
	case PF_JEV_KEY:
		if (parent == R_CAND) {
			member_key(g, ev->val);
		} else if (parent == R_PAGE) {
			g->cur_field = -1;
			g->key_type = false;
			g->key_value = pf_span_eq_cstr_nocase(ev->val, "value");
		}
		return true;
	default:
		if (parent == R_CAND)
			member_value(g, ev);
		return true;
	}
}

void pf_graph_init(pf_graph_reader *g, pf_record_cb cb, void *ctx)
{
	pf_jsonscan_init(&g->scan, on_event, g);
	g->cb = cb;
	g->ctx = ctx;
	g->error = (pf_file_error){ 0 };
	g->failed = false;
	g->stopped = false;
	g->count = 0;
	g->dropped = 0;
	g->cur_field = -1;
	g->key_value = false;
	g->key_type = false;
	candidate_begin(g);
}

static pf_status check(pf_graph_reader *g, pf_status st)
{
	const pf_jsonscan_error *e = pf_jsonscan_error_of(&g->scan);

	if (st != PF_OK && e && !g->failed) {
		g->failed = true;
		g->error.line = e->line;
		pf_snprintf(g->error.reason, sizeof(g->error.reason), "line %u, column %u: %s", e->line, e->col, e->msg);
	}
	return st;
}

pf_status pf_graph_feed(pf_graph_reader *g, const void *chunk, size_t len)
{
	return check(g, pf_jsonscan_feed(&g->scan, chunk, len));
}

pf_status pf_graph_finish(pf_graph_reader *g)
{
	return check(g, pf_jsonscan_finish(&g->scan));
}

const pf_file_error *pf_graph_error(const pf_graph_reader *g)
{
	return g->failed ? &g->error : NULL;
}

size_t pf_graph_count(const pf_graph_reader *g)
{
	return g->count;
}

size_t pf_graph_dropped(const pf_graph_reader *g)
{
	return g->dropped;
}
