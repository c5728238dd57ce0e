/* Model and serial strings out of ATA IDENTIFY DEVICE and NVMe Identify Controller data. */
#ifndef PF_DISKID_H
#define PF_DISKID_H

#include "pf.h"

#define PF_ATA_IDENTIFY_SIZE 512
#define PF_NVME_IDENTIFY_SIZE 4096

/* ATA: serial in words 10-19, model in words 27-46, each word's two bytes swapped, space-padded.
 * Outputs are trimmed, NUL-terminated, non-printable bytes as '?'. PF_ERR_TRUNCATED when len < 512. */
PF_MUST_CHECK pf_status pf_ata_identify_strings(const void *buf, size_t len, char *ret_model, size_t mcap,
						char *ret_serial, size_t scap);
/* NVMe: SN at bytes 4-23, MN at bytes 24-63, in byte order, space-padded. */
PF_MUST_CHECK pf_status pf_nvme_identify_strings(const void *buf, size_t len, char *ret_model, size_t mcap,
						 char *ret_serial, size_t scap);
/* SCSI INQUIRY: vendor (8-15) and product (16-31) joined by a space as the model. */
PF_MUST_CHECK pf_status pf_scsi_inquiry_model(const void *buf, size_t len, char *ret_model, size_t mcap);

#endif
