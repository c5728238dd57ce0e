/* Records end to end on in-memory files: collection across files, every REC-* finding, the hash check, the report object. */
#include "testutil.h"
#include "hashbuild.h"
#include "recfile.h"
#include "records.h"
#include "rectuple.h"
#include "report.h"
#include "run.h"

static const uint8_t mac_a[6] = { 0x00, 0x15, 0x5D, 0x01, 0x02, 0x03 };
static const uint8_t mac_b[6] = { 0x00, 0x15, 0x5D, 0x09, 0x09, 0x09 };
static const uint8_t uuid_b[16] = { 0xAA, 0xBB, 0xCC, 0xDD, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C };

typedef struct {
	const char *name;
	const char *data;
} file;

typedef struct {
	pf_identity id;
	pf_record_result r;
	pf_findings f;
	char *json;
} world;

/* Device A as SMBIOS shows it. */
static void live_a(pf_identity *id)
{
	pf_identity_init(id);
	id->serial = strdup("SN-A");
	id->manufacturer = strdup("Contoso Ltd");
	id->product = strdup("Model 7");
	id->family = strdup("Family 7");
	id->uuid = strdup("12345678-9ABC-DEF0-0123-456789ABCDEF");
	memcpy(id->uuid_raw, hb_uuid_a, 16);
	id->has_uuid = true;
	id->tpm.present = PF_YES;
}

static void add_nic(pf_identity *id, const char *mac)
{
	id->nics = realloc(id->nics, (id->n_nics + 1) * sizeof(*id->nics));
	id->nics[id->n_nics++] = (pf_nic){ .mac = strdup(mac), .wireless = PF_NO, .media = PF_YES };
	id->nics_read = true;
}

static void add_disk(pf_identity *id, const char *serial, bool boot)
{
	id->disks = realloc(id->disks, (id->n_disks + 1) * sizeof(*id->disks));
	id->disks[id->n_disks++] = (pf_disk){ .model = strdup("Disk"), .serial = serial ? strdup(serial) : NULL, .boot_media = boot };
	id->disks_read = true;
}

/* Reads the files in order through the real readers (7-byte chunks), verifies, writes the JSON. */
static void run(world *w, const file *files, size_t n)
{
	pf_records_init(&w->r, w->id.serial);
	for (size_t i = 0; i < n; i++) {
		pf_recfile_kind kind;
		assert_true(pf_recfile_kind_of(files[i].name, &kind));
		pf_records_begin_file(&w->r, files[i].name);
		pf_recfile *rf = pf_recfile_new(kind, w->r.want_serial, pf_records_on_record, &w->r);
		assert_non_null(rf);
		size_t len = strlen(files[i].data);
		pf_status st = PF_OK;
		for (size_t k = 0; k < len && st == PF_OK; k += 7)
			st = pf_recfile_feed(rf, files[i].data + k, PF_MIN(7, len - k));
		(void)pf_recfile_finish(rf);
		pf_records_file_count(&w->r, pf_recfile_count(rf));
		pf_records_end_file(&w->r, pf_recfile_error(rf));
		pf_recfile_free(rf);
	}
	pf_records_verify(&w->r, &w->id, &w->f);
	pf_buf b = { 0 };
	pf_json j;
	pf_json_init(&j, &b);
	pf_json_obj_begin(&j, NULL);
	pf_records_json(&j, &w->r);
	pf_json_obj_end(&j);
	assert_false(b.oom);
	w->json = b.p;
}

static void done(world *w)
{
	pf_records_free(&w->r);
	pf_findings_free(&w->f);
	pf_identity_free(&w->id);
	free(w->json);
}

static const pf_finding *finding(const world *w, pf_code code)
{
	for (size_t i = 0; i < w->f.n; i++)
		if (w->f.items[i].code == code)
			return &w->f.items[i];
	fail_msg("no finding %s", pf_code_info_get(code)->code);
	return NULL;
}

