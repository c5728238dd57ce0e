/* The user's side through Microsoft Graph: the account, its Intune licence, may it join one more device to Entra ID. */
#include "graph_user.h"
#include "graph_enrol.h"
#include "graphjoin.h"
#include "fmt.h"
#include "log.h"
#include "str.h"

/* Each request and the permission whose absence a 401/403 most likely means (docs/user-checks.md). */
#define USER_SELECT "?$select=id,userPrincipalName,accountEnabled"
#define PERM_USER "User.Read.All"
#define PERM_LICENSES "LicenseAssignment.Read.All"
#define PERM_POLICY "Policy.Read.DeviceConfiguration (and a directory role that may read it, e.g. Global Reader)"
#define NOT_GRAPH "the answer is not what Graph sends"
#define PATH_POLICY "/v1.0/policies/deviceRegistrationPolicy"
#define PAGE_ALL "?$select=id,trustType&$top=999"

void graph_user_incomplete(pf_user_result *u, pf_findings *f, const pf_url *url, const char *what, const char *why)
{
	pf_finding *fd = pf_finding_add(f, PF_USER_CHECK_INCOMPLETE, "The %s of %s was not checked: %s.", what, u->upn, why);
	pf_finding_detail(fd, "host=%s: %s", url->host, why);
	if (!u->reason[0])
		pf_snprintf(u->reason, sizeof(u->reason), "%s: %s", what, why);
}

bool graph_user_get(graph_session *s, pf_user_result *u, pf_findings *f, const char *path, const char *suffix,
		const char *what, const char *perm, graph_answer *ret, pf_url *ret_url)
{
	char why[PF_NET_DETAIL_MAX + 160];
	pf_status st = path ? pf_graph_path_url(graph_session_endpoint(s), path, ret_url) :
			      pf_graph_user_url(graph_session_endpoint(s), u->upn, suffix, ret_url);
	if (st != PF_OK) {
		*ret_url = (pf_url){ .host = "?" };
		graph_user_incomplete(u, f, ret_url, what, "the user name or graph.endpoint cannot make a Graph URL");
		return false;
	}
	if (!graph_session_get(s, ret_url, ret, why, sizeof(why))) {
		graph_user_incomplete(u, f, ret_url, what, why);
		return false;
	}
	if (ret->status == 401 || ret->status == 403) {
		pf_snprintf(why, sizeof(why), "Graph refused it (HTTP %u%s); the token needs %s", ret->status, ret->error,
			    perm);
		graph_user_incomplete(u, f, ret_url, what, why);
		graph_answer_free(ret);
		return false;
	}
	return true;
}

bool graph_user_usable(pf_user_result *u, pf_findings *f, const pf_url *url, const char *what, const graph_answer *a,
		   pf_status parsed, const char *not_json)
{
	if (a->status == 200 && parsed == PF_OK)
		return true;
	char why[32];
	pf_snprintf(why, sizeof(why), "HTTP %u", a->status);
	graph_user_incomplete(u, f, url, what, a->status == 200 ? not_json : why);
	return false;
}

bool graph_user_fetch(graph_session *s, pf_user_result *u, pf_findings *f, const char *path, const char *suffix,
		      const char *what, const char *perm, graph_reader_fn read, void *out)
{
	graph_answer a;
	pf_url url;
	if (!graph_user_get(s, u, f, path, suffix, what, perm, &a, &url))
		return false;
	bool ok = graph_user_usable(u, f, &url, what, &a, a.status == 200 ? read(a.body, a.len, out) : PF_OK, NOT_GRAPH);
	graph_answer_free(&a);
	return ok;
}

static pf_status read_policy(const void *b, size_t n, void *out) { return pf_join_policy_read(b, n, out); }
static pf_status read_owned(const void *b, size_t n, void *out) { return pf_owned_devices_read(b, n, out); }

