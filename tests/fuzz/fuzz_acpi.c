/* libFuzzer target: ACPI tables as efi/acpi.c hands them over (RSDP, any table header, XSDT entries, FADT). */
#include "fuzzutil.h"
#include "acpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	uint64_t addr;
	uint32_t len;
	pf_fadt f;
	char hv[9];
	if (!buf)
		return 0;
	(void)!pf_acpi_rsdp_xsdt(buf, size, &addr);
	(void)!pf_acpi_table_len(buf, size, &len);
	for (size_t i = 0, n = pf_acpi_xsdt_count(buf, size); i < n && i < 64; i++)
		(void)!pf_acpi_xsdt_entry(buf, size, i, &addr);
	if (pf_acpi_fadt_parse(buf, size, &f) == PF_OK) {
		(void)pf_fadt_psci_conduit(&f);
		pf_fadt_hypervisor_text(&f, hv);
	}
	pf_free(buf);
	return 0;
}
