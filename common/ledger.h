/* The ledger's health before a row is appended: where its whole rows end, and what a cut-short run left. */
#ifndef PF_LEDGER_H
#define PF_LEDGER_H

#include "pf.h"

/* The ledger's columns (PF_LEDGER_HEADER in report.h): a whole row has exactly this many fields. */
#define PF_LEDGER_COLUMNS 9
/* Ledgers up to this size are checked whole; a larger one is only appended to (on a fresh line). */
#define PF_LEDGER_CHECK_MAX (16u * 1024 * 1024)

typedef enum {
	PF_LEDGER_ABSENT,     /* no ledger yet: it is created with its header */
	PF_LEDGER_OK,         /* every row whole: the new row goes after the last */
	PF_LEDGER_REPAIRED,   /* a torn tail was cut off before the new row */
	PF_LEDGER_UNCHECKED,  /* larger than PF_LEDGER_CHECK_MAX: appended to on a fresh line */
	PF_LEDGER_UNUSABLE,   /* not a file (a folder) or unreadable: no row is added */
} pf_ledger_state;

/* What the report says about the ledger (the "ledger" object; the text report's Stick line). */
typedef struct {
	pf_ledger_state state;
	uint64_t rows;        /* whole data rows found before this run's row */
	uint64_t cut_bytes;   /* with PF_LEDGER_REPAIRED: bytes of the torn tail removed */
	char detail[200];     /* for a person: what was found and done */
} pf_ledger_note;

/*
 * Scans a whole ledger (buf, len) and gives the length to keep: everything up to the end of the last
 * whole row. A row is whole when it ends with a line feed outside quotes, holds no NUL byte (a FAT
 * cluster allocated but never written reads as zeros) and has PF_LEDGER_COLUMNS fields; the header
 * row must be PF_LEDGER_HEADER's. Whatever follows the last whole row is the torn tail of a run cut
 * short (a row is written in one piece, so only the tail can be torn). A ledger whose header itself
 * is torn keeps 0 bytes: the header is written again. Damaged rows before the last whole one are
 * kept (an older version's torn row); a file that does not start with the header is kept whole.
 */
void pf_ledger_scan(const void *buf, size_t len, uint64_t *ret_keep, uint64_t *ret_rows);

/* The state name used in the JSON report ("absent", "ok", "repaired", "unchecked", "unusable"). */
const char *pf_ledger_state_name(pf_ledger_state s);

#endif
