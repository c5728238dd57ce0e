/* The streaming JSON tokenizer: Python's json module as the oracle, grammar errors with positions, chunking, encodings. */
#include "testutil.h"
#include "buf.h"
#include "jsonscan.h"
#include "utf.h"

/* ---- running a scan into a transcript (the notation of tests/unit/data/json/generate.py) ---- */

typedef struct {
	pf_buf t;              /* tokens */
	pf_buf pos;            /* line:col of each token */
	size_t events;
	size_t stop_after;     /* 0: never stop */
	bool any_truncated;
} transcript;

static void put_hex(pf_buf *b, pf_span v)
{
	for (size_t i = 0; i < v.len; i++)
		pf_buf_printf(b, "%02x", (unsigned char)v.p[i]);
}

static bool on_event(void *ctx, const pf_jsonscan_event *ev)
{
	transcript *t = ctx;
	static const char sym[] = "{}[]KSNTFZ";

	if (t->t.len)
		pf_buf_putc(&t->t, ' ');
	pf_buf_printf(&t->t, "%c%u", sym[ev->type], ev->depth);
	if (ev->type == PF_JEV_KEY || ev->type == PF_JEV_STRING) {
		pf_buf_putc(&t->t, ':');
		put_hex(&t->t, ev->val);
	} else if (ev->type == PF_JEV_NUMBER) {
		pf_buf_printf(&t->t, ":%.*s", (int)ev->val.len, ev->val.p);
	}
	if (ev->type >= PF_JEV_KEY && ev->type <= PF_JEV_NUMBER) {
		/* The value is NUL-terminated and its length agrees with full_len unless cut. */
		assert_int_equal(ev->val.p[ev->val.len], '\0');
		assert_true(ev->truncated ? ev->full_len > ev->val.len : ev->full_len == ev->val.len);
	} else {
		assert_null(ev->val.p);
	}
	t->any_truncated |= ev->truncated;
	pf_buf_printf(&t->pos, "%u:%u ", ev->line, ev->col);
	t->events++;
	return !(t->stop_after && t->events >= t->stop_after);
}

typedef struct {
	pf_status status;
	pf_jsonscan_error err;
	char *tokens;
	char *pos;
} result;

static pf_jsonscan scanner; /* 64 KiB: not on the stack */
static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* chunk: 0 = whole buffer, 1 = byte by byte, -1 = random sizes 1..64 (or sometimes empty chunks). */
static result scan(const void *data, size_t len, int chunk, size_t stop_after)
{
	transcript t = { .stop_after = stop_after };
	result r = { 0 };
	const uint8_t *p = data;
	size_t i = 0;
	pf_status st = PF_OK;

	pf_jsonscan_init(&scanner, on_event, &t);
	while (i < len && st == PF_OK) {
		size_t n = chunk == 0 ? len - i : chunk > 0 ? (size_t)chunk : (size_t)(rng() % 65);
		n = PF_MIN(n, len - i);
		st = pf_jsonscan_feed(&scanner, p + i, n);
		i += n;
	}
	if (st == PF_OK)
		st = pf_jsonscan_finish(&scanner);
	r.status = st;
	if (st != PF_OK) {
		const pf_jsonscan_error *e = pf_jsonscan_error_of(&scanner);
		assert_non_null(e);
		assert_int_equal(e->status, st);
		r.err = *e;
		/* Errors are sticky. */
		assert_int_equal(pf_jsonscan_feed(&scanner, "[]", 2), st);
		assert_int_equal(pf_jsonscan_finish(&scanner), st);
	} else {
		assert_null(pf_jsonscan_error_of(&scanner));
	}
	pf_buf_putc(&t.t, '\0');
	pf_buf_putc(&t.pos, '\0');
	assert_false(t.t.oom || t.pos.oom);
	r.tokens = pf_buf_steal(&t.t, NULL);
	r.pos = pf_buf_steal(&t.pos, NULL);
	return r;
}

static result scan_str(const char *s)
{
	return scan(s, strlen(s), 0, 0);
}

static void result_free(result *r)
{
	free(r->tokens);
	free(r->pos);
}

