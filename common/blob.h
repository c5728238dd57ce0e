/* Azure Blob Storage upload of a report: the container URL and its SAS, the Put Blob request, the answer's error code. */
#ifndef PF_BLOB_H
#define PF_BLOB_H

#include "graphquery.h"
#include "pf.h"

#define PF_BLOB_SAS_MAX 1024      /* the SAS query's bytes */
#define PF_BLOB_VERSION "2021-08-06"  /* x-ms-version sent: the version Preflight's requests follow */

/* The upload's outcome, for the reports and the ledger's codes. */
typedef enum {
	PF_UPLOAD_NONE,       /* not configured */
	PF_UPLOAD_UPLOADING,  /* what the copy on the stick says while the upload runs */
	PF_UPLOAD_DONE,
	PF_UPLOAD_FAILED,
	PF_UPLOAD_SKIPPED,    /* nothing was attempted (no network, bad URL) */
} pf_upload_state;

typedef struct {
	pf_upload_state state;
	char url[400];        /* the blob's URL, sig= masked ("" unknown) */
	unsigned status;      /* the last HTTP status (0 none) */
	char error[64];       /* the storage error code ("" none) */
	char reason[200];     /* why it failed or was skipped */
	unsigned attempts;
	uint64_t ms;          /* time spent */
} pf_upload_result;

const char *pf_upload_state_str(pf_upload_state s);

/* https://{account}.blob.core.windows.net/{container}?{SAS} split for requests. */
typedef struct {
	pf_url url;                    /* scheme, host, port; target: the container path, no query */
	char sas[PF_BLOB_SAS_MAX + 1]; /* the query after '?': a secret (sig=) */
	char perms[24];                /* sp= ("" not given) */
	char expiry[40];               /* se= ("" not given), as given */
} pf_blob_container;

/*
 * Parses a container URL with a SAS query (whitespace and a trailing newline trimmed: it may come
 * from a file). PF_ERR_INVALID: not an http(s) URL, no container path, no query or no sig= in it;
 * PF_ERR_TOO_BIG: longer than kept. ret untouched on error.
 */
PF_MUST_CHECK pf_status pf_blob_container_parse(const void *text, size_t len, pf_blob_container *ret);

/* The SAS grants more than upload needs (c create, w write; a add): the letters beyond, e.g. "rdl",
 * in ret (cap >= sizeof(perms)). False when it grants no more (or sp= is absent). */
bool pf_blob_sas_broad(const pf_blob_container *c, char *ret, size_t cap);

/* The URL for messages and reports: the SAS's sig= value replaced by "***" (and nothing else of it
 * hidden). Length as snprintf returns it. */
size_t pf_blob_masked_url(const pf_blob_container *c, const char *blob, char *out, size_t cap);

/*
 * The Put Blob request for blob (its name percent-encoded into the container path) with a body of
 * body_len bytes, the body itself not included: headers x-ms-blob-type BlockBlob, x-ms-version,
 * Content-Type application/json, Content-Length, Connection close. Length as snprintf returns it
 * (holds the SAS: the caller wipes the buffer).
 */
size_t pf_blob_put_request(const pf_blob_container *c, const char *blob, size_t body_len, char *out, size_t cap);

/* The storage error code of a failed answer: x-ms-error-code in the head, else <Code> in the XML
 * body ("" when neither); printable ASCII, cut to fit. */
void pf_blob_error_code(const void *buf, size_t head_len, const void *body, size_t body_len, char *out,
			size_t cap);

#endif
