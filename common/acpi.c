/* ACPI table parsing (ACPI 6.5 chapter 5.2): RSDP, table headers, XSDT entries, FADT fields; bounds from len only. */
#include "acpi.h"
#include "le.h"

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)pf_le32(p) | (uint64_t)pf_le32(p + 4) << 32;
}

static uint8_t byte_sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

pf_status pf_acpi_rsdp_xsdt(const void *buf, size_t len, uint64_t *ret_xsdt)
{
	const uint8_t *p = buf;
	if (!p || len < 20)
		return PF_ERR_TRUNCATED;
	if (memcmp(p, "RSD PTR ", 8) != 0 || byte_sum(p, 20) != 0)
		return PF_ERR_INVALID; /* the ACPI 1.0 checksum covers the first 20 bytes */
	if (p[15] < 2)
		return PF_ERR_UNSUPPORTED; /* ACPI 1.0: an RSDT only, never on AArch64 */
	if (len < PF_ACPI_RSDP_LEN)
		return PF_ERR_TRUNCATED;
	uint32_t length = pf_le32(p + 20);
	if (length < PF_ACPI_RSDP_LEN || length > len)
		return PF_ERR_INVALID;
	if (byte_sum(p, length) != 0)
		return PF_ERR_INVALID;
	uint64_t xsdt = le64(p + 24);
	if (xsdt == 0)
		return PF_ERR_NOT_FOUND;
	*ret_xsdt = xsdt;
	return PF_OK;
}

pf_status pf_acpi_table_len(const void *buf, size_t len, uint32_t *ret_len)
{
	const uint8_t *p = buf;
	if (!p || len < PF_ACPI_HEADER_LEN)
		return PF_ERR_TRUNCATED;
	uint32_t length = pf_le32(p + 4);
	if (length < PF_ACPI_HEADER_LEN)
		return PF_ERR_INVALID;
	if (length > PF_ACPI_MAX_TABLE)
		return PF_ERR_TOO_BIG;
	*ret_len = length;
	return PF_OK;
}

pf_status pf_acpi_table_check(const void *buf, size_t len, const char *sig)
{
	const uint8_t *p = buf;
	uint32_t length;
	pf_status st = pf_acpi_table_len(buf, len, &length);
	if (st != PF_OK)
		return st;
	if (memcmp(p, sig, 4) != 0)
		return PF_ERR_NOT_FOUND;
	if (length > len)
		return PF_ERR_TRUNCATED;
	return byte_sum(p, length) == 0 ? PF_OK : PF_ERR_INVALID;
}

/* Only for a table pf_acpi_table_check accepted: its Length is then within len. */
static size_t checked_len(const void *buf, size_t len)
{
	uint32_t length;
	if (pf_acpi_table_len(buf, len, &length) != PF_OK || length > len)
		return 0;
	return length;
}

size_t pf_acpi_xsdt_count(const void *buf, size_t len)
{
	size_t n = checked_len(buf, len);
	return n < PF_ACPI_HEADER_LEN ? 0 : (n - PF_ACPI_HEADER_LEN) / 8;
}

pf_status pf_acpi_xsdt_entry(const void *buf, size_t len, size_t i, uint64_t *ret_addr)
{
	if (i >= pf_acpi_xsdt_count(buf, len))
		return PF_ERR_NOT_FOUND;
	*ret_addr = le64((const uint8_t *)buf + PF_ACPI_HEADER_LEN + 8 * i);
	return PF_OK;
}

pf_status pf_acpi_fadt_parse(const void *buf, size_t len, pf_fadt *ret)
{
	pf_status st = pf_acpi_table_check(buf, len, "FACP");
	if (st != PF_OK)
		return st;
	const uint8_t *p = buf;
	size_t n = checked_len(buf, len);
	pf_fadt f = { .revision = p[8] };
	/* ARM_BOOT_ARCH is 2 bytes at 129, the minor version 1 byte at 131 (ACPI 5.1, table 5.34). */
	if (n >= 132) {
		f.has_arm_boot_arch = true;
		f.arm_boot_arch = pf_le16(p + 129);
		f.minor = p[131];
	}
	/* Hypervisor Vendor Identity, 8 bytes at 268 (ACPI 6.0). */
	if (n >= 276) {
		f.has_hypervisor = true;
		f.hypervisor = le64(p + 268);
	}
	*ret = f;
	return PF_OK;
}

const char *pf_fadt_psci_conduit(const pf_fadt *f)
{
	if (!f->has_arm_boot_arch)
		return NULL;
	if (!(f->arm_boot_arch & PF_FADT_ARM_PSCI_COMPLIANT))
		return "none";
	return f->arm_boot_arch & PF_FADT_ARM_PSCI_USE_HVC ? "hvc" : "smc";
}

void pf_fadt_hypervisor_text(const pf_fadt *f, char out[9])
{
	size_t n = 0;
	uint64_t v = f->has_hypervisor ? f->hypervisor : 0;
	/* The identity is a number; vendors spell a name in its bytes, lowest first, zero-padded above. */
	for (int i = 0; i < 8 && v >> (8 * i); i++) {
		uint8_t c = (uint8_t)(v >> (8 * i));
		out[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out[n] = '\0';
}
