/* The streaming CSV reader: dialect, encodings, limits, the filter, and identical results however the input is cut. */
#include "testutil.h"
#include "csv.h"
#include "utf.h"

/* ---- running the reader and writing down what it did ---- */

typedef struct {
	char *out;
	size_t len, cap;
	int stop_after;     /* stop the read after this many records (0: never) */
	int n;
} transcript;

static void t_add(transcript *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->out = realloc(t->out, t->cap);
		assert_non_null(t->out);
	}
	memcpy(t->out + t->len, s, n);
	t->len += n;
	t->out[t->len] = '\0';
}

static void t_str(transcript *t, const char *s)
{
	t_add(t, s, strlen(s));
}

static void t_span(transcript *t, const char *name, pf_span s)
{
	t_str(t, " ");
	t_str(t, name);
	if (!s.p) {
		t_str(t, "=-");
		return;
	}
	t_str(t, "=[");
	t_add(t, s.p, s.len);
	t_str(t, "]");
}

static bool on_record(void *ctx, const pf_record_view *v)
{
	transcript *t = ctx;
	char line[32];
	assert_int_equal(v->source, PF_RECSRC_CSV);
	assert_null(v->id.p);
	snprintf(line, sizeof(line), "%u:", v->line);
	t_str(t, line);
	t_span(t, "serial", v->serial);
	t_span(t, "pid", v->product_id);
	t_span(t, "hash", v->hash);
	t_span(t, "tag", v->group_tag);
	t_span(t, "user", v->assigned_user);
	t_span(t, "mfr", v->manufacturer);
	t_span(t, "model", v->model);
	t_str(t, "\n");
	return !(t->stop_after && ++t->n >= t->stop_after);
}

/* Chunk sizes: 0 whole, 1 byte by byte, -seed random sizes 1..max, else a split at that byte. */
typedef struct {
	int mode;
	size_t arg;
} cutting;

static char *run(const void *data, size_t len, const char *filter, int stop_after, cutting cut)
{
	pf_csv_reader *r = malloc(sizeof(*r));
	transcript t = { .stop_after = stop_after };
	const uint8_t *p = data;
	pf_status st = PF_OK;
	char tail[300];

	assert_non_null(r);
	pf_csv_init(r, on_record, &t);
	assert_int_equal(pf_csv_set_filter(r, filter), PF_OK);
	t_str(&t, "");
	if (cut.mode == 0) {
		st = pf_csv_feed(r, p, len);
	} else if (cut.mode == 1) {
		for (size_t i = 0; i < len && st == PF_OK; i++)
			st = pf_csv_feed(r, p + i, 1);
	} else if (cut.mode == 2) {
		st = pf_csv_feed(r, p, cut.arg);
		if (st == PF_OK)
			st = pf_csv_feed(r, p + cut.arg, len - cut.arg);
	} else {
		srand((unsigned)cut.arg);
		size_t max = 1 + (size_t)rand() % 9000;
		for (size_t i = 0; i < len && st == PF_OK;) {
			size_t n = 1 + (size_t)rand() % max;
			if (n > len - i)
				n = len - i;
			/* An exact-size copy, so that a read past the chunk is caught. */
			uint8_t *c = malloc(n);
			memcpy(c, p + i, n);
			st = pf_csv_feed(r, c, n);
			free(c);
			i += n;
		}
	}
	pf_status fin = pf_csv_finish(r);
	if (st == PF_OK)
		st = fin;
	else
		assert_int_equal(fin, st);
	const pf_file_error *e = pf_csv_error(r);
	snprintf(tail, sizeof(tail), "status=%d count=%zu enc=%s error=%u:%s\n", st, pf_csv_count(r),
		 pf_encoding_str(pf_csv_encoding(r)), e ? e->line : 0, e ? e->reason : "");
	if (st != PF_OK)
		assert_non_null(e);
	t_str(&t, tail);
	free(r);
	return t.out;
}

