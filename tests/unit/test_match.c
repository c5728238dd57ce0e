/* Matching tolerance: serials, manufacturer names with legal suffixes and aliases, models. */
#include "testutil.h"
#include "match.h"

#define S(x) pf_span_of(x)

static void test_serial(void **state)
{
	(void)state;
	assert_true(pf_serial_eq(S("  cnd1234XYZ "), S("CND1234xyz")));
	assert_false(pf_serial_eq(S("CND1234XY"), S("CND1234XYZ")));
	assert_false(pf_serial_eq(S("CND 1234"), S("CND1234")));
	assert_false(pf_serial_eq(S(""), S("X")));
}

static void test_vendor(void **state)
{
	(void)state;
	const char *same[][2] = {
		{ "Dell Inc.", "Dell" },
		{ "Microsoft Corporation", "microsoft" },
		{ "LENOVO", "Lenovo" },
		{ "HP", "Hewlett-Packard" },
		{ "Hewlett-Packard Company", "HP Inc." },
		{ "ASUSTeK COMPUTER INC.", "ASUS" },
		{ "Acer Inc", "ACER" },
		{ "Contoso Co., Ltd.", "Contoso" },
		{ "Fujitsu Client Computing Limited", "FUJITSU" },
		{ "  Panasonic   Corporation ", "Panasonic" },
		/* spellings of real machines (tests/data/dmi/labels-vendor.tsv) */
		{ "Gigabyte Technology Co., Ltd.", "GIGABYTE" },
		{ "MICRO-STAR INTERANTIONAL CO.,LTD", "MSI" },
		{ "MICRO-STAR INT'L CO.,LTD.", "Micro-Star International Co., Ltd." },
		{ "SAMSUNG ELECTRONICS CO., LTD.", "Samsung" },
		{ "Dell Computer Corporation", "Dell Inc." },
		{ "TOSHIBA", "Dynabook Inc." },
		{ "Intel(R) Client Systems", "Intel Corporation" },
		{ "Hewlett Packard Enterprise", "HPE" },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(same); i++)
		if (!pf_vendor_eq(S(same[i][0]), S(same[i][1])))
			fail_msg("\"%s\" should equal \"%s\"", same[i][0], same[i][1]);
	const char *differ[][2] = {
		{ "Dell Inc.", "HP" },
		{ "Microsoft Corporation", "Micro Star" },
		{ "Inc.", "" },
		{ "", "" },
		{ "Lenovo", "Lenovo Group Beijing" },
		/* different companies, however close the names */
		{ "HP", "Hewlett Packard Enterprise" },
		{ "HP", "HPE" },
		{ "FUJITSU", "FUJITSU SIEMENS" },
		{ "TOSHIBA", "Semp Toshiba" },
		{ "Sony Corporation", "VAIO Corporation" },
		{ "Hewlett-Packard", "Packard Bell BV" },
		{ "Intel Corporation", "Intelbras" },
		{ "ASUSTeK COMPUTER INC.", "ASRock" },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(differ); i++)
		if (pf_vendor_eq(S(differ[i][0]), S(differ[i][1])))
			fail_msg("\"%s\" should differ from \"%s\"", differ[i][0], differ[i][1]);
	char out[64];
	pf_vendor_normalise(S("Contoso Co., Ltd."), out, sizeof(out));
	assert_string_equal(out, "contoso");
}

static void test_model(void **state)
{
	(void)state;
	pf_identity id;
	pf_identity_init(&id);
	id.product = "20XW003JUS";
	id.version = "ThinkPad X1 Carbon Gen 9";
	id.family = "ThinkPad X1 Carbon Gen 9";
	assert_string_equal(pf_model_match(S("20xw003jus"), &id), "product");
	assert_string_equal(pf_model_match(S(" ThinkPad  X1 Carbon Gen 9"), &id), "version");
	assert_null(pf_model_match(S("ThinkPad X1 Carbon Gen 10"), &id));
	assert_null(pf_model_match(S(""), &id));
	id.product = id.version = id.family = NULL;
	assert_null(pf_model_match(S("Surface Laptop 5"), &id));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serial),
		cmocka_unit_test(test_vendor),
		cmocka_unit_test(test_model),
	};
	return cmocka_run_group_tests_name("match", tests, NULL, NULL);
}
