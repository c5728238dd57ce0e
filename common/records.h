/* Collecting this device's records across files, then verifying the chosen one against the hardware. */
#ifndef PF_RECORDS_H
#define PF_RECORDS_H

#include "findings.h"
#include "identity.h"
#include "json.h"
#include "record.h"

/* An owned copy of a matching record (all strings NULL when absent). */
typedef struct {
	char *file;
	unsigned line;
	pf_record_source source;
	char *serial, *product_id, *hash, *group_tag, *assigned_user, *manufacturer, *model;
	char *id, *enrollment_state, *profile_status;
} pf_record;

typedef struct {
	char *file;
	unsigned line;
	char *reason;
} pf_bad_file;

typedef struct {
	char *field;
	char *record_value;
	char *live_value;
} pf_mismatch;

#define PF_MAX_MATCHES 16

typedef struct pf_record_result {
	/* what was read */
	size_t files_seen;         /* record files found */
	size_t files_used;         /* read to the end without error */
	size_t records_seen;       /* rows/objects read in all files */
	size_t file_delivered;     /* records the current file handed to pf_records_on_record */
	pf_bad_file *bad;
	size_t n_bad;
	pf_record matches[PF_MAX_MATCHES];
	size_t n_matches;
	size_t n_matches_total;    /* can exceed PF_MAX_MATCHES */
	bool oom;
	bool online_failed;        /* an online lookup was configured but gave no answer (its GRAPH-* finding says why) */

	/* what was decided (pf_records_verify) */
	const char *match;         /* "found", "not-found", "ambiguous", "no-records" */
	const pf_record *chosen;   /* the record the checks used, NULL when none */
	void *hash;                /* decoded pf_hwhash of the chosen record, or NULL */
	char *hash_error;
	pf_mismatch *mismatches;
	size_t n_mismatches;

	/* scanning state */
	const char *cur_file;
	const char *want_serial;
} pf_record_result;

/* Starts a collection for the device serial (NULL: nothing can match). */
void pf_records_init(pf_record_result *r, const char *serial);
void pf_records_free(pf_record_result *r);

/* Before each file's records: the file's path on the stick (copied). */
void pf_records_begin_file(pf_record_result *r, const char *path);
/* The pf_record_cb for the readers; ctx is the pf_record_result. */
bool pf_records_on_record(void *ctx, const pf_record_view *v);
/* Optional, before pf_records_end_file: the records the file's reader read (pf_recfile_count), so
 * that rows a reader's serial filter skipped count in records_seen too. */
void pf_records_file_count(pf_record_result *r, size_t records_read);
/* After each file: NULL error when it was read to the end. */
void pf_records_end_file(pf_record_result *r, const pf_file_error *error);

/* Decides match, decodes and compares the hash, and adds the REC-* findings. */
void pf_records_verify(pf_record_result *r, const pf_identity *id, pf_findings *f);

/* The report's "record" object (null-valued fields when nothing matched). */
void pf_records_json(pf_json *j, const pf_record_result *r);

#endif