static size_t count(const world *w, pf_code code)
{
	size_t n = 0;
	for (size_t i = 0; i < w->f.n; i++)
		n += w->f.items[i].code == code;
	return n;
}

static void has(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("missing [%s] in:\n%s", needle, hay);
}

/* A CSV row line for serial with the given hash text. */
static char *csv_with_hash(const char *serial, const char *hash)
{
	char *s = malloc(strlen(hash) + 512);
	sprintf(s, "Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User,Manufacturer name,Device model\r\n"
		   "OTHER-1,,,,,,\r\n"
		   "%s,,%s,Sales,user@contoso.example,CONTOSO LTD.,model 7\r\n",
		serial, hash);
	return s;
}

static char *hash_of(const char *serial, const uint8_t uuid[16], const uint8_t mac[6], const char *disk)
{
	hb_blob b;
	hb_device(&b, serial, uuid, mac, disk);
	return hb_base64(b.b, b.len);
}

static void test_found_clean(void **state)
{
	(void)state;
	world w = { 0 };
	live_a(&w.id);
	add_nic(&w.id, "00-15-5D-01-02-03");
	add_nic(&w.id, "52:54:00:00:00:01");
	add_disk(&w.id, "USBSTICK1", true);
	add_disk(&w.id, "  s4ewnx0r123456  ", false);
	char *h = hash_of("SN-A", hb_uuid_a, mac_a, "S4EWNX0R123456");
	char *csv = csv_with_hash("sn-a", h);
	file files[] = { { "\\preflight\\records\\a.csv", csv } };
	run(&w, files, 1);
	/* "CONTOSO LTD." and "model 7" equal SMBIOS only with tolerance: said, as information, since the
	 * record carries a hash (which Autopilot matches). */
	assert_int_equal(w.f.n, 1);
	const pf_finding *fd = finding(&w, PF_REC_TUPLE_SPELLING);
	assert_int_equal(fd->severity, PF_SEV_INFO);
	has(fd->message, "manufacturer \"CONTOSO LTD.\" (SMBIOS \"Contoso Ltd\") and model \"model 7\" (SMBIOS product \"Model 7\")");
	has(fd->detail, "hardware hash, which Autopilot matches instead");
	assert_string_equal(w.r.match, "found");
	assert_int_equal(w.r.n_mismatches, 0);
	has(w.json, "\"match\": \"found\"");
	has(w.json, "\"file\": \"\\\\preflight\\\\records\\\\a.csv\"");
	has(w.json, "\"line\": 3");
	has(w.json, "\"hash\": {");
	has(w.json, "\"serial\": \"SN-A\"");
	has(w.json, "\"uuid\": \"12345678-9ABC-DEF0-0123-456789ABCDEF\"");
	has(w.json, "\"uuid_match\": \"stored-order\"");
	has(w.json, "\"mac\": \"00:15:5d:01:02:03\"");
	has(w.json, "\"medium\": \"ethernet\"");
	has(w.json, "\"bus\": \"nvme\"");
	has(w.json, "\"disk_serials\": [\n");
	has(w.json, "\"processor_arch\": \"x64\"");
	has(w.json, "\"tpm_ek_pub_bytes\": 260");
	has(w.json, "\"board_product\": null");
	has(w.json, "\"hash_mismatches\": []");
	has(w.json, "\"hash_error\": null");
	free(csv);
	free(h);
	done(&w);
}

