/* The Graph export reader: document shapes, members, nulls, skipped nesting, errors, limits, numbering, chunking. */
#include "testutil.h"
#include "buf.h"
#include "graph.h"

/* ---- records as text: "#line name=value;..." for the present fields, one line per record ---- */

typedef struct {
	pf_buf out;
	size_t stop_after;   /* 0: never stop */
	size_t seen;
} sink;

static void put_field(pf_buf *b, const char *name, pf_span s)
{
	if (s.p)
		pf_buf_printf(b, " %s=%.*s", name, (int)s.len, s.p);
}

static bool on_record(void *ctx, const pf_record_view *v)
{
	sink *k = ctx;

	assert_int_equal(v->source, PF_RECSRC_GRAPH_FILE);
	pf_buf_printf(&k->out, "#%u", v->line);
	put_field(&k->out, "serial", v->serial);
	put_field(&k->out, "pk", v->product_id);
	put_field(&k->out, "hash", v->hash);
	put_field(&k->out, "tag", v->group_tag);
	put_field(&k->out, "user", v->assigned_user);
	put_field(&k->out, "mfr", v->manufacturer);
	put_field(&k->out, "model", v->model);
	put_field(&k->out, "id", v->id);
	put_field(&k->out, "enroll", v->enrollment_state);
	put_field(&k->out, "profile", v->profile_status);
	put_field(&k->out, "po", v->purchase_order);
	put_field(&k->out, "name", v->display_name);
	put_field(&k->out, "aad", v->aad_device_id);
	put_field(&k->out, "managed", v->managed_device_id);
	put_field(&k->out, "sku", v->sku);
	put_field(&k->out, "family", v->system_family);
	put_field(&k->out, "contact", v->last_contacted);
	pf_buf_putc(&k->out, '\n');
	k->seen++;
	return !(k->stop_after && k->seen >= k->stop_after);
}

typedef struct {
	pf_status status;
	char *records;
	size_t count, dropped;
	unsigned err_line;
	char reason[160];
} outcome;

static pf_graph_reader reader; /* about 90 KiB: not on the stack */
static uint64_t rng_state = 88172645463325252ull;

static size_t rnd(size_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (size_t)(rng_state % n);
}

/* chunk: 0 whole, 1 byte by byte, -1 random sizes. */
static outcome read_doc(const void *doc, size_t len, int chunk, size_t stop_after)
{
	sink k = { .stop_after = stop_after };
	outcome o = { 0 };
	const uint8_t *p = doc;
	size_t i = 0;
	pf_status st = PF_OK;

	pf_graph_init(&reader, on_record, &k);
	while (i < len && st == PF_OK) {
		size_t n = chunk == 0 ? len - i : chunk > 0 ? (size_t)chunk : 1 + rnd(200);
		n = PF_MIN(n, len - i);
		st = pf_graph_feed(&reader, p + i, n);
		i += n;
	}
	if (st == PF_OK)
		st = pf_graph_finish(&reader);
	o.status = st;
	o.count = pf_graph_count(&reader);
	o.dropped = pf_graph_dropped(&reader);
	const pf_file_error *e = pf_graph_error(&reader);
	assert_true((st == PF_OK) == (e == NULL));
	if (e) {
		o.err_line = e->line;
		pf_strlcpy(o.reason, e->reason, sizeof(o.reason));
	}
	pf_buf_putc(&k.out, '\0');
	assert_false(k.out.oom);
	o.records = pf_buf_steal(&k.out, NULL);
	assert_int_equal(k.seen, o.count);
	return o;
}

/* Whole, byte by byte and random chunks agree; returns the whole-buffer outcome. */
static outcome read_all_ways(const void *doc, size_t len)
{
	outcome w = read_doc(doc, len, 0, 0);
	for (int k = 0; k < 4; k++) {
		outcome o = read_doc(doc, len, k == 0 ? 1 : -1, 0);
		assert_int_equal(o.status, w.status);
		assert_string_equal(o.records, w.records);
		assert_string_equal(o.reason, w.reason);
		assert_int_equal(o.count, w.count);
		assert_int_equal(o.dropped, w.dropped);
		free(o.records);
	}
	return w;
}

