/* EFI_LOAD_OPTION (Boot####) and the device path nodes Preflight matches against an ESP. */
#ifndef PF_LOADOPT_H
#define PF_LOADOPT_H

#include "pf.h"

typedef struct {
	uint32_t attributes;
	char *description;        /* UTF-8, pool memory */
	bool has_hd;              /* a Hard Drive media node (type 4, subtype 1) */
	uint32_t partition;       /* its PartitionNumber */
	uint8_t signature[16];    /* its partition signature (GPT: the unique partition GUID) */
	char *file;               /* the File Path node's text, UTF-8 ("\EFI\Microsoft\Boot\bootmgfw.efi"), NULL without one */
} pf_load_option;

/*
 * Parses a Boot#### variable (UEFI 2.10 section 3.1.3): Attributes, FilePathListLength, the NUL-terminated
 * UCS-2 Description, then the first device path, walked node by node until its End node. Lengths are
 * never trusted beyond len; PF_ERR_INVALID or PF_ERR_TRUNCATED for a damaged option.
 */
PF_MUST_CHECK pf_status pf_load_option_parse(const void *buf, size_t len, pf_load_option *ret_opt);
void pf_load_option_free(pf_load_option *opt);

/* The Hard Drive node of a device path (as above), for the ESP's own path; false without one. */
bool pf_devpath_hd(const void *dp, size_t len, uint32_t *ret_partition, uint8_t ret_signature[16]);

/* The option points at the boot manager on the partition with this signature (file name compared
 * without regard to case). */
bool pf_load_option_is_bootmgfw(const pf_load_option *opt, const uint8_t signature[16]);

#endif