static void check_account(graph_session *s, pf_user_result *u, pf_findings *f)
{
	graph_answer a;
	pf_url url;
	if (!graph_user_get(s, u, f, NULL, USER_SELECT, "account", PERM_USER, &a, &url))
		return;
	pf_graph_user gu;
	if (a.status == 404) {
		u->exists = PF_NO;
		pf_finding *fd = pf_finding_add(f, PF_USER_NOT_FOUND, "The user %s (from the %s) does not exist in the tenant.",
						u->upn, u->source);
		pf_finding_detail(fd, "host=%s: HTTP 404%s", url.host, a.error);
	} else if (graph_user_usable(u, f, &url, "account", &a, a.status == 200 ? pf_graph_user_read(a.body, a.len, &gu) : PF_OK,
			  "the answer is not a user object")) {
		u->exists = PF_YES;
		pf_strlcpy(u->id, gu.id, sizeof(u->id));
		if (gu.has_enabled)
			u->enabled = gu.enabled ? PF_YES : PF_NO;
		if (u->enabled == PF_NO) {
			pf_finding *fd = pf_finding_add(f, PF_USER_DISABLED, "The account of %s is disabled: the user cannot sign in.",
							u->upn);
			pf_finding_detail(fd, "accountEnabled=false id=%s", gu.id);
		}
	}
	graph_answer_free(&a);
}

static void check_license(graph_session *s, pf_user_result *u, pf_findings *f)
{
	graph_answer a;
	pf_url url;
	if (!graph_user_get(s, u, f, NULL, "/licenseDetails", "licence", PERM_LICENSES, &a, &url))
		return;
	pf_graph_licenses l;
	bool ok = graph_user_usable(u, f, &url, "licence", &a, a.status == 200 ? pf_graph_licenses_read(a.body, a.len, &l) : PF_OK,
			 "the answer is not a licence list");
	graph_answer_free(&a);
	if (!ok)
		return;
	pf_strlcpy(u->plan, l.plan, sizeof(u->plan));
	pf_strlcpy(u->status, l.status, sizeof(u->status));
	pf_strlcpy(u->sku, l.sku, sizeof(u->sku));
	u->licensed = l.intune ? PF_YES : PF_NO;
	if (!l.intune && l.has_next) {
		/* Licences on a further page are not read: not a verdict on what was not seen. */
		u->licensed = PF_UNKNOWN;
		graph_user_incomplete(u, f, &url, "licence", "the licences fill more than one page");
		return;
	}
	if (!l.intune) {
		pf_finding *fd = pf_finding_add(f, PF_USER_NO_INTUNE_LICENSE, "%s has no Intune licence: enrolment will fail (80180018).",
						u->upn);
		if (l.plan[0])
			pf_finding_detail(fd, "%s in %s is %s; %zu licence(s), %zu service plan(s)", l.plan,
					  l.sku[0] ? l.sku : "?", l.status, l.skus, l.plans);
		else
			pf_finding_detail(fd, "no INTUNE_A, INTUNE_EDU or INTUNE_SMBIZ plan in %zu licence(s), %zu service plan(s)",
					  l.skus, l.plans);
	}
}

/* "Users may join devices": All, None, or Selected users and groups (the user's groups then, read
 * with the enrolment configurations' groups). */
static void check_join_allowed(const graph_enrol *e, pf_user_result *u, pf_findings *f, const pf_join_policy *p)
{
	if (p->join == PF_JOIN_ALL) {
		u->join_allowed = PF_YES;
		return;
	}
	if (p->join == PF_JOIN_NONE) {
		u->join_allowed = PF_NO;
		pf_finding *fd = pf_finding_add(f, PF_USER_JOIN_NOT_ALLOWED, "No user may join devices to Microsoft Entra ID: "
						"%s will see 801c0003.", u->upn);
		pf_finding_detail(fd, "deviceRegistrationPolicy azureADJoin.allowedToJoin: none");
		return;
	}
	if (p->join != PF_JOIN_SELECTED)
		return;
	for (size_t i = 0; i < p->n_users; i++)
		if (u->id[0] && pf_span_eq_cstr_nocase(pf_span_of(u->id), p->users[i])) {
			u->join_allowed = PF_YES;
			return;
		}
	bool unknown = p->ids_cut;
	for (size_t i = 0; i < p->n_groups; i++) {
		pf_tri in = graph_enrol_user_in(e, p->groups[i]);
		if (in == PF_YES) {
			u->join_allowed = PF_YES;
			return;
		}
		unknown |= in == PF_UNKNOWN;
	}
	if (unknown) {
		pf_url none = { .host = "graph" };
		graph_user_incomplete(u, f, &none, "Entra join permission",
				      p->ids_cut ? "the policy's list of users and groups is longer than read" : graph_enrol_groups_why(e));
		return;
	}
	u->join_allowed = PF_NO;
	pf_finding *fd = pf_finding_add(f, PF_USER_JOIN_NOT_ALLOWED, "%s may not join devices to Microsoft Entra ID "
					"(only selected users and groups may): the user will see 801c0003.", u->upn);
	pf_finding_detail(fd, "allowedToJoin: %zu user(s), %zu group(s); the user is in none of them", p->n_users,
			  p->n_groups);
}