static outcome read_str(const char *doc)
{
	return read_all_ways(doc, strlen(doc));
}

/* Reads a document that must parse and checks its records. */
static void expect_records(const char *doc, const char *records)
{
	outcome o = read_str(doc);
	if (o.status != PF_OK)
		fail_msg("%s\n-> error %s", doc, o.reason);
	if (strcmp(o.records, records) != 0)
		fail_msg("%s\n-> got:\n%swant:\n%s", doc, o.records, records);
	free(o.records);
}

/* ---- shapes ---- */

static const char full_device[] =
	"{\"@odata.type\":\"#microsoft.graph.windowsAutopilotDeviceIdentity\",\"id\":\"ID1\","
	"\"deploymentProfileAssignmentStatus\":\"assignedInSync\",\"groupTag\":\"Sales\","
	"\"purchaseOrderIdentifier\":\"PO1\",\"serialNumber\":\"SN1\",\"productKey\":\"PK1\","
	"\"manufacturer\":\"HP\",\"model\":\"EliteBook\",\"enrollmentState\":\"notContacted\","
	"\"lastContactedDateTime\":\"0001-01-01T00:00:00Z\",\"addressableUserName\":\"Ann\","
	"\"userPrincipalName\":\"ann@contoso.com\",\"skuNumber\":\"SKU1\",\"systemFamily\":\"Fam\","
	"\"azureActiveDirectoryDeviceId\":\"AAD1\",\"managedDeviceId\":\"MD1\",\"displayName\":\"PC1\","
	"\"hardwareIdentifier\":\"T0EAAQ==\"}";

static const char full_record[] =
	"#0 serial=SN1 pk=PK1 hash=T0EAAQ== tag=Sales user=ann@contoso.com mfr=HP model=EliteBook id=ID1 "
	"enroll=notContacted profile=assignedInSync po=PO1 name=PC1 aad=AAD1 managed=MD1 sku=SKU1 family=Fam "
	"contact=0001-01-01T00:00:00Z\n";

static void test_single_object(void **state)
{
	(void)state;
	expect_records(full_device, full_record);
	expect_records(" \r\n{\"serialNumber\" : \"X\" }\r\n", "#0 serial=X\n");
}

static void test_page(void **state)
{
	(void)state;
	char doc[2048];
	snprintf(doc, sizeof(doc),
		 "{\"@odata.context\":\"https://graph.microsoft.com/beta/$metadata#x\",\"@odata.count\":2,"
		 "\"value\":[%s,{\"serialNumber\":\"SN2\"}],\"@odata.nextLink\":\"https://next\"}", full_device);
	char want[1024];
	snprintf(want, sizeof(want), "%s#1 serial=SN2\n", full_record);
	expect_records(doc, want);

	/* A real-looking export: UTF-8 BOM, CRLF, pretty-printed (tests/unit/data/json/graph_export.json). */
	size_t len;
	char *file = test_read_file("tests/unit/data/json/graph_export.json", &len);
	outcome o = read_all_ways(file, len);
	assert_int_equal(o.status, PF_OK);
	assert_int_equal(o.count, 3);
	assert_string_equal(o.records,
		"#0 serial=CND1234XYZ pk= hash=T0EBAAQAAAAAAAAA tag=Sales user= mfr=HP model=HP EliteBook 840 G8 Notebook PC "
		"id=6b7d1e1c-8f0a-4c1d-9a7e-3f1f1a2b3c01 enroll=notContacted profile=assignedInSync po=PO-1234 name= "
		"aad=8a6e0e6b-1111-2222-3333-444455556601 managed=00000000-0000-0000-0000-000000000000 sku= family= "
		"contact=0001-01-01T00:00:00Z\n"
		"#1 serial=5CG0000ABC pk= user=j\xC3\xBCrgen@contoso.com mfr=HP model=HP EliteBook 840 G8 Notebook PC "
		"id=6b7d1e1c-8f0a-4c1d-9a7e-3f1f1a2b3c02 enroll=enrolled profile=assignedInSync po=PO-1234 name= "
		"aad=8a6e0e6b-1111-2222-3333-444455556602 managed=00000000-0000-0000-0000-000000000000 sku= family= "
		"contact=0001-01-01T00:00:00Z\n"
		"#2 serial=PF-0003 pk= tag=Sales user=Ana Lima mfr=HP model=HP EliteBook 840 G8 Notebook PC "
		"id=6b7d1e1c-8f0a-4c1d-9a7e-3f1f1a2b3c03 enroll=notContacted profile=notAssigned po=PO-1234 name= "
		"aad=8a6e0e6b-1111-2222-3333-444455556603 managed=00000000-0000-0000-0000-000000000000 sku= family= "
		"contact=0001-01-01T00:00:00Z\n");
	free(o.records);

	/* The same file as Windows PowerShell's Out-File writes it: UTF-16LE with a BOM. */
	size_t n8 = len - 3;
	uint8_t *u16 = malloc(2 * n8 + 2);
	assert_non_null(u16);
	size_t n16 = 0;
	u16[n16++] = 0xFF;
	u16[n16++] = 0xFE;
	for (size_t i = 3; i < len;) {
		size_t used;
		uint32_t cp = pf_utf8_get((const uint8_t *)file + i, len - i, &used);
		assert_true(cp < 0x10000);
		i += used;
		u16[n16++] = (uint8_t)cp;
		u16[n16++] = (uint8_t)(cp >> 8);
	}
	outcome o16 = read_all_ways(u16, n16);
	outcome o8 = read_doc(file, len, 0, 0);
	assert_int_equal(o16.status, PF_OK);
	assert_string_equal(o16.records, o8.records);
	free(o16.records);
	free(o8.records);
	free(u16);
	free(file);
}

