/* libFuzzer target: PE headers and sections, the Authenticode hash, the version resource, the signature in it,
 * and the whole judgement (user-mode stores holding no match) with its findings and both report writers. */
#include "fuzzutil.h"
#include "authenticode.h"
#include "bootmgr.h"
#include "pe.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	static pf_pe pe; /* large: keep them off the stack */
	static pf_authenticode ac;
	static pf_run run;
	if (!buf)
		return 0;
	if (pf_pe_parse(buf, size, &pe) == PF_OK) {
		uint8_t h[32];
		pf_pe_version v;
		int chain[PF_AC_MAX_CERTS];
		(void)!pf_pe_authenticode_sha256(buf, size, &pe, h);
		(void)!pf_pe_version_read(buf, size, &pe, &v);
		if (pf_authenticode_parse(buf + pe.cert_off, pe.cert_size, &ac) == PF_OK) {
			pf_authenticode_chain(&ac, chain, PF_AC_MAX_CERTS);
			(void)!pf_authenticode_verify_signer(&ac);
		}
	}

	memset(&run, 0, sizeof(run));
	run.tool_version = "fuzz";
	if (pf_config_defaults(&run.config) != PF_OK)
		goto out;
	pf_identity_init(&run.identity);
	pf_secboot_init(&run.secboot);
	run.secboot.read = true;
	run.secboot.setup_mode = PF_NO;
	for (int s = 0; s < PF_SB__COUNT; s++)
		run.secboot.lists[s].present = PF_YES;
	pf_bootmgr_init(&run.windows);
	run.windows_read = true;
	if (pf_bootmgr_judge(buf, size, &run.secboot, &run.windows) == PF_OK) {
		pf_time now = { 2026, 12, 7, 0, 0, 0, 0, true };
		pf_bootmgr_check(&run.windows, &run.secboot, &run.config, &now, &run.findings);
		pf_buf b = { 0 };
		pf_report_json(&run, &b);
		pf_buf_free(&b);
		pf_report_text(&run, &b);
		pf_buf_free(&b);
	}
	pf_findings_free(&run.findings);
	pf_bootmgr_free(&run.windows);
	pf_secboot_free(&run.secboot);
	pf_identity_free(&run.identity);
out:
	pf_config_free(&run.config);
	pf_free(buf);
	return 0;
}
