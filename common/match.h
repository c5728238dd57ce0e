/* Comparison rules between a device record and the live identity: serial, manufacturer, model. */
#ifndef PF_MATCH_H
#define PF_MATCH_H

#include "identity.h"
#include "str.h"

/* Serials: equal after trimming surrounding white space and ASCII case-folding. */
bool pf_serial_eq(pf_span a, pf_span b);

/* Manufacturers: case, punctuation (. , ( )), repeated spaces and a trailing legal suffix
 * ("Inc.", "Corporation", "Co., Ltd.", "GmbH", ...) are ignored, and a small alias table maps
 * names OEMs use interchangeably ("HP" and "Hewlett-Packard"). */
bool pf_vendor_eq(pf_span a, pf_span b);

/* Case-folded comparison that treats any run of white space as one space and ignores the ends; two empty
 * strings are not equal. */
bool pf_loose_eq(pf_span a, pf_span b);

/* Which live field a record's model matched, or NULL when none did. Models are compared after
 * case-folding and collapsing white space, against SMBIOS product, then version (Lenovo keeps the
 * marketing name there), then family. */
const char *pf_model_match(pf_span model, const pf_identity *id);

/* Normalised form used by pf_vendor_eq, written to out (for messages and tests). */
void pf_vendor_normalise(pf_span s, char *out, size_t cap);

#endif
