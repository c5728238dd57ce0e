/* REC-TUPLE-SPELLING: Microsoft compares a tuple's manufacturer and model case-sensitively with what the device reports. */
#include "rectuple.h"
#include "buf.h"
#include "match.h"
#include "str.h"

static bool blank(const char *s)
{
	return !s || pf_span_trim(pf_span_of(s)).len == 0;
}

static bool exact(pf_span a, pf_span b)
{
	a = pf_span_trim(a);
	b = pf_span_trim(b);
	return a.len == b.len && (a.len == 0 || !memcmp(a.p, b.p, a.len));
}

/* The closest spelling class two strings share: exact, case only, spacing (pf_loose_eq), or none. */
static pf_spelling compare(pf_span a, pf_span b)
{
	if (exact(a, b))
		return PF_SPELL_EXACT;
	if (pf_span_eq_nocase(pf_span_trim(a), pf_span_trim(b)))
		return PF_SPELL_CASE;
	if (pf_loose_eq(a, b))
		return PF_SPELL_SPACING;
	return PF_SPELL_DIFFERENT;
}

pf_spelling pf_spelling_manufacturer(const char *record, const char *smbios)
{
	pf_spelling s = compare(pf_span_of(record), pf_span_of(smbios));
	if (s == PF_SPELL_DIFFERENT && pf_vendor_eq(pf_span_of(record), pf_span_of(smbios)))
		return PF_SPELL_TOLERANT;
	return s;
}

pf_spelling pf_spelling_model(const char *record, const pf_identity *id)
{
	pf_spelling s = id->product ? compare(pf_span_of(record), pf_span_of(id->product)) : PF_SPELL_DIFFERENT;
	if (s != PF_SPELL_DIFFERENT)
		return s;
	return pf_model_match(pf_span_of(record), id) ? PF_SPELL_OTHER_FIELD : PF_SPELL_DIFFERENT;
}

const char *pf_spelling_str(pf_spelling s)
{
	switch (s) {
	case PF_SPELL_EXACT: return "exact";
	case PF_SPELL_CASE: return "differs in letter case";
	case PF_SPELL_SPACING: return "differs in case or spacing";
	case PF_SPELL_TOLERANT: return "differs in punctuation, legal suffix or vendor alias";
	case PF_SPELL_OTHER_FIELD: return "equals SMBIOS version or family, not the product name Windows reports as the model";
	case PF_SPELL_DIFFERENT: return "different";
	}
	return "?";
}

void pf_rectuple_check(const pf_record *rec, const pf_identity *id, pf_findings *f)
{
	pf_spelling sm = PF_SPELL_EXACT, sp = PF_SPELL_EXACT;
	if (!blank(rec->manufacturer) && id->manufacturer)
		sm = pf_spelling_manufacturer(rec->manufacturer, id->manufacturer);
	if (!blank(rec->model) && (id->product || id->version || id->family))
		sp = pf_spelling_model(rec->model, id);
	/* Exact, or a real mismatch (its own finding): nothing to add. */
	bool man = sm != PF_SPELL_EXACT && sm != PF_SPELL_DIFFERENT;
	bool mod = sp != PF_SPELL_EXACT && sp != PF_SPELL_DIFFERENT;
	if (!man && !mod)
		return;

	pf_buf what = { 0 }, detail = { 0 };
	if (man)
		pf_buf_printf(&what, "manufacturer \"%s\" (SMBIOS \"%s\")", rec->manufacturer, id->manufacturer);
	if (mod)
		pf_buf_printf(&what, "%smodel \"%s\" (SMBIOS product \"%s\")", man ? " and " : "", rec->model,
			      id->product ? id->product : "");
	pf_finding *fd = pf_finding_add(f, PF_REC_TUPLE_SPELLING,
					"The record's %s match only with tolerance; a tuple registration (serial, manufacturer, model) would not match.",
					what.p ? what.p : "");
	if (rec->source == PF_RECSRC_CSV)
		pf_buf_printf(&detail, "%s line %u: ", rec->file ? rec->file : "?", rec->line);
	else
		pf_buf_printf(&detail, "%s entry %u: ", rec->file ? rec->file : "?", rec->line);
	if (man)
		pf_buf_printf(&detail, "manufacturer record=\"%s\" smbios=\"%s\" (%s); ", rec->manufacturer, id->manufacturer,
			      pf_spelling_str(sm));
	if (mod)
		pf_buf_printf(&detail, "model record=\"%s\" smbios_product=\"%s\" (%s); ", rec->model, id->product ? id->product : "",
			      pf_spelling_str(sp));
	if (fd) {
		if (!blank(rec->hash)) {
			fd->severity = PF_SEV_INFO;
			pf_buf_puts(&detail, "the record carries a hardware hash, which Autopilot matches instead");
		} else if (rec->source != PF_RECSRC_CSV) {
			fd->severity = PF_SEV_WARN;
			pf_buf_puts(&detail, "a Graph record does not say whether it was registered by hash, product key or tuple");
		} else if (!blank(rec->product_id)) {
			fd->severity = PF_SEV_WARN;
			pf_buf_puts(&detail, "the record has a Windows product ID: registered by it, the device matches; registered as a tuple, it does not");
		} else {
			fd->severity = PF_SEV_ERROR;
			pf_buf_puts(&detail, "the record has no hardware hash and no product ID: it can only be a tuple, which Autopilot compares exactly");
		}
	}
	pf_finding_detail(fd, "%s", detail.p ? detail.p : "");
	pf_buf_free(&what);
	pf_buf_free(&detail);
}
