/* The chosen record's hardware hash: decode it, compare its fields with the live hardware, report it. */
#ifndef PF_RECHASH_H
#define PF_RECHASH_H

#include "records.h"

/* Decodes r->chosen->hash (when present) into r->hash and records every field that disagrees with
 * the live identity in r->mismatches; adds REC-HASH-UNDECODABLE or REC-HASH-MISMATCH. */
void pf_rechash_verify(pf_record_result *r, const pf_identity *id, pf_findings *f);
/* The "hash" member of the record object: decoded fields, or null. */
void pf_rechash_json(pf_json *j, const pf_record_result *r);
void pf_rechash_free(void *hash);

#endif
