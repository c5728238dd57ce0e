/* JSON escaping, report layout, ledger rows, file names, the result line and calendar arithmetic. */
#include "testutil.h"
#include "json.h"
#include "report.h"

static char *escaped(const char *s, size_t len)
{
	pf_buf b = { 0 };
	pf_json_escape(&b, s, len);
	assert_false(b.oom);
	return b.p;
}

static void test_json_escape(void **state)
{
	(void)state;
	struct {
		const char *in;
		size_t len;
		const char *out;
	} cases[] = {
		{ "plain", 5, "\"plain\"" },
		{ "q\"b\\s/", 6, "\"q\\\"b\\\\s/\"" },
		{ "\n\r\t\b\f", 5, "\"\\n\\r\\t\\b\\f\"" },
		{ "\x01\x1f\x7f", 3, "\"\\u0001\\u001f\x7f\"" },
		{ "nul\0in", 6, "\"nul\\u0000in\"" },
		{ "Contöso €", 12, "\"Contöso €\"" },           /* valid UTF-8 passes through */
		{ "\xF0\x9F\x98\x80", 4, "\"\xF0\x9F\x98\x80\"" },   /* 4-byte sequence */
		{ "bad\xff\xfe", 5, "\"bad\\ufffd\\ufffd\"" },      /* invalid bytes */
		{ "\xC3", 1, "\"\\ufffd\"" },                       /* truncated sequence */
		{ "\xC0\xAF", 2, "\"\\ufffd\\ufffd\"" },            /* overlong '/' */
		{ "\xED\xA0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"" }, /* UTF-16 surrogate in UTF-8 */
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		char *got = escaped(cases[i].in, cases[i].len);
		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

static void test_json_nesting(void **state)
{
	(void)state;
	pf_buf b = { 0 };
	pf_json j;
	pf_json_init(&j, &b);
	pf_json_obj_begin(&j, NULL);
	pf_json_str(&j, "a", "x");
	pf_json_null(&j, "n");
	pf_json_arr_begin(&j, "list");
	pf_json_int(&j, NULL, -5);
	pf_json_bool(&j, NULL, true);
	pf_json_tri(&j, NULL, PF_UNKNOWN);
	pf_json_arr_end(&j);
	pf_json_arr_begin(&j, "empty");
	pf_json_arr_end(&j);
	pf_json_obj_end(&j);
	assert_string_equal(b.p, "{\n  \"a\": \"x\",\n  \"n\": null,\n  \"list\": [\n    -5,\n    true,\n    null\n  ],\n  \"empty\": []\n}\n");
	pf_buf_free(&b);
}

static void make_run(pf_run *run)
{
	memset(run, 0, sizeof(*run));
	run->tool_version = "9.9";
	run->started = (pf_time){ 2026, 11, 25, 4, 5, 6, 0, false };
	run->started_valid = true;
	assert_int_equal(pf_config_defaults(&run->config), PF_OK);
	pf_identity_init(&run->identity);
	run->identity.serial = strdup(" CZC/12 34 ");
	run->identity.manufacturer = strdup("Contoso, \"Ltd\"");
	run->identity.product = strdup("Book 13");
	run->step_checked[PF_STEP_IDENTITY] = true;
}

static void free_run(pf_run *run)
{
	pf_config_free(&run->config);
	pf_identity_free(&run->identity);
	pf_findings_free(&run->findings);
	pf_diags_free(&run->config_diags);
}

static void test_basename_and_result(void **state)
{
	(void)state;
	pf_run run;
	char name[128];
	make_run(&run);
	pf_report_basename(&run, name, sizeof(name));
	assert_string_equal(name, "CZC_12_34-20261125T040506");
	free(run.identity.serial);
	run.identity.serial = NULL;
	run.started_valid = false;
	pf_report_basename(&run, name, sizeof(name));
	assert_string_equal(name, "unknown-00000000T000000");

	pf_buf b = { 0 };
	pf_report_result_line(&run, NULL, &b);
	assert_string_equal(b.p, "PREFLIGHT RESULT verdict=GO errors=0 warnings=0 report=none");
	pf_buf_free(&b);
	pf_finding_add(&run.findings, PF_NET_NCSI_FAILED, "x");
	pf_report_result_line(&run, "\\preflight\\reports\\a.json", &b);
	assert_string_equal(b.p, "PREFLIGHT RESULT verdict=WARN errors=0 warnings=1 report=\\preflight\\reports\\a.json");
	pf_buf_free(&b);
	pf_finding_add(&run.findings, PF_ID_SERIAL_MISSING, "y");
	pf_finding_add(&run.findings, PF_ID_SECURE_BOOT_OFF, "z");
	pf_report_result_line(&run, NULL, &b);
	assert_string_equal(b.p, "PREFLIGHT RESULT verdict=NO-GO errors=1 warnings=1 report=none");
	pf_buf_free(&b);
	free_run(&run);
}

static void test_ledger_row(void **state)
{
	(void)state;
	pf_run run;
	make_run(&run);
	pf_finding_add(&run.findings, PF_ID_VIRTUAL_MACHINE, "vm");
	pf_finding_add(&run.findings, PF_NET_DNS_FAILED, "a");
	pf_finding_add(&run.findings, PF_NET_DNS_FAILED, "b");
	pf_buf b = { 0 };
	pf_report_ledger_row(&run, "\\r\\x.json", &b);
	assert_string_equal(b.p, "2026-11-25T04:05:06, CZC/12 34 ,\"Contoso, \"\"Ltd\"\"\",Book 13,NO-GO,3,0,"
				 "ID-VIRTUAL-MACHINE NET-DNS-FAILED,\\r\\x.json\n");
	pf_buf_free(&b);
	free_run(&run);
}

static void test_report_json_shape(void **state)
{
	(void)state;
	pf_run run;
	make_run(&run);
	pf_finding *f = pf_finding_add(&run.findings, PF_ID_SERIAL_PLACEHOLDER, "Serial \"%s\" is a placeholder.", "0");
	pf_finding_detail(f, "SMBIOS type 1");
	pf_diag_add(&run.config_diags, 7, "unknown key");
	pf_buf b = { 0 };
	pf_report_json(&run, &b);
	assert_false(b.oom);
	const char *want[] = {
		"\"schema\": \"preflight-report/1\"", "\"tool_version\": \"9.9\"", "\"started\": \"2026-11-25T04:05:06\"",
		"\"verdict\": \"NO-GO\"", "\"code\": \"ID-SERIAL-PLACEHOLDER\"", "\"severity\": \"error\"",
		"\"step\": \"identity\"", "\"message\": \"Serial \\\"0\\\" is a placeholder.\"", "\"detail\": \"SMBIOS type 1\"",
		"\"serial\": \" CZC/12 34 \"", "\"uuid\": null", "\"chassis_type\": null", "\"nics\": null",
		"\"record\": null", "\"network\": null", "\"line\": 7", "\"present\": null", "\"secure_boot\": null",
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(want); i++)
		if (!strstr(b.p, want[i]))
			fail_msg("report lacks %s:\n%s", want[i], b.p);
	pf_buf_free(&b);

	pf_report_text(&run, &b);
	assert_non_null(strstr(b.p, "Device identity      NO-GO"));
	assert_non_null(strstr(b.p, "Network              not checked"));
	assert_non_null(strstr(b.p, "Fix: "));
	assert_non_null(strstr(b.p, "line 7: unknown key"));
	pf_buf_free(&b);
	free_run(&run);
}

static void test_time(void **state)
{
	(void)state;
	pf_time t = { 2024, 2, 29, 23, 59, 59, 0, false };
	assert_true(pf_time_valid(&t));
	assert_int_equal(pf_time_to_unix(&t), 1709251199);
	t.day = 30;
	assert_false(pf_time_valid(&t));
	pf_time u;
	pf_time_from_unix(0, &u);
	assert_int_equal(u.year, 1970);
	assert_int_equal(u.month, 1);
	assert_int_equal(u.day, 1);
	/* Every day across several leap cycles round-trips. */
	for (int64_t s = -86400LL * 800; s < 86400LL * 365 * 70; s += 86400 * 3 + 3607) {
		pf_time_from_unix(s, &u);
		if (s >= 0)
			assert_int_equal(pf_time_to_unix(&u), s);
	}
	pf_time z = { 2026, 1, 1, 1, 0, 0, 60, true };
	char iso[32];
	pf_time_iso(&z, iso, sizeof(iso));
	assert_string_equal(iso, "2026-01-01T01:00:00+01:00");
	assert_int_equal(pf_time_to_unix(&z), 1767225600); /* 2026-01-01T00:00:00Z */
}

static void test_findings_table(void **state)
{
	(void)state;
	/* Every code has an entry, a fix text, and a unique name. */
	for (int i = 0; i < PF_CODE__COUNT; i++) {
		const pf_code_info *a = pf_code_info_get(i);
		assert_non_null(a->code);
		assert_non_null(a->fix);
		for (int k = 0; k < i; k++)
			assert_string_not_equal(a->code, pf_code_info_get(k)->code);
	}
	assert_null(pf_code_info_get(PF_CODE__COUNT));
	assert_string_equal(pf_code_info_get(PF_REC_NO_ASSIGNED_USER)->code, "REC-NO-ASSIGNED-USER");
	assert_int_equal(pf_code_info_get(PF_ID_TPM_NO_EK_CERT)->severity, PF_SEV_WARN);
}

/* docs/findings.md documents every code of the table (run from the repository root). */
static void test_findings_documented(void **state)
{
	(void)state;
	size_t len;
	char *doc = test_read_file("docs/findings.md", &len);
	for (int i = 0; i < PF_CODE__COUNT; i++) {
		char row[64];
		snprintf(row, sizeof(row), "| %s |", pf_code_info_get(i)->code);
		if (!strstr(doc, row))
			fail_msg("docs/findings.md has no row for %s", pf_code_info_get(i)->code);
	}
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_json_nesting),
		cmocka_unit_test(test_basename_and_result),
		cmocka_unit_test(test_ledger_row),
		cmocka_unit_test(test_report_json_shape),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_findings_table),
		cmocka_unit_test(test_findings_documented),
	};
	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
