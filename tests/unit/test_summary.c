/* The one-page result screen: order (verdict, steps, errors before warnings), the room limit, the tail. */
#include "testutil.h"
#include "summary.h"

static void run_init(pf_run *run)
{
	*run = (pf_run){ .tool_version = "1.2.3" };
	pf_identity_init(&run->identity);
	run->identity.manufacturer = strdup("Contoso");
	run->identity.product = strdup("Laptop 7");
	run->identity.serial = strdup("CZC1234");
	for (int s = 0; s < PF_STEP__COUNT; s++)
		run->step_checked[s] = true;
}

static void run_free(pf_run *run)
{
	pf_identity_free(&run->identity);
	pf_findings_free(&run->findings);
}

static size_t count(const pf_summary *s, pf_sum_kind k)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		n += s->lines[i].kind == k;
	return n;
}

static void test_go(void **state)
{
	(void)state;
	pf_run run;
	pf_summary s;
	run_init(&run);
	pf_finding_add(&run.findings, PF_ID_VIRTUAL_MACHINE, "a VM")->severity = PF_SEV_INFO; /* not on the page */
	pf_summary_build(&run, "\\preflight\\reports\\CZC1234-x.json", 30, &s);
	assert_string_equal(s.lines[0].text, "Preflight 1.2.3: Contoso Laptop 7, serial CZC1234");
	assert_int_equal(s.lines[1].kind, PF_SUM_VERDICT);
	assert_string_equal(s.lines[1].badge, "GO");
	assert_int_equal(s.lines[1].level, PF_SUM_GO);
	assert_string_equal(s.lines[1].text, "0 errors, 0 warnings");
	assert_int_equal(count(&s, PF_SUM_STEP), 6);
	assert_string_equal(s.lines[3].text, "Network");
	assert_string_equal(s.lines[3].badge, "GO");
	assert_int_equal(count(&s, PF_SUM_FINDING), 0);
	assert_string_equal(s.lines[s.n - 1].text, "Report: \\preflight\\reports\\CZC1234-x.json");
	assert_string_equal(s.lines[s.n - 2].text, "Autopilot record: not checked");
	run_free(&run);
}

static void test_order_and_room(void **state)
{
	(void)state;
	pf_run run;
	pf_summary s;
	run_init(&run);
	run.step_checked[PF_STEP_ESP_ACCOUNT] = false;
	pf_finding_add(&run.findings, PF_NET_NCSI_FAILED, "warn 1");
	pf_finding_add(&run.findings, PF_ID_SERIAL_MISSING, "error 1");
	pf_finding_add(&run.findings, PF_ID_TPM_MISSING, "tpm")->severity = PF_SEV_WARN;
	pf_finding_add(&run.findings, PF_REC_NOT_FOUND, "error 2");
	pf_summary_build(&run, NULL, 48, &s);
	assert_string_equal(s.lines[1].badge, "NO-GO");
	assert_string_equal(s.lines[1].text, "2 errors, 2 warnings");
	assert_string_equal(s.lines[6].badge, "not checked"); /* ESP account setup */
	assert_int_equal(s.lines[6].level, PF_SUM_NONE);
	assert_int_equal(s.lines[3].level, PF_SUM_WARN); /* network: the NCSI warning */
	/* Errors first, in the order found, then warnings; each followed by its fix. */
	size_t f = 10;
	assert_int_equal(s.lines[f].kind, PF_SUM_FINDING);
	assert_string_equal(s.lines[f].text, "ID-SERIAL-MISSING: error 1");
	assert_int_equal(s.lines[f + 1].kind, PF_SUM_FIX);
	assert_true(strncmp(s.lines[f + 1].text, "Fix: ", 5) == 0);
	assert_string_equal(s.lines[f + 2].text, "REC-NOT-FOUND: error 2");
	assert_string_equal(s.lines[f + 4].text, "NET-NCSI-FAILED: warn 1");
	assert_string_equal(s.lines[f + 4].badge, "WARN");
	assert_string_equal(s.lines[f + 6].text, "ID-TPM-MISSING: tpm");
	assert_int_equal(s.findings_shown, 4);
	assert_int_equal(s.findings_left, 0);

	/* A small screen: never more lines than asked, the rest counted. */
	for (size_t max = 14; max <= 24; max++) {
		pf_summary_build(&run, "r.json", max, &s);
		assert_true(s.n <= max);
		assert_int_equal(s.findings_shown + s.findings_left, 4);
		assert_int_equal(count(&s, PF_SUM_FINDING), s.findings_shown);
		if (s.findings_left) {
			char want[80];
			snprintf(want, sizeof(want), "... and %zu more finding%s in the report", s.findings_left,
				 s.findings_left == 1 ? "" : "s");
			bool seen = false;
			for (size_t i = 0; i < s.n; i++)
				seen |= strcmp(s.lines[i].text, want) == 0;
			assert_true(seen);
		}
		if (s.findings_shown) /* the first shown is the first error */
			assert_string_equal(s.lines[10].text, "ID-SERIAL-MISSING: error 1");
		assert_string_equal(s.lines[s.n - 1].text, "Report: r.json");
	}
	pf_summary_build(&run, "r.json", 14, &s);
	assert_int_equal(s.findings_shown, 0);
	pf_summary_build(&run, "r.json", 16, &s);
	assert_int_equal(s.findings_shown, 1);
	run_free(&run);
}