static void test_not_found(void **state)
{
	(void)state;
	world w = { 0 };
	live_a(&w.id);
	file files[] = {
		{ "a.csv", "Device Serial Number\r\nSN-B\r\nSN-C\r\n" },
		{ "b.json", "{\"value\":[{\"serialNumber\":\"SN-AA\"}]}" },
	};
	run(&w, files, 2);
	assert_string_equal(w.r.match, "not-found");
	assert_int_equal(w.f.n, 1);
	const pf_finding *fd = finding(&w, PF_REC_NOT_FOUND);
	assert_int_equal(fd->severity, PF_SEV_ERROR);
	has(fd->message, "SN-A");
	has(fd->detail, "3 record(s) in 2 file(s)");
	has(w.json, "\"match\": \"not-found\"");
	has(w.json, "\"hash\": null");
	done(&w);

	/* A blank live serial matches nothing, not even blank records. */
	world v = { 0 };
	live_a(&v.id);
	free(v.id.serial);
	v.id.serial = strdup("  ");
	file blank[] = { { "a.csv", "Device Serial Number,Group Tag\r\n,x\r\n" } };
	run(&v, blank, 1);
	assert_string_equal(v.r.match, "not-found");
	done(&v);
}

static void test_ambiguous(void **state)
{
	(void)state;
	world w = { 0 };
	live_a(&w.id);
	file files[] = {
		{ "a.csv", "Device Serial Number,Assigned User\r\nSN-A,u@x\r\nSN-B,\r\n\"sn-a\",v@x\r\n" },
		{ "b.json", "[{\"serialNumber\":\"X\"},{\"serialNumber\":\" SN-A \",\"userPrincipalName\":\"w@x\"}]" },
		{ "c.csv", "Device Serial Number\r\nSN-C\r\n" },
	};
	run(&w, files, 3);
	assert_string_equal(w.r.match, "ambiguous");
	const pf_finding *fd = finding(&w, PF_REC_AMBIGUOUS);
	assert_int_equal(fd->severity, PF_SEV_WARN);
	has(fd->message, "3 records match");
	assert_string_equal(fd->detail, "a.csv line 2; a.csv line 4; b.json entry 1");
	/* The first is used, and the report lists every match. */
	has(w.json, "\"file\": \"a.csv\",\n    \"line\": 2");
	has(w.json, "\"matches\": [");
	has(w.json, "\"file\": \"b.json\",\n        \"line\": 1");
	assert_int_equal(w.r.files_used, 3);
	done(&w);
}

static void test_ambiguous_many(void **state)
{
	(void)state;
	world w = { 0 };
	live_a(&w.id);
	char csv[4096] = "Device Serial Number\n";
	for (int i = 0; i < PF_MAX_MATCHES + 4; i++)
		strcat(csv, "SN-A\n");
	file files[] = { { "dup.csv", csv } };
	run(&w, files, 1);
	const pf_finding *fd = finding(&w, PF_REC_AMBIGUOUS);
	has(fd->message, "20 records match");
	has(fd->detail, "dup.csv line 2; dup.csv line 3;");
	has(fd->detail, "; and 4 more");
	done(&w);
}

