/* The device registration policy, the user's devices and groups, shaped as Microsoft's Graph v1.0 reference shows them. */
#include "testutil.h"
#include "graphjoin.h"

static void test_policy(void **state)
{
	(void)state;
	pf_join_policy p;
	/* G4's example body. */
	const char *g4 = "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#deviceRegistrationPolicy\","
			 "\"id\":\"deviceRegistrationPolicy\",\"userDeviceQuota\":2,\"multiFactorAuthConfiguration\":\"notRequired\","
			 "\"azureADRegistration\":{\"isAdminConfigurable\":false,\"allowedToRegister\":{\"@odata.type\":"
			 "\"#microsoft.graph.noDeviceRegistrationMembership\"}},\"azureADJoin\":{\"isAdminConfigurable\":true,"
			 "\"allowedToJoin\":{\"@odata.type\":\"#microsoft.graph.allDeviceRegistrationMembership\"},\"localAdmins\":"
			 "{\"enableGlobalAdmins\":true,\"registeringUsers\":{\"@odata.type\":"
			 "\"#microsoft.graph.enumeratedDeviceRegistrationMembership\",\"users\":[\"3c8ef067-8b96-44de-b2ae-557dfa0f97a0\"],"
			 "\"groups\":[]}}},\"localAdminPassword\":{\"isEnabled\":false}}";
	assert_int_equal(pf_join_policy_read(g4, strlen(g4), &p), PF_OK);
	assert_true(p.has_quota);
	assert_int_equal(p.quota, 2);
	assert_int_equal(p.join, PF_JOIN_ALL); /* not the registration or local-admin memberships */
	assert_int_equal(p.n_users, 0);
	assert_string_equal(pf_join_kind_str(p.join), "all");
	/* Selected users and groups, members in another order. */
	const char *sel = "{\"azureADJoin\":{\"allowedToJoin\":{\"groups\":[\"g1\",\"g2\"],\"users\":[\"u1\"],"
			  "\"@odata.type\":\"#microsoft.graph.enumeratedDeviceRegistrationMembership\"}},\"userDeviceQuota\":50}";
	assert_int_equal(pf_join_policy_read(sel, strlen(sel), &p), PF_OK);
	assert_int_equal(p.join, PF_JOIN_SELECTED);
	assert_int_equal(p.n_users, 1);
	assert_string_equal(p.users[0], "u1");
	assert_int_equal(p.n_groups, 2);
	assert_string_equal(p.groups[1], "g2");
	assert_int_equal(p.quota, 50);
	const char *none = "{\"azureADJoin\":{\"allowedToJoin\":{\"@odata.type\":\"#microsoft.graph.noDeviceRegistrationMembership\"}}}";
	assert_int_equal(pf_join_policy_read(none, strlen(none), &p), PF_OK);
	assert_int_equal(p.join, PF_JOIN_NONE);
	assert_false(p.has_quota);
	assert_int_equal(pf_join_policy_read("[]", 2, &p), PF_ERR_INVALID);
	/* More ids than kept: cut, and said so. */
	char big[4000] = "{\"azureADJoin\":{\"allowedToJoin\":{\"groups\":[";
	for (int i = 0; i < PF_JOIN_IDS_MAX + 3; i++)
		snprintf(big + strlen(big), sizeof(big) - strlen(big), "%s\"g%d\"", i ? "," : "", i);
	strcat(big, "]}}}");
	assert_int_equal(pf_join_policy_read(big, strlen(big), &p), PF_OK);
	assert_int_equal(p.n_groups, PF_JOIN_IDS_MAX);
	assert_true(p.ids_cut);
}

static void test_devices_and_groups(void **state)
{
	(void)state;
	pf_owned_devices d;
	const char *devs = "{\"value\":[{\"@odata.type\":\"#microsoft.graph.device\",\"id\":\"1\",\"trustType\":\"AzureAd\"},"
			   "{\"@odata.type\":\"#microsoft.graph.device\",\"trustType\":\"ServerAd\"},"
			   "{\"@odata.type\":\"#microsoft.graph.device\",\"id\":\"3\"},"
			   "{\"@odata.type\":\"#microsoft.graph.device\",\"trustType\":\"Workplace\"},"
			   "{\"@odata.type\":\"#microsoft.graph.servicePrincipal\",\"id\":\"sp\"}]}";
	assert_int_equal(pf_owned_devices_read(devs, strlen(devs), &d), PF_OK);
	assert_int_equal(d.devices, 4);
	assert_int_equal(d.counted, 3); /* hybrid (ServerAd) does not count; no trustType does */
	assert_false(d.has_next);
	assert_int_equal(pf_owned_devices_read("{\"value\":[],\"@odata.nextLink\":\"https://x\"}", 42, &d), PF_OK);
	assert_true(d.has_next);

	const char ids[2][40] = { "g-allowed", "G-Two" };
	pf_member_of m;
	const char *mo = "{\"value\":[{\"@odata.type\":\"#microsoft.graph.group\",\"id\":\"g-other\"},"
			 "{\"@odata.type\":\"#microsoft.graph.directoryRole\",\"id\":\"g-two\"}]}";
	assert_int_equal(pf_member_of_read(mo, strlen(mo), ids, 2, NULL, &m), PF_OK);
	assert_true(m.member);
	assert_string_equal(m.group, "g-two");
	assert_int_equal(m.objects, 2);
	assert_int_equal(pf_member_of_read(mo, strlen(mo), ids, 1, NULL, &m), PF_OK);
	assert_false(m.member);
	assert_int_not_equal(pf_member_of_read("{\"value\":[", 10, ids, 2, NULL, &m), PF_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_devices_and_groups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