/* Runs data whole, then cut every way, asserting the same transcript each time; returns it. */
static char *run_all(const void *data, size_t len, const char *filter, int stop_after)
{
	char *whole = run(data, len, filter, stop_after, (cutting){ 0, 0 });
	char *s = run(data, len, filter, stop_after, (cutting){ 1, 0 });
	assert_string_equal(whole, s);
	free(s);
	/* Every two-chunk split of small inputs; a sample of them for larger ones. */
	size_t step = len <= 600 ? 1 : len / 300;
	for (size_t i = 1; i < len; i += step) {
		s = run(data, len, filter, stop_after, (cutting){ 2, i });
		if (strcmp(whole, s) != 0)
			fail_msg("split at %zu differs:\n%s\nvs whole:\n%s", i, s, whole);
		free(s);
	}
	for (unsigned seed = 1; seed <= 20; seed++) {
		s = run(data, len, filter, stop_after, (cutting){ 3, seed });
		assert_string_equal(whole, s);
		free(s);
	}
	return whole;
}

static void expect(const char *data, const char *filter, const char *want)
{
	char *got = run_all(data, strlen(data), filter, 0);
	assert_string_equal(got, want);
	free(got);
}

#define OKTAIL(n) "status=0 count=" #n " enc=UTF-8 error=0:\n"

/* ---- dialect ---- */

static void test_basic_real(void **state)
{
	(void)state;
	const char *want =
		"2: serial=[PF-1] pid=[] hash=[T0EAAQ==] tag=[Sales] user=[alice@contoso.example] mfr=- model=-\n"
		"3: serial=[PF-2] pid=[00330-80000-00000-AA123] hash=[T0EAAg==] tag=[] user=[] mfr=- model=-\n" OKTAIL(2);
	expect("Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User\r\n"
	       "PF-1,,T0EAAQ==,Sales,alice@contoso.example\r\n"
	       "PF-2,00330-80000-00000-AA123,T0EAAg==,,\r\n",
	       NULL, want);
	/* LF only, no line break after the last row. */
	expect("Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User\n"
	       "PF-1,,T0EAAQ==,Sales,alice@contoso.example\n"
	       "PF-2,00330-80000-00000-AA123,T0EAAg==,,",
	       NULL, want);
	/* A lone CR ends rows too (classic Mac OS). */
	expect("Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User\r"
	       "PF-1,,T0EAAQ==,Sales,alice@contoso.example\r"
	       "PF-2,00330-80000-00000-AA123,T0EAAg==,,\r",
	       NULL, want);
}

static void test_columns(void **state)
{
	(void)state;
	/* Any order, any case, padded names, quoted names, partner columns, an unknown column. */
	expect("  device model ,\"MANUFACTURER NAME\",Notes,hardware hash,  Device Serial Number\t\n"
	       "Surface Laptop 5,Microsoft Corporation,hi,AAAA,SN-1\n",
	       NULL,
	       "2: serial=[SN-1] pid=- hash=[AAAA] tag=- user=- mfr=[Microsoft Corporation] model=[Surface Laptop 5]\n" OKTAIL(1));
	/* Aliases, and the documented name wins over an alias in any column order. */
	expect("Serial Number,Model,Manufacturer,Order ID,Device_Serial_Number\n"
	       "alias,M,V,O,real\n",
	       NULL, "2: serial=[real] pid=- hash=- tag=[O] user=- mfr=[V] model=[M]\n" OKTAIL(1));
	/* Between equal names the leftmost column. */
	expect("SerialNumber,serial number\nleft,right\n", NULL,
	       "2: serial=[left] pid=- hash=- tag=- user=- mfr=- model=-\n" OKTAIL(1));
	/* More fields than the header: ignored; fewer: the rest are absent; values are not trimmed. */
	expect("Device Serial Number,Group Tag,Assigned User\n"
	       "A,t,u,extra,more\n"
	       " B \n"
	       "C,\n",
	       NULL,
	       "2: serial=[A] pid=- hash=- tag=[t] user=[u] mfr=- model=-\n"
	       "3: serial=[ B ] pid=- hash=- tag=- user=- mfr=- model=-\n"
	       "4: serial=[C] pid=- hash=- tag=[] user=- mfr=- model=-\n" OKTAIL(3));
}