static void test_vendor_model(void **state)
{
	(void)state;
	world w = { 0 };
	live_a(&w.id);
	file files[] = { { "p.csv", "Device Serial Number,Manufacturer name,Device model\nSN-A,Fabrikam Inc.,Model 9\n" } };
	run(&w, files, 1);
	const pf_finding *fd = finding(&w, PF_REC_MANUFACTURER_MISMATCH);
	assert_int_equal(fd->severity, PF_SEV_ERROR);
	has(fd->message, "\"Fabrikam Inc.\"");
	has(fd->message, "\"Contoso Ltd\"");
	has(fd->detail, "p.csv line 2");
	fd = finding(&w, PF_REC_MODEL_MISMATCH);
	has(fd->message, "\"Model 9\"");
	has(fd->message, "\"Model 7\"");
	/* No hash column: nothing to decode, no hash finding. */
	assert_false(pf_findings_has(&w.f, PF_REC_HASH_MISMATCH));
	assert_false(pf_findings_has(&w.f, PF_REC_HASH_UNDECODABLE));
	has(w.json, "\"hash\": null");
	done(&w);

	/* Tolerance: case, spaces, legal suffix; the model may match the SMBIOS family. No mismatch, but a
	 * tuple-only record (no hash, no product ID) that Autopilot would compare exactly: an error. */
	world v = { 0 };
	live_a(&v.id);
	file ok[] = { { "p.csv", "Device Serial Number,Manufacturer name,Device model,Assigned User\nSN-A,  contoso   LTD. , FAMILY 7,u@x\n" } };
	run(&v, ok, 1);
	assert_int_equal(v.f.n, 1);
	fd = finding(&v, PF_REC_TUPLE_SPELLING);
	assert_int_equal(fd->severity, PF_SEV_ERROR);
	has(fd->message, "manufacturer \"  contoso   LTD. \" (SMBIOS \"Contoso Ltd\") and model \" FAMILY 7\" (SMBIOS product \"Model 7\")");
	has(fd->message, "a tuple registration (serial, manufacturer, model) would not match");
	has(fd->detail, "p.csv line 2: manufacturer record=\"  contoso   LTD. \" smbios=\"Contoso Ltd\" (differs in punctuation, legal suffix or vendor alias)");
	has(fd->detail, "model record=\" FAMILY 7\" smbios_product=\"Model 7\" (equals SMBIOS version or family");
	has(fd->detail, "it can only be a tuple");
	done(&v);

	/* Exact spellings: nothing. */
	world x = { 0 };
	live_a(&x.id);
	file exact[] = { { "p.csv", "Device Serial Number,Manufacturer name,Device model,Assigned User\nSN-A, Contoso Ltd ,Model 7,u@x\n" } };
	run(&x, exact, 1);
	assert_int_equal(x.f.n, 0);
	done(&x);
}

/* REC-TUPLE-SPELLING: which difference, and the severity by what the record carries. */
static void test_tuple_spelling(void **state)
{
	(void)state;
	static const struct {
		const char *make, *model, *pid, *extra;
		pf_severity sev;
		const char *detail;
	} cases[] = {
		/* Letter case only, tuple-only CSV row: Microsoft compares it case-sensitively. */
		{ "CONTOSO LTD", "Model 7", "", NULL, PF_SEV_ERROR, "(differs in letter case)" },
		/* Legal suffix; the product ID could be what it was registered by. */
		{ "Contoso Limited", "Model 7", "00330-80000-00000-AA123", NULL, PF_SEV_WARN, "(differs in punctuation, legal suffix or vendor alias)" },
		/* Model with doubled spaces. */
		{ "Contoso Ltd", "Model  7", "", NULL, PF_SEV_ERROR, "model record=\"Model  7\" smbios_product=\"Model 7\" (differs in case or spacing)" },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		world w = { 0 };
		live_a(&w.id);
		char data[512];
		snprintf(data, sizeof(data), "Device Serial Number,Windows Product ID,Manufacturer name,Device model,Assigned User\nSN-A,%s,%s,%s,u@x\n",
			 cases[i].pid, cases[i].make, cases[i].model);
		file files[] = { { "t.csv", data } };
		run(&w, files, 1);
		if (w.f.n != 1)
			fail_msg("case %zu: %zu findings", i, w.f.n);
		const pf_finding *fd = finding(&w, PF_REC_TUPLE_SPELLING);
		if (fd->severity != cases[i].sev)
			fail_msg("case %zu: severity %d", i, fd->severity);
		has(fd->detail, cases[i].detail);
		done(&w);
	}
	/* A Graph record: how it was registered is not known. */
	world g = { 0 };
	live_a(&g.id);
	file graph[] = { { "g.json", "{\"value\":[{\"serialNumber\":\"SN-A\",\"manufacturer\":\"contoso ltd\",\"model\":\"Model 7\",\"userPrincipalName\":\"u@x\"}]}" } };
	run(&g, graph, 1);
	const pf_finding *fd = finding(&g, PF_REC_TUPLE_SPELLING);
	assert_int_equal(fd->severity, PF_SEV_WARN);
	has(fd->detail, "g.json entry 0: manufacturer record=\"contoso ltd\"");
	has(fd->detail, "a Graph record does not say");
	done(&g);

	/* The spelling classes themselves, Lenovo's friendly name in Version included. */
	pf_identity id;
	pf_identity_init(&id);
	id.product = strdup("20W0003AUS");
	id.version = strdup("ThinkPad T14 Gen 2i");
	assert_int_equal(pf_spelling_model("20W0003AUS", &id), PF_SPELL_EXACT);
	assert_int_equal(pf_spelling_model("20w0003aus", &id), PF_SPELL_CASE);
	assert_int_equal(pf_spelling_model("ThinkPad T14 Gen 2i", &id), PF_SPELL_OTHER_FIELD);
	assert_int_equal(pf_spelling_model("ThinkPad T14", &id), PF_SPELL_DIFFERENT);
	pf_identity_free(&id);
	assert_int_equal(pf_spelling_manufacturer("LENOVO", "LENOVO"), PF_SPELL_EXACT);
	assert_int_equal(pf_spelling_manufacturer("Lenovo", "LENOVO"), PF_SPELL_CASE);
	assert_int_equal(pf_spelling_manufacturer("HP", "Hewlett-Packard"), PF_SPELL_TOLERANT);
	assert_int_equal(pf_spelling_manufacturer("Dell  Inc.", "Dell Inc."), PF_SPELL_SPACING);
	assert_int_equal(pf_spelling_manufacturer("HPE", "HP"), PF_SPELL_DIFFERENT);
}

