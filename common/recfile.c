/* Record files of either kind behind one streaming interface: picks the CSV or Graph JSON reader by extension. */
#include "recfile.h"
#include "csv.h"
#include "graph.h"

struct pf_recfile {
	pf_recfile_kind kind;
	/* The reader of the chosen kind (the other is NULL): allocated once, its size fixed. */
	pf_csv_reader *csv;
	pf_graph_reader *graph;
};

static bool ends_nocase(pf_span s, const char *suffix)
{
	size_t n = strlen(suffix);
	return s.len >= n && pf_span_eq_cstr_nocase((pf_span){ s.p + s.len - n, n }, suffix);
}

bool pf_recfile_kind_of(const char *name, pf_recfile_kind *ret_kind)
{
	if (!name)
		return false;
	pf_span s = pf_span_of(name);
	/* Only the last path component counts. */
	for (size_t i = s.len; i > 0; i--)
		if (s.p[i - 1] == '\\' || s.p[i - 1] == '/') {
			s = (pf_span){ s.p + i, s.len - i };
			break;
		}
	/* macOS leaves "._name.csv" resource forks beside every file it copies to FAT: binary, never
	 * records, and each would otherwise be a REC-FILE-INVALID. */
	if (s.len >= 2 && s.p[0] == '.' && s.p[1] == '_')
		return false;
	if (s.len > 4 && ends_nocase(s, ".csv")) {
		*ret_kind = PF_RECFILE_CSV;
		return true;
	}
	if (s.len > 5 && ends_nocase(s, ".json")) {
		*ret_kind = PF_RECFILE_JSON;
		return true;
	}
	return false;
}

pf_recfile *pf_recfile_new(pf_recfile_kind kind, const char *serial, pf_record_cb cb, void *ctx)
{
	if (kind != PF_RECFILE_CSV && kind != PF_RECFILE_JSON)
		return NULL;
	pf_recfile *f = pf_malloc(sizeof(*f));
	if (!f)
		return NULL;
	*f = (pf_recfile){ .kind = kind };
	if (kind == PF_RECFILE_CSV) {
		f->csv = pf_malloc(sizeof(*f->csv));
		if (!f->csv)
			goto err;
		pf_csv_init(f->csv, cb, ctx);
		/* A serial too long for the filter leaves it off (every row is delivered): the caller
		 * compares serials anyway. */
		if (pf_csv_set_filter(f->csv, serial) != PF_OK)
			f->csv->filter_on = false;
	} else {
		f->graph = pf_malloc(sizeof(*f->graph));
		if (!f->graph)
			goto err;
		pf_graph_init(f->graph, cb, ctx);
	}
	return f;
err:
	pf_free(f);
	return NULL;
}

pf_status pf_recfile_feed(pf_recfile *f, const void *buf, size_t len)
{
	if (f->kind == PF_RECFILE_CSV)
		return pf_csv_feed(f->csv, buf, len);
	return pf_graph_feed(f->graph, buf, len);
}

pf_status pf_recfile_finish(pf_recfile *f)
{
	if (f->kind == PF_RECFILE_CSV)
		return pf_csv_finish(f->csv);
	return pf_graph_finish(f->graph);
}

size_t pf_recfile_count(const pf_recfile *f)
{
	if (f->kind == PF_RECFILE_CSV)
		return pf_csv_count(f->csv);
	return pf_graph_count(f->graph);
}

const pf_file_error *pf_recfile_error(const pf_recfile *f)
{
	if (!f)
		return NULL;
	if (f->kind == PF_RECFILE_CSV)
		return pf_csv_error(f->csv);
	return pf_graph_error(f->graph);
}

void pf_recfile_free(pf_recfile *f)
{
	if (!f)
		return;
	pf_free(f->csv);
	pf_free(f->graph);
	pf_free(f);
}
