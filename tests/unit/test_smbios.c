/* SMBIOS parser on crafted tables: good 2.x and 3.x entry points, and every kind of broken table. */
#include "testutil.h"
#include "smbios.h"

/* A table under construction: structures appended with their string-sets. */
typedef struct {
	uint8_t b[4096];
	size_t n;
} table;

static void add(table *t, uint8_t type, const uint8_t *formatted, uint8_t flen, const char *const *strings)
{
	uint8_t *s = t->b + t->n;
	s[0] = type;
	s[1] = (uint8_t)(4 + flen);
	s[2] = (uint8_t)t->n;
	s[3] = 0;
	if (flen)
		memcpy(s + 4, formatted, flen);
	t->n += 4u + flen;
	bool any = false;
	for (; strings && *strings; strings++) {
		size_t l = strlen(*strings);
		memcpy(t->b + t->n, *strings, l + 1);
		t->n += l + 1;
		any = true;
	}
	if (!any)
		t->b[t->n++] = 0;
	t->b[t->n++] = 0;
}

/* Type 1 with all strings and the UUID 00112233-4455-6677-8899-AABBCCDDEEFF as stored bytes. */
static void add_system(table *t, const char *serial)
{
	uint8_t f[0x1B - 4] = { 0 };
	f[0] = 1, f[1] = 2, f[2] = 3, f[3] = serial ? 4 : 0;
	for (int i = 0; i < 16; i++)
		f[4 + i] = (uint8_t)(i * 0x11);
	f[0x19 - 4] = 5, f[0x1A - 4] = 6;
	const char *strs[] = { "Contoso", "Book 14", "Rev A", serial ? serial : "unused", "SKU-1", "Family X", NULL };
	add(t, 1, f, sizeof(f), strs);
}

static void add_end(table *t) { add(t, 127, NULL, 0, NULL); }

static pf_identity parse(const table *t, size_t len, pf_status want, const char **problem)
{
	pf_identity id;
	pf_identity_init(&id);
	*problem = NULL;
	pf_smbios_entry e = { .major = 3, .minor = 4, .is3 = true };
	assert_int_equal(pf_smbios_parse_table(t->b, len, &e, &id, problem), want);
	return id;
}

static void test_good_table(void **state)
{
	(void)state;
	table t = { 0 };
	uint8_t bios[] = { 1, 2, 0, 0 };
	const char *bstr[] = { "Vendor", "1.2.3", NULL };
	add(&t, 0, bios, sizeof(bios), bstr);
	add_system(&t, "SN-123");
	uint8_t board[] = { 1, 2, 3, 4 };
	const char *brd[] = { "BoardCo", "B1", "v1", "BRD-9", NULL };
	add(&t, 2, board, sizeof(board), brd);
	uint8_t chassis[] = { 1, 0x80 | 10, 0, 2 };
	const char *chs[] = { "ChassisCo", "CH-1", NULL };
	add(&t, 3, chassis, sizeof(chassis), chs);
	add_system(&t, "SECOND"); /* only the first of a type counts */
	add_end(&t);

	const char *problem;
	pf_identity id = parse(&t, t.n, PF_OK, &problem);
	assert_null(problem);
	assert_string_equal(id.bios_vendor, "Vendor");
	assert_string_equal(id.manufacturer, "Contoso");
	assert_string_equal(id.product, "Book 14");
	assert_string_equal(id.version, "Rev A");
	assert_string_equal(id.serial, "SN-123");
	assert_string_equal(id.sku, "SKU-1");
	assert_string_equal(id.family, "Family X");
	/* Windows shows the first three fields little-endian. */
	assert_string_equal(id.uuid, "33221100-5544-7766-8899-AABBCCDDEEFF");
	assert_string_equal(id.baseboard_serial, "BRD-9");
	assert_int_equal(id.chassis_type, 10);
	assert_string_equal(id.chassis_serial, "CH-1");
	assert_string_equal(id.smbios_version, "3.4");
	assert_string_equal(id.smbios_entry, "_SM3_");
	pf_identity_free(&id);
}

static void test_string_index_zero_and_out_of_range(void **state)
{
	(void)state;
	table t = { 0 };
	uint8_t f[4] = { 9, 0, 1, 0 }; /* manufacturer -> string 9 (absent), serial index 0 */
	const char *strs[] = { "Only", NULL };
	add(&t, 1, f, sizeof(f), strs);
	add_end(&t);
	const char *problem;
	pf_identity id = parse(&t, t.n, PF_OK, &problem);
	assert_null(id.manufacturer);
	assert_null(id.serial);
	assert_string_equal(id.version, "Only");
	assert_false(id.has_uuid); /* structure too short for a UUID */
	pf_identity_free(&id);
}

static void test_uuid_unset(void **state)
{
	(void)state;
	table t = { 0 };
	uint8_t f[0x1B - 4];
	memset(f, 0xFF, sizeof(f));
	f[0] = f[1] = f[2] = f[3] = 0;
	f[0x19 - 4] = f[0x1A - 4] = 0;
	add(&t, 1, f, sizeof(f), NULL);
	const char *problem;
	pf_identity id = parse(&t, t.n, PF_OK, &problem);
	assert_null(id.uuid);
	pf_identity_free(&id);
}