static void test_broken_beside_good(void **state)
{
	(void)state;
	world w = { 0 };
	live_a(&w.id);
	file files[] = {
		{ "1-bad.csv", "Serial,Hash\r\nSN-A,x\r\n" },
		{ "2-good.csv", "Device Serial Number,Assigned User\r\nSN-A,u@x\r\n" },
		{ "3-bad.json", "{\"value\":[{\"serialNumber\":\"SN-Z\"},\n\n{oops}]}" },
		{ "4-open.csv", "Device Serial Number\r\nSN-Q\r\n\"SN-A\r\n" },
	};
	run(&w, files, 4);
	assert_string_equal(w.r.match, "found");
	assert_int_equal(w.r.files_seen, 4);
	assert_int_equal(w.r.files_used, 1);
	assert_int_equal(count(&w, PF_REC_FILE_INVALID), 3);
	const pf_finding *fd = finding(&w, PF_REC_FILE_INVALID);
	assert_int_equal(fd->severity, PF_SEV_WARN);
	assert_string_equal(fd->detail, "1-bad.csv, line 1: no header with a 'Device Serial Number' column");
	has(w.f.items[1].detail, "3-bad.json, line 3: ");
	assert_string_equal(w.f.items[2].detail, "4-open.csv, line 3: quote opened on line 3 is not closed");
	has(w.json, "\"file\": \"2-good.csv\"");
	has(w.json, "\"invalid_files\": [");
	has(w.json, "\"reason\": \"no header with a 'Device Serial Number' column\"");
	done(&w);
}

static void test_none_available(void **state)
{
	(void)state;
	world w = { 0 };
	live_a(&w.id);
	run(&w, NULL, 0);
	assert_string_equal(w.r.match, "no-records");
	assert_int_equal(w.f.n, 1);
	has(finding(&w, PF_REC_NONE_AVAILABLE)->message, "No Autopilot record files were found");
	has(w.json, "\"match\": \"no-records\"");
	done(&w);

	world v = { 0 };
	live_a(&v.id);
	file bad[] = { { "x.csv", "" } };
	run(&v, bad, 1);
	assert_true(pf_findings_has(&v.f, PF_REC_FILE_INVALID));
	has(finding(&v, PF_REC_NONE_AVAILABLE)->message, "None of the record files could be read");
	done(&v);
}

