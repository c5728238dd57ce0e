/* The facts efi/ gathers from firmware into common/'s plain structs, one function per source. */
#ifndef PF_EFI_GATHER_H
#define PF_EFI_GATHER_H

#include <efi.h>
#include "bootsrc.h"
#include "identity.h"
#include "records.h"
#include "bootmgr.h"
#include "secboot.h"

/* Connects every driver to every controller so that NICs, disks and the TPM show up. */
void gather_connect_all(void);
/* SMBIOS identity from the 3.x entry point, else the 2.x one. */
EFI_STATUS gather_smbios(pf_identity *id);
/* The CPU's hypervisor signal: CPUID hypervisor bit and vendor (x86-64), MIDR implementer 0 (AArch64). */
EFI_STATUS gather_hypervisor(pf_identity *id);
/* The ACPI FADT's PSCI conduit (AArch64) and Hypervisor Vendor Identity, for the VM signals. */
EFI_STATUS gather_acpi(pf_identity *id);
/* The system table's FirmwareVendor: the firmware build's own name, which SMBIOS settings do not change. */
EFI_STATUS gather_firmware_vendor(pf_identity *id);
/* Secure Boot mode variables, PK/KEK/db/dbx parsed, and whether shim started Preflight. Fills what it can
 * and returns the first failure (each one logged where it happened). */
EFI_STATUS gather_secboot(pf_secboot *sb);

/* The installed Windows: the boot manager on the first internal EFI System Partition that holds one,
 * read only, judged against sb; bm->n_esps counts the internal ESPs seen. EFI_SUCCESS with
 * bm->found false when there is none. */
EFI_STATUS gather_windows(EFI_HANDLE image, const pf_secboot *sb, pf_bootmgr *bm);

/* Network adapters (MAC, media, wireless), de-duplicated by MAC. */
EFI_STATUS gather_nics(pf_identity *id);
/* Internal disks' model and serial (ATA IDENTIFY, NVMe identify controller); the stick is marked. */
EFI_STATUS gather_disks(EFI_HANDLE image, pf_identity *id);
/* TPM presence, version, manufacturer, firmware, EK certificate; bounded by a watchdog. */
EFI_STATUS gather_tpm(pf_identity *id);

/* Where the image was loaded from (its device handle's path: PXE, HTTP boot, HTTP boot's RAM disk, a
 * stick) and whether that handle has a file system. */
EFI_STATUS gather_boot_source(EFI_HANDLE image, pf_boot_source *ret_src, bool *ret_has_fs);

/* Every .csv and .json file in dir (on the boot volume) streamed into the collection r. */
EFI_STATUS gather_records(EFI_FILE *root, const char *dir, pf_record_result *r);

#endif