static void test_quoting(void **state)
{
	(void)state;
	/* PowerShell's Export-Csv quotes everything; commas, doubled quotes and line breaks inside. */
	expect("\"Device Serial Number\",\"Windows Product ID\",\"Hardware Hash\",\"Group Tag\"\r\n"
	       "\"PF,1\",\"say \"\"hi\"\"\",\"AB\r\nCD\",\"multi\nline\"\r\n"
	       "\"PF-2\",\"\",\"\"\"\",\"x\"\r\n",
	       NULL,
	       "2: serial=[PF,1] pid=[say \"hi\"] hash=[AB\r\nCD] tag=[multi\nline] user=- mfr=- model=-\n"
	       "5: serial=[PF-2] pid=[] hash=[\"] tag=[x] user=- mfr=- model=-\n" OKTAIL(2));
	/* Lenient, as Python's csv: a quote inside an unquoted field is data; text after a closing
	 * quote joins the field; a quote only opens at a field's first byte. */
	expect("Device Serial Number,Group Tag,Model\n"
	       "ab\"c,\"q\"tail\"x, \"sp\"\n",
	       NULL, "2: serial=[ab\"c] pid=- hash=- tag=[qtail\"x] user=- mfr=- model=[ \"sp\"]\n" OKTAIL(1));
	/* A quoted field ending the file without a line break. */
	expect("Device Serial Number,Group Tag\nA,\"t\"", NULL,
	       "2: serial=[A] pid=- hash=- tag=[t] user=- mfr=- model=-\n" OKTAIL(1));
	/* CR alone and CR LF inside quotes count as one line each. */
	expect("Device Serial Number,Group Tag\nA,\"1\r2\r\n3\n4\"\nB,x\n", NULL,
	       "2: serial=[A] pid=- hash=- tag=[1\r2\r\n3\n4] user=- mfr=- model=-\n"
	       "6: serial=[B] pid=- hash=- tag=[x] user=- mfr=- model=-\n" OKTAIL(2));
}

static void test_blank_rows(void **state)
{
	(void)state;
	expect("\r\n\n#TYPE System.Management.Automation.PSCustomObject\r\n"
	       "Device Serial Number,Group Tag\r\n"
	       "\r\n"
	       "A,x\r\n"
	       "   \r\n"
	       ",,,,\r\n"
	       "\"\",\" \"\r\n"
	       "B,y\r\n"
	       "\r\n\r\n,\r\n",
	       NULL,
	       "6: serial=[A] pid=- hash=- tag=[x] user=- mfr=- model=-\n"
	       "10: serial=[B] pid=- hash=- tag=[y] user=- mfr=- model=-\n" OKTAIL(2));
	/* A row with an empty serial is a row all the same. */
	expect("Device Serial Number,Group Tag\n,x\n", NULL,
	       "2: serial=[] pid=- hash=- tag=[x] user=- mfr=- model=-\n" OKTAIL(1));
	/* A header alone: no records, no error. */
	expect("Device Serial Number\r\n\r\n", NULL, OKTAIL(0));
}

/* ---- errors ---- */

static void test_errors(void **state)
{
	(void)state;
	expect("Serial,Hash\nA,B\n", NULL,
	       "status=1 count=0 enc=UTF-8 error=1:no header with a 'Device Serial Number' column\n");
	expect("\n\nWindows Product ID,Hardware Hash\nA,B\n", NULL,
	       "status=1 count=0 enc=UTF-8 error=3:no header with a 'Device Serial Number' column\n");
	expect("", NULL, "status=1 count=0 enc=UTF-8 error=1:empty file: no header with a 'Device Serial Number' column\n");
	expect("\r\n , \r\n", NULL,
	       "status=1 count=0 enc=UTF-8 error=1:empty file: no header with a 'Device Serial Number' column\n");
	/* An unterminated quote names the line where it opened; earlier rows stand. */
	expect("Device Serial Number,Group Tag\nA,x\nB,\"open\nstill\nopen\n", NULL,
	       "2: serial=[A] pid=- hash=- tag=[x] user=- mfr=- model=-\n"
	       "status=2 count=1 enc=UTF-8 error=3:quote opened on line 3 is not closed\n");
	expect("Device Serial Number\n\"", NULL, "status=2 count=0 enc=UTF-8 error=2:quote opened on line 2 is not closed\n");
}