static void test_hash_other_device(void **state)
{
	(void)state;
	world w = { 0 };
	live_a(&w.id);
	char *h = hash_of("SN-B", uuid_b, mac_a, "DISK-B-0000001");
	char *csv = csv_with_hash("SN-A", h);
	file files[] = { { "a.csv", csv } };
	run(&w, files, 1);
	const pf_finding *fd = finding(&w, PF_REC_HASH_MISMATCH);
	assert_int_equal(fd->severity, PF_SEV_ERROR);
	has(fd->message, "serial, uuid");
	has(fd->detail, "serial: record \"SN-B\", live \"SN-A\"");
	has(fd->detail, "uuid: record \"DDCCBBAA-0201-0403-0506-0708090A0B0C\", live \"12345678-9ABC-DEF0-0123-456789ABCDEF\"");
	has(fd->detail, "a.csv line 3");
	assert_int_equal(w.r.n_mismatches, 2);
	assert_string_equal(w.r.mismatches[0].field, "serial");
	assert_string_equal(w.r.mismatches[0].record_value, "SN-B");
	assert_string_equal(w.r.mismatches[0].live_value, "SN-A");
	has(w.json, "\"hash_mismatches\": [");
	has(w.json, "\"field\": \"uuid\"");
	has(w.json, "\"uuid_match\": \"differs\"");
	free(csv);
	free(h);
	done(&w);
}

/* The hash was captured on an x64 PC (hb_device: arch 9); Preflight runs on an Arm one. */
static void test_hash_other_architecture(void **state)
{
	(void)state;
	world w = { 0 };
	live_a(&w.id);
	w.id.processor_arch = "arm64";
	char *h = hash_of("SN-A", hb_uuid_a, mac_a, "D1");
	char *csv = csv_with_hash("SN-A", h);
	file files[] = { { "a.csv", csv } };
	run(&w, files, 1);
	const pf_finding *fd = finding(&w, PF_REC_HASH_MISMATCH);
	assert_int_equal(fd->severity, PF_SEV_ERROR); /* another CPU family is another device */
	has(fd->message, ": processor_arch.");
	has(fd->detail, "processor_arch: record \"x64\", live \"arm64\"");
	free(csv);
	done(&w);

	/* The same hash on an x64 PC, and with the running architecture unknown: no mismatch. */
	const char *lives[] = { "x64", NULL };
	for (size_t i = 0; i < 2; i++) {
		world v = { 0 };
		live_a(&v.id);
		v.id.processor_arch = lives[i];
		csv = csv_with_hash("SN-A", h);
		file more[] = { { "a.csv", csv } };
		run(&v, more, 1);
		assert_int_equal(v.r.n_mismatches, 0);
		free(csv);
		done(&v);
	}
	free(h);
}

static void test_hash_uuid_swapped(void **state)
{
	(void)state;
	world w = { 0 };
	live_a(&w.id);
	static const uint8_t order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	uint8_t sw[16];
	for (int i = 0; i < 16; i++)
		sw[i] = hb_uuid_a[order[i]];
	char *h = hash_of("SN-A", sw, mac_a, "D1");
	char *csv = csv_with_hash("SN-A", h);
	file files[] = { { "a.csv", csv } };
	run(&w, files, 1);
	const pf_finding *fd = finding(&w, PF_REC_HASH_MISMATCH);
	has(fd->message, ": uuid.");
	has(fd->detail, "the same bytes with the first three fields swapped");
	has(w.json, "\"uuid_match\": \"swapped-order\"");
	free(csv);
	free(h);
	done(&w);
}

