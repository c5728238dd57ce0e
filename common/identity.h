/* Plain structs for what efi/ learns about the machine: SMBIOS identity, Secure Boot, TPM, NICs, disks. */
#ifndef PF_IDENTITY_H
#define PF_IDENTITY_H

#include "pf.h"

/* A tri-state for facts that may not be readable: report writers print null for PF_UNKNOWN. */
typedef enum { PF_UNKNOWN = -1, PF_NO = 0, PF_YES = 1 } pf_tri;

typedef struct {
	char *mac;      /* "52:54:00:12:34:56" */
	pf_tri wireless;
	pf_tri media;
	bool used;      /* chosen for the network checks */
} pf_nic;

typedef struct {
	char *model;
	char *serial;
	char *bus;      /* "nvme", "ata", "virtio", ... or NULL */
	bool boot_media;
} pf_disk;

typedef struct {
	pf_tri present;
	char *version;          /* "2.0", "1.2" or NULL */
	char *manufacturer;     /* vendor id as text, e.g. "IBM" or "INTC" */
	char *firmware_version;
	pf_tri ek_certificate;
	char *ek_issuer;
	char *ek_subject;
	char *ek_pub_sha256;    /* hex */
	char *pcr_banks;        /* hash algorithms the TPM supports, "sha1,sha256" */
	char *active_pcr_banks; /* the banks the firmware extends */
} pf_tpm;

/* Every string is owned (pf_malloc) or NULL when it could not be read; NULL is reported as null. */
typedef struct {
	/* SMBIOS type 0 */
	char *bios_vendor;
	char *bios_version;
	/* SMBIOS type 1 */
	char *manufacturer;
	char *product;
	char *version;
	char *serial;
	char *uuid;             /* Windows form: first three fields little-endian */
	uint8_t uuid_raw[16];   /* bytes as stored in the table */
	bool has_uuid;
	char *sku;
	char *family;
	/* SMBIOS type 2 */
	char *baseboard_manufacturer;
	char *baseboard_product;
	char *baseboard_version;
	char *baseboard_serial;
	/* SMBIOS type 3 */
	int chassis_type;       /* SMBIOS code without the lock bit, -1 unknown */
	char *chassis_serial;
	/* SMBIOS itself */
	char *smbios_version;   /* "3.0", "2.8"; NULL when no table was found */
	char *smbios_entry;     /* "_SM3_" or "_SM_" */
	char *firmware_vendor;  /* the UEFI system table's FirmwareVendor (independent of SMBIOS strings) */
	const char *processor_arch; /* "x64" or "arm64": the build that runs (a constant, not owned); NULL unknown */

	char *hypervisor;       /* x86-64: CPUID leaf 0x40000000 vendor when the hypervisor bit is set; AArch64:
	                         * "MIDR implementer 0 (software CPU model)"; else NULL (efi/cpu.c) */
	/* The ACPI FADT (efi/acpi.c, common/acpi.c): PSCI conduit ("hvc", "smc", "none"; AArch64 only, a
	 * constant) and the Hypervisor Vendor Identity's text ("" when the table names none). */
	const char *acpi_psci;
	char acpi_hypervisor[9];
	bool acpi_read;         /* false: both are reported as null */
	pf_tri virtual_machine;
	char *virtual_machine_reason; /* which string said so */
	pf_tri secure_boot;
	pf_tpm tpm;
	pf_nic *nics;
	size_t n_nics;
	bool nics_read;         /* false: nics is reported as null */
	pf_disk *disks;
	size_t n_disks;
	bool disks_read;
} pf_identity;

void pf_identity_init(pf_identity *id);
void pf_identity_free(pf_identity *id);

#endif