/* Same status, error, tokens and token positions. */
static void assert_same(const result *a, const result *b, const char *what)
{
	if (a->status != b->status || strcmp(a->tokens, b->tokens) || strcmp(a->pos, b->pos) ||
	    a->err.line != b->err.line || a->err.col != b->err.col || a->err.msg != b->err.msg)
		fail_msg("%s: %d %u:%u %s | %s\nvs %d %u:%u %s | %s", what, a->status, a->err.line, a->err.col,
			 a->err.msg ? a->err.msg : "-", a->tokens, b->status, b->err.line, b->err.col,
			 b->err.msg ? b->err.msg : "-", b->tokens);
}

/* Whole buffer, byte by byte and several random chunkings all agree; returns the whole-buffer result. */
static result scan_all_ways(const void *data, size_t len)
{
	result whole = scan(data, len, 0, 0);
	result r = scan(data, len, 1, 0);
	assert_same(&whole, &r, "byte by byte");
	result_free(&r);
	for (int k = 0; k < 4; k++) {
		r = scan(data, len, -1, 0);
		assert_same(&whole, &r, "random chunks");
		result_free(&r);
	}
	return whole;
}

/* ---- the Python oracle ---- */

static size_t unhex(const char *h, size_t n, uint8_t *out)
{
	size_t k = 0;
	for (size_t i = 0; i + 1 < n; i += 2) {
		unsigned v;
		assert_int_equal(sscanf(h + i, "%2x", &v), 1);
		out[k++] = (uint8_t)v;
	}
	return k;
}

typedef void (*case_fn)(const char *name, const uint8_t *in, size_t n, bool ok, const char *tokens);

/* Calls fn for each case of expected.txt; returns how many. */
static size_t for_each_case(case_fn fn)
{
	size_t len, count = 0;
	char *exp = test_read_file("tests/unit/data/json/expected.txt", &len);

	for (char *line = exp, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *f[4] = { line };
		for (int i = 1; i < 4 && f[i - 1]; i++) {
			f[i] = strchr(f[i - 1], '\t');
			if (f[i])
				*f[i]++ = '\0';
		}
		assert_non_null(f[2]);
		size_t hl = strlen(f[1]);
		uint8_t *in = malloc(hl / 2 + 1);
		assert_non_null(in);
		size_t n = unhex(f[1], hl, in);
		bool ok = strcmp(f[2], "ok") == 0;
		assert_true(ok || strcmp(f[2], "error") == 0);
		fn(f[0], in, n, ok, ok ? (f[3] ? f[3] : "") : NULL);
		free(in);
		count++;
	}
	free(exp);
	return count;
}

static void check_python_case(const char *name, const uint8_t *in, size_t n, bool ok, const char *tokens)
{
	/* A sample file edited without running generate.py would make the comparison meaningless. */
	if (strncmp(name, "file:", 5) == 0) {
		char path[256];
		size_t flen;
		snprintf(path, sizeof(path), "tests/unit/data/json/%s", name + 5);
		char *file = test_read_file(path, &flen);
		if (flen != n || memcmp(file, in, n) != 0)
			fail_msg("%s changed: run tests/unit/data/json/generate.py", path);
		free(file);
	}
	result r = scan_all_ways(in, n);
	if (ok != (r.status == PF_OK))
		fail_msg("%s: Python says %s, tokenizer says %s (%u:%u %s)", name, ok ? "ok" : "error",
			 r.status == PF_OK ? "ok" : "error", r.err.line, r.err.col, r.err.msg ? r.err.msg : "");
	if (ok && strcmp(r.tokens, tokens) != 0)
		fail_msg("%s: tokens differ\n  python:    %s\n  tokenizer: %s", name, tokens, r.tokens);
	result_free(&r);
}

static void test_python_reference(void **state)
{
	(void)state;
	rng_state = 0x9E3779B97F4A7C15ull;
	assert_true(for_each_case(check_python_case) >= 130);
}

/* ---- UTF-16: every valid UTF-8 case gives the same tokens when re-encoded ---- */