static void test_hash_components(void **state)
{
	(void)state;
	/* Same board (serial, UUID), another NIC and disk, and the TPM now absent: a warning naming each. */
	world w = { 0 };
	live_a(&w.id);
	w.id.tpm.present = PF_NO;
	add_nic(&w.id, "00:15:5d:09:09:09");
	add_disk(&w.id, "NEWDISK-77", false);
	add_disk(&w.id, "S4EWNX0R123456", true);   /* the boot medium never counts */
	char *h = hash_of("SN-A", hb_uuid_a, mac_a, "S4EWNX0R123456");
	char *csv = csv_with_hash("SN-A", h);
	file files[] = { { "a.csv", csv } };
	run(&w, files, 1);
	const pf_finding *fd = finding(&w, PF_REC_HASH_MISMATCH);
	assert_int_equal(fd->severity, PF_SEV_WARN);
	has(fd->message, "mac, disk_serial, tpm");
	has(fd->detail, "mac: record \"00:15:5d:01:02:03\", live \"00:15:5d:09:09:09\"");
	has(fd->detail, "disk_serial: record \"S4EWNX0R123456\", live \"NEWDISK-77\"");
	has(fd->detail, "tpm: record \"present (2.0)\", live \"absent\"");
	free(csv);
	free(h);
	done(&w);

	/* One NIC in common among several is enough; a disk serial in the kernel's grouped form matches. */
	world v = { 0 };
	live_a(&v.id);
	add_nic(&v.id, "aa:bb:cc:dd:ee:ff");
	add_nic(&v.id, "00155D010203");
	add_disk(&v.id, "0000 0000 0100 0000 E4D2 5C89 4D7A 5101", false);
	hb_blob b;
	hb_device(&b, "SN-A", hb_uuid_a, mac_b, "unrelated");
	b.len -= 16;                /* reopen the record list to add to it */
	hb_nic(&b, 14, mac_a);
	hb_str(&b, 28, "0000_0000_0100_0000_E4D2_5C89_4D7A_5101.");
	hb_end(&b);
	h = hb_base64(b.b, b.len);
	csv = csv_with_hash("SN-A", h);
	file files2[] = { { "a.csv", csv } };
	run(&v, files2, 1);
	assert_false(pf_findings_has(&v.f, PF_REC_HASH_MISMATCH));
	free(csv);
	free(h);
	done(&v);
}

static void test_hash_undecodable(void **state)
{
	(void)state;
	const char *bad[][2] = {
		{ "not*base64", "not valid Base64" },
		{ "SGVsbG8gd29ybGQ=", "no 'OA' signature" },
		{ "T0E=", "shorter than its 4-byte header" },
		{ "T0EAAA==", "end of records lies inside the header" },
		{ "T0H/AA==", "end of records lies past the end of the hash" },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(bad); i++) {
		world w = { 0 };
		live_a(&w.id);
		char *csv = csv_with_hash("SN-A", bad[i][0]);
		file files[] = { { "a.csv", csv } };
		run(&w, files, 1);
		const pf_finding *fd = finding(&w, PF_REC_HASH_UNDECODABLE);
		assert_int_equal(fd->severity, PF_SEV_WARN);
		has(fd->message, bad[i][1]);
		has(fd->detail, "a.csv line 3");
		assert_false(pf_findings_has(&w.f, PF_REC_HASH_MISMATCH));
		has(w.json, "\"hash\": null");
		char want[128];
		snprintf(want, sizeof(want), "\"hash_error\": \"%s\"", bad[i][1]);
		has(w.json, want);
		free(csv);
		done(&w);
	}
}

static void test_graph_record(void **state)
{
	(void)state;
	world w = { 0 };
	live_a(&w.id);
	char *h = hash_of("SN-A", hb_uuid_a, mac_a, "D1");
	char *js = malloc(strlen(h) + 512);
	sprintf(js, "{\"value\":[{\"serialNumber\":\"SN-A\",\"manufacturer\":\"Contoso\",\"model\":\"Model 7\","
		    "\"hardwareIdentifier\":\"%s\",\"enrollmentState\":\"failed\","
		    "\"deploymentProfileAssignmentStatus\":\"notAssigned\",\"userPrincipalName\":\"\"}]}", h);
	file files[] = { { "g.json", js } };
	run(&w, files, 1);
	assert_string_equal(w.r.match, "found");
	assert_true(pf_findings_has(&w.f, PF_REC_NO_PROFILE));
	assert_true(pf_findings_has(&w.f, PF_REC_ENROLLMENT_STATE));
	const pf_finding *fd = finding(&w, PF_REC_NO_ASSIGNED_USER);
	assert_int_equal(fd->severity, PF_SEV_INFO);
	has(fd->detail, "g.json entry 0");
	assert_false(pf_findings_has(&w.f, PF_REC_HASH_MISMATCH));
	has(w.json, "\"source\": \"graph-file\"");
	has(w.json, "\"uuid_match\": \"stored-order\"");
	free(js);
	free(h);
	done(&w);
}