/* The device registration policy (NULL when it could not be read; freed by the caller). */
static pf_join_policy *read_join_policy(graph_session *s, pf_user_result *u, pf_findings *f)
{
	pf_join_policy *p = pf_malloc(sizeof(*p));
	if (!p || !graph_user_fetch(s, u, f, PATH_POLICY, NULL, "Entra join policy", PERM_POLICY, read_policy, p)) {
		pf_free(p);
		return NULL;
	}
	u->join = pf_join_kind_str(p->join);
	return p;
}

/* Is there room for one more device under userDeviceQuota. */
static void check_quota(graph_session *s, pf_user_result *u, pf_findings *f, const pf_join_policy *p)
{
	if (!p->has_quota)
		return;
	u->quota = p->quota;
	pf_owned_devices d;
	if (!graph_user_fetch(s, u, f, NULL, "/ownedDevices" PAGE_ALL, "device quota", PERM_USER, read_owned, &d))
		return;
	u->devices = (int64_t)d.counted;
	/* A further page means at least 999 devices: more than any quota Entra allows (100). */
	u->quota_left = (int64_t)d.counted < p->quota && !d.has_next ? PF_YES : PF_NO;
	if (u->quota_left == PF_NO) {
		pf_finding *fd = pf_finding_add(f, PF_USER_DEVICE_QUOTA_REACHED, "%s already has %lld%s device(s) in Entra ID, the "
						"most a user may have (%lld): a new join is refused (801c0003).", u->upn,
						(long long)d.counted, d.has_next ? "+" : "", (long long)p->quota);
		pf_finding_detail(fd, "userDeviceQuota=%lld; ownedDevices: %zu device(s), %zu Entra joined or registered",
				  (long long)p->quota, d.devices, d.counted);
	}
}

void graph_user_check(graph_session *s, const pf_config *c, const pf_record *rec, pf_user_result *ret,
		      pf_findings *f)
{
	pf_user_pick(rec ? rec->assigned_user : NULL, c->graph_expected_user, ret);
	if (!ret->upn[0])
		return;
	if (!s) {
		pf_strlcpy(ret->reason, "Microsoft Graph was not reached with a token (see the GRAPH findings)",
			   sizeof(ret->reason));
		return;
	}
	con_progress("Checking the user %s in Microsoft Graph...\n", ret->upn);
	ret->checked = true;
	graph_session_limit(s, c->graph_user_timeout_ms);
	check_account(s, ret, f);
	if (ret->exists == PF_NO)
		return;
	check_license(s, ret, f);
	graph_enrol *e = graph_enrol_begin(s, rec, ret, f);
	pf_join_policy *p = read_join_policy(s, ret, f);
	if (p && p->join == PF_JOIN_SELECTED)
		graph_enrol_want_groups(e, (const char (*)[40])p->groups, p->n_groups);
	graph_enrol_read_groups(e, s, ret, f);
	if (p) {
		check_join_allowed(e, ret, f, p);
		check_quota(s, ret, f, p);
	}
	graph_enrol_check(e, s, ret, f);
	graph_enrol_end(e);
	pf_free(p);
}
