/* Streaming reader for Autopilot device CSV files: fixed memory, any encoding a stick may carry. */
#ifndef PF_CSV_H
#define PF_CSV_H

#include "record.h"
#include "utf.h"

/* Limits, in bytes of UTF-8 as stored (a quoted field counts its quotes). A hash is about 4 KB. */
#define PF_CSV_MAX_FIELD 65536
#define PF_CSV_MAX_RECORD 131072
/* Header columns past this many are never mapped (rows may still have them). */
#define PF_CSV_MAX_COLUMNS 256
/* Longest serial pf_csv_set_filter accepts, after trimming. */
#define PF_CSV_FILTER_MAX 256
/* Bytes collected before the encoding is decided: pf_detect_encoding judges the first 4096 and
 * needs a few more to see whether a multi-byte sequence was cut there. */
#define PF_CSV_HEAD 4100
/* Transcoding output block for UTF-16 and Windows-1252 input. */
#define PF_CSV_STAGE 32768

/* The columns a reader maps, in pf_record_view order. */
typedef enum {
	PF_CSV_COL_SERIAL,
	PF_CSV_COL_PRODUCT_ID,
	PF_CSV_COL_HASH,
	PF_CSV_COL_GROUP_TAG,
	PF_CSV_COL_ASSIGNED_USER,
	PF_CSV_COL_MANUFACTURER,
	PF_CSV_COL_MODEL,
	PF_CSV_N_COLS,
} pf_csv_col;

/* Where one mapped field sits in the current row (private). */
typedef struct {
	uint32_t start, end;    /* raw bytes, quotes included */
	uint8_t kind;           /* plain, simply quoted, or needing unquoting */
} pf_csv_slot;

/*
 * What is read:
 *  - Encoding: UTF-8 with or without a BOM, UTF-16LE or UTF-16BE with a BOM (or without one when
 *    the first two bytes hold a NUL, as a header of ASCII names in UTF-16 does), and Windows-1252
 *    (no BOM, the first 4 KiB not valid UTF-8), decided from the first PF_CSV_HEAD bytes. UTF-16
 *    and Windows-1252 are transcoded to UTF-8 as they stream; unpaired surrogates become U+FFFD.
 *    A file judged UTF-8 is not validated as it streams (speed): a delivered field that turns out
 *    not to be valid UTF-8 is read as Windows-1252 instead, which is what such a file almost
 *    always is (ASCII for its first 4 KiB, then a name with an accent).
 *  - RFC 4180 quoting: a field that starts with '"' is quoted; inside, "" is a quote and commas and
 *    line breaks are data. Leniently, as Python's csv module does: a quote inside an unquoted
 *    field is data, and text after a closing quote is appended to the field.
 *  - Rows end with CR LF, LF or a lone CR outside quotes. Rows whose fields are all empty or white
 *    space (blank lines, Excel's ",,,,") are skipped. Before the header, rows starting with '#'
 *    (PowerShell's "#TYPE ..." line) are skipped too.
 *  - The first other row is the header. Its names are compared trimmed, ignoring ASCII case,
 *    spaces, '_' and '-', with this table (the first name listed for a column wins over its
 *    aliases; between equal names, the leftmost column):
 *      serial          Device Serial Number | Serial Number
 *      product_id      Windows Product ID | Product ID
 *      hash            Hardware Hash | Hardware Identifier
 *      group_tag       Group Tag | Order ID
 *      assigned_user   Assigned User
 *      manufacturer    Manufacturer name | Manufacturer
 *      model           Device model | Model
 *    Without a serial column the file is an error: "no header with a 'Device Serial Number'
 *    column" at the header's line.
 *  - Each data row goes to the callback as a pf_record_view with source PF_RECSRC_CSV and line =
 *    the 1-based physical line where the row starts. Field values are unquoted but not trimmed. A
 *    column missing from the header or from a short row is absent (p == NULL); extra fields are
 *    ignored. Spans point into the reader or the caller's chunk: valid only during the callback.
 *
 * Errors (the first one sticks; rows delivered before it stand): a field longer than
 * PF_CSV_MAX_FIELD or a row longer than PF_CSV_MAX_RECORD (PF_ERR_TOO_BIG, at the row's line), a
 * quote still open at the end (PF_ERR_TRUNCATED, at the line where it opened), no header
 * (PF_ERR_INVALID). The callback returning false stops the read, which is no error.
 *
 * The struct is public so that callers can allocate it once: about 300 KiB (sizeof), nearly all of
 * it the row carry-over and scratch buffers; its size does not depend on the file's. Its fields
 * are private. Rows that lie inside one fed chunk are parsed in place; only a row cut by a chunk
 * boundary is copied.
 */
