/* The Autopilot device, its profile and the enrolment configurations, shaped as Microsoft's Graph beta reference shows them; which ESP and limit apply. */
#include "testutil.h"
#include "graphdevice.h"
#include "graphenrol.h"
#include "graphjoin.h"
#include "jsonpath.h"

typedef struct {
	pf_jsonpath p;
	int hits;
} path_ctx;

static bool path_event(void *ctx, const pf_jsonscan_event *ev)
{
	path_ctx *c = ctx;
	pf_jsonpath_event(&c->p, ev);
	if (ev->type == PF_JEV_STRING && pf_jsonpath_is(&c->p, ev, 1, "a/[]/b/c"))
		c->hits++;
	return true;
}

static void test_jsonpath(void **state)
{
	(void)state;
	/* Only the one at a/[]/b/c counts: not a/[]/c, not x/[]/b/c, not a/[]/b/c/[] nor a deeper one. */
	const char *doc = "{\"a\":[{\"b\":{\"c\":\"1\"}},{\"c\":\"no\",\"b\":{\"C\":\"2\",\"d\":\"no\"}}],"
			  "\"x\":[{\"b\":{\"c\":\"no\"}}],\"a2\":{\"b\":{\"c\":\"no\"}},"
			  "\"A\":[{\"b\":{\"c\":[\"no\"],\"e\":{\"c\":\"no\"}}}]}";
	path_ctx c = { .hits = 0 };
	assert_int_equal(pf_jsonscan_whole(doc, strlen(doc), path_event, &c, false), PF_OK);
	assert_int_equal(c.hits, 2);
}

static void test_identity_and_profile(void **state)
{
	(void)state;
	pf_ap_identity id;
	/* G12's members (beta), in another order, with the v1.0 name of the Entra device id. */
	const char *ident = "{\"@odata.type\":\"#microsoft.graph.windowsAutopilotDeviceIdentity\",\"id\":\"a1\","
			    "\"deploymentProfileAssignmentStatus\":\"assignedInSync\",\"enrollmentState\":\"enrolled\","
			    "\"azureActiveDirectoryDeviceId\":\"aad-1\",\"userlessEnrollmentStatus\":\"blocked\"}";
	assert_int_equal(pf_ap_identity_read(ident, strlen(ident), &id), PF_OK);
	assert_string_equal(id.userless, "blocked");
	assert_string_equal(id.profile_status, "assignedInSync");
	assert_string_equal(id.aad_device_id, "aad-1");
	assert_int_equal(pf_ap_identity_read("[1]", 3, &id), PF_ERR_INVALID);
	assert_int_not_equal(pf_ap_identity_read("{\"id\":", 6, &id), PF_OK);

	pf_deploy_profile p;
	/* G14's example wraps the entity in "value"; the deprecated members only. */
	const char *wrapped = "{\"value\":{\"@odata.type\":\"#microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile\","
			      "\"displayName\":\"Hybrid\",\"enableWhiteGlove\":true,\"outOfBoxExperienceSettings\":"
			      "{\"userType\":\"administrator\",\"deviceUsageType\":\"singleUser\"}}}";
	assert_int_equal(pf_deploy_profile_read(wrapped, strlen(wrapped), &p), PF_OK);
	assert_string_equal(p.name, "Hybrid");
	assert_string_equal(p.join, "hybrid");
	assert_int_equal(p.preprovisioning, PF_YES);
	assert_int_equal(p.self_deploying, PF_NO);
	assert_string_equal(p.user_type, "administrator");
	assert_string_equal(pf_deploy_profile_mode(&p), "user-driven, pre-provisioning allowed");
	/* The current members win over enableWhiteGlove; shared = self-deploying. */
	const char *entra = "{\"@odata.type\":\"#microsoft.graph.azureADWindowsAutopilotDeploymentProfile\",\"displayName\":"
			    "\"Kiosk\",\"enableWhiteGlove\":true,\"preprovisioningAllowed\":false,\"outOfBoxExperienceSetting\":"
			    "{\"deviceUsageType\":\"shared\"},\"nested\":{\"displayName\":\"no\"}}";
	assert_int_equal(pf_deploy_profile_read(entra, strlen(entra), &p), PF_OK);
	assert_string_equal(p.name, "Kiosk");
	assert_string_equal(p.join, "entra");
	assert_int_equal(p.preprovisioning, PF_NO);
	assert_string_equal(pf_deploy_profile_mode(&p), "self-deploying");
	assert_int_equal(pf_deploy_profile_read("{}", 2, &p), PF_OK);
	assert_null(p.join);
	assert_int_equal(p.preprovisioning, PF_UNKNOWN);
	assert_string_equal(pf_deploy_profile_mode(&p), "user-driven");
}

