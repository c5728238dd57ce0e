/* libFuzzer target for the streaming CSV reader: any split reads like the whole, and the serial filter only filters. */
#include "fuzzutil.h"
#include "csv.h"
#include "match.h"

/*
 * Input: a 4-byte header, then the file. Header byte 0 picks 1-3 chunks (% 3) and a serial filter
 * (/ 3 % 4: none, "SN-1", "a", " x "); bytes 1-2 and 3 (scaled) pick the cut positions. The file
 * is read whole and unfiltered, whole and filtered, and cut and filtered:
 *  - the two filtered reads must give the same records, status, count and error;
 *  - when the unfiltered and filtered reads both succeed, the filtered records must be exactly the
 *    unfiltered ones whose serial equals the filter under pf_serial_eq, and the counts equal.
 */

typedef struct {
	uint64_t h;             /* digest of every delivered record */
	uint64_t h_match;       /* digest of the delivered records whose serial matches `want` */
	size_t n, n_match;
	const char *want;
} digest;

static void mix(uint64_t *h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		*h = (*h ^ b[i]) * 0x100000001B3ull;
}

static bool on_record(void *ctx, const pf_record_view *v)
{
	digest *d = ctx;
	const pf_span *spans[] = { &v->serial, &v->product_id, &v->hash, &v->group_tag, &v->assigned_user,
				   &v->manufacturer, &v->model };
	uint64_t h = 0xCBF29CE484222325ull;

	if (v->source != PF_RECSRC_CSV || v->line == 0 || v->id.p)
		__builtin_trap();
	mix(&h, &v->line, sizeof(v->line));
	for (size_t i = 0; i < sizeof(spans) / sizeof(spans[0]); i++) {
		uint8_t present = spans[i]->p != NULL;
		mix(&h, &present, 1);
		if (!present)
			continue;
		if (spans[i]->len > PF_CSV_MAX_RECORD)
			__builtin_trap();
		mix(&h, &spans[i]->len, sizeof(spans[i]->len));
		mix(&h, spans[i]->p, spans[i]->len);
	}
	mix(&d->h, &h, sizeof(h));
	d->n++;
	if (d->want && v->serial.p && pf_serial_eq(v->serial, pf_span_of(d->want))) {
		mix(&d->h_match, &h, sizeof(h));
		d->n_match++;
	}
	return true;
}

typedef struct {
	digest d;
	pf_status st;
	size_t count;
	pf_file_error err;
	bool has_err;
} outcome;

static pf_csv_reader reader;

static void read_in(const uint8_t *p, size_t len, const char *filter, const char *want, const size_t *cuts,
		    size_t ncuts, outcome *o)
{
	size_t at = 0;

	*o = (outcome){ .d = { .h = 0xCBF29CE484222325ull, .h_match = 0xCBF29CE484222325ull, .want = want } };
	pf_csv_init(&reader, on_record, &o->d);
	if (pf_csv_set_filter(&reader, filter) != PF_OK)
		__builtin_trap();
	o->st = PF_OK;
	for (size_t i = 0; i <= ncuts && o->st == PF_OK; i++) {
		size_t end = i < ncuts ? cuts[i] : len;
		o->st = pf_csv_feed(&reader, p + at, end - at);
		at = end;
	}
	pf_status fin = pf_csv_finish(&reader);
	if (o->st == PF_OK)
		o->st = fin;
	else if (fin != o->st)
		__builtin_trap();   /* errors are sticky */
	o->count = pf_csv_count(&reader);
	const pf_file_error *e = pf_csv_error(&reader);
	if ((e != NULL) != (o->st != PF_OK))
		__builtin_trap();
	if (e) {
		if (!memchr(e->reason, '\0', sizeof(e->reason)) || !e->reason[0])
			__builtin_trap();
		o->err = *e;
		o->has_err = true;
	}
}

static bool same(const outcome *a, const outcome *b)
{
	return a->st == b->st && a->d.h == b->d.h && a->d.n == b->d.n && a->count == b->count && a->has_err == b->has_err &&
	       (!a->has_err || (a->err.line == b->err.line && strcmp(a->err.reason, b->err.reason) == 0));
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const filters[] = { NULL, "SN-1", "a", " x " };
	size_t cuts[2], ncuts = 0;
	outcome plain, whole, split;

	const uint8_t *p;
	size_t len;
	if (!fuzz_split(data, size, cuts, &ncuts, &p, &len))
		return 0;
	const char *filter = filters[data[0] / 3 % 4];

	read_in(p, len, NULL, filter, NULL, 0, &plain);
	read_in(p, len, filter, NULL, NULL, 0, &whole);
	read_in(p, len, filter, NULL, cuts, ncuts, &split);
	if (!same(&whole, &split))
		__builtin_trap();
	if (!filter) {
		if (!same(&plain, &whole))
			__builtin_trap();
	} else if (plain.st == PF_OK && whole.st == PF_OK) {
		if (plain.count != whole.count || plain.d.n_match != whole.d.n || plain.d.h_match != whole.d.h)
			__builtin_trap();
	}
	return 0;
}
