/* SMBIOS entry points (_SM_ 2.x, _SM3_ 3.x) and the structure table, parsed defensively into pf_identity. */
#ifndef PF_SMBIOS_H
#define PF_SMBIOS_H

#include "identity.h"

typedef struct {
	bool is3;             /* _SM3_ */
	uint8_t major, minor; /* SMBIOS version the entry point announces */
	uint64_t table_addr;
	uint32_t table_len;   /* 2.x: exact length; 3.x: maximum size */
	uint16_t n_structs;   /* 2.x only; 0 = unknown */
} pf_smbios_entry;

/* Checks anchor, length and checksums of an entry point within buf[0..len). */
PF_MUST_CHECK pf_status pf_smbios_parse_entry(const void *buf, size_t len, pf_smbios_entry *ret);

/*
 * Walks the structure table buf[0..len) and fills id's SMBIOS fields (types 0, 1, 2, 3; the first of
 * each). Never reads past len. A damaged table stops the walk: what was read so far stays in id and
 * *ret_problem (when not NULL) names the damage; it is left alone when the table is clean.
 * Returns PF_OK when at least the table's first structure could be read, PF_ERR_INVALID otherwise,
 * PF_ERR_NOMEM when a string could not be copied.
 */
PF_MUST_CHECK pf_status pf_smbios_parse_table(const void *buf, size_t len, const pf_smbios_entry *entry,
                                              pf_identity *id, const char **ret_problem);

/* Windows' form of an SMBIOS UUID: first three fields little-endian, upper-case hex. out: 37 bytes. */
void pf_smbios_uuid_str(const uint8_t raw[16], char out[37]);

#endif