static size_t to_utf16(const uint8_t *in, size_t n, bool le, bool bom, uint8_t *out)
{
	size_t k = 0, i = 0;
	if (bom) {
		out[k++] = le ? 0xFF : 0xFE;
		out[k++] = le ? 0xFE : 0xFF;
	}
	while (i < n) {
		size_t used;
		uint32_t cp = pf_utf8_get(in + i, n - i, &used);
		i += used;
		uint16_t u[2];
		int m = 1;
		if (cp >= 0x10000) {
			u[0] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
			u[1] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
			m = 2;
		} else {
			u[0] = (uint16_t)cp;
		}
		for (int j = 0; j < m; j++) {
			out[k++] = (uint8_t)(le ? u[j] : u[j] >> 8);
			out[k++] = (uint8_t)(le ? u[j] >> 8 : u[j]);
		}
	}
	return k;
}

static bool plain_utf8(const uint8_t *in, size_t n)
{
	if (n >= 2 && (in[0] == 0 || in[1] == 0 || in[0] == 0xFE || in[0] == 0xFF))
		return false;
	return !(n >= 1 && in[0] == 0xEF) && pf_utf8_valid(in, n);
}

static void check_utf16_case(const char *name, const uint8_t *in, size_t n, bool ok, const char *tokens)
{
	(void)tokens;
	if (!plain_utf8(in, n) || n == 0)
		return;
	result u8 = scan(in, n, 0, 0);
	uint8_t *buf = malloc(2 * n + 2);
	assert_non_null(buf);
	for (int v = 0; v < 4; v++) {
		size_t m = to_utf16(in, n, v & 1, v & 2, buf);
		result u16 = scan_all_ways(buf, m);
		assert_int_equal(pf_jsonscan_encoding(&scanner), (v & 1) ? PF_ENC_UTF16LE : PF_ENC_UTF16BE);
		/* Grammar errors keep their line and column: columns count characters, not bytes. */
		if (ok || u8.err.msg == NULL || strstr(u8.err.msg, "UTF-8") == NULL)
			assert_same(&u8, &u16, name);
		result_free(&u16);
	}
	free(buf);
	result_free(&u8);
}

static void test_utf16(void **state)
{
	(void)state;
	rng_state = 12345;
	for_each_case(check_utf16_case);

	/* BOMs and BOM-less detection. */
	static const struct {
		const char *in;
		size_t n;
		pf_encoding enc;
	} det[] = {
		{ "\xEF\xBB\xBF" "1", 4, PF_ENC_UTF8 },
		{ "\xFF\xFE" "1\0", 4, PF_ENC_UTF16LE },
		{ "\xFE\xFF\0" "1", 4, PF_ENC_UTF16BE },
		{ "1\0", 2, PF_ENC_UTF16LE },
		{ "\0" "1", 2, PF_ENC_UTF16BE },
		{ "12", 2, PF_ENC_UTF8 },
		{ "1", 1, PF_ENC_UTF8 },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(det); i++) {
		result r = scan_all_ways(det[i].in, det[i].n);
		assert_int_equal(r.status, PF_OK);
		assert_int_equal(pf_jsonscan_encoding(&scanner), det[i].enc);
		assert_string_equal(r.tokens, i == 5 ? "N0:12" : "N0:1");
		result_free(&r);
	}

	/* Surrogate pairs split across chunks in every way, and UTF-16 errors. */
	const uint8_t pair[] = { 0xFF, 0xFE, '"', 0, 0x3D, 0xD8, 0x00, 0xDE, '"', 0 };
	result r = scan_all_ways(pair, sizeof(pair));
	assert_int_equal(r.status, PF_OK);
	assert_string_equal(r.tokens, "S0:f09f9880");
	result_free(&r);
	const uint8_t lone[] = { 0xFF, 0xFE, '[', 0, '"', 0, 0x3D, 0xD8, '"', 0, ']', 0 };
	r = scan_all_ways(lone, sizeof(lone));
	assert_int_equal(r.status, PF_ERR_INVALID);
	assert_string_equal(r.err.msg, "invalid UTF-16 (unpaired surrogate)");
	assert_int_equal(r.err.col, 3);
	result_free(&r);
	const uint8_t odd[] = { 0xFF, 0xFE, '1', 0, ' ' };
	r = scan_all_ways(odd, sizeof(odd));
	assert_int_equal(r.status, PF_ERR_TRUNCATED);
	assert_string_equal(r.err.msg, "input ends inside a UTF-16 character");
	result_free(&r);
	const uint8_t hi_end[] = { 0xFE, 0xFF, 0, '1', 0xD8, 0x3D };
	r = scan_all_ways(hi_end, sizeof(hi_end));
	assert_int_equal(r.status, PF_ERR_TRUNCATED);
	result_free(&r);
}