static void test_array_of_pages(void **state)
{
	(void)state;
	size_t len;
	char *file = test_read_file("tests/unit/data/json/graph_pages.json", &len);
	outcome o = read_all_ways(file, len);
	assert_int_equal(o.status, PF_OK);
	assert_int_equal(o.count, 3);
	/* Numbering runs on across pages. */
	assert_non_null(strstr(o.records, "#0 serial=A-0001 "));
	assert_non_null(strstr(o.records, "#1 serial=A-0002 "));
	assert_non_null(strstr(o.records, "#2 serial=A-0003 pk= hash=T0EBAAQAAAAAAAAA "));
	free(o.records);
	free(file);

	expect_records("[{\"value\":[{\"serialNumber\":\"a\"},{\"serialNumber\":\"b\"}]},"
		       " {\"@odata.context\":\"c\",\"value\":[]},"
		       " {\"value\":[{\"serialNumber\":\"c\"}],\"@odata.nextLink\":null}]",
		       "#0 serial=a\n#1 serial=b\n#2 serial=c\n");
}

static void test_plain_array(void **state)
{
	(void)state;
	/* Leniency: ConvertTo-Json of a list gives a bare array of devices. Scalars, non-device objects
	 * and nested arrays in it are skipped. */
	expect_records("[{\"serialNumber\":\"X\"}, 5, \"s\", null, [{\"serialNumber\":\"nested\"}],"
		       " {\"foo\":1}, {\"serialNumber\":\"Y\",\"model\":\"M\"}]",
		       "#0 serial=X\n#1 serial=Y model=M\n");
}

/* ---- members ---- */

static void test_values(void **state)
{
	(void)state;
	/* null is absent; "" is present and empty; numbers and booleans give their text; objects and
	 * arrays are absent; the last duplicate wins; names are matched ignoring ASCII case. */
	expect_records("{\"serialNumber\":\"S\",\"model\":null,\"manufacturer\":\"\",\"purchaseOrderIdentifier\":1234,"
		       "\"skuNumber\":-1.5e3,\"displayName\":true,\"systemFamily\":false,\"groupTag\":{\"a\":1},"
		       "\"id\":[1,2],\"productKey\":\"first\",\"productKey\":\"second\",\"enrollmentState\":\"x\","
		       "\"enrollmentState\":null,\"SERIALNUMBER\":\"S2\",\"ManagedDeviceId\":\"m\"}",
		       "#0 serial=S2 pk=second mfr= po=1234 name=true managed=m sku=-1.5e3 family=false\n");
	/* Escapes are decoded, and the view's spans can hold what JSON can. */
	expect_records("{\"serialNumber\":\"A\\u00e9\\\"\\\\\\/\\n\\ud83d\\ude00\"}",
		       "#0 serial=A\xC3\xA9\"\\/\n\xF0\x9F\x98\x80\n");
}

