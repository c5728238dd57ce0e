/* The hardware-hash decoder on hashes built here from known fields, and on broken ones of every kind. */
#include "testutil.h"
#include "hashbuild.h"
#include "hwhash.h"

static const uint8_t mac_a[6] = { 0x00, 0x15, 0x5D, 0x01, 0x02, 0x03 };

static pf_hwhash *decode_b64(const char *b64, pf_status want, const char **ret_reason)
{
	pf_hwhash *h = malloc(sizeof(*h));
	assert_non_null(h);
	memset(h, 0x5A, sizeof(*h));
	pf_status st = pf_hwhash_decode_base64(b64, strlen(b64), h, ret_reason);
	assert_int_equal(st, want);
	return h;
}

static void check_device_a(const pf_hwhash *h)
{
	assert_string_equal(h->serial, "SN-A");
	assert_string_equal(h->manufacturer, "Contoso Ltd.");
	assert_string_equal(h->product, "Model 7");
	assert_string_equal(h->sku, "SKU-7");
	assert_string_equal(h->family, "Family 7");
	assert_string_equal(h->firmware_vendor, "Contoso Firmware");
	assert_string_equal(h->tpm_version, "2.0");
	assert_string_equal(h->board_product, "");
	assert_false(pf_hwhash_has(h, PF_HWH_BOARD_PRODUCT));
	assert_true(pf_hwhash_has(h, PF_HWH_SERIAL));
	assert_true(pf_hwhash_has(h, 99));         /* unknown types are skipped, but seen */
	assert_true(h->has_uuid);
	assert_memory_equal(h->uuid_raw, hb_uuid_a, 16);
	assert_string_equal(h->uuid, "12345678-9ABC-DEF0-0123-456789ABCDEF");
	assert_int_equal(h->n_nics, 1);
	assert_int_equal(h->nics[0].medium, 14);
	assert_memory_equal(h->nics[0].mac, mac_a, 6);
	assert_string_equal(h->nics[0].mac_str, "00:15:5d:01:02:03");
	assert_int_equal(h->n_disks, 1);
	assert_int_equal(h->disks[0].capacity, 512000);
	assert_int_equal(h->disks[0].bus_type, 17);
	assert_int_equal(h->n_disk_serials, 1);
	assert_string_equal(h->disk_serials[0], "S4EWNX0R123456");
	assert_int_equal(h->n_disk_serials_kernel, 0);
	assert_int_equal(h->processor_arch, 9);
	assert_int_equal(h->chassis_type, 10);
	assert_int_equal(h->power_role, 2);
	assert_int_equal(h->offline_id_kind, -1);
	assert_int_equal(h->ek_pub_len, 260);
	assert_int_equal(h->ek_pub_kept, 260);
	assert_int_equal(h->ek_pub[259], 3);
	assert_false(h->truncated);
	/* versions, short cpu (counted, skipped), cpu, disk info, disk serial, nic, chassis, uuid,
	 * 7 strings, unknown, ek */
	assert_int_equal(h->n_records, 17);
}

static void test_known_fields(void **state)
{
	(void)state;
	hb_blob b;
	hb_device(&b, "SN-A", hb_uuid_a, mac_a, "S4EWNX0R123456");
	char *b64 = hb_base64(b.b, b.len);
	pf_hwhash *h = decode_b64(b64, PF_OK, NULL);
	check_device_a(h);
	free(h);

	/* The binary decoder directly. */
	h = malloc(sizeof(*h));
	assert_int_equal(pf_hwhash_decode(b.b, b.len, h, NULL), PF_OK);
	check_device_a(h);
	free(h);

	/* Unpadded, and wrapped with CR LF, spaces and tabs. */
	size_t n = strlen(b64);
	char *unpadded = strdup(b64);
	while (unpadded[n - 1] == '=')
		unpadded[--n] = '\0';
	h = decode_b64(unpadded, PF_OK, NULL);
	check_device_a(h);
	free(h);
	char *wrapped = malloc(n * 2 + 16);
	size_t o = 0;
	wrapped[o++] = ' ';
	for (size_t i = 0; i < n; i++) {
		wrapped[o++] = unpadded[i];
		if (i % 76 == 75) {
			wrapped[o++] = '\r';
			wrapped[o++] = '\n';
		} else if (i % 50 == 7) {
			wrapped[o++] = '\t';
		}
	}
	wrapped[o++] = '\n';
	wrapped[o] = '\0';
	h = decode_b64(wrapped, PF_OK, NULL);
	check_device_a(h);
	free(h);
	free(wrapped);
	free(unpadded);
	free(b64);
}