typedef struct {
	pf_record_cb cb;
	void *ctx;
	pf_file_error error;
	pf_status status;       /* first error */
	bool failed, stopped, finished;

	/* encoding */
	bool enc_known;
	pf_encoding enc;
	size_t n_head;
	bool u16_odd;           /* a UTF-16 unit is cut by a chunk boundary */
	uint8_t u16_byte;
	uint16_t u16_hi;        /* a high surrogate waiting for its low half, or 0 */

	/* row scanner */
	uint8_t state;
	uint8_t fkind;          /* of the field being scanned */
	bool prev_cr;           /* the last byte scanned was CR (CR LF split across chunks) */
	bool carried;           /* the row began in an earlier chunk: its bytes so far are in carry */
	unsigned line;          /* line of the next byte */
	unsigned row_line;
	unsigned quote_line;
	uint32_t col;
	uint32_t fstart;        /* row offset where the current field starts */
	uint32_t carry_len;
	uint8_t seen;           /* slots filled in this row */
	pf_csv_slot slots[PF_CSV_N_COLS];

	/* header */
	bool have_header;
	uint8_t colmap[PF_CSV_MAX_COLUMNS];

	/* filter */
	bool filter_on;
	size_t filter_len;
	char filter[PF_CSV_FILTER_MAX];

	size_t count;
	size_t scratch_len;
	uint8_t head[PF_CSV_HEAD];
	char stage[PF_CSV_STAGE];
	char carry[PF_CSV_MAX_RECORD];
	char scratch[PF_CSV_MAX_RECORD];
} pf_csv_reader;

/* Starts a read; cb gets each data row (return false to stop reading, which is no error). */
void pf_csv_init(pf_csv_reader *r, pf_record_cb cb, void *ctx);
/*
 * Delivers only rows whose serial equals serial after trimming both and ASCII case-folding (the
 * rule of pf_serial_eq); other rows are counted but not unquoted or converted. NULL delivers every
 * row. Call before the first pf_csv_feed. PF_ERR_TOO_BIG (filter unchanged) when the trimmed serial
 * is longer than PF_CSV_FILTER_MAX.
 */
PF_MUST_CHECK pf_status pf_csv_set_filter(pf_csv_reader *r, const char *serial);
/* Feeds the next bytes of the file, split anywhere. PF_OK, or the first error (sticky; see
 * pf_csv_error). Input after the callback stopped the read is ignored. */
PF_MUST_CHECK pf_status pf_csv_feed(pf_csv_reader *r, const void *chunk, size_t len);
/* Ends the file (a last row without a line break is read): PF_OK or the first error. */
PF_MUST_CHECK pf_status pf_csv_finish(pf_csv_reader *r);
/* The first error (line and reason), or NULL. */
const pf_file_error *pf_csv_error(const pf_csv_reader *r);
/* Data rows read so far, delivered or not (blank rows and the header do not count). */
size_t pf_csv_count(const pf_csv_reader *r);
/* The encoding detected (UTF-8 until it is known). */
pf_encoding pf_csv_encoding(const pf_csv_reader *r);

#endif