static void test_assigned_user(void **state)
{
	(void)state;
	expect_records("[{\"serialNumber\":\"1\",\"userPrincipalName\":\"u@x\",\"addressableUserName\":\"A\"},"
		       "{\"serialNumber\":\"2\",\"userPrincipalName\":\"\",\"addressableUserName\":\"A\"},"
		       "{\"serialNumber\":\"3\",\"addressableUserName\":\"A\"},"
		       "{\"serialNumber\":\"4\",\"userPrincipalName\":\"\",\"addressableUserName\":\"\"},"
		       "{\"serialNumber\":\"5\",\"userPrincipalName\":null,\"addressableUserName\":\"\"},"
		       "{\"serialNumber\":\"6\",\"userPrincipalName\":null},"
		       "{\"serialNumber\":\"7\",\"addressableUserName\":\"A\",\"userPrincipalName\":\"u@x\"}]",
		       "#0 serial=1 user=u@x\n#1 serial=2 user=A\n#2 serial=3 user=A\n#3 serial=4 user=\n"
		       "#4 serial=5 user=\n#5 serial=6\n#6 serial=7 user=u@x\n");
}

static void test_unknown_nested(void **state)
{
	(void)state;
	/* Members named like ours deep inside unknown members must not leak into the device, and a
	 * "value" list inside them is not a page. */
	expect_records("{\"extra\":{\"serialNumber\":\"WRONG\",\"value\":[{\"serialNumber\":\"INNER\"}]},"
		       "\"serialNumber\":\"RIGHT\",\"more\":[{\"model\":\"bad\"},[[{\"value\":[{\"serialNumber\":\"I2\"}]}]]],"
		       "\"deep\":[[[[[[[[[[{\"a\":{\"b\":{\"c\":[\"d\"]}}}]]]]]]]]]],\"manufacturer\":\"ok\"}",
		       "#0 serial=RIGHT mfr=ok\n");
	expect_records("{\"value\":[{\"serialNumber\":\"A\",\"groupTag\":\"g\",\"x\":{\"groupTag\":\"bad\"}}],"
		       "\"serialNumber\":\"page-level\",\"nested\":{\"serialNumber\":\"no\"}}",
		       "#0 serial=A tag=g\n");
}

static void test_device_detection(void **state)
{
	(void)state;
	expect_records("[{\"@odata.type\":\"#microsoft.graph.windowsAutopilotDeviceIdentity\",\"model\":\"m\"},"
		       "{\"@odata.type\":\"microsoft.graph.windowsAutopilotDeviceIdentity\",\"id\":\"i\"},"
		       "{\"@odata.type\":\"#microsoft.graph.managedDevice\",\"model\":\"not\"},"
		       "{\"@odata.type\":\"#microsoft.graph.managedDevice\",\"serialNumber\":\"yes\"},"
		       "{\"serialNumber\":null,\"model\":\"nullserial\"},"
		       "{\"model\":\"none\"},"
		       "{\"serialNumber\":{\"odd\":true},\"model\":\"objserial\"}]",
		       "#0 model=m\n#1 id=i\n#2 serial=yes\n#3 model=nullserial\n#4 model=objserial\n");
}

/* ---- numbering ---- */

static void test_index_numbering(void **state)
{
	(void)state;
	/* line counts device objects only, in document order across the file. */
	expect_records("[{\"value\":[{\"serialNumber\":\"a\"},{\"junk\":1},7,{\"serialNumber\":\"b\"}]},"
		       "{\"nothing\":true},"
		       "{\"value\":[{\"@odata.type\":\"#microsoft.graph.windowsAutopilotDeviceIdentity\"},{\"serialNumber\":\"d\"}]}]",
		       "#0 serial=a\n#1 serial=b\n#2\n#3 serial=d\n");
}