static char *big_row_file(size_t field, size_t fields, size_t *ret_len)
{
	const char *hdr = "Device Serial Number,Hardware Hash,Group Tag,Model\nfirst,h,t,m\n";
	size_t n = strlen(hdr) + 8 + fields * (field + 1) + 32;
	char *s = malloc(n);
	size_t o = strlen(hdr);
	memcpy(s, hdr, o);
	memcpy(s + o, "second", 6);
	o += 6;
	for (size_t f = 0; f < fields; f++) {
		s[o++] = ',';
		memset(s + o, 'A' + (int)f, field);
		o += field;
	}
	memcpy(s + o, "\nthird,h\n", 9);
	o += 9;
	*ret_len = o;
	return s;
}

static void check_big(size_t field, size_t fields, const char *want_tail)
{
	size_t len;
	char *s = big_row_file(field, fields, &len);
	char *got = run_all(s, len, NULL, 0);
	const char *first = "2: serial=[first] pid=- hash=[h] tag=[t] user=- mfr=- model=[m]\n";
	size_t n = strlen(got), t = strlen(want_tail);
	if (strncmp(got, first, strlen(first)) != 0 || n < t || strcmp(got + n - t, want_tail) != 0)
		fail_msg("got:\n%.400s\n...%s\nwant tail:\n%s", got, n > 100 ? got + n - 100 : got, want_tail);
	free(got);
	free(s);
}

static void test_limits(void **state)
{
	(void)state;
	/* Exactly at the field limit: read. */
	size_t len;
	char *s = big_row_file(PF_CSV_MAX_FIELD, 1, &len);
	char *got = run(s, len, NULL, 0, (cutting){ 3, 7 });
	assert_non_null(strstr(got, "status=0 count=3"));
	free(got);
	free(s);
	/* One byte over: an error at the row's line; the row after it is never read. */
	check_big(PF_CSV_MAX_FIELD + 1, 1, "status=10 count=1 enc=UTF-8 error=3:field longer than 65536 bytes\n");
	/* Fields within the limit, the row over it. */
	check_big(40000, 4, "status=10 count=1 enc=UTF-8 error=3:row longer than 131072 bytes\n");
	/* Both: whichever limit was crossed first, wherever the chunks were cut. */
	check_big(70000, 2, "status=10 count=1 enc=UTF-8 error=3:field longer than 65536 bytes\n");
	check_big(60000, 2, "status=0 count=3 enc=UTF-8 error=0:\n");
	/* A third field of 100000 after two of 60000: the row crosses 131072 before the field 65536. */
	const char *hdr = "Device Serial Number,Model\n";
	size_t n = strlen(hdr) + 220000 + 8;
	s = malloc(n);
	size_t o = strlen(hdr);
	memcpy(s, hdr, o);
	s[o++] = 'x';
	size_t sizes[] = { 60000, 60000, 100000 };
	for (int f = 0; f < 3; f++) {
		s[o++] = ',';
		memset(s + o, 'z', sizes[f]);
		o += sizes[f];
	}
	for (int mode = 0; mode < 4; mode++) {
		got = run(s, o, NULL, 0, (cutting){ mode, mode == 2 ? 130000u : 5u });
		assert_string_equal(got, "status=10 count=0 enc=UTF-8 error=2:row longer than 131072 bytes\n");
		free(got);
	}
	/* An unterminated quote running past the row limit is a long row. */
	memcpy(s + strlen(hdr), "x,\"", 3);
	for (int mode = 0; mode < 4; mode++) {
		got = run(s, o, NULL, 0, (cutting){ mode, mode == 2 ? 70000u : 9u });
		assert_string_equal(got, "status=10 count=0 enc=UTF-8 error=2:field longer than 65536 bytes\n");
		free(got);
	}
	free(s);
}

