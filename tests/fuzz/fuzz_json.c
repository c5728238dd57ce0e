/* libFuzzer target for the Graph reader and its JSON tokenizer: any split of the input must read like the whole. */
#include "fuzzutil.h"
#include "graph.h"

/*
 * Input: a 4-byte header, then the file. Header byte 0 picks 1-3 chunks; bytes 1-2 and 3 (scaled)
 * pick the cut positions. The file is read whole and in those chunks; every span byte the callback
 * sees goes into a digest, and both reads must give the same records, status and error.
 */

typedef struct {
	uint64_t h;
	size_t n;
} digest;

static void mix(digest *d, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		d->h = (d->h ^ b[i]) * 0x100000001B3ull;
}

static bool on_record(void *ctx, const pf_record_view *v)
{
	digest *d = ctx;
	const pf_span *spans[] = {
		&v->serial, &v->product_id, &v->hash, &v->group_tag, &v->assigned_user, &v->manufacturer,
		&v->model, &v->id, &v->enrollment_state, &v->profile_status, &v->purchase_order,
		&v->display_name, &v->aad_device_id, &v->managed_device_id, &v->sku, &v->system_family,
		&v->last_contacted,
	};

	if (v->source != PF_RECSRC_GRAPH_FILE || v->line != d->n)
		__builtin_trap();
	for (size_t i = 0; i < sizeof(spans) / sizeof(spans[0]); i++) {
		uint8_t present = spans[i]->p != NULL;
		mix(d, &present, 1);
		if (!present)
			continue;
		if (spans[i]->len > PF_GRAPH_HASH_MAX)
			__builtin_trap();
		mix(d, &spans[i]->len, sizeof(spans[i]->len));
		mix(d, spans[i]->p, spans[i]->len);
	}
	d->n++;
	return true;
}

typedef struct {
	digest d;
	pf_status st;
	size_t count, dropped;
	pf_file_error err;
	bool has_err;
} outcome;

static pf_graph_reader reader;

static void read_in(const uint8_t *p, size_t len, const size_t *cuts, size_t ncuts, outcome *o)
{
	size_t at = 0;

	*o = (outcome){ .d.h = 0xCBF29CE484222325ull };
	pf_graph_init(&reader, on_record, &o->d);
	o->st = PF_OK;
	for (size_t i = 0; i <= ncuts && o->st == PF_OK; i++) {
		size_t end = i < ncuts ? cuts[i] : len;
		o->st = pf_graph_feed(&reader, p + at, end - at);
		at = end;
	}
	if (o->st == PF_OK)
		o->st = pf_graph_finish(&reader);
	o->count = pf_graph_count(&reader);
	o->dropped = pf_graph_dropped(&reader);
	const pf_file_error *e = pf_graph_error(&reader);
	if ((e != NULL) != (o->st != PF_OK) || o->count != o->d.n)
		__builtin_trap();
	if (e) {
		o->err = *e;
		o->has_err = true;
	}
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cuts[2], ncuts = 0;
	outcome whole, split;

	const uint8_t *p;
	size_t len;
	if (!fuzz_split(data, size, cuts, &ncuts, &p, &len))
		return 0;

	read_in(p, len, NULL, 0, &whole);
	read_in(p, len, cuts, ncuts, &split);
	if (whole.st != split.st || whole.d.h != split.d.h || whole.count != split.count ||
	    whole.dropped != split.dropped || whole.has_err != split.has_err ||
	    (whole.has_err && (whole.err.line != split.err.line || strcmp(whole.err.reason, split.err.reason) != 0)))
		__builtin_trap();
	return 0;
}