static void test_strings(void **state)
{
	(void)state;
	hb_blob b;
	hb_start(&b);
	hb_rec(&b, 14, "SN 1  \0\0", 8);            /* trailing spaces and NULs */
	hb_rec(&b, 16, "NoNul", 5);                 /* no NUL at all */
	hb_rec(&b, 17, "Bad\xFF\xC3", 5);           /* invalid UTF-8 */
	hb_rec(&b, 18, "A\0B", 3);                  /* stops at the first NUL */
	hb_rec(&b, 19, "", 0);                      /* present, empty */
	hb_str(&b, 14, "second serial");            /* duplicates: the first counts */
	char big[400];
	memset(big, 'x', sizeof(big));
	memcpy(big + 253, "\xE2\x82\xAC", 3);       /* a euro sign across the 255-byte cut */
	hb_rec(&b, 21, big, sizeof(big));
	hb_str(&b, 28, "0000_0000_0100_0000_E4D2.");
	for (int i = 0; i < PF_HWHASH_MAX_DISKS + 2; i++)
		hb_str(&b, 7, "disk");
	hb_end(&b);
	pf_hwhash *h = malloc(sizeof(*h));
	assert_int_equal(pf_hwhash_decode(b.b, b.len, h, NULL), PF_OK);
	assert_string_equal(h->serial, "SN 1");
	assert_string_equal(h->manufacturer, "NoNul");
	assert_string_equal(h->product, "Bad\xEF\xBF\xBD\xEF\xBF\xBD");
	assert_string_equal(h->sku, "A");
	assert_string_equal(h->family, "");
	assert_true(pf_hwhash_has(h, PF_HWH_FAMILY));
	assert_int_equal(strlen(h->board_product), 253);   /* cut before the euro sign, not inside it */
	assert_true(h->truncated);
	assert_int_equal(h->n_disk_serials, PF_HWHASH_MAX_DISKS);
	assert_int_equal(h->n_disk_serials_kernel, 1);
	assert_string_equal(h->disk_serials_kernel[0], "0000_0000_0100_0000_E4D2.");
	assert_false(h->has_uuid);
	assert_int_equal(h->chassis_type, -1);
	assert_int_equal(h->processor_arch, -1);
	assert_int_equal(h->ek_pub_len, 0);
	free(h);

	/* The string-field table names every single-string field once. */
	for (size_t i = 0; i < PF_HWHASH_N_STRING_FIELDS; i++)
		for (size_t k = i + 1; k < PF_HWHASH_N_STRING_FIELDS; k++) {
			assert_int_not_equal(pf_hwhash_string_fields[i].type, pf_hwhash_string_fields[k].type);
			assert_string_not_equal(pf_hwhash_string_fields[i].name, pf_hwhash_string_fields[k].name);
		}
}

static void test_short_fixed_records(void **state)
{
	(void)state;
	hb_blob b;
	hb_start(&b);
	hb_rec(&b, 12, "short uuid", 10);   /* needs 16 bytes */
	hb_rec(&b, 8, "nic", 3);            /* needs 10 */
	hb_rec(&b, 6, "disk", 4);           /* needs 9 */
	uint8_t chassis[1] = { 3 };
	hb_rec(&b, 10, chassis, 1);         /* no power role: -1 */
	uint8_t off[5] = { 0, 0, 0, 0, 2 };
	hb_rec(&b, 11, off, 5);
	hb_end(&b);
	pf_hwhash *h = malloc(sizeof(*h));
	assert_int_equal(pf_hwhash_decode(b.b, b.len, h, NULL), PF_OK);
	assert_false(h->has_uuid);
	assert_false(pf_hwhash_has(h, PF_HWH_UUID));
	assert_int_equal(h->n_nics, 0);
	assert_int_equal(h->n_disks, 0);
	assert_int_equal(h->chassis_type, 3);
	assert_int_equal(h->power_role, -1);
	assert_int_equal(h->offline_id_kind, 2);
	assert_int_equal(h->n_records, 5);
	free(h);
}