/* ---- grammar errors and their positions ---- */

static void test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		pf_status st;
		unsigned line, col;
		const char *msg;
	} cases[] = {
		{ "", PF_ERR_TRUNCATED, 1, 1, "no JSON value (the input is empty)" },
		{ "  \n  ", PF_ERR_TRUNCATED, 2, 3, "no JSON value (the input is empty)" },
		{ "  \n", PF_ERR_TRUNCATED, 2, 1, "no JSON value (the input is empty)" },
		{ "[1,]", PF_ERR_INVALID, 1, 4, "trailing comma before ']'" },
		{ "{\"a\":1,\n  }", PF_ERR_INVALID, 2, 3, "trailing comma before '}'" },
		{ "{\"a\" 1}", PF_ERR_INVALID, 1, 6, "expected ':' after the key" },
		{ "{\"a\":}", PF_ERR_INVALID, 1, 6, "expected a value" },
		{ "{a:1}", PF_ERR_INVALID, 1, 2, "expected a string key or '}'" },
		{ "{\"a\":1,2}", PF_ERR_INVALID, 1, 8, "expected a string key" },
		{ "{\"a\":1 \"b\":2}", PF_ERR_INVALID, 1, 8, "expected ',' or '}'" },
		{ "[1 2]", PF_ERR_INVALID, 1, 4, "expected ',' or ']'" },
		{ "[1}", PF_ERR_INVALID, 1, 3, "expected ',' or ']'" },
		{ "[tru]", PF_ERR_INVALID, 1, 5, "invalid literal (expected true, false or null)" },
		{ "nUll", PF_ERR_INVALID, 1, 2, "invalid literal (expected true, false or null)" },
		{ "tru", PF_ERR_TRUNCATED, 1, 4, "unexpected end of input" },
		{ "NaN", PF_ERR_INVALID, 1, 1, "expected a value" },
		{ "\"a\x01\"", PF_ERR_INVALID, 1, 3, "control character in string (must be escaped)" },
		{ "[\"ab\ncd\"]", PF_ERR_INVALID, 1, 5, "control character in string (must be escaped)" },
		{ "\"\\q\"", PF_ERR_INVALID, 1, 3, "invalid escape sequence" },
		{ "\"\\u12x4\"", PF_ERR_INVALID, 1, 6, "invalid \\u escape (expected 4 hex digits)" },
		{ "01", PF_ERR_INVALID, 1, 2, "leading zeros are not allowed" },
		{ "[-01]", PF_ERR_INVALID, 1, 4, "leading zeros are not allowed" },
		{ "-", PF_ERR_TRUNCATED, 1, 2, "expected a digit after '-'" },
		{ "[-x]", PF_ERR_INVALID, 1, 3, "expected a digit after '-'" },
		{ "1.", PF_ERR_TRUNCATED, 1, 3, "expected a digit after '.'" },
		{ "[1.e3]", PF_ERR_INVALID, 1, 4, "expected a digit after '.'" },
		{ "1e+", PF_ERR_TRUNCATED, 1, 4, "expected a digit in the exponent" },
		{ "[1E]", PF_ERR_INVALID, 1, 4, "expected a digit in the exponent" },
		{ "{} x", PF_ERR_INVALID, 1, 4, "unexpected data after the top-level value" },
		{ "1 2", PF_ERR_INVALID, 1, 3, "unexpected data after the top-level value" },
		{ "\"abc", PF_ERR_TRUNCATED, 1, 5, "unexpected end of input inside a string" },
		{ "\"abc\\u12", PF_ERR_TRUNCATED, 1, 9, "unexpected end of input inside a string" },
		{ "{\"a\":[1,\r\n", PF_ERR_TRUNCATED, 2, 1, "unexpected end of input" },
		{ "[1", PF_ERR_TRUNCATED, 1, 3, "unexpected end of input" },
		/* Columns count characters: é and € are one column each; CR, LF and CR LF end lines. */
		{ "[\"\xC3\xA9\xE2\x82\xAC\", x]", PF_ERR_INVALID, 1, 8, "expected a value" },
		{ "[\r\n1,\r2,\n3\n\n,\r\n\r\nx]", PF_ERR_INVALID, 8, 1, "expected a value" },
		{ "\xEF\xBB\xBF [x]", PF_ERR_INVALID, 1, 3, "expected a value" },
		{ "\"\xC3\"", PF_ERR_INVALID, 1, 3, "invalid UTF-8" },
		{ "\"a\xED\xA0\x80\"", PF_ERR_INVALID, 1, 3, "invalid UTF-8" },
		{ "\"\x80\"", PF_ERR_INVALID, 1, 2, "invalid UTF-8" },
		{ "\xC2\xA0{}", PF_ERR_INVALID, 1, 1, "expected a value" },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		result r = scan_all_ways(cases[i].in, strlen(cases[i].in));
		if (r.status != cases[i].st || r.err.line != cases[i].line || r.err.col != cases[i].col ||
		    strcmp(r.err.msg, cases[i].msg) != 0)
			fail_msg("case %zu: got %d %u:%u \"%s\", want %d %u:%u \"%s\"", i, r.status, r.err.line, r.err.col,
				 r.err.msg, cases[i].st, cases[i].line, cases[i].col, cases[i].msg);
		result_free(&r);
	}
}

