/* libFuzzer target: the online Graph parsers (URL, bearer token, response headers, Retry-After, page metadata,
 * the user object and licenseDetails). */
#include "fuzzutil.h"
#include "graphquery.h"
#include "graphdevice.h"
#include "graphenrol.h"
#include "graphjoin.h"
#include "graphuser.h"

/* Every group: in for the user when its name starts with 'u', for the device with 'd', else unknown. */
static pf_tri fuzz_in_group(void *ctx, const char *group, bool users_only, bool *ret_device)
{
	(void)ctx;
	if (group[0] == 'u')
		return PF_YES;
	if (group[0] == 'd' && !users_only) {
		*ret_device = true;
		return PF_YES;
	}
	return group[0] ? PF_UNKNOWN : PF_NO;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;
	pf_span s = { (const char *)buf, size };
	pf_url u = { .https = true, .host = "graph.microsoft.com", .port = 443, .target = "/" };
	if (pf_url_parse(s, &u) == PF_OK && (u.target[0] != '/' || strlen(u.target) > PF_URL_TARGET_MAX || !u.host[0]))
		__builtin_trap();
	pf_span t;
	if (pf_graph_token(buf, size, &t) == PF_OK) {
		if (t.p < s.p || t.p + t.len > s.p + size)
			__builtin_trap();
		char req[256];
		(void)pf_graph_request(&u, t, req, sizeof(req));
	}
	pf_span v;
	uint32_t secs;
	if (pf_http_header(buf, size, "Retry-After", &v)) {
		if (v.p < s.p || v.p + v.len > s.p + size)
			__builtin_trap();
		if (pf_retry_after_parse(v, 784111777, &secs) && secs > PF_GRAPH_MAX_RETRY_AFTER_S)
			__builtin_trap();
	}
	pf_graph_meta m;
	if (pf_graph_meta_read(buf, size, &m) == PF_OK && m.has_next && m.next.target[0] != '/')
		__builtin_trap();
	pf_graph_user gu;
	if (pf_graph_user_read(buf, size, &gu) == PF_OK &&
	    (strlen(gu.id) >= sizeof(gu.id) || strlen(gu.upn) >= sizeof(gu.upn) || (gu.enabled && !gu.has_enabled)))
		__builtin_trap();
	pf_graph_licenses gl;
	if (pf_graph_licenses_read(buf, size, &gl) == PF_OK &&
	    ((gl.intune && (!gl.plan[0] || strlen(gl.status) != 7)) || gl.plans < (gl.intune ? 1u : 0u) ||
	     strlen(gl.sku) >= sizeof(gl.sku)))
		__builtin_trap();
	pf_join_policy jp;
	if (pf_join_policy_read(buf, size, &jp) == PF_OK && (jp.n_users > PF_JOIN_IDS_MAX || jp.n_groups > PF_JOIN_IDS_MAX))
		__builtin_trap();
	pf_owned_devices od;
	if (pf_owned_devices_read(buf, size, &od) == PF_OK && od.counted > od.devices)
		__builtin_trap();
	const char groups[1][40] = { "g" };
	pf_member_of mo;
	if (pf_member_of_read(buf, size, groups, 1, NULL, &mo) == PF_OK && mo.member && mo.objects == 0)
		__builtin_trap();
	pf_ap_identity ai;
	if (pf_ap_identity_read(buf, size, &ai) == PF_OK && strlen(ai.userless) >= sizeof(ai.userless))
		__builtin_trap();
	pf_deploy_profile dp;
	if (pf_deploy_profile_read(buf, size, &dp) == PF_OK && strlen(dp.name) >= sizeof(dp.name))
		__builtin_trap();
	pf_graph_count gc;
	if (pf_graph_count_read(buf, size, &gc) == PF_OK && gc.entries > size)
		__builtin_trap();
	pf_enrol_configs *ec = pf_malloc(sizeof(*ec));
	if (ec && pf_enrol_configs_read(buf, size, ec) == PF_OK) {
		/* Whatever the input, the picks stay within what was read. */
		if (ec->n > PF_ENROL_CONFIGS_MAX || ec->n > ec->entries)
			__builtin_trap();
		char ids[PF_ENROL_GROUPS_MAX][40];
		bool cut;
		if (pf_enrol_groups(ec, ids, PF_ENROL_GROUPS_MAX, &cut) > PF_ENROL_GROUPS_MAX)
			__builtin_trap();
		for (int kind = PF_ENROL_ESP; kind <= PF_ENROL_LIMIT; kind++) {
			pf_enrol_pick pick;
			pf_enrol_choose(ec, (pf_enrol_kind)kind, fuzz_in_group, NULL, &pick);
			if (pick.config && (pick.config < ec->c || pick.config >= ec->c + ec->n || pick.config->kind != (pf_enrol_kind)kind))
				__builtin_trap();
		}
	}
	pf_free(ec);
	char enc[64];
	if (pf_odata_literal_encode(s, enc, sizeof(enc)) < sizeof(enc) && strlen(enc) >= sizeof(enc))
		__builtin_trap();
	pf_free(buf);
	return 0;
}