/* A blob that must not decode, with the reason it must give; ret stays untouched. */
static void expect_bad(const uint8_t *p, size_t n, const char *reason)
{
	pf_hwhash *h = malloc(sizeof(*h));
	memset(h, 0x5A, sizeof(*h));
	const char *why = NULL;
	assert_int_equal(pf_hwhash_decode(p, n, h, &why), PF_ERR_INVALID);
	assert_non_null(why);
	if (reason)
		assert_string_equal(why, reason);
	for (size_t i = 0; i < sizeof(*h); i++)
		assert_int_equal(((uint8_t *)h)[i], 0x5A);
	/* And through Base64. */
	char *b64 = hb_base64(p, n);
	why = NULL;
	assert_int_equal(pf_hwhash_decode_base64(b64, strlen(b64), h, &why), PF_ERR_INVALID);
	if (reason)
		assert_string_equal(why, reason);
	free(b64);
	free(h);
}

static void test_broken(void **state)
{
	(void)state;
	hb_blob b;
	hb_device(&b, "SN-A", hb_uuid_a, mac_a, "S4EWNX0R123456");
	size_t end = (size_t)(b.b[2] | b.b[3] << 8);

	/* Missing OA, empty, too short. */
	hb_blob c = b;
	c.b[0] = 'P';
	expect_bad(c.b, c.len, "no 'OA' signature");
	c = b;
	c.b[1] = 'a';
	expect_bad(c.b, c.len, "no 'OA' signature");
	expect_bad(b.b, 0, "shorter than its 4-byte header");
	expect_bad(b.b, 3, "shorter than its 4-byte header");

	/* Truncated anywhere before the end of records: never decodes, never reads past the cut. */
	for (size_t cut = 4; cut < end; cut++) {
		uint8_t *exact = malloc(cut);
		memcpy(exact, b.b, cut);
		expect_bad(exact, cut, "end of records lies past the end of the hash");
		free(exact);
	}
	/* Cutting the trailer only is fine: it is not examined. */
	pf_hwhash *h = malloc(sizeof(*h));
	assert_int_equal(pf_hwhash_decode(b.b, end, h, NULL), PF_OK);
	free(h);

	/* Lying lengths. */
	c = b;
	c.b[2] = 2;
	c.b[3] = 0;
	expect_bad(c.b, c.len, "end of records lies inside the header");
	c = b;
	c.b[2] = 4;
	c.b[3] = 0;
	expect_bad(c.b, c.len, "no records");
	c = b;
	c.b[2] = 0xFF;
	c.b[3] = 0xFF;
	expect_bad(c.b, c.len, "end of records lies past the end of the hash");
	c = b;
	c.b[4 + 2] = 3;     /* first record shorter than its header */
	c.b[4 + 3] = 0;
	expect_bad(c.b, c.len, "record shorter than its 4-byte header");
	c = b;
	c.b[4 + 2] = 0;     /* zero length: would loop forever if trusted */
	c.b[4 + 3] = 0;
	expect_bad(c.b, c.len, "record shorter than its 4-byte header");
	c = b;
	c.b[4 + 2] = 0xF0;  /* runs past the end of records */
	c.b[4 + 3] = 0x7F;
	expect_bad(c.b, c.len, "record runs past the end of records");
	/* End of records that cuts a record header in two. */
	c = b;
	c.b[2] = (uint8_t)(end - 2);
	c.b[3] = (uint8_t)((end - 2) >> 8);
	expect_bad(c.b, c.len, NULL);
	/* Every single-byte change of the framing either decodes or fails cleanly (ASan watches). */
	for (size_t i = 0; i < end; i++) {
		for (int v = 0; v < 256; v += 51) {
			c = b;
			c.b[i] = (uint8_t)v;
			h = malloc(sizeof(*h));
			const char *why = NULL;
			pf_status st = pf_hwhash_decode(c.b, end, h, &why);
			assert_true(st == PF_OK || (st == PF_ERR_INVALID && why));
			free(h);
		}
	}
}

