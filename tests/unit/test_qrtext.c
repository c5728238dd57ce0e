/* The QR code's text: fixed line order, error and warning codes once each, values made printable and short. */
#include "testutil.h"
#include "qrtext.h"

static void test_text(void **state)
{
	(void)state;
	pf_run run = { .tool_version = "1.2.3" };
	pf_identity_init(&run.identity);
	run.identity.manufacturer = strdup("Contoso\tLtd \xc3\xa9");
	run.identity.product = strdup("Laptop 7");
	run.identity.serial = strdup("CZC1234");
	pf_finding_add(&run.findings, PF_ID_VIRTUAL_MACHINE, "vm")->severity = PF_SEV_INFO;
	pf_finding_add(&run.findings, PF_NET_DNS_FAILED, "a")->severity = PF_SEV_WARN;
	pf_finding_add(&run.findings, PF_REC_NOT_FOUND, "b");
	pf_finding_add(&run.findings, PF_NET_DNS_FAILED, "c")->severity = PF_SEV_WARN;
	pf_buf out = { 0 };
	pf_result_qr_text(&run, &out);
	assert_string_equal(out.p, "PREFLIGHT 1\nverdict=NO-GO\nserial=CZC1234\nmanufacturer=Contoso?Ltd ??\n"
			    "model=Laptop 7\ncodes=NET-DNS-FAILED,REC-NOT-FOUND\ntime=unknown\ntool=1.2.3\n");
	pf_buf_free(&out);

	/* No findings, a start time, a missing serial, a long model. */
	pf_findings_free(&run.findings);
	free(run.identity.serial);
	run.identity.serial = NULL;
	free(run.identity.product);
	run.identity.product = strdup("0123456789012345678901234567890123456789012345678901234567890123456789");
	run.started_valid = true;
	run.started = (pf_time){ .year = 2026, .month = 12, .day = 3, .hour = 7, .minute = 5, .second = 9 };
	pf_result_qr_text(&run, &out);
	assert_string_equal(out.p, "PREFLIGHT 1\nverdict=GO\nserial=\nmanufacturer=Contoso?Ltd ??\n"
			    "model=0123456789012345678901234567890123456789012345678901234567890123\ncodes=\n"
			    "time=2026-12-03T07:05:09\ntool=1.2.3\n"); /* as the report's started: no zone known */
	pf_buf_free(&out);
	pf_identity_free(&run.identity);
	pf_findings_free(&run.findings);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
