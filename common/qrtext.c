/* The result as a short text for the screen's QR code (docs/report.md, "QR code"). */
#include "qrtext.h"
#include "str.h"

static void value(pf_buf *out, const char *key, const char *v)
{
	pf_buf_printf(out, "%s=", key);
	for (size_t i = 0; v && v[i] && i < PF_QR_VALUE_MAX; i++) {
		unsigned char c = (unsigned char)v[i];
		pf_buf_putc(out, c >= 0x20 && c < 0x7f ? (char)c : '?');
	}
	pf_buf_putc(out, '\n');
}

void pf_result_qr_text(const pf_run *run, pf_buf *out)
{
	const pf_identity *id = &run->identity;
	pf_tally t = pf_findings_tally(&run->findings);
	char when[32] = "unknown";

	pf_buf_puts(out, "PREFLIGHT 1\n");
	value(out, "verdict", pf_verdict_str(t.verdict));
	value(out, "serial", id->serial);
	value(out, "manufacturer", id->manufacturer);
	value(out, "model", id->product);
	pf_buf_puts(out, "codes=");
	size_t shown = 0;
	for (size_t i = 0; i < run->findings.n; i++) {
		const pf_finding *f = &run->findings.items[i];
		if (f->severity == PF_SEV_INFO)
			continue;
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = run->findings.items[k].code == f->code && run->findings.items[k].severity != PF_SEV_INFO;
		if (seen)
			continue;
		pf_buf_printf(out, "%s%s", shown++ ? "," : "", pf_code_info_get(f->code)->code);
	}
	pf_buf_putc(out, '\n');
	if (run->started_valid)
		pf_time_iso(&run->started, when, sizeof(when));
	value(out, "time", when);
	value(out, "tool", run->tool_version);
}
