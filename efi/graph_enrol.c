/* What the user will wait for: the Autopilot device's userless enrolment status and profile, the ESP and the Intune device limit that apply. */
#include "graph_enrol.h"
#include "graph_user.h"
#include "graphenrol.h"
#include "graphjoin.h"
#include "fmt.h"
#include "log.h"
#include "str.h"

#define PERM_CONFIG "DeviceManagementServiceConfig.Read.All"
#define PERM_MANAGED "DeviceManagementManagedDevices.Read.All"
#define PERM_GROUPS "GroupMember.Read.All"
#define PERM_DEVICE "Device.Read.All"
#define NOT_GRAPH "the answer is not what Graph sends"
#define PATH_AP "/beta/deviceManagement/windowsAutopilotDeviceIdentities/"
#define PATH_CONFIGS "/beta/deviceManagement/deviceEnrollmentConfigurations?$expand=assignments"
#define MEMBER_OF "/transitiveMemberOf?$select=id&$top=999"
#define GROUPS_MAX (PF_ENROL_GROUPS_MAX + PF_JOIN_IDS_MAX)

struct graph_enrol {
	pf_enrol_configs *configs;      /* NULL when not read */
	bool have_identity;
	pf_ap_identity identity;
	char ids[GROUPS_MAX][40];       /* the groups whose membership matters */
	size_t n;
	bool user_known, device_known;  /* memberships read in full (a miss is a "no") */
	bool user_hit[GROUPS_MAX], device_hit[GROUPS_MAX];
	char groups_why[120];
};

static void want(graph_enrol *e, const char *id)
{
	for (size_t i = 0; i < e->n; i++)
		if (pf_span_eq_cstr_nocase(pf_span_of(id), e->ids[i]))
			return;
	if (e->n < GROUPS_MAX)
		pf_strlcpy(e->ids[e->n++], id, sizeof(e->ids[0]));
}

void graph_enrol_want_groups(graph_enrol *e, const char (*ids)[40], size_t n)
{
	for (size_t i = 0; e && i < n; i++)
		want(e, ids[i]);
}

static pf_status read_identity(const void *b, size_t n, void *out) { return pf_ap_identity_read(b, n, out); }
static pf_status read_profile(const void *b, size_t n, void *out) { return pf_deploy_profile_read(b, n, out); }
static pf_status read_configs(const void *b, size_t n, void *out) { return pf_enrol_configs_read(b, n, out); }
static pf_status read_count(const void *b, size_t n, void *out) { return pf_graph_count_read(b, n, out); }

/* The Autopilot device (beta: userlessEnrollmentStatus) and its profile, by the record's object id. */
static void read_device(graph_enrol *e, graph_session *s, const pf_record *rec, pf_user_result *u, pf_findings *f)
{
	char path[160];
	if (!rec || !rec->id || (rec->source != PF_RECSRC_GRAPH_ONLINE && rec->source != PF_RECSRC_GRAPH_FILE))
		return;
	if (!pf_graph_id_ok(rec->id))
		return;
	pf_snprintf(path, sizeof(path), PATH_AP "%s", rec->id);
	e->have_identity = graph_user_fetch(s, u, f, path, NULL, "Autopilot device (userless enrolment)", PERM_CONFIG, read_identity,
				 &e->identity);
	if (e->have_identity)
		pf_strlcpy(u->userless, e->identity.userless, sizeof(u->userless));
	pf_snprintf(path, sizeof(path), PATH_AP "%s/deploymentProfile", rec->id);
	u->has_profile = graph_user_fetch(s, u, f, path, NULL, "deployment profile", PERM_CONFIG, read_profile, &u->profile);
}

graph_enrol *graph_enrol_begin(graph_session *s, const pf_record *rec, pf_user_result *u, pf_findings *f)
{
	graph_enrol *e = pf_malloc(sizeof(*e));
	if (!e)
		return NULL;
	*e = (graph_enrol){ .configs = pf_malloc(sizeof(pf_enrol_configs)) };
	read_device(e, s, rec, u, f);
	if (e->configs && !graph_user_fetch(s, u, f, PATH_CONFIGS, NULL, "Enrollment Status Page and device limit", PERM_CONFIG,
				 read_configs, e->configs)) {
		pf_free(e->configs);
		e->configs = NULL;
	}
	if (e->configs) {
		char ids[PF_ENROL_GROUPS_MAX][40];
		bool cut;
		size_t n = pf_enrol_groups(e->configs, ids, PF_ENROL_GROUPS_MAX, &cut);
		graph_enrol_want_groups(e, (const char (*)[40])ids, n);
	}
	return e;
}

/* One member-of list, the hits marked; true when it was read in full. */
static bool read_member_of(graph_enrol *e, graph_session *s, pf_user_result *u, pf_findings *f, const char *path,
			   const char *suffix, const char *what, const char *perm, bool *hits)
{
	graph_answer a;
	pf_url url;
	pf_member_of m;
	if (!graph_user_get(s, u, f, path, suffix, what, perm, &a, &url)) {
		pf_snprintf(e->groups_why, sizeof(e->groups_why), "the %s could not be read", what);
		return false;
	}
	bool ok = graph_user_usable(u, f, &url, what, &a,
				    a.status == 200 ? pf_member_of_read(a.body, a.len, (const char (*)[40])e->ids, e->n, hits, &m) : PF_OK,
				    NOT_GRAPH);
	graph_answer_free(&a);
	if (ok && m.has_next)
		pf_snprintf(e->groups_why, sizeof(e->groups_why), "the %s fill more than one page", what);
	if (!ok)
		pf_snprintf(e->groups_why, sizeof(e->groups_why), "the %s could not be read", what);
	return ok && !m.has_next;
}