static void test_broken_tables(void **state)
{
	(void)state;
	const char *problem;
	table t = { 0 };
	add_system(&t, "SN-1");
	size_t first = t.n;
	add_system(&t, "SN-2");

	/* Truncated inside the second structure: the first is still read. */
	for (size_t cut = first; cut < t.n; cut++) {
		pf_identity id = parse(&t, cut, PF_OK, &problem);
		assert_string_equal(id.serial, "SN-1");
		if (cut > first)
			assert_non_null(problem);
		pf_identity_free(&id);
	}
	/* Truncated inside the first: nothing can be read, never a read past the end (ASan watches). */
	for (size_t cut = 1; cut < first; cut++) {
		uint8_t *copy = malloc(cut);
		memcpy(copy, t.b, cut);
		pf_identity id;
		pf_identity_init(&id);
		problem = NULL;
		assert_int_equal(pf_smbios_parse_table(copy, cut, NULL, &id, &problem), PF_ERR_INVALID);
		assert_non_null(problem);
		assert_null(id.serial);
		pf_identity_free(&id);
		free(copy);
	}
	/* Zero-length table. */
	pf_identity id;
	pf_identity_init(&id);
	assert_int_equal(pf_smbios_parse_table(t.b, 0, NULL, &id, &problem), PF_ERR_INVALID);

	/* A structure length below the header size. */
	table s = { 0 };
	add_system(&s, "SN-3");
	size_t at = s.n;
	add_system(&s, "SN-4");
	s.b[at + 1] = 3;
	id = parse(&s, s.n, PF_OK, &problem);
	assert_string_equal(problem, "a structure is shorter than its own header");
	assert_string_equal(id.serial, "SN-3");
	pf_identity_free(&id);

	/* A length that lies past the end of the table. */
	s.b[at + 1] = 0xF0;
	id = parse(&s, s.n, PF_OK, &problem);
	assert_string_equal(problem, "a structure runs past the end of the table");
	pf_identity_free(&id);

	/* Missing double NUL at the very end. */
	table m = { 0 };
	add_system(&m, "SN-5");
	id = parse(&m, m.n - 1, PF_ERR_INVALID, &problem);
	assert_non_null(problem);
	pf_identity_free(&id);
}

static void checksum(uint8_t *p, size_t n, size_t at)
{
	uint8_t s = 0;
	p[at] = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	p[at] = (uint8_t)(0x100 - s);
}

static void test_entry_points(void **state)
{
	(void)state;
	pf_smbios_entry e;
	uint8_t ep3[0x18] = { '_', 'S', 'M', '3', '_', 0, 0x18, 3, 0, 0, 1, 0 };
	ep3[0x0C] = 0x00, ep3[0x0D] = 0x10; /* max 0x1000 */
	ep3[0x10] = 0x00, ep3[0x11] = 0x20, ep3[0x15] = 0x01; /* 0x0000010000002000 */
	checksum(ep3, 0x18, 5);
	assert_int_equal(pf_smbios_parse_entry(ep3, sizeof(ep3), &e), PF_OK);
	assert_true(e.is3);
	assert_int_equal(e.major, 3);
	assert_int_equal(e.table_len, 0x1000);
	assert_true(e.table_addr == 0x0000010000002000ull);
	ep3[0x0D] ^= 1; /* checksum now wrong */
	assert_int_equal(pf_smbios_parse_entry(ep3, sizeof(ep3), &e), PF_ERR_INVALID);
	assert_int_equal(pf_smbios_parse_entry(ep3, 0x10, &e), PF_ERR_INVALID);

	uint8_t ep2[0x1F] = { '_', 'S', 'M', '_', 0, 0x1F, 2, 8 };
	memcpy(ep2 + 0x10, "_DMI_", 5);
	ep2[0x16] = 0x34, ep2[0x17] = 0x01; /* 0x134 bytes */
	ep2[0x18] = 0x00, ep2[0x19] = 0x00, ep2[0x1A] = 0x0F; /* at 0xF0000 */
	ep2[0x1C] = 9;
	checksum(ep2 + 0x10, 0x0F, 5);
	checksum(ep2, 0x1F, 4);
	assert_int_equal(pf_smbios_parse_entry(ep2, sizeof(ep2), &e), PF_OK);
	assert_false(e.is3);
	assert_int_equal(e.minor, 8);
	assert_int_equal(e.table_len, 0x134);
	assert_true(e.table_addr == 0xF0000);
	assert_int_equal(e.n_structs, 9);
	ep2[5] = 0x40; /* entry length beyond the buffer */
	assert_int_equal(pf_smbios_parse_entry(ep2, sizeof(ep2), &e), PF_ERR_TRUNCATED);
	assert_int_equal(pf_smbios_parse_entry("_XX_", 4, &e), PF_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_table),
		cmocka_unit_test(test_string_index_zero_and_out_of_range),
		cmocka_unit_test(test_uuid_unset),
		cmocka_unit_test(test_broken_tables),
		cmocka_unit_test(test_entry_points),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
