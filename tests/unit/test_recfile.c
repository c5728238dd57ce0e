/* The record-file front end: which reader a name gets, the serial filter, errors, and any chunking. */
#include "testutil.h"
#include "recfile.h"

static void test_kind_of(void **state)
{
	(void)state;
	pf_recfile_kind k = (pf_recfile_kind)-1;
	assert_true(pf_recfile_kind_of("devices.csv", &k));
	assert_int_equal(k, PF_RECFILE_CSV);
	assert_true(pf_recfile_kind_of("AUTOPILOT.CSV", &k));
	assert_int_equal(k, PF_RECFILE_CSV);
	assert_true(pf_recfile_kind_of("\\preflight\\records\\export.Json", &k));
	assert_int_equal(k, PF_RECFILE_JSON);
	assert_true(pf_recfile_kind_of("a.b.json", &k));
	assert_int_equal(k, PF_RECFILE_JSON);
	k = (pf_recfile_kind)-1;
	const char *no[] = { "notes.txt", "csv", ".csv", ".json", "x.csv.bak", "x.jsonl", "x.cs", "._devices.csv",
			     "\\records\\._export.json", "", "x.csv ", };
	for (size_t i = 0; i < PF_ARRAY_SIZE(no); i++) {
		assert_false(pf_recfile_kind_of(no[i], &k));
		assert_int_equal(k, (pf_recfile_kind)-1);   /* ret_kind only written on success */
	}
	assert_false(pf_recfile_kind_of(NULL, &k));
}

typedef struct {
	char serials[1024];
	unsigned lines[32];
	pf_record_source sources[32];
	size_t n;
	size_t count;       /* pf_recfile_count at the end */
} seen;

static bool on_record(void *ctx, const pf_record_view *v)
{
	seen *s = ctx;
	assert_true(s->n < 32);
	s->lines[s->n] = v->line;
	s->sources[s->n] = v->source;
	s->n++;
	strncat(s->serials, v->serial.p ? v->serial.p : "(null)", v->serial.p ? v->serial.len : 6);
	strcat(s->serials, ";");
	return true;
}

/* Reads data through a recfile in chunks of `chunk` bytes (0: whole). */
static pf_status read_file(pf_recfile_kind kind, const char *serial, const void *data, size_t len, size_t chunk,
			   seen *s, pf_file_error *ret_err)
{
	memset(s, 0, sizeof(*s));
	pf_recfile *f = pf_recfile_new(kind, serial, on_record, s);
	assert_non_null(f);
	assert_null(pf_recfile_error(f));
	pf_status st = PF_OK;
	const uint8_t *p = data;
	if (!chunk)
		chunk = len ? len : 1;
	for (size_t i = 0; i < len && st == PF_OK; i += chunk)
		st = pf_recfile_feed(f, p + i, PF_MIN(chunk, len - i));
	pf_status fin = pf_recfile_finish(f);
	if (st == PF_OK)
		st = fin;
	/* After an error, further calls give it again. */
	if (st != PF_OK) {
		assert_int_equal(pf_recfile_feed(f, "x", 1), st);
		assert_int_equal(pf_recfile_finish(f), st);
	}
	const pf_file_error *e = pf_recfile_error(f);
	assert_true((e != NULL) == (st != PF_OK));
	if (e && ret_err)
		*ret_err = *e;
	s->count = pf_recfile_count(f);
	pf_recfile_free(f);
	return st;
}

static const char *csv = "\xEF\xBB\xBF\"Device Serial Number\",\"Windows Product ID\",\"Hardware Hash\"\r\n"
			 "\"SN-1\",\"\",\"T0EA\"\r\n"
			 "\"SN-2\",\"\",\"T0EB\"\r\n"
			 "\" sn-1 \",\"\",\"T0EC\"\r\n";

static void test_csv(void **state)
{
	(void)state;
	seen s;
	size_t chunks[] = { 0, 1, 2, 3, 7, 64 };
	for (size_t c = 0; c < PF_ARRAY_SIZE(chunks); c++) {
		/* Filtered by serial: only this device's rows come out. */
		assert_int_equal(read_file(PF_RECFILE_CSV, "SN-1", csv, strlen(csv), chunks[c], &s, NULL), PF_OK);
		assert_string_equal(s.serials, "SN-1; sn-1 ;");
		assert_int_equal(s.count, 3);   /* rows the filter skipped count as read */
		assert_int_equal(s.lines[0], 2);
		assert_int_equal(s.lines[1], 4);
		assert_int_equal(s.sources[0], PF_RECSRC_CSV);
		/* No serial: every row. */
		assert_int_equal(read_file(PF_RECFILE_CSV, NULL, csv, strlen(csv), chunks[c], &s, NULL), PF_OK);
		assert_string_equal(s.serials, "SN-1;SN-2; sn-1 ;");
	}
	/* A serial longer than the filter takes: no filter, every row (the caller compares). */
	char lng[400];
	memset(lng, 'S', sizeof(lng) - 1);
	lng[sizeof(lng) - 1] = '\0';
	assert_int_equal(read_file(PF_RECFILE_CSV, lng, csv, strlen(csv), 0, &s, NULL), PF_OK);
	assert_int_equal(s.n, 3);
}