static void test_bad_base64(void **state)
{
	(void)state;
	const char *why = NULL;
	pf_hwhash *h = decode_b64("T0EA*AAA", PF_ERR_INVALID, &why);
	assert_string_equal(why, "not valid Base64");
	free(h);
	h = decode_b64("T0E=AAAA", PF_ERR_INVALID, &why);     /* padding in the middle */
	free(h);
	h = decode_b64("T0EAA", PF_ERR_INVALID, &why);        /* one character left over */
	free(h);
	h = decode_b64("", PF_ERR_INVALID, &why);             /* nothing: shorter than the header */
	assert_string_equal(why, "shorter than its 4-byte header");
	free(h);
	h = decode_b64("   \r\n", PF_ERR_INVALID, &why);
	free(h);
	/* Base64 of text that is no hash. */
	h = decode_b64("SGVsbG8gd29ybGQ=", PF_ERR_INVALID, &why);
	assert_string_equal(why, "no 'OA' signature");
	free(h);
	/* Longer than PF_HWHASH_MAX decoded bytes. */
	size_t n = (PF_HWHASH_MAX / 3 + 2) * 4;
	char *big = malloc(n + 1);
	memset(big, 'A', n);
	big[n] = '\0';
	big[0] = 'T';
	big[1] = '0';
	big[2] = 'E';
	h = decode_b64(big, PF_ERR_TOO_BIG, &why);
	assert_string_equal(why, "longer than 16384 bytes");
	free(h);
	free(big);
}

/* A hash from the QEMU tests' independent builder (tests/qemu/hwhash.py), so that the two stay in
 * agreement: hwhash.py --serial PF-ORACLE-1 --uuid 6b1f3c2e-1d2a-4e5f-9a8b-0c1d2e3f4a5b
 * --manufacturer Contöso --product "Book 14" --tpm-version 2.0 --mac 52:54:00:12:34:56
 * --mac aa:bb:cc:dd:ee:ff/wifi --disk S4EWNX0R123456:476940:nvme --disk WD-1:1000:sata
 * --chassis-type 10 --arch arm64 */
static void test_python_oracle(void **state)
{
	(void)state;
	static const char b64[] =
		"T0HGAAEADAAKAGFKAAAAAAIACAAMAAgABgAQAAxHBwAAAAAAEQAAAAcAEwBTNEVXTlgwUjEyMzQ1NgAGABAA6AMAAAAAAAALAAAABwAJAFdELTEACAAQAA4AAABSVAASNFYAAAgAEAAJAAAAqrvM3e7/"
		"AAAKAAYACgAMABQALjwfayodX06aiwwdLj9KWw0ACAAyLjAADgAQAFBGLU9SQUNMRS0xABAADQBDb250w7ZzbwARAAwAQm9vayAxNABjAAcAAQIDpaWlpaWlpaWlpaWlpaWlpQ==";
	pf_hwhash *h = malloc(sizeof(*h));
	assert_int_equal(pf_hwhash_decode_base64(b64, strlen(b64), h, NULL), PF_OK);
	assert_int_equal(h->n_records, 15);
	assert_string_equal(h->serial, "PF-ORACLE-1");
	assert_string_equal(h->manufacturer, "Contöso");
	assert_string_equal(h->product, "Book 14");
	assert_string_equal(h->tpm_version, "2.0");
	assert_string_equal(h->uuid, "6B1F3C2E-1D2A-4E5F-9A8B-0C1D2E3F4A5B");
	static const uint8_t raw[16] = { 0x2e, 0x3c, 0x1f, 0x6b, 0x2a, 0x1d, 0x5f, 0x4e, 0x9a, 0x8b, 0x0c, 0x1d, 0x2e, 0x3f, 0x4a, 0x5b };
	assert_memory_equal(h->uuid_raw, raw, 16);
	assert_int_equal(h->n_nics, 2);
	assert_string_equal(h->nics[0].mac_str, "52:54:00:12:34:56");
	assert_int_equal(h->nics[0].medium, 14);
	assert_string_equal(h->nics[1].mac_str, "aa:bb:cc:dd:ee:ff");
	assert_int_equal(h->nics[1].medium, 9);
	assert_int_equal(h->n_disk_serials, 2);
	assert_string_equal(h->disk_serials[0], "S4EWNX0R123456");
	assert_string_equal(h->disk_serials[1], "WD-1");
	assert_int_equal(h->n_disks, 2);
	assert_int_equal(h->disks[0].capacity, 476940);
	assert_int_equal(h->disks[0].bus_type, 17);
	assert_int_equal(h->disks[1].capacity, 1000);
	assert_int_equal(h->disks[1].bus_type, 11);
	assert_int_equal(h->chassis_type, 10);
	assert_int_equal(h->processor_arch, 12);
	assert_false(pf_hwhash_has(h, PF_HWH_SKU));
	assert_false(h->truncated);
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_fields),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_short_fixed_records),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_bad_base64),
		cmocka_unit_test(test_python_oracle),
	};
	return cmocka_run_group_tests_name("hwhash", tests, NULL, NULL);
}