/* ---- filter, stopping ---- */

static void test_filter(void **state)
{
	(void)state;
	const char *csv = "Device Serial Number,Group Tag\n"
			  "PF-1,a\n"
			  " pf-2 ,b\n"
			  "PF-3,c\n"
			  "\"PF-2\",d\n"
			  "PF-22,e\n"
			  "PF-\"2,f\n";
	expect(csv, "  PF-2\t",
	       "3: serial=[ pf-2 ] pid=- hash=- tag=[b] user=- mfr=- model=-\n"
	       "5: serial=[PF-2] pid=- hash=- tag=[d] user=- mfr=- model=-\n" OKTAIL(6));
	expect(csv, "PF-\"2", "7: serial=[PF-\"2] pid=- hash=- tag=[f] user=- mfr=- model=-\n" OKTAIL(6));
	expect(csv, "nope", OKTAIL(6));
	/* A row without a serial field never matches. */
	expect("Group Tag,Device Serial Number\nx\n", "", OKTAIL(1));

	pf_csv_reader *r = malloc(sizeof(*r));
	char big[PF_CSV_FILTER_MAX + 2];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	pf_csv_init(r, on_record, NULL);
	assert_int_equal(pf_csv_set_filter(r, big), PF_ERR_TOO_BIG);
	big[PF_CSV_FILTER_MAX] = '\0';
	assert_int_equal(pf_csv_set_filter(r, big), PF_OK);
	assert_int_equal(pf_csv_set_filter(r, NULL), PF_OK);
	free(r);
}

static void test_stop(void **state)
{
	(void)state;
	const char *csv = "Device Serial Number\nA\nB\nC\n\"open";
	char *got = run_all(csv, strlen(csv), NULL, 2);
	/* Stopping is no error, and what follows (here an unterminated quote) is never read. */
	assert_string_equal(got, "2: serial=[A] pid=- hash=- tag=- user=- mfr=- model=-\n"
				 "3: serial=[B] pid=- hash=- tag=- user=- mfr=- model=-\n" OKTAIL(2));
	free(got);
}

/* ---- encodings ---- */

/* UTF-8 text to UTF-16 (le or be), with a BOM when asked. */
static uint8_t *to_utf16(const char *s, bool le, bool bom, size_t *ret_len)
{
	size_t n = strlen(s), o = 0, i = 0;
	uint8_t *out = malloc(n * 4 + 4);
	uint16_t units[2];
#define PUT(u) do { out[o + (le ? 0 : 1)] = (uint8_t)(u); out[o + (le ? 1 : 0)] = (uint8_t)((u) >> 8); o += 2; } while (0)
	if (bom)
		PUT(0xFEFF);
	while (i < n) {
		size_t used;
		uint32_t cp = pf_utf8_get((const uint8_t *)s + i, n - i, &used);
		i += used;
		size_t k = 0;
		if (cp >= 0x10000) {
			units[k++] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
			units[k++] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
		} else {
			units[k++] = (uint16_t)cp;
		}
		for (size_t u = 0; u < k; u++)
			PUT(units[u]);
	}
#undef PUT
	*ret_len = o;
	return out;
}

static const char *intl_csv =
	"Device Serial Number,Manufacturer name,Device model,Assigned User\r\n"
	"SN-\xC3\xA9,Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale,\"Mod\xC3\xA8le \"\"\xE2\x82\xAC\"\"\",\xF0\x9F\x98\x80@x\r\n"
	"SN-2,\xE4\xB8\xAD\xE6\x96\x87,\"a\r\nb\",\r\n";
static const char *intl_want =
	"2: serial=[SN-\xC3\xA9] pid=- hash=- tag=- user=[\xF0\x9F\x98\x80@x] mfr=[Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale] model=[Mod\xC3\xA8le \"\xE2\x82\xAC\"]\n"
	"3: serial=[SN-2] pid=- hash=- tag=- user=[] mfr=[\xE4\xB8\xAD\xE6\x96\x87] model=[a\r\nb]\n";