static void test_csv_utf16(void **state)
{
	(void)state;
	/* What Windows PowerShell 5.1's Out-File writes: UTF-16LE with a BOM. */
	const char *text = "Device Serial Number,Hardware Hash\r\nSN-\xC3\xA9,T0EA\r\n";
	uint8_t buf[256];
	size_t o = 0;
	buf[o++] = 0xFF;
	buf[o++] = 0xFE;
	for (const char *p = text; *p; p++) {
		if ((uint8_t)*p == 0xC3) {
			buf[o++] = 0xE9;    /* é */
			buf[o++] = 0;
			p++;
			continue;
		}
		buf[o++] = (uint8_t)*p;
		buf[o++] = 0;
	}
	seen s;
	for (size_t chunk = 0; chunk < 6; chunk++) {
		assert_int_equal(read_file(PF_RECFILE_CSV, "sn-\xC3\xA9", buf, o, chunk, &s, NULL), PF_OK);
		assert_string_equal(s.serials, "SN-\xC3\xA9;");
	}
}

static const char *json = "{\"@odata.context\":\"x\",\"value\":[\n"
			  "{\"serialNumber\":\"SN-1\",\"model\":\"M\"},\n"
			  "{\"serialNumber\":\"SN-2\"}]}";

static void test_json(void **state)
{
	(void)state;
	seen s;
	for (size_t chunk = 0; chunk < 9; chunk += 4) {
		/* The Graph reader has no filter: every device comes out, whatever the serial. */
		assert_int_equal(read_file(PF_RECFILE_JSON, "SN-1", json, strlen(json), chunk, &s, NULL), PF_OK);
		assert_string_equal(s.serials, "SN-1;SN-2;");
		assert_int_equal(s.count, 2);
		assert_int_equal(s.lines[0], 0);
		assert_int_equal(s.lines[1], 1);
		assert_int_equal(s.sources[0], PF_RECSRC_GRAPH_FILE);
	}
}

static void test_errors(void **state)
{
	(void)state;
	seen s;
	pf_file_error e;
	/* A CSV without a header. */
	const char *nohdr = "Serial,Hash\nA,B\n";
	assert_int_equal(read_file(PF_RECFILE_CSV, NULL, nohdr, strlen(nohdr), 0, &s, &e), PF_ERR_INVALID);
	assert_int_equal(e.line, 1);
	assert_string_equal(e.reason, "no header with a 'Device Serial Number' column");
	/* An empty file of each kind. */
	assert_int_equal(read_file(PF_RECFILE_CSV, NULL, "", 0, 0, &s, &e), PF_ERR_INVALID);
	assert_int_not_equal(read_file(PF_RECFILE_JSON, NULL, "", 0, 0, &s, &e), PF_OK);
	/* Broken JSON after one good device: the device stands, the error names the line. */
	const char *bad = "[{\"serialNumber\":\"SN-1\"},\n{\"serialNumber\":}]";
	assert_int_not_equal(read_file(PF_RECFILE_JSON, NULL, bad, strlen(bad), 3, &s, &e), PF_OK);
	assert_string_equal(s.serials, "SN-1;");
	assert_int_equal(e.line, 2);
	assert_true(strlen(e.reason) > 0);
	/* A CSV given to the JSON reader, and the reverse. */
	assert_int_not_equal(read_file(PF_RECFILE_JSON, NULL, csv, strlen(csv), 0, &s, &e), PF_OK);
	assert_int_equal(read_file(PF_RECFILE_CSV, NULL, json, strlen(json), 0, &s, &e), PF_ERR_INVALID);
	/* An unknown kind gets no reader; freeing NULL is fine. */
	assert_null(pf_recfile_new((pf_recfile_kind)7, NULL, on_record, &s));
	pf_recfile_free(NULL);
	assert_null(pf_recfile_error(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_of),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_utf16),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests_name("recfile", tests, NULL, NULL);
}
