/* Finds the SMBIOS entry points in the configuration table and hands the bytes to common/smbios.c. */
#include <efi.h>
#include <efilib.h>
#include "gather.h"
#include "log.h"
#include "smbios.h"

static EFI_GUID smbios3_guid = { 0xf2fd1544, 0x9794, 0x4a2c, { 0x99, 0x2e, 0xe5, 0xbb, 0xcf, 0x20, 0xe3, 0x94 } };
static EFI_GUID smbios2_guid = { 0xeb9d2d31, 0x2d88, 0x11d3, { 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d } };

static void *find_table(EFI_GUID *guid)
{
	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++)
		if (CompareGuid(&ST->ConfigurationTable[i].VendorGuid, guid) == 0)
			return ST->ConfigurationTable[i].VendorTable;
	return NULL;
}

/* Entry points are at most 0x20 bytes; the structure table is where the entry point says. */
static EFI_STATUS parse_from(void *ep, const char *name, pf_identity *id)
{
	pf_smbios_entry entry;
	const char *problem = NULL;
	pf_status st = pf_smbios_parse_entry(ep, 0x20, &entry);
	if (st != PF_OK)
		return log_error_status(efi_from_pf(st), "SMBIOS %s entry point is invalid (%s)", name, pf_status_str(st));
	if (entry.table_addr == 0 || entry.table_len == 0)
		return log_error_status(EFI_NOT_FOUND, "SMBIOS %s entry point names an empty table", name);
	st = pf_smbios_parse_table((const void *)(uintptr_t)entry.table_addr, entry.table_len, &entry, id, &problem);
	if (problem)
		log_warn("SMBIOS table (%s): %s; showing what could be read", name, problem);
	if (st != PF_OK)
		return log_error_status(efi_from_pf(st), "SMBIOS %s table could not be read", name);
	return EFI_SUCCESS;
}

EFI_STATUS gather_smbios(pf_identity *id)
{
	void *ep3 = find_table(&smbios3_guid), *ep2 = find_table(&smbios2_guid);
	EFI_STATUS err = EFI_NOT_FOUND;

	if (!ep3 && !ep2)
		return log_error_status(EFI_NOT_FOUND, "the firmware publishes no SMBIOS table");
	/* Prefer the 3.x table: it has no 64 KiB limit and newer firmware fills it first. Each failure was
	 * logged where it happened; the last one is what the caller gets. */
	if (ep3 && !EFI_ERROR((err = parse_from(ep3, "3.x", id))))
		return EFI_SUCCESS;
	if (ep2 && !EFI_ERROR((err = parse_from(ep2, "2.x", id))))
		return EFI_SUCCESS;
	return err;
}
