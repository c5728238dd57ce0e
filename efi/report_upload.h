/* The JSON report's upload to an Azure Blob container (efi/report_upload.c, docs/upload.md). */
#ifndef PF_EFI_REPORT_UPLOAD_H
#define PF_EFI_REPORT_UPLOAD_H

#include <efi.h>
#include "run.h"

/* report.upload_url or report.upload_sas_file is set. */
bool report_upload_configured(const pf_config *c);

/*
 * PUTs the JSON report as written on the stick (report.dir\name.json), or with from_memory (no volume
 * to write: a PXE boot; root then only gives the SAS file) as rendered now followed by the ledger row
 * as name.ledger.csv, to the container as the block blob name.json, through the network phase's adapter and TLS checks: each attempt bounded by
 * network.timeout_ms, one retry on 5xx or no answer (after Retry-After on 503/429, within the same
 * bound). The outcome goes into run->upload and a finding (REPORT-UPLOADED, REPORT-UPLOAD-FAILED,
 * REPORT-UPLOAD-SAS-BROAD). Without a network address nothing is attempted. The SAS signature is
 * never printed; every buffer that held it is wiped.
 */
void report_upload(EFI_FILE *root, pf_run *run, const char *name, bool from_memory);

#endif