/* ---- escapes, events, positions ---- */

static void test_escapes(void **state)
{
	(void)state;
	static const struct {
		const char *in, *tokens;
	} cases[] = {
		{ "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "S0:225c2f080c0a0d09" },
		{ "\"\\u0041\\u00E9\\u20ac\"", "S0:41c3a9e282ac" },
		{ "\"\\uD83D\\uDE00\"", "S0:f09f9880" },
		{ "\"\\ud800\"", "S0:efbfbd" },
		{ "\"\\udc00x\"", "S0:efbfbd78" },
		{ "\"\\ud800\\ud83d\\ude00\"", "S0:efbfbdf09f9880" },
		{ "\"\\ud800\\t\"", "S0:efbfbd09" },
		{ "\"\\u0000\"", "S0:00" },
		{ "{\"k\\u00e9y\":[\"\"]}", "{0 K1:6bc3a979 [1 S2: ]1 }0" },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		result r = scan_all_ways(cases[i].in, strlen(cases[i].in));
		assert_int_equal(r.status, PF_OK);
		assert_string_equal(r.tokens, cases[i].tokens);
		result_free(&r);
	}
}

static void test_positions(void **state)
{
	(void)state;
	const char *doc = "{\r\n  \"a\": [1, true],\n\t\"\xC3\xA9\": \"x\"\r}";
	result r = scan_all_ways(doc, strlen(doc));
	assert_int_equal(r.status, PF_OK);
	assert_string_equal(r.tokens, "{0 K1:61 [1 N2:1 T2 ]1 K1:c3a9 S1:78 }0");
	assert_string_equal(r.pos, "1:1 2:3 2:8 2:9 2:12 2:16 3:2 3:7 4:1 ");
	result_free(&r);
}

static void test_depth(void **state)
{
	(void)state;
	char buf[300];
	memset(buf, '[', 64);
	memset(buf + 64, ']', 64);
	result r = scan_all_ways(buf, 128);
	assert_int_equal(r.status, PF_OK);
	assert_non_null(strstr(r.tokens, "[63 ]63"));
	result_free(&r);

	memset(buf, '[', 65);
	memset(buf + 65, ']', 65);
	r = scan_all_ways(buf, 130);
	assert_int_equal(r.status, PF_ERR_TOO_BIG);
	assert_string_equal(r.err.msg, "nesting deeper than 64 levels");
	assert_int_equal(r.err.col, 65);
	result_free(&r);

	/* Depth counts containers of both kinds, and closing restores it. */
	r = scan_str("[{\"a\":{\"b\":[]}},2]");
	assert_string_equal(r.tokens, "[0 {1 K2:61 {2 K3:62 [3 ]3 }2 }1 N1:2 ]0");
	result_free(&r);
}

/* Strings, keys and numbers beyond the buffer arrive cut at a character boundary, and flagged. */
typedef struct {
	size_t len, full, events;
	bool trunc, valid;
	char tail[8];   /* the event after the long one */
} probe;

static bool probe_cb(void *ctx, const pf_jsonscan_event *ev)
{
	probe *p = ctx;

	if (ev->val.p && ev->full_len > 1000) {
		p->len = ev->val.len;
		p->full = ev->full_len;
		p->trunc = ev->truncated;
		p->valid = pf_utf8_valid(ev->val.p, ev->val.len);
	} else if (p->full && !p->tail[0] && ev->val.p) {
		pf_strlcpy(p->tail, ev->val.p, sizeof(p->tail));
	}
	p->events++;
	return true;
}

static probe run_probe(const char *doc, size_t n)
{
	probe p = { 0 };
	pf_jsonscan_init(&scanner, probe_cb, &p);
	for (size_t i = 0; i < n; i += 7777)
		assert_int_equal(pf_jsonscan_feed(&scanner, doc + i, PF_MIN(7777, n - i)), PF_OK);
	assert_int_equal(pf_jsonscan_finish(&scanner), PF_OK);
	return p;
}

static void test_truncation(void **state)
{
	(void)state;
	static const char *const chars[] = { "a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\\n", "\\u00e9" };
	static const size_t out_len[] = { 1, 2, 3, 4, 1, 2 };
	const size_t max = PF_JSONSCAN_MAX_VALUE;
	char *doc = malloc(4 * max);
	assert_non_null(doc);

	for (size_t c = 0; c < PF_ARRAY_SIZE(chars); c++) {
		for (int key = 0; key < 2; key++) {
			size_t n = 0, full = 0;
			doc[n++] = key ? '{' : '[';
			doc[n++] = '"';
			while (full < max + 10) {
				memcpy(doc + n, chars[c], strlen(chars[c]));
				n += strlen(chars[c]);
				full += out_len[c];
			}
			const char *tail = key ? "\":\"next\"}" : "\",\"next\"]";
			memcpy(doc + n, tail, strlen(tail));
			n += strlen(tail);
			probe p = run_probe(doc, n);
			assert_true(p.trunc);
			assert_true(p.valid);
			assert_int_equal(p.full, full);
			if (!(p.len <= max && p.len > max - out_len[c]))
				fail_msg("char %zu key %d: len %zu full %zu", c, key, p.len, p.full);
			assert_int_equal(p.len % out_len[c], 0);
			/* The scan goes on normally after the long value. */
			assert_string_equal(p.tail, "next");
			assert_int_equal(p.events, 4);
		}
	}

	/* Exactly at the limit is whole; one byte more is cut. */
	for (size_t extra = 0; extra < 2; extra++) {
		size_t n = 0;
		doc[n++] = '"';
		memset(doc + n, 'x', max + extra);
		n += max + extra;
		doc[n++] = '"';
		probe p = run_probe(doc, n);
		assert_int_equal(p.trunc, extra == 1);
		assert_int_equal(p.len, max);
		assert_int_equal(p.full, max + extra);
	}

	/* Numbers too. */
	doc[0] = '[';
	doc[1] = '1';
	memset(doc + 2, '0', max + 100);
	memcpy(doc + max + 102, ",\"next\"]", 9);
	probe p = run_probe(doc, max + 110);
	assert_true(p.trunc);
	assert_int_equal(p.len, max);
	assert_int_equal(p.full, max + 101);
	assert_string_equal(p.tail, "next");
	free(doc);
}

static void test_stop(void **state)
{
	(void)state;
	const char *doc = "[1,2,3,garbage";
	result r = scan(doc, strlen(doc), 1, 3);
	assert_int_equal(r.status, PF_OK);
	assert_string_equal(r.tokens, "[0 N1:1 N1:2");
	assert_true(pf_jsonscan_stopped(&scanner));
	result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_python_reference),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_stop),
	};
	return cmocka_run_group_tests_name("jsonscan", tests, NULL, NULL);
}