/* G16/G10's members with $expand=assignments (G11's target types). */
static const char *configs =
	"{\"@odata.context\":\"x\",\"value\":["
	"{\"@odata.type\":\"#microsoft.graph.windows10EnrollmentCompletionPageConfiguration\",\"id\":\"t_DefaultWindows10EnrollmentCompletionPageConfiguration\","
	"\"displayName\":\"Default ESP\",\"priority\":0,\"installProgressTimeoutInMinutes\":60,\"selectedMobileAppIds\":[],"
	"\"showInstallationProgress\":true,\"assignments\":[{\"target\":{\"@odata.type\":\"#microsoft.graph.allDevicesAssignmentTarget\"}}]},"
	"{\"@odata.type\":\"#microsoft.graph.windows10EnrollmentCompletionPageConfiguration\",\"id\":\"e3\",\"displayName\":\"Devices\","
	"\"priority\":3,\"installProgressTimeoutInMinutes\":90,\"selectedMobileAppIds\":[\"a\",\"b\",\"c\"],"
	"\"assignments\":[{\"id\":\"x\",\"target\":{\"groupId\":\"dev-group\",\"@odata.type\":\"#microsoft.graph.groupAssignmentTarget\"}}]},"
	"{\"@odata.type\":\"#microsoft.graph.windows10EnrollmentCompletionPageConfiguration\",\"id\":\"e1\",\"displayName\":\"Sales\","
	"\"priority\":1,\"selectedMobileAppIds\":[\"a\"],\"assignments\":[{\"target\":{\"@odata.type\":"
	"\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"sales\"}}]},"
	"{\"@odata.type\":\"#microsoft.graph.windows10EnrollmentCompletionPageConfiguration\",\"id\":\"e2\",\"displayName\":\"Pilot\","
	"\"priority\":2,\"assignments\":[{\"target\":{\"@odata.type\":\"#microsoft.graph.exclusionGroupAssignmentTarget\","
	"\"groupId\":\"excluded\"}},{\"target\":{\"@odata.type\":\"#microsoft.graph.allLicensedUsersAssignmentTarget\"}}]},"
	"{\"@odata.type\":\"#microsoft.graph.deviceEnrollmentLimitConfiguration\",\"id\":\"t_DefaultLimit\",\"displayName\":\"All\","
	"\"priority\":0,\"limit\":15,\"assignments\":[]},"
	"{\"@odata.type\":\"#microsoft.graph.deviceEnrollmentLimitConfiguration\",\"id\":\"l1\",\"displayName\":\"Devs\","
	"\"priority\":1,\"limit\":3,\"deviceEnrollmentConfigurationType\":\"limit\",\"assignments\":[{\"target\":"
	"{\"@odata.type\":\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"dev-group\"}}]},"
	"{\"@odata.type\":\"#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration\",\"id\":\"p\",\"priority\":0}"
	"],\"@odata.nextLink\":\"https://graph.microsoft.com/beta/next\"}";

/* The test's memberships: groups "in" lists the user's, "dev" the device's; "unknown" is unread. */
typedef struct {
	const char *user[4], *device[4], *unknown;
} members;

static pf_tri in_group(void *ctx, const char *group, bool users_only, bool *ret_device)
{
	const members *m = ctx;
	for (int i = 0; i < 4 && m->user[i]; i++)
		if (strcmp(m->user[i], group) == 0)
			return PF_YES;
	if (m->unknown && strcmp(m->unknown, group) == 0)
		return PF_UNKNOWN;
	for (int i = 0; i < 4 && m->device[i] && !users_only; i++)
		if (strcmp(m->device[i], group) == 0) {
			*ret_device = true;
			return PF_YES;
		}
	return PF_NO;
}

