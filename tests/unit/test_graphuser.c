/* The user-side Graph answers: the user object and licenseDetails, shaped as Microsoft's Graph reference shows them. */
#include "testutil.h"
#include "graphquery.h"
#include "graphuser.h"

static pf_status user(const char *s, pf_graph_user *u)
{
	return pf_graph_user_read(s, strlen(s), u);
}

static pf_status lic(const char *s, pf_graph_licenses *l)
{
	return pf_graph_licenses_read(s, strlen(s), l);
}

static void test_user(void **state)
{
	(void)state;
	pf_graph_user u;
	assert_int_equal(user("{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,"
			      "accountEnabled)/$entity\",\"id\":\"87d349ed-44d7-43e1-9a83-5f2406dee5bd\","
			      "\"userPrincipalName\":\"AdeleV@contoso.com\",\"accountEnabled\":true}", &u), PF_OK);
	assert_string_equal(u.id, "87d349ed-44d7-43e1-9a83-5f2406dee5bd");
	assert_string_equal(u.upn, "AdeleV@contoso.com");
	assert_true(u.has_enabled && u.enabled);
	/* Members in another order, disabled, nested objects ignored. */
	assert_int_equal(user("{\"accountEnabled\":false,\"x\":{\"accountEnabled\":true,\"id\":\"no\"},\"id\":\"1\"}", &u), PF_OK);
	assert_true(u.has_enabled && !u.enabled);
	assert_string_equal(u.id, "1");
	assert_string_equal(u.upn, "");
	/* Without $select Graph leaves accountEnabled out: not known, not "disabled". */
	assert_int_equal(user("{\"id\":\"2\",\"displayName\":\"Adele\"}", &u), PF_OK);
	assert_false(u.has_enabled);
	/* Not an object, not JSON, cut off: an error, ret untouched. */
	u.id[0] = 'k';
	assert_int_equal(user("[{\"accountEnabled\":true}]", &u), PF_ERR_INVALID);
	assert_int_not_equal(user("{\"accountEnabled\":tru", &u), PF_OK);
	assert_int_not_equal(user("", &u), PF_OK);
	assert_int_equal(u.id[0], 'k');
}

/* G2's example body, then an E3 with Intune, then cases around the rule. */
static void test_licenses(void **state)
{
	(void)state;
	pf_graph_licenses l;
	assert_int_equal(lic("{\"value\":[{\"id\":\"3RnS3Gi8\",\"skuId\":\"c7df2760-2c81-4ef7-b578-5b5392b571df\","
			     "\"skuPartNumber\":\"ENTERPRISEPREMIUM\",\"servicePlans\":[{\"servicePlanId\":"
			     "\"8e0c0a52-6a6c-4d40-8370-dd62790dcd70\",\"servicePlanName\":\"THREAT_INTELLIGENCE\","
			     "\"provisioningStatus\":\"Success\",\"appliesTo\":\"User\"}]}]}", &l), PF_OK);
	assert_int_equal(l.skus, 1);
	assert_int_equal(l.plans, 1);
	assert_false(l.intune);
	assert_string_equal(l.status, "");

	const char *e3 = "{\"value\":[{\"skuPartNumber\":\"O365_BUSINESS\",\"servicePlans\":[{\"servicePlanName\":"
			 "\"INTUNE_O365\",\"servicePlanId\":\"882e1d05-acd1-4ccb-8708-6ee03664b117\",\"provisioningStatus\":"
			 "\"PendingActivation\"}]},{\"servicePlans\":[{\"servicePlanId\":\"C1EC4A95-1F05-45B3-A911-AA3FA01094F5\","
			 "\"servicePlanName\":\"\",\"provisioningStatus\":\"Success\"},{\"servicePlanName\":\"EXCHANGE_S_ENTERPRISE\","
			 "\"provisioningStatus\":\"Success\"}],\"skuPartNumber\":\"SPE_E3\"}],\"@odata.nextLink\":\"https://x/y\"}";
	assert_int_equal(lic(e3, &l), PF_OK);
	assert_int_equal(l.skus, 2);
	assert_int_equal(l.plans, 3);
	assert_true(l.intune); /* matched by id, case-insensitive; INTUNE_O365 does not count */
	assert_string_equal(l.plan, "INTUNE_A");
	assert_string_equal(l.status, "Success");
	assert_string_equal(l.sku, "SPE_E3"); /* skuPartNumber after servicePlans */
	assert_true(l.has_next);

	/* An Intune plan that is not provisioned: named with its state, not counted. */
	assert_int_equal(lic("{\"value\":[{\"skuPartNumber\":\"EMS\",\"servicePlans\":[{\"servicePlanName\":\"INTUNE_A\","
			     "\"provisioningStatus\":\"Disabled\"}]}]}", &l), PF_OK);
	assert_false(l.intune);
	assert_string_equal(l.plan, "INTUNE_A");
	assert_string_equal(l.status, "Disabled");
	assert_string_equal(l.sku, "EMS");
	assert_false(l.has_next);
	/* A later provisioned plan wins over an earlier disabled one. */
	assert_int_equal(lic("{\"value\":[{\"skuPartNumber\":\"A\",\"servicePlans\":[{\"servicePlanName\":\"INTUNE_EDU\","
			     "\"provisioningStatus\":\"PendingInput\"}]},{\"skuPartNumber\":\"B\",\"servicePlans\":[{"
			     "\"servicePlanName\":\"intune_smbiz\",\"provisioningStatus\":\"success\"}]}]}", &l), PF_OK);
	assert_true(l.intune);
	assert_string_equal(l.plan, "INTUNE_SMBIZ");
	assert_string_equal(l.sku, "B");
	/* No licences at all; plans outside "value" do not count. */
	assert_int_equal(lic("{\"value\":[],\"other\":[{\"servicePlans\":[{\"servicePlanName\":\"INTUNE_A\","
			     "\"provisioningStatus\":\"Success\"}]}]}", &l), PF_OK);
	assert_int_equal(l.skus, 0);
	assert_false(l.intune);
	assert_int_not_equal(lic("{\"value\":[", &l), PF_OK);
	assert_int_equal(lic("\"value\"", &l), PF_ERR_INVALID);
}

