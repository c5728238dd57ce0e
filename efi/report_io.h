/* Writes the JSON and text reports and the ledger row onto the boot volume. */
#ifndef PF_EFI_REPORT_IO_H
#define PF_EFI_REPORT_IO_H

#include <efi.h>
#include "run.h"

/* Before the reports are made: judges report.dir\ledger.csv and cuts off a torn last row (a run cut
 * short by a power loss or a pulled stick) so the new row follows whole rows; ret_note says what
 * was found and done (state UNUSABLE for a folder or an unreadable file: no row is then added). */
EFI_STATUS report_ledger_prepare(EFI_FILE *root, const char *dir, pf_ledger_note *ret_note);
/* REC-NOT-FOUND with a usable serial: writes report.dir\<serial>-register.csv (once per device) and adds
 * the device to report.dir\unregistered.csv (once per serial), before the reports that name them; the
 * outcome goes into run->register_*. */
void report_write_registration(EFI_FILE *root, pf_run *run);
/* Writes everything; on success ret_path gets the JSON report's path (for the result line). On
 * failure nothing is left under a final name, and the caller shows the verdict anyway. */
EFI_STATUS report_write_all(EFI_FILE *root, const pf_run *run, bool with_ledger, char *ret_name, size_t name_cap,
			    char *ret_path, size_t cap);
/* After the upload: the two reports again under the same name (ret_name of report_write_all), then
 * the ledger row. */
EFI_STATUS report_finish(EFI_FILE *root, const pf_run *run, const char *name);

#endif