static void expect_enc(const void *data, size_t len, const char *enc, const char *want_rows)
{
	char want[1024];
	snprintf(want, sizeof(want), "%sstatus=0 count=2 enc=%s error=0:\n", want_rows, enc);
	char *got = run_all(data, len, NULL, 0);
	assert_string_equal(got, want);
	free(got);
}

static void test_utf16(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = to_utf16(intl_csv, true, true, &len);
	expect_enc(b, len, "UTF-16LE", intl_want);
	free(b);
	b = to_utf16(intl_csv, false, true, &len);
	expect_enc(b, len, "UTF-16BE", intl_want);
	free(b);
	/* Without a BOM: the NUL in the header's first character gives it away. */
	b = to_utf16(intl_csv, true, false, &len);
	expect_enc(b, len, "UTF-16LE", intl_want);
	free(b);
	b = to_utf16(intl_csv, false, false, &len);
	expect_enc(b, len, "UTF-16BE", intl_want);
	free(b);

	/* Unpaired surrogates and an odd last byte become U+FFFD, as pf_to_utf8 makes them. */
	const uint8_t bad[] = { 0xFF, 0xFE, 'D', 0, 'e', 0, 'v', 0, 'i', 0, 'c', 0, 'e', 0, ' ', 0, 'S', 0, 'e', 0, 'r', 0,
				'i', 0, 'a', 0, 'l', 0, ' ', 0, 'N', 0, 'u', 0, 'm', 0, 'b', 0, 'e', 0, 'r', 0, '\n', 0,
				'a', 0, 0x00, 0xD8, 'b', 0, 0x00, 0xDC, '\n', 0, 'c', 0, 0x3D, 0xD8, 'x' };
	char *got = run_all(bad, sizeof(bad), NULL, 0);
	assert_string_equal(got, "2: serial=[a\xEF\xBF\xBD" "b\xEF\xBF\xBD] pid=- hash=- tag=- user=- mfr=- model=-\n"
				 "3: serial=[c\xEF\xBF\xBD\xEF\xBF\xBD] pid=- hash=- tag=- user=- mfr=- model=-\n"
				 "status=0 count=2 enc=UTF-16LE error=0:\n");
	free(got);
}

static void test_utf8_bom(void **state)
{
	(void)state;
	char buf[1024];
	snprintf(buf, sizeof(buf), "\xEF\xBB\xBF%s", intl_csv);
	expect_enc(buf, strlen(buf), "UTF-8", intl_want);
	expect_enc(intl_csv, strlen(intl_csv), "UTF-8", intl_want);
}

static void test_cp1252(void **state)
{
	(void)state;
	/* Windows-1252 ("ANSI"): é is E9, € is 80, ’ is 92. */
	const char *ansi = "Device Serial Number,Manufacturer name,Device model\r\n"
			   "SN-\xE9,Soci\xE9t\xE9,\"\x80 \x92\"\r\n"
			   "SN-2,x,y\r\n";
	char *got = run_all(ansi, strlen(ansi), NULL, 0);
	assert_string_equal(got, "2: serial=[SN-\xC3\xA9] pid=- hash=- tag=- user=- mfr=[Soci\xC3\xA9t\xC3\xA9] model=[\xE2\x82\xAC \xE2\x80\x99]\n"
				 "3: serial=[SN-2] pid=- hash=- tag=- user=- mfr=[x] model=[y]\n"
				 "status=0 count=2 enc=Windows-1252 error=0:\n");
	free(got);

	/* ASCII for its first 4 KiB, so judged UTF-8; a later field that is not UTF-8 is read as
	 * Windows-1252, a valid one as UTF-8. */
	size_t cap = 16384, o = 0;
	char *s = malloc(cap);
	o += (size_t)sprintf(s, "Device Serial Number,Hardware Hash,Manufacturer name\r\nA,");
	memset(s + o, 'Q', 5000);
	o += 5000;
	o += (size_t)sprintf(s + o, ",plain\r\nB,h,Soci\xE9t\xE9\r\nC,h,Soci\xC3\xA9t\xC3\xA9\r\n\"D\xE9\",\"x\"\"\xE9\",\xE9\r\n");
	got = run_all(s, o, NULL, 0);
	const char *tail = strstr(got, "3: ");
	assert_non_null(tail);
	assert_string_equal(tail, "3: serial=[B] pid=- hash=[h] tag=- user=- mfr=[Soci\xC3\xA9t\xC3\xA9] model=-\n"
				  "4: serial=[C] pid=- hash=[h] tag=- user=- mfr=[Soci\xC3\xA9t\xC3\xA9] model=-\n"
				  "5: serial=[D\xC3\xA9] pid=- hash=[x\"\xC3\xA9] tag=- user=- mfr=[\xC3\xA9] model=-\n"
				  "status=0 count=4 enc=UTF-8 error=0:\n");
	free(got);
	/* The filter compares the converted serial. */
	got = run_all(s, o, "d\xC3\xA9", 0);
	assert_string_equal(got, "5: serial=[D\xC3\xA9] pid=- hash=[x\"\xC3\xA9] tag=- user=- mfr=[\xC3\xA9] model=-\n"
				 "status=0 count=4 enc=UTF-8 error=0:\n");
	free(got);
	free(s);
}

