/* The registration file for a device without an Autopilot record: the columns OEM/partner registration reads. */
#include "register.h"
#include "fmt.h"
#include "report.h"
#include "str.h"

bool pf_register_wanted(const pf_run *run)
{
	return pf_findings_has(&run->findings, PF_REC_NOT_FOUND) &&
	       !pf_findings_has(&run->findings, PF_ID_SERIAL_MISSING) &&
	       !pf_findings_has(&run->findings, PF_ID_SERIAL_PLACEHOLDER) && run->identity.serial &&
	       pf_span_trim(pf_span_of(run->identity.serial)).len > 0;
}

static void trimmed_field(pf_buf *out, const char *s)
{
	pf_span t = pf_span_trim(pf_span_of(s));
	char *copy = pf_strndup(t.p ? t.p : "", t.len);
	if (!copy) {
		out->oom = true;
		return;
	}
	pf_csv_field(out, copy);
	pf_free(copy);
}

void pf_register_row(const pf_run *run, pf_buf *out)
{
	trimmed_field(out, run->identity.serial);
	pf_buf_puts(out, ",,,");
	trimmed_field(out, run->identity.manufacturer);
	pf_buf_putc(out, ',');
	trimmed_field(out, run->identity.product);
	pf_buf_putc(out, '\n');
}

void pf_register_name(const pf_run *run, char *buf, size_t cap)
{
	char base[128];
	pf_report_basename(run, base, sizeof(base));
	/* The basename is "<serial>-<time>": the device's file is one per serial, without the time. */
	for (size_t i = strlen(base); i > 0; i--)
		if (base[i - 1] == '-') {
			base[i - 1] = '\0';
			break;
		}
	pf_snprintf(buf, cap, "%s-register.csv", base);
}

bool pf_register_listed(const pf_run *run, const char *csv, size_t len)
{
	pf_buf field = { 0 };
	bool found = false;
	trimmed_field(&field, run->identity.serial);
	if (field.oom || !field.p) {
		pf_buf_free(&field);
		return false;
	}
	/* Rows start at the beginning or after a line feed; this tool writes the serial first. */
	for (size_t at = 0; at < len && !found;) {
		size_t rest = len - at;
		if (rest > field.len && memcmp(csv + at, field.p, field.len) == 0 && csv[at + field.len] == ',')
			found = true;
		const char *nl = memchr(csv + at, '\n', rest);
		if (!nl)
			break;
		at = (size_t)(nl - csv) + 1;
	}
	pf_buf_free(&field);
	return found;
}