static void test_no_devices(void **state)
{
	(void)state;
	static const char *const docs[] = {
		"{\"value\":[]}", "[]", "42", "\"x\"", "null", "{\"foo\":\"bar\"}", "[[{\"serialNumber\":\"deep\"}]]",
		"{\"@odata.context\":\"c\",\"value\":[1,2,\"three\",null,[]]}",
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(docs); i++) {
		outcome o = read_str(docs[i]);
		assert_int_equal(o.status, PF_OK);
		assert_int_equal(o.count, 0);
		assert_string_equal(o.records, "");
		free(o.records);
	}
}

/* ---- errors and limits ---- */

static void test_bad_documents(void **state)
{
	(void)state;
	static const struct {
		const char *doc;
		pf_status st;
		unsigned line;
		const char *reason;
		const char *records;
	} cases[] = {
		{ "{\"value\":[\n  {\"serialNumber\":\"a\"},\n  {\"serialNumber\":\"b\"},\n]}", PF_ERR_INVALID, 4,
		  "line 4, column 1: trailing comma before ']'", "#0 serial=a\n#1 serial=b\n" },
		{ "{\"value\":[\n  {\"serialNumber\":\"a\"}\n  {\"serialNumber\":\"b\"}]}", PF_ERR_INVALID, 3,
		  "line 3, column 3: expected ',' or ']'", "#0 serial=a\n" },
		{ "{\"serialNumber\" \"a\"}", PF_ERR_INVALID, 1, "line 1, column 17: expected ':' after the key", "" },
		{ "{\"value\":[{\"serialNumber\":\"a\"}", PF_ERR_TRUNCATED, 1, "line 1, column 31: unexpected end of input",
		  "#0 serial=a\n" },
		{ "{\"serialNumber\":\"a\"", PF_ERR_TRUNCATED, 1, "line 1, column 20: unexpected end of input", "" },
		{ "{\"serialNumber\":\"a}", PF_ERR_TRUNCATED, 1, "line 1, column 20: unexpected end of input inside a string",
		  "" },
		{ "", PF_ERR_TRUNCATED, 1, "line 1, column 1: no JSON value (the input is empty)", "" },
		{ "Serial Number,Windows Product ID,Hardware Hash\r\n", PF_ERR_INVALID, 1,
		  "line 1, column 1: expected a value", "" },
		{ "[{\"serialNumber\":\"a\"}]\n[{\"serialNumber\":\"b\"}]", PF_ERR_INVALID, 2,
		  "line 2, column 1: unexpected data after the top-level value", "#0 serial=a\n" },
		{ "{\"serialNumber\":\"a\",\"model\":tru}", PF_ERR_INVALID, 1,
		  "line 1, column 32: invalid literal (expected true, false or null)", "" },
		{ "{\"serialNumber\":\"a\",\"purchaseOrderIdentifier\":012}", PF_ERR_INVALID, 1,
		  "line 1, column 48: leading zeros are not allowed", "" },
		{ "{\"serialNumber\":\"a\x01\"}", PF_ERR_INVALID, 1,
		  "line 1, column 19: control character in string (must be escaped)", "" },
		{ "{\"serialNumber\":\"\xff\"}", PF_ERR_INVALID, 1, "line 1, column 18: invalid UTF-8", "" },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		outcome o = read_str(cases[i].doc);
		if (o.status != cases[i].st || o.err_line != cases[i].line || strcmp(o.reason, cases[i].reason) ||
		    strcmp(o.records, cases[i].records))
			fail_msg("case %zu: got %d line %u \"%s\" records \"%s\"", i, o.status, o.err_line, o.reason,
				 o.records);
		/* The error is sticky. */
		assert_int_equal(pf_graph_feed(&reader, "{}", 2), cases[i].st);
		assert_int_equal(pf_graph_finish(&reader), cases[i].st);
		free(o.records);
	}

	/* Nesting past the tokenizer's limit inside a device. */
	char deep[400];
	size_t n = (size_t)snprintf(deep, sizeof(deep), "{\"serialNumber\":\"a\",\"x\":");
	memset(deep + n, '[', 64);
	deep[n + 64] = '\0';
	outcome o = read_str(deep);
	assert_int_equal(o.status, PF_ERR_TOO_BIG);
	assert_string_equal(o.reason, "line 1, column 88: nesting deeper than 64 levels");
	free(o.records);
}