/* ---- bulk: long rows across chunk boundaries, and a reference parser on random text ---- */

static void test_many_rows(void **state)
{
	(void)state;
	size_t rows = 300, cap = rows * 4200 + 200, o = 0;
	char *s = malloc(cap);
	o += (size_t)sprintf(s, "Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User\r\n");
	srand(42);
	for (size_t i = 1; i <= rows; i++) {
		o += (size_t)sprintf(s + o, "PF-%06zu,,", i);
		size_t h = 3000 + (size_t)rand() % 1200;
		static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		for (size_t k = 0; k < h; k++)
			s[o++] = b64[rand() % 64];
		o += (size_t)sprintf(s + o, "==,Tag,u%zu@x\r\n", i);
	}
	char *whole = run(s, o, NULL, 0, (cutting){ 0, 0 });
	for (unsigned seed = 1; seed <= 10; seed++) {
		char *c = run(s, o, NULL, 0, (cutting){ 3, seed });
		assert_string_equal(whole, c);
		free(c);
	}
	char *bytes = run(s, o, NULL, 0, (cutting){ 1, 0 });
	assert_string_equal(whole, bytes);
	free(bytes);
	assert_non_null(strstr(whole, "status=0 count=300 "));
	assert_non_null(strstr(whole, "301: serial=[PF-000300] pid=[] hash=["));
	char *one = run(s, o, "pf-000300", 0, (cutting){ 3, 5 });
	assert_memory_equal(one, "301: serial=[PF-000300] pid=[] hash=[", 37);
	assert_non_null(strstr(one, "==] tag=[Tag] user=[u300@x] mfr=- model=-\nstatus=0 count=300 "));
	free(one);
	free(whole);
	free(s);
}

