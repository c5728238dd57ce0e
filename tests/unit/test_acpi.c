/* ACPI tables built byte by byte from the specification's offsets: RSDP, XSDT, FADT Arm boot flags, damage. */
#include "testutil.h"
#include "acpi.h"

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The checksum byte (offset 9 in a table header) that makes the first n bytes sum to 0. */
static void fix_sum(uint8_t *p, size_t n, size_t at)
{
	uint8_t s = 0;
	p[at] = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	p[at] = (uint8_t)(0x100 - s);
}

static size_t header(uint8_t *p, const char *sig, uint32_t length, uint8_t revision)
{
	memset(p, 0, length);
	memcpy(p, sig, 4);
	put_le(p + 4, length, 4);
	p[8] = revision;
	memcpy(p + 10, "PFTEST", 6);
	return length;
}

/* A FADT as QEMU's virt machine and AArch64 firmware build it: hardware-reduced, ARM_BOOT_ARCH at 129. */
static size_t fadt(uint8_t *p, uint32_t length, uint16_t arm_boot_arch, uint64_t hypervisor)
{
	header(p, "FACP", length, length >= 276 ? 6 : 5);
	put_le(p + 112, 1u << 20, 4); /* HW_REDUCED_ACPI */
	if (length >= 132) {
		put_le(p + 129, arm_boot_arch, 2);
		p[131] = 3;
	}
	if (length >= 276)
		put_le(p + 268, hypervisor, 8);
	fix_sum(p, length, 9);
	return length;
}

static void test_fadt_conduits(void **state)
{
	(void)state;
	uint8_t b[300];
	pf_fadt f;
	char hv[9];

	fadt(b, 276, PF_FADT_ARM_PSCI_COMPLIANT | PF_FADT_ARM_PSCI_USE_HVC, 0x554D4551);
	assert_int_equal(pf_acpi_fadt_parse(b, 276, &f), PF_OK);
	assert_true(f.has_arm_boot_arch);
	assert_int_equal(f.arm_boot_arch, 3);
	assert_int_equal(f.minor, 3);
	assert_int_equal(f.revision, 6);
	assert_string_equal(pf_fadt_psci_conduit(&f), "hvc");
	pf_fadt_hypervisor_text(&f, hv);
	assert_string_equal(hv, "QEMU");

	fadt(b, 276, PF_FADT_ARM_PSCI_COMPLIANT, 0);
	assert_int_equal(pf_acpi_fadt_parse(b, sizeof(b), &f), PF_OK); /* a buffer longer than the table */
	assert_string_equal(pf_fadt_psci_conduit(&f), "smc");
	pf_fadt_hypervisor_text(&f, hv);
	assert_string_equal(hv, "");

	/* HVC without PSCI_COMPLIANT: no PSCI at all, whatever the second bit says. */
	fadt(b, 276, PF_FADT_ARM_PSCI_USE_HVC, 0);
	assert_int_equal(pf_acpi_fadt_parse(b, 276, &f), PF_OK);
	assert_string_equal(pf_fadt_psci_conduit(&f), "none");

	/* ACPI 5.1's 268-byte FADT: the flags, no hypervisor field. */
	fadt(b, 268, PF_FADT_ARM_PSCI_COMPLIANT | PF_FADT_ARM_PSCI_USE_HVC, 0);
	assert_int_equal(pf_acpi_fadt_parse(b, 268, &f), PF_OK);
	assert_false(f.has_hypervisor);
	assert_string_equal(pf_fadt_psci_conduit(&f), "hvc");

	/* An x86 ACPI 2.0 FADT (244 bytes) reaches 131; one of ACPI 1.0 (116) does not. */
	fadt(b, 116, 0, 0);
	assert_int_equal(pf_acpi_fadt_parse(b, 116, &f), PF_OK);
	assert_false(f.has_arm_boot_arch);
	assert_null(pf_fadt_psci_conduit(&f));

	/* Bytes that are not printable come out as '?'. */
	fadt(b, 276, 1, 0x00ff4142);
	assert_int_equal(pf_acpi_fadt_parse(b, 276, &f), PF_OK);
	pf_fadt_hypervisor_text(&f, hv);
	assert_string_equal(hv, "BA?");
}