static void test_user_line(void **state)
{
	(void)state;
	pf_run run;
	pf_summary s;
	run_init(&run);
	run.user_phase = true;
	pf_user_pick("ann@contoso.example", NULL, &run.user);
	run.user.checked = true;
	run.user.exists = run.user.enabled = run.user.licensed = run.user.join_allowed = PF_YES;
	run.user.devices = 2;
	run.user.quota = 50;
	run.user.has_esp = true;
	strcpy(run.user.esp_name, "Autopilot ESP");
	run.user.esp_timeout_min = 90;
	run.user.esp_apps = 3;
	pf_summary_build(&run, NULL, 30, &s);
	assert_string_equal(s.lines[s.n - 1].text, "User: ann@contoso.example, account enabled, Intune licence yes, join "
						   "allowed, devices 2/50; ESP Autopilot ESP, 90 min, 3 app(s)");
	assert_string_equal(s.lines[s.n - 2].text, "Autopilot record: not checked");
	/* An upload: its outcome after the report line. */
	run.upload.state = PF_UPLOAD_FAILED;
	strcpy(run.upload.reason, "h answered HTTP 403 AuthenticationFailed");
	pf_summary_build(&run, "\\r.json", 30, &s);
	assert_string_equal(s.lines[s.n - 1].text, "Upload: failed: h answered HTTP 403 AuthenticationFailed");
	assert_string_equal(s.lines[s.n - 2].text, "Report: \\r.json");
	run.upload.state = PF_UPLOAD_NONE;
	/* No user to check: the reason. */
	pf_user_pick(NULL, NULL, &run.user);
	pf_summary_build(&run, NULL, 30, &s);
	assert_string_equal(s.lines[s.n - 1].text, "User: not checked (no user is assigned in the record and "
						   "graph.expected_user is empty)");
	run_free(&run);
}

/* The installed Windows gets one line: release, version, what Secure Boot would do, the CA. */
static void test_windows_line(void **state)
{
	(void)state;
	pf_run run;
	pf_summary s;
	run_init(&run);
	run.windows_read = true;
	pf_bootmgr_init(&run.windows);
	pf_summary_build(&run, NULL, 30, &s);
	assert_string_equal(s.lines[s.n - 1].text, "Windows: none found on the internal disks");
	run.windows.found = true;
	run.windows.verdict = PF_BM_REVOKED_CERT;
	run.windows.version_valid = true;
	run.windows.version = (pf_pe_version){ { 10, 0, 22621, 4602 }, { 10, 0, 22621, 4602 } };
	run.windows.release = pf_win_release_by_build(22621);
	run.windows.ca = strdup("Microsoft Windows Production PCA 2011");
	pf_summary_build(&run, NULL, 30, &s);
	assert_string_equal(s.lines[s.n - 1].text,
			    "Windows: Windows 11 22H2 or 23H2 (10.0.22621.4602), boot manager refused with Secure Boot on: its CA "
			    "is revoked in dbx, CA \"Microsoft Windows Production PCA 2011\"");
	pf_bootmgr_free(&run.windows);
	run_free(&run);
}

/* Booted over the network: the page says what is kept, last, and the findings make room for it. */
static void test_boot_notice(void **state)
{
	(void)state;
	pf_run run;
	pf_summary s;
	run_init(&run);
	for (int i = 0; i < 6; i++)
		pf_finding_add(&run.findings, PF_ID_SERIAL_MISSING, "error %d", i);
	strcpy(run.boot_notice, "Nothing of this run is kept: this page and its QR code are the record.");
	for (size_t max = 15; max <= 30; max++) {
		pf_summary_build(&run, NULL, max, &s);
		assert_true(s.n <= max);
		assert_string_equal(s.lines[s.n - 1].text, run.boot_notice);
	}
	run.boot_notice[0] = '\0';
	pf_summary_build(&run, NULL, 30, &s);
	assert_string_equal(s.lines[s.n - 1].text, "Autopilot record: not checked");
	run_free(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_go), cmocka_unit_test(test_boot_notice),
		cmocka_unit_test(test_order_and_room),
		cmocka_unit_test(test_user_line),
		cmocka_unit_test(test_windows_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