/* The technician's screen block (report.c): what a column the file lacks, a Graph entry and a
 * disagreeing hash look like. */
static char *screen_text(world *w)
{
	pf_run run;
	memset(&run, 0, sizeof(run));
	run.tool_version = "t";
	assert_int_equal(pf_config_defaults(&run.config), PF_OK);
	run.identity = w->id;       /* borrowed: done() frees them */
	run.findings = w->f;
	run.record = &w->r;
	pf_buf b = { 0 };
	pf_report_text(&run, &b);
	pf_config_free(&run.config);
	assert_false(b.oom);
	/* Only the record block: from its title to the blank line after it. */
	char *start = strstr(b.p, "Autopilot record: ");
	assert_non_null(start);
	char *end = strstr(start, "\n\n");
	assert_non_null(end);
	char *block = strndup(start, (size_t)(end - start) + 1);
	free(b.p);
	return block;
}

static void test_screen_text(void **state)
{
	(void)state;
	world w = { 0 };
	live_a(&w.id);
	char *h = hash_of("SN-A", hb_uuid_a, mac_a, "D1");
	char *csv = malloc(strlen(h) + 256);
	sprintf(csv, "Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User\r\nSN-A,,%s,,\r\n", h);
	file files[] = { { "ps.csv", csv } };
	run(&w, files, 1);
	char *t = screen_text(&w);
	has(t, "ps.csv line 2\n");
	has(t, "Manufacturer   (not in the record)\n");
	has(t, "Assigned user  (empty)\n");
	has(t, "Hardware hash  decoded; no field disagrees with this device\n");
	assert_null(strstr(t, "(not readable)"));
	free(t);
	free(csv);
	free(h);
	done(&w);

	world g = { 0 };
	live_a(&g.id);
	char *other = hash_of("SN-B", uuid_b, mac_a, "D1");
	char *js = malloc(strlen(other) + 256);
	sprintf(js, "{\"value\":[{\"serialNumber\":\"X\"},{\"serialNumber\":\"SN-A\",\"hardwareIdentifier\":\"%s\"}]}", other);
	file gf[] = { { "g.json", js }, { "bad.csv", "no header here\r\n" } };
	run(&g, gf, 2);
	t = screen_text(&g);
	has(t, "g.json entry 1\n");
	has(t, "Hardware hash  differs: serial, uuid\n");
	has(t, "Not readable   bad.csv: ");
	free(t);
	free(js);
	free(other);
	done(&g);

	world u = { 0 };
	live_a(&u.id);
	file uf[] = { { "u.csv", "Device Serial Number,Hardware Hash\nSN-A,@@@\n" } };
	run(&u, uf, 1);
	t = screen_text(&u);
	has(t, "Hardware hash  cannot be decoded: not valid Base64\n");
	free(t);
	done(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found_clean),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_ambiguous),
		cmocka_unit_test(test_ambiguous_many),
		cmocka_unit_test(test_vendor_model),
		cmocka_unit_test(test_tuple_spelling),
		cmocka_unit_test(test_broken_beside_good),
		cmocka_unit_test(test_none_available),
		cmocka_unit_test(test_hash_other_device),
		cmocka_unit_test(test_hash_other_architecture),
		cmocka_unit_test(test_hash_uuid_swapped),
		cmocka_unit_test(test_hash_components),
		cmocka_unit_test(test_hash_undecodable),
		cmocka_unit_test(test_graph_record),
		cmocka_unit_test(test_screen_text),
	};
	return cmocka_run_group_tests_name("records", tests, NULL, NULL);
}
