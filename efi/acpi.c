/* The ACPI tables from the configuration table: RSDP, XSDT, FADT handed to common/acpi.c for the VM signals. */
#include <efi.h>
#include <efilib.h>
#include "acpi.h"
#include "gather.h"
#include "log.h"

static EFI_GUID acpi20_guid = { 0x8868e871, 0xe4f1, 0x11d3, { 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 } };

/* Firmware tables are identity-mapped in boot services: an address is a pointer. The header is read first
 * (36 bytes, always there when the address is right) for the Length; the whole table is then checked. */
static EFI_STATUS table_at(uint64_t addr, const char *sig, const uint8_t **ret_p, uint32_t *ret_len)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)addr;
	uint32_t len;
	pf_status st;

	if (addr == 0)
		return log_error_status(EFI_NOT_FOUND, "ACPI: a null table address");
	if ((st = pf_acpi_table_len(p, PF_ACPI_HEADER_LEN, &len)) != PF_OK)
		return log_error_status(efi_from_pf(st), "ACPI table at 0x%lx: bad header (%s)", (unsigned long)addr,
		                        pf_status_str(st));
	if ((st = pf_acpi_table_check(p, len, sig)) != PF_OK)
		return st == PF_ERR_NOT_FOUND ? EFI_NOT_FOUND :
		       log_error_status(efi_from_pf(st), "ACPI %s at 0x%lx is damaged (%s)", sig, (unsigned long)addr,
		                        pf_status_str(st));
	*ret_p = p;
	*ret_len = len;
	return EFI_SUCCESS;
}

EFI_STATUS gather_acpi(pf_identity *id)
{
	const uint8_t *xsdt = NULL;
	uint32_t xsdt_len = 0;
	uint64_t addr;
	pf_status st;
	EFI_STATUS err;
	void *rsdp = NULL;

	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++)
		if (CompareGuid(&ST->ConfigurationTable[i].VendorGuid, &acpi20_guid) == 0)
			rsdp = ST->ConfigurationTable[i].VendorTable;
	if (!rsdp)
		return log_error_status(EFI_NOT_FOUND, "the firmware publishes no ACPI 2.0 table");
	if ((st = pf_acpi_rsdp_xsdt(rsdp, PF_ACPI_RSDP_LEN, &addr)) != PF_OK)
		return log_error_status(efi_from_pf(st), "ACPI RSDP: %s", pf_status_str(st));
	if (EFI_ERROR((err = table_at(addr, "XSDT", &xsdt, &xsdt_len))))
		return err == EFI_NOT_FOUND ? log_error_status(err, "ACPI: the RSDP's XsdtAddress is not an XSDT") : err;
	for (size_t i = 0, n = pf_acpi_xsdt_count(xsdt, xsdt_len); i < n; i++) {
		const uint8_t *t;
		uint32_t len;
		pf_fadt f;
		if (pf_acpi_xsdt_entry(xsdt, xsdt_len, i, &addr) != PF_OK)
			break;
		if (EFI_ERROR(table_at(addr, "FACP", &t, &len)))
			continue; /* another table, or a damaged one (logged): the FADT may still follow */
		if ((st = pf_acpi_fadt_parse(t, len, &f)) != PF_OK)
			return log_error_status(efi_from_pf(st), "ACPI FADT: %s", pf_status_str(st));
		pf_fadt_hypervisor_text(&f, id->acpi_hypervisor);
#if defined(__aarch64__)
		id->acpi_psci = pf_fadt_psci_conduit(&f); /* x86's FADT has the field too, always 0: meaningless there */
#endif
		id->acpi_read = true;
		return EFI_SUCCESS;
	}
	return log_error_status(EFI_NOT_FOUND, "ACPI: the XSDT lists no FADT");
}