/* The dialect again, byte by byte and as plainly as possible, over a whole buffer. */
static char *reference(const char *s, size_t n)
{
	transcript t = { 0 };
	char **fields = calloc(n + 2, sizeof(char *));
	size_t *flen = calloc(n + 2, sizeof(size_t));
	unsigned line = 1, row_line = 1, quote_line = 0;
	size_t i = 0, count = 0;
	bool header = false;
	char tail[200];
	t_str(&t, "");
	while (i < n) {
		/* one row */
		size_t nf = 0;
		bool row_end = false;
		row_line = line;
		if (s[i] == '\n' && i > 0 && s[i - 1] == '\r') {
			i++;
			continue;
		}
		while (!row_end) {
			char *f = malloc(n + 1);
			size_t fl = 0;
			if (i < n && s[i] == '"') {
				quote_line = line;
				i++;
				for (;;) {
					if (i >= n) {
						snprintf(tail, sizeof(tail), "status=2 count=%zu error=%u:quote opened on line %u is not closed\n", count, quote_line, quote_line);
						t_str(&t, tail);
						free(f);
						for (size_t k = 0; k < nf; k++)
							free(fields[k]);
						goto out;
					}
					if (s[i] == '"') {
						if (i + 1 < n && s[i + 1] == '"') {
							f[fl++] = '"';
							i += 2;
							continue;
						}
						i++;
						break;
					}
					if (s[i] == '\r' || (s[i] == '\n' && !(i > 0 && s[i - 1] == '\r')))
						line++;
					f[fl++] = s[i++];
				}
			}
			while (i < n && s[i] != ',' && s[i] != '\r' && s[i] != '\n')
				f[fl++] = s[i++];
			fields[nf] = f;
			flen[nf++] = fl;
			if (i >= n) {
				row_end = true;
			} else if (s[i] == ',') {
				i++;
			} else {
				line++;
				i++;
				row_end = true;
			}
		}
		bool is_blank = true;
		for (size_t k = 0; k < nf; k++)
			for (size_t c = 0; c < flen[k]; c++)
				if (!strchr(" \t\r\n\f\v", fields[k][c]))
					is_blank = false;
		if (!is_blank) {
			if (!header) {
				/* The fixed header of the random test. */
				assert_true(nf == 3 && flen[0] == 20);
				header = true;
			} else {
				count++;
				snprintf(tail, sizeof(tail), "%u:", row_line);
				t_str(&t, tail);
				t_span(&t, "serial", nf > 0 ? (pf_span){ fields[0], flen[0] } : (pf_span){ 0 });
				t_span(&t, "pid", (pf_span){ 0 });
				t_span(&t, "hash", (pf_span){ 0 });
				t_span(&t, "tag", nf > 2 ? (pf_span){ fields[2], flen[2] } : (pf_span){ 0 });
				t_span(&t, "user", (pf_span){ 0 });
				t_span(&t, "mfr", nf > 1 ? (pf_span){ fields[1], flen[1] } : (pf_span){ 0 });
				t_span(&t, "model", (pf_span){ 0 });
				t_str(&t, "\n");
			}
		}
		for (size_t k = 0; k < nf; k++)
			free(fields[k]);
	}
	snprintf(tail, sizeof(tail), "status=0 count=%zu error=0:\n", count);
	t_str(&t, tail);
out:
	free(fields);
	free(flen);
	return t.out;
}

/* The reader's transcript without its enc= part, to compare with the reference's. */
static void drop_enc(char *s)
{
	char *e = strstr(s, " enc=");
	assert_non_null(e);
	char *sp = strchr(e + 1, ' ');
	memmove(e, sp, strlen(sp) + 1);
}

static void test_random_against_reference(void **state)
{
	(void)state;
	static const char *const atoms[] = { "a", "b", "Z9", ",", ",", "\"", "\"\"", "\r", "\n", "\r\n", " ", "\t", "x,y", "\"q\"", "#" };
	const char *hdr = "Device Serial Number,Manufacturer,Group Tag\n";
	srand(7);
	for (int iter = 0; iter < 400; iter++) {
		char s[400];
		size_t o = (size_t)sprintf(s, "%s", hdr);
		int atoms_n = rand() % 40;
		for (int k = 0; k < atoms_n; k++) {
			const char *a = atoms[rand() % (int)PF_ARRAY_SIZE(atoms)];
			o += (size_t)sprintf(s + o, "%s", a);
		}
		char *want = reference(s, o);
		char *got = run(s, o, NULL, 0, (cutting){ 0, 0 });
		drop_enc(got);
		if (strcmp(got, want) != 0)
			fail_msg("input %d [%s]:\nreader:\n%s\nreference:\n%s", iter, s, got, want);
		free(got);
		for (int c = 0; c < 3; c++) {
			got = run(s, o, NULL, 0, c == 0 ? (cutting){ 1, 0 } : (cutting){ 2, (size_t)rand() % o });
			drop_enc(got);
			assert_string_equal(got, want);
			free(got);
		}
		free(want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_real),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_blank_rows),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_utf8_bom),
		cmocka_unit_test(test_cp1252),
		cmocka_unit_test(test_many_rows),
		cmocka_unit_test(test_random_against_reference),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