void graph_enrol_read_groups(graph_enrol *e, graph_session *s, pf_user_result *u, pf_findings *f)
{
	if (!e || !e->n)
		return;
	e->user_known = read_member_of(e, s, u, f, NULL, MEMBER_OF, "user's groups", PERM_GROUPS, e->user_hit);
	/* Devices are in groups by their Entra device id (the deviceId alternate key). */
	const char *aad = e->have_identity ? e->identity.aad_device_id : "";
	if (!e->configs || !pf_graph_id_ok(aad))
		return;
	char path[200];
	pf_snprintf(path, sizeof(path), "/v1.0/devices(deviceId='%s')" MEMBER_OF, aad);
	e->device_known = read_member_of(e, s, u, f, path, NULL, "device's groups", PERM_DEVICE, e->device_hit);
}

static pf_tri lookup(const graph_enrol *e, const char *group, const bool *hits, bool known)
{
	for (size_t i = 0; i < e->n; i++)
		if (pf_span_eq_cstr_nocase(pf_span_of(group), e->ids[i]))
			return hits[i] ? PF_YES : known ? PF_NO : PF_UNKNOWN;
	return PF_UNKNOWN;   /* more groups than kept */
}

pf_tri graph_enrol_user_in(const graph_enrol *e, const char *group)
{
	return e ? lookup(e, group, e->user_hit, e->user_known) : PF_UNKNOWN;
}

const char *graph_enrol_groups_why(const graph_enrol *e)
{
	return e && e->groups_why[0] ? e->groups_why : "the user's groups were not read";
}

static pf_tri in_group(void *ctx, const char *group, bool users_only, bool *ret_device)
{
	const graph_enrol *e = ctx;
	pf_tri user = lookup(e, group, e->user_hit, e->user_known);
	if (user == PF_YES || users_only)
		return user;
	pf_tri device = lookup(e, group, e->device_hit, e->device_known);
	if (device == PF_YES)
		*ret_device = true;
	return device == PF_YES ? PF_YES : user == PF_UNKNOWN || device == PF_UNKNOWN ? PF_UNKNOWN : PF_NO;
}

static void check_userless(const graph_enrol *e, pf_user_result *u, pf_findings *f)
{
	if (!e->have_identity || !pf_span_eq_cstr_nocase(pf_span_of(u->userless), "blocked"))
		return;
	const pf_deploy_profile *p = &u->profile;
	if (!u->has_profile) {
		pf_url none = { .host = "graph" };
		graph_user_incomplete(u, f, &none, "userless enrolment",
				      "it is blocked, but the deployment profile was not read to tell whether the device "
				      "is pre-provisioned or self-deploying");
		return;
	}
	if (p->self_deploying != PF_YES && p->preprovisioning != PF_YES)
		return;   /* a user-driven deployment does not enrol userless */
	pf_finding *fd = pf_finding_add(f, PF_REC_USERLESS_BLOCKED, "This device's next userless enrolment is blocked: "
					"its %s deployment (profile \"%s\") will stop with 0x80180014.",
					p->self_deploying == PF_YES ? "self-deploying" : "pre-provisioning", p->name);
	pf_finding_detail(fd, "userlessEnrollmentStatus=blocked; profile %s: %s", p->name, pf_deploy_profile_mode(p));
}

static void check_esp(graph_enrol *e, pf_user_result *u)
{
	pf_enrol_pick pick;
	pf_enrol_choose(e->configs, PF_ENROL_ESP, in_group, e, &pick);
	if (!pick.config)
		return;
	u->has_esp = true;
	pf_strlcpy(u->esp_name, pick.config->name, sizeof(u->esp_name));
	pf_strlcpy(u->esp_why, pick.why, sizeof(u->esp_why));
	u->esp_timeout_min = pick.config->timeout_min;
	u->esp_apps = pick.config->blocking_apps;
	u->esp_shown = pick.config->show_progress;
	u->esp_uncertain = pick.uncertain;
}

/* Intune's device limit: Autopilot is not held to it (Microsoft), so reaching it is info. */
static void check_limit(graph_enrol *e, graph_session *s, pf_user_result *u, pf_findings *f)
{
	pf_enrol_pick pick;
	pf_enrol_choose(e->configs, PF_ENROL_LIMIT, in_group, e, &pick);
	if (!pick.config || pick.config->limit < 0)
		return;
	pf_strlcpy(u->limit_name, pick.config->name, sizeof(u->limit_name));
	u->enrol_limit = pick.config->limit;
	pf_graph_count n;
	if (!graph_user_fetch(s, u, f, NULL, "/managedDevices?$select=id&$top=999", "Intune device limit", PERM_MANAGED, read_count, &n))
		return;
	u->enrolled = (int64_t)n.entries;
	if ((int64_t)n.entries < pick.config->limit)
		return;
	pf_finding *fd = pf_finding_add(f, PF_USER_ENROLLMENT_LIMIT_REACHED, "%s has %zu%s device(s) in Intune, the limit of "
					"\"%s\" (%lld): Autopilot is not held to it, other enrolments of the user are.",
					u->upn, n.entries, n.has_next ? "+" : "", pick.config->name,
					(long long)pick.config->limit);
	pf_finding_detail(fd, "deviceEnrollmentLimitConfiguration %s, %s; managedDevices %zu%s", pick.config->name, pick.why,
			  n.entries, n.has_next ? " (more pages)" : "");
}

void graph_enrol_check(graph_enrol *e, graph_session *s, pf_user_result *u, pf_findings *f)
{
	if (!e)
		return;
	check_userless(e, u, f);
	if (!e->configs)
		return;
	check_esp(e, u);
	check_limit(e, s, u, f);
}

void graph_enrol_end(graph_enrol *e)
{
	if (!e)
		return;
	pf_free(e->configs);
	pf_free(e);
}
