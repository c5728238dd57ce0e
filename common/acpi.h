/* ACPI tables read from byte buffers: the RSDP, the XSDT's entries and the FADT's Arm boot flags and hypervisor vendor. */
#ifndef PF_ACPI_H
#define PF_ACPI_H
#include "pf.h"

#define PF_ACPI_HEADER_LEN 36u        /* the System Description Table Header (ACPI 6.5, 5.2.6) */
#define PF_ACPI_RSDP_LEN 36u          /* the ACPI 2.0+ RSDP (5.2.5.3) */
#define PF_ACPI_MAX_TABLE (1u << 20)  /* no XSDT or FADT is near this: a larger length is damage */

/* FADT ARM_BOOT_ARCH (offset 129, ACPI 5.1+; table 5.11). */
#define PF_FADT_ARM_PSCI_COMPLIANT 0x1u
#define PF_FADT_ARM_PSCI_USE_HVC 0x2u

typedef struct {
	uint8_t revision;         /* the header's Revision: 5 is ACPI 5.x, 6 is 6.x */
	uint8_t minor;            /* FADT Minor Version (offset 131); 0 when the table is too short for it */
	bool has_arm_boot_arch;   /* the table reaches offset 131 */
	uint16_t arm_boot_arch;
	bool has_hypervisor;      /* the table reaches offset 276 (ACPI 6.0+) */
	uint64_t hypervisor;      /* Hypervisor Vendor Identity (offset 268); 0: none named */
} pf_fadt;

/* An ACPI 2.0+ RSDP (signature, both checksums, revision >= 2, Length 36..len): its XsdtAddress. */
pf_status pf_acpi_rsdp_xsdt(const void *buf, size_t len, uint64_t *ret_xsdt) PF_MUST_CHECK;

/* The Length a table's header claims, after checking that buf holds the header: what the caller must map to
 * hand the whole table to pf_acpi_table_check. PF_ERR_TOO_BIG over PF_ACPI_MAX_TABLE. */
pf_status pf_acpi_table_len(const void *buf, size_t len, uint32_t *ret_len) PF_MUST_CHECK;

/* A whole table of signature sig (4 characters): its Length fits in len and its bytes sum to 0. */
pf_status pf_acpi_table_check(const void *buf, size_t len, const char *sig) PF_MUST_CHECK;

/* The XSDT's entry count and its i-th 64-bit address (entries are not aligned in memory). */
pf_status pf_acpi_xsdt_entry(const void *buf, size_t len, size_t i, uint64_t *ret_addr) PF_MUST_CHECK;
size_t pf_acpi_xsdt_count(const void *buf, size_t len);

/* A checked FADT ("FACP"): the fields above, each only where the table's Length reaches it. */
pf_status pf_acpi_fadt_parse(const void *buf, size_t len, pf_fadt *ret) PF_MUST_CHECK;

/* "hvc", "smc" or "none" (not PSCI compliant) for ARM_BOOT_ARCH; NULL when the FADT has no such field. */
const char *pf_fadt_psci_conduit(const pf_fadt *f);

/* The Hypervisor Vendor Identity as text: its printable ASCII bytes, lowest first ("QEMU" for QEMU's
 * 0x554D4551), other bytes as '?'; "" when none is named. out holds at least 9 bytes. */
void pf_fadt_hypervisor_text(const pf_fadt *f, char out[9]);

#endif