static void test_fadt_damaged(void **state)
{
	(void)state;
	uint8_t b[276];
	pf_fadt f = { .revision = 99 };

	fadt(b, 276, 3, 0);
	b[200] ^= 1; /* one bit: the sum is off */
	assert_int_equal(pf_acpi_fadt_parse(b, 276, &f), PF_ERR_INVALID);
	assert_int_equal(f.revision, 99); /* untouched on failure */

	fadt(b, 276, 3, 0);
	memcpy(b, "APIC", 4);
	assert_int_equal(pf_acpi_fadt_parse(b, 276, &f), PF_ERR_NOT_FOUND);

	fadt(b, 276, 3, 0);
	assert_int_equal(pf_acpi_fadt_parse(b, 275, &f), PF_ERR_TRUNCATED); /* Length says more than there is */
	assert_int_equal(pf_acpi_fadt_parse(b, 35, &f), PF_ERR_TRUNCATED);
	assert_int_equal(pf_acpi_fadt_parse(NULL, 0, &f), PF_ERR_TRUNCATED);

	fadt(b, 276, 3, 0);
	put_le(b + 4, 20, 4); /* shorter than its own header */
	assert_int_equal(pf_acpi_fadt_parse(b, 276, &f), PF_ERR_INVALID);
	put_le(b + 4, 0xffffffffu, 4);
	assert_int_equal(pf_acpi_fadt_parse(b, 276, &f), PF_ERR_TOO_BIG);

	/* Every cut of a valid table is refused, never read past. */
	fadt(b, 276, 3, 0x554D4551);
	for (size_t n = 0; n < 276; n++) {
		uint8_t *cut = malloc(n ? n : 1);
		assert_non_null(cut);
		memcpy(cut, b, n);
		assert_int_not_equal(pf_acpi_fadt_parse(cut, n, &f), PF_OK);
		free(cut);
	}
}

static size_t rsdp(uint8_t *p, uint8_t revision, uint64_t xsdt)
{
	memset(p, 0, 36);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "PFTEST", 6);
	p[15] = revision;
	put_le(p + 16, 0x1000, 4);
	put_le(p + 20, 36, 4);
	put_le(p + 24, xsdt, 8);
	fix_sum(p, 20, 8);
	fix_sum(p, 36, 32);
	return 36;
}

static void test_rsdp(void **state)
{
	(void)state;
	uint8_t b[36];
	uint64_t x = 7;

	rsdp(b, 2, 0x43dfe0098ull);
	assert_int_equal(pf_acpi_rsdp_xsdt(b, 36, &x), PF_OK);
	assert_int_equal(x, 0x43dfe0098ull);

	rsdp(b, 0, 0x1000);
	x = 7;
	assert_int_equal(pf_acpi_rsdp_xsdt(b, 36, &x), PF_ERR_UNSUPPORTED);
	assert_int_equal(x, 7);

	rsdp(b, 2, 0);
	assert_int_equal(pf_acpi_rsdp_xsdt(b, 36, &x), PF_ERR_NOT_FOUND);

	rsdp(b, 2, 0x1000);
	b[33] ^= 0x10; /* only the extended checksum covers byte 33 */
	assert_int_equal(pf_acpi_rsdp_xsdt(b, 36, &x), PF_ERR_INVALID);

	rsdp(b, 2, 0x1000);
	b[0] = 'r';
	assert_int_equal(pf_acpi_rsdp_xsdt(b, 36, &x), PF_ERR_INVALID);

	rsdp(b, 2, 0x1000);
	assert_int_equal(pf_acpi_rsdp_xsdt(b, 35, &x), PF_ERR_TRUNCATED);
	assert_int_equal(pf_acpi_rsdp_xsdt(b, 19, &x), PF_ERR_TRUNCATED);
	put_le(b + 20, 40, 4); /* a Length past the buffer */
	fix_sum(b, 36, 32);
	assert_int_equal(pf_acpi_rsdp_xsdt(b, 36, &x), PF_ERR_INVALID);
}

static void test_xsdt(void **state)
{
	(void)state;
	uint8_t b[36 + 3 * 8 + 4];
	uint64_t a = 0;

	header(b, "XSDT", 36 + 3 * 8 + 4, 1); /* 4 stray bytes after the entries: not an entry */
	for (int i = 0; i < 3; i++)
		put_le(b + 36 + 8 * i, 0x40000000ull + 0x1000ull * (uint64_t)i + 0x100000000ull, 8);
	fix_sum(b, sizeof(b), 9);
	assert_int_equal(pf_acpi_table_check(b, sizeof(b), "XSDT"), PF_OK);
	assert_int_equal(pf_acpi_xsdt_count(b, sizeof(b)), 3);
	assert_int_equal(pf_acpi_xsdt_entry(b, sizeof(b), 2, &a), PF_OK);
	assert_int_equal(a, 0x140002000ull);
	assert_int_equal(pf_acpi_xsdt_entry(b, sizeof(b), 3, &a), PF_ERR_NOT_FOUND);
	/* A buffer shorter than the Length: no entries at all. */
	assert_int_equal(pf_acpi_xsdt_count(b, sizeof(b) - 1), 0);
	assert_int_equal(pf_acpi_table_check(b, sizeof(b), "RSDT"), PF_ERR_NOT_FOUND);

	uint32_t len = 0;
	assert_int_equal(pf_acpi_table_len(b, 36, &len), PF_OK);
	assert_int_equal(len, sizeof(b));
	assert_int_equal(pf_acpi_table_len(b, 35, &len), PF_ERR_TRUNCATED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fadt_conduits),
		cmocka_unit_test(test_fadt_damaged),
		cmocka_unit_test(test_rsdp),
		cmocka_unit_test(test_xsdt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
