/* The registration file for a device without an Autopilot record: the columns OEM/partner registration reads. */
#ifndef PF_REGISTER_H
#define PF_REGISTER_H

#include "buf.h"
#include "run.h"

/* The OEM/partner (and Intune import) CSV header; Windows Product ID and Hardware Hash stay empty:
 * only Windows can compute the hash, and the firmware's product key is never written. */
#define PF_REGISTER_HEADER "Device Serial Number,Windows Product ID,Hardware Hash,Manufacturer name,Device model\n"

/* True when the run found no record for a device with a usable serial (REC-NOT-FOUND without
 * ID-SERIAL-MISSING or ID-SERIAL-PLACEHOLDER): registering by serial makes sense. */
bool pf_register_wanted(const pf_run *run);
/* One row for this device: serial, "", "", manufacturer, model (SMBIOS, trimmed, RFC 4180 quoted). */
void pf_register_row(const pf_run *run, pf_buf *out);
/* The per-device file name: "<serial as in report names>-register.csv". */
void pf_register_name(const pf_run *run, char *buf, size_t cap);
/* True when csv (an unregistered.csv) already has a row whose first field is this device's serial. */
bool pf_register_listed(const pf_run *run, const char *csv, size_t len);

#endif