static void test_overlong(void **state)
{
	(void)state;
	size_t cap = 3 * PF_JSONSCAN_MAX_VALUE;
	char *doc = malloc(cap);
	assert_non_null(doc);
	static const struct {
		const char *name;
		size_t len;
		bool kept;
	} cases[] = {
		{ "serialNumber", PF_GRAPH_FIELD_MAX, true },
		{ "serialNumber", PF_GRAPH_FIELD_MAX + 1, false },
		{ "model", PF_GRAPH_FIELD_MAX + 1, false },
		{ "hardwareIdentifier", PF_GRAPH_HASH_MAX, true },
		{ "hardwareIdentifier", PF_GRAPH_HASH_MAX + 1, false },
		{ "hardwareIdentifier", PF_JSONSCAN_MAX_VALUE + 100, false }, /* cut by the tokenizer already */
		{ "unknownHugeMember", PF_JSONSCAN_MAX_VALUE + 100, true },   /* ignored, harmless */
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		size_t n = (size_t)snprintf(doc, cap, "[{\"serialNumber\":\"S\",\"model\":\"M\",\"%s\":\"", cases[i].name);
		memset(doc + n, 'Q', cases[i].len);
		n += cases[i].len;
		n += (size_t)snprintf(doc + n, cap - n, "\",\"groupTag\":\"G\"}]");
		outcome o = read_doc(doc, n, -1, 0);
		assert_int_equal(o.status, PF_OK);
		assert_int_equal(o.count, 1);
		bool ours = strcmp(cases[i].name, "unknownHugeMember") != 0;
		assert_int_equal(o.dropped, cases[i].kept ? 0 : 1);
		if (!ours) {
			assert_string_equal(o.records, "#0 serial=S tag=G model=M\n");
		} else if (strcmp(cases[i].name, "serialNumber") == 0) {
			/* The long duplicate replaced (or removed) the first serial. */
			if (cases[i].kept)
				assert_int_equal(strlen(o.records), strlen("#0 serial= tag=G model=M\n") + cases[i].len);
			else
				assert_string_equal(o.records, "#0 tag=G model=M\n");
		} else if (strcmp(cases[i].name, "model") == 0) {
			assert_string_equal(o.records, "#0 serial=S tag=G\n");
		} else if (cases[i].kept) {
			assert_int_equal(strlen(o.records), strlen("#0 serial=S hash= tag=G model=M\n") + cases[i].len);
		} else {
			assert_string_equal(o.records, "#0 serial=S tag=G model=M\n");
		}
		free(o.records);
	}
	free(doc);
}

/* ---- control ---- */

static void test_stop(void **state)
{
	(void)state;
	const char *doc = "[{\"serialNumber\":\"a\"},{\"serialNumber\":\"b\"},{\"serialNumber\":\"c\"}] garbage {";
	outcome o = read_doc(doc, strlen(doc), 1, 2);
	assert_int_equal(o.status, PF_OK);
	assert_int_equal(o.count, 2);
	assert_string_equal(o.records, "#0 serial=a\n#1 serial=b\n");
	free(o.records);
}

static void test_size(void **state)
{
	(void)state;
	/* graph.h promises about 90 KiB. */
	assert_true(sizeof(pf_graph_reader) > 88 * 1024);
	assert_true(sizeof(pf_graph_reader) < 92 * 1024);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_object),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_array_of_pages),
		cmocka_unit_test(test_plain_array),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_assigned_user),
		cmocka_unit_test(test_unknown_nested),
		cmocka_unit_test(test_device_detection),
		cmocka_unit_test(test_index_numbering),
		cmocka_unit_test(test_no_devices),
		cmocka_unit_test(test_bad_documents),
		cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_size),
	};
	return cmocka_run_group_tests_name("graph", tests, NULL, NULL);
}
