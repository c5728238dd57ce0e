/* Writes the JSON and text reports and the ledger row onto the boot volume. */
#ifndef PF_EFI_REPORT_IO_H
#define PF_EFI_REPORT_IO_H

#include <efi.h>
#include "run.h"

/* Writes everything; on success ret_path gets the JSON report's path (for the result line). On
 * failure nothing is left under a final name, and the caller shows the verdict anyway. */
EFI_STATUS report_write_all(EFI_FILE *root, const pf_run *run, char *ret_path, size_t cap);

#endif
