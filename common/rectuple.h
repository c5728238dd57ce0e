/* Tuple registrations are exact: a record that matches SMBIOS only after tolerance, said as REC-TUPLE-SPELLING. */
#ifndef PF_RECTUPLE_H
#define PF_RECTUPLE_H

#include "findings.h"
#include "identity.h"
#include "records.h"

/* How a record's value compares with what the device reports. */
typedef enum {
	PF_SPELL_EXACT,     /* the same bytes, surrounding white space aside */
	PF_SPELL_CASE,      /* differs in ASCII case only */
	PF_SPELL_SPACING,   /* differs in case and inner white space only */
	PF_SPELL_TOLERANT,  /* equal only after punctuation, legal suffix or alias (manufacturers) */
	PF_SPELL_OTHER_FIELD, /* the model equals SMBIOS version or family, not the product name */
	PF_SPELL_DIFFERENT, /* not equal even with tolerance: the *-MISMATCH findings say so */
} pf_spelling;

/* The record manufacturer against SMBIOS type 1 manufacturer. */
pf_spelling pf_spelling_manufacturer(const char *record, const char *smbios);
/* The record model against SMBIOS type 1 product name (what Windows reports as the model), then
 * version and family through pf_model_match. */
pf_spelling pf_spelling_model(const char *record, const pf_identity *id);
const char *pf_spelling_str(pf_spelling s);

/* Adds REC-TUPLE-SPELLING when rec's manufacturer or model equals SMBIOS only after tolerance:
 * info when the record carries a hardware hash (Autopilot matches the hash), warn for a Graph
 * record or one with a Windows product ID (registered by hash or PKID, or unknown), error for a
 * tuple-only record (serial, manufacturer, model), which Autopilot compares exactly. */
void pf_rectuple_check(const pf_record *rec, const pf_identity *id, pf_findings *f);

#endif
