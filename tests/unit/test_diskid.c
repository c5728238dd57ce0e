/* ATA, NVMe and SCSI identity strings, from buffers laid out as the devices answer. */
#include "testutil.h"
#include "diskid.h"

/* Stores s space-padded into an ATA word field with each pair swapped, as drives do. */
static void ata_put(uint8_t *id, size_t byte_off, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++) {
		char c = i < strlen(s) ? s[i] : ' ';
		id[byte_off + (i ^ 1)] = (uint8_t)c;
	}
}

static void test_ata(void **state)
{
	(void)state;
	uint8_t id[512] = { 0 };
	ata_put(id, 20, 20, "  QM00005");
	ata_put(id, 54, 40, "QEMU HARDDISK");
	char model[41], serial[21];
	assert_int_equal(pf_ata_identify_strings(id, sizeof(id), model, sizeof(model), serial, sizeof(serial)), PF_OK);
	assert_string_equal(model, "QEMU HARDDISK");
	assert_string_equal(serial, "QM00005");
	/* 20 characters exactly, odd length model. */
	ata_put(id, 20, 20, "ABCDEFGHIJ0123456789");
	ata_put(id, 54, 40, "Samsung SSD 870 EVO 1TB");
	assert_int_equal(pf_ata_identify_strings(id, sizeof(id), model, sizeof(model), serial, sizeof(serial)), PF_OK);
	assert_string_equal(serial, "ABCDEFGHIJ0123456789");
	assert_string_equal(model, "Samsung SSD 870 EVO 1TB");
	/* Small output buffers cut, never overflow. */
	char small[5];
	assert_int_equal(pf_ata_identify_strings(id, sizeof(id), small, sizeof(small), serial, sizeof(serial)), PF_OK);
	assert_string_equal(small, "Sams");
	assert_int_equal(pf_ata_identify_strings(id, 511, model, sizeof(model), serial, sizeof(serial)), PF_ERR_TRUNCATED);
}

static void test_nvme(void **state)
{
	(void)state;
	uint8_t *id = calloc(1, 4096);
	memcpy(id + 4, "NVME-SERIAL-42      ", 20);
	memcpy(id + 24, "QEMU NVMe Ctrl                          ", 40);
	char model[41], serial[21];
	assert_int_equal(pf_nvme_identify_strings(id, 4096, model, sizeof(model), serial, sizeof(serial)), PF_OK);
	assert_string_equal(serial, "NVME-SERIAL-42");
	assert_string_equal(model, "QEMU NVMe Ctrl");
	id[5] = 0x01; /* control byte */
	assert_int_equal(pf_nvme_identify_strings(id, 64, model, sizeof(model), serial, sizeof(serial)), PF_OK);
	assert_string_equal(serial, "N?ME-SERIAL-42");
	assert_int_equal(pf_nvme_identify_strings(id, 63, model, sizeof(model), serial, sizeof(serial)), PF_ERR_TRUNCATED);
	free(id);
}

static void test_scsi(void **state)
{
	(void)state;
	uint8_t inq[36] = { 0 };
	memcpy(inq + 8, "SanDisk ", 8);
	memcpy(inq + 16, "Cruzer Blade    ", 16);
	char model[32];
	assert_int_equal(pf_scsi_inquiry_model(inq, sizeof(inq), model, sizeof(model)), PF_OK);
	assert_string_equal(model, "SanDisk Cruzer Blade");
	assert_int_equal(pf_scsi_inquiry_model(inq, 31, model, sizeof(model)), PF_ERR_TRUNCATED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ata),
		cmocka_unit_test(test_nvme),
		cmocka_unit_test(test_scsi),
	};
	return cmocka_run_group_tests_name("diskid", tests, NULL, NULL);
}
