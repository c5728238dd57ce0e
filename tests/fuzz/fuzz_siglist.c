/* libFuzzer target: EFI_SIGNATURE_LIST parsing, the Secure Boot findings and both report writers on the result. */
#include "fuzzutil.h"
#include "report.h"
#include "secboot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;

	static pf_run run; /* large: keep it off the stack */
	memset(&run, 0, sizeof(run));
	run.tool_version = "fuzz";
	if (pf_config_defaults(&run.config) != PF_OK)
		goto out;
	pf_identity_init(&run.identity);
	pf_secboot_init(&run.secboot);
	run.secboot.read = true;
	run.secboot.secure_boot = PF_YES;
	run.secboot.setup_mode = PF_NO;
	run.sb_time_source = PF_SB_TIME_RTC;
	run.sb_time = (pf_time){ 2026, 12, 2, 0, 0, 0, 0, true };

	/* The same bytes as each store: the judging sees certificates in PK, KEK and db alike. */
	for (int s = 0; s < PF_SB__COUNT; s++) {
		run.secboot.lists[s].present = PF_YES;
		if (pf_sb_parse_list(buf, size, &run.secboot.lists[s]) != PF_OK)
			break;
	}
	pf_secboot_check(&run.secboot, &run.config, &run.sb_time, run.sb_time_source, &run.findings);

	pf_buf b = { 0 };
	pf_report_json(&run, &b);
	pf_buf_free(&b);
	pf_report_text(&run, &b);
	pf_buf_free(&b);

	pf_findings_free(&run.findings);
	pf_secboot_free(&run.secboot);
	pf_identity_free(&run.identity);
out:
	pf_config_free(&run.config);
	pf_free(buf);
	return 0;
}
