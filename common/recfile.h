/* One interface over the record-file readers (CSV, Graph JSON), so that callers stream any file the same way. */
#ifndef PF_RECFILE_H
#define PF_RECFILE_H

#include "record.h"

typedef enum { PF_RECFILE_CSV, PF_RECFILE_JSON } pf_recfile_kind;

typedef struct pf_recfile pf_recfile;

/* The reader for a file name by its extension (.csv, .json; case-insensitive); false for others. */
bool pf_recfile_kind_of(const char *name, pf_recfile_kind *ret_kind);
/* A reader with fixed memory; NULL when out of memory. serial (may be NULL) lets the CSV reader skip
 * rows of other devices without materialising them. */
pf_recfile *pf_recfile_new(pf_recfile_kind kind, const char *serial, pf_record_cb cb, void *ctx);
/* Feeds the next bytes. After an error, further calls return it again; pf_recfile_error tells why. */
pf_status pf_recfile_feed(pf_recfile *f, const void *buf, size_t len);
pf_status pf_recfile_finish(pf_recfile *f);
/* Records read so far: CSV data rows (delivered or skipped by the serial filter) or Graph devices. */
size_t pf_recfile_count(const pf_recfile *f);
/* The first error (line and reason), or NULL. */
const pf_file_error *pf_recfile_error(const pf_recfile *f);
void pf_recfile_free(pf_recfile *f);

#endif