static void test_configs(void **state)
{
	(void)state;
	pf_enrol_configs *cs = malloc(sizeof(*cs));
	assert_non_null(cs);
	assert_int_equal(pf_enrol_configs_read(configs, strlen(configs), cs), PF_OK);
	assert_int_equal(cs->entries, 7);
	assert_int_equal(cs->n, 6); /* the platform restriction is not kept */
	assert_true(cs->has_next);
	assert_true(cs->c[0].is_default);
	assert_int_equal(cs->c[1].blocking_apps, 3);
	assert_int_equal(cs->c[1].timeout_min, 90);
	assert_int_equal(cs->c[1].targets[0].kind, PF_TARGET_GROUP);
	assert_string_equal(cs->c[1].targets[0].group, "dev-group");
	assert_int_equal(cs->c[3].n_targets, 2);
	assert_int_equal(cs->c[3].targets[0].kind, PF_TARGET_EXCLUDE);
	assert_true(cs->c[4].is_default);
	assert_int_equal(cs->c[5].limit, 3);

	char ids[8][40];
	bool cut;
	assert_int_equal(pf_enrol_groups(cs, ids, 8, &cut), 3); /* dev-group once, sales, excluded */
	assert_false(cut);
	assert_int_equal(pf_enrol_groups(cs, ids, 2, &cut), 2);
	assert_true(cut);

	pf_enrol_pick pick;
	/* The device in dev-group, the user in nothing: Sales (1) does not apply, Pilot (2) does (all
	 * users, the user not excluded) before Devices (3). */
	members m1 = { .device = { "dev-group" } };
	pf_enrol_choose(cs, PF_ENROL_ESP, in_group, &m1, &pick);
	assert_string_equal(pick.config->name, "Pilot");
	assert_string_equal(pick.why, "assigned to all users");
	assert_false(pick.uncertain);
	/* The user excluded from Pilot: Devices by the device's group. */
	members m2 = { .user = { "excluded" }, .device = { "dev-group" } };
	pf_enrol_choose(cs, PF_ENROL_ESP, in_group, &m2, &pick);
	assert_string_equal(pick.config->name, "Devices");
	assert_string_equal(pick.why, "assigned to group dev-group (the device is in it)");
	/* In sales: priority 1 wins. */
	members m3 = { .user = { "sales" } };
	pf_enrol_choose(cs, PF_ENROL_ESP, in_group, &m3, &pick);
	assert_string_equal(pick.config->name, "Sales");
	assert_string_equal(pick.why, "assigned to group sales (the user is in it)");
	/* Excluded, sales unknown, not in dev-group: the default, and uncertain. */
	members m4 = { .user = { "excluded" }, .unknown = "sales" };
	pf_enrol_choose(cs, PF_ENROL_ESP, in_group, &m4, &pick);
	assert_string_equal(pick.config->name, "Default ESP");
	assert_true(pick.uncertain);
	/* Limits are per user: the device's group does not count; the user's does. */
	pf_enrol_choose(cs, PF_ENROL_LIMIT, in_group, &m1, &pick);
	assert_string_equal(pick.config->name, "All");
	assert_int_equal(pick.config->limit, 15);
	members m5 = { .user = { "dev-group" } };
	pf_enrol_choose(cs, PF_ENROL_LIMIT, in_group, &m5, &pick);
	assert_string_equal(pick.config->name, "Devs");
	/* Nothing of a kind: no pick. */
	pf_enrol_configs *empty = calloc(1, sizeof(*empty));
	assert_non_null(empty);
	pf_enrol_choose(empty, PF_ENROL_ESP, in_group, &m1, &pick);
	assert_null(pick.config);
	free(empty);

	assert_int_equal(pf_enrol_configs_read("{\"value\":[{]}", 13, cs), PF_ERR_INVALID);
	assert_int_equal(pf_enrol_configs_read("\"value\"", 7, cs), PF_ERR_INVALID);
	free(cs);
}

static void test_member_hits_and_count(void **state)
{
	(void)state;
	const char ids[3][40] = { "g1", "g2", "g3" };
	bool hits[3] = { true, true, true }; /* overwritten: only this page's hits */
	pf_member_of m;
	const char *mo = "{\"value\":[{\"id\":\"G3\"},{\"id\":\"x\"},{\"id\":\"g1\"}]}";
	assert_int_equal(pf_member_of_read(mo, strlen(mo), ids, 3, hits, &m), PF_OK);
	assert_true(hits[0]);
	assert_false(hits[1]);
	assert_true(hits[2]);
	assert_int_equal(m.objects, 3);
	pf_graph_count n;
	const char *md = "{\"value\":[{\"id\":\"1\"},{\"id\":\"2\"}],\"@odata.nextLink\":\"https://x\"}";
	assert_int_equal(pf_graph_count_read(md, strlen(md), &n), PF_OK);
	assert_int_equal(n.entries, 2);
	assert_true(n.has_next);
	assert_int_not_equal(pf_graph_count_read("{\"value\":[", 10, &n), PF_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonpath),
		cmocka_unit_test(test_identity_and_profile),
		cmocka_unit_test(test_configs),
		cmocka_unit_test(test_member_hits_and_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