/* Which user: the record's, else graph.expected_user, else none with the reason. */
static void test_pick(void **state)
{
	(void)state;
	pf_user_result u;
	pf_user_pick(" adele@contoso.com ", "bob@contoso.com", &u);
	assert_string_equal(u.upn, "adele@contoso.com");
	assert_string_equal(u.source, "record");
	assert_false(u.checked);
	assert_int_equal(u.exists, PF_UNKNOWN);
	assert_int_equal(u.licensed, PF_UNKNOWN);
	pf_user_pick("  ", "bob@contoso.com", &u);
	assert_string_equal(u.upn, "bob@contoso.com");
	assert_string_equal(u.source, "graph.expected_user");
	pf_user_pick(NULL, NULL, &u);
	assert_string_equal(u.upn, "");
	assert_null(u.source);
	assert_non_null(strstr(u.reason, "graph.expected_user is empty"));
}

/* The user URLs: the UPN percent-encoded (B2B '#', '+', spaces), the endpoint's own path kept. */
static void test_user_url(void **state)
{
	(void)state;
	pf_url u;
	assert_int_equal(pf_graph_user_url("https://graph.microsoft.com", "adele@contoso.com", "/licenseDetails", &u), PF_OK);
	assert_string_equal(u.host, "graph.microsoft.com");
	assert_string_equal(u.target, "/v1.0/users/adele%40contoso.com/licenseDetails");
	assert_int_equal(pf_graph_user_url("http://10.0.0.1:8080/base/", "ext_a+b#EXT#@contoso.onmicrosoft.com",
					   "?$select=id", &u), PF_OK);
	assert_string_equal(u.target, "/base/v1.0/users/ext_a%2Bb%23EXT%23%40contoso.onmicrosoft.com?$select=id");
	assert_int_equal(u.port, 8080);
	assert_int_equal(pf_graph_user_url("https://graph.microsoft.com", " ", "", &u), PF_ERR_INVALID);
	assert_int_equal(pf_graph_user_url("https://graph.microsoft.com/?x=1", "a@b", "", &u), PF_ERR_INVALID);
	assert_int_equal(pf_graph_user_url("graph.microsoft.com", "a@b", "", &u), PF_ERR_INVALID);
	char big[PF_URL_TARGET_MAX];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(pf_graph_user_url("https://graph.microsoft.com", big, "", &u), PF_ERR_TOO_BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user),
		cmocka_unit_test(test_licenses),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_user_url),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
