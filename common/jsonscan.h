/* A streaming JSON tokenizer (strict RFC 8259) with fixed memory: chunks go in, events come out. */
#ifndef PF_JSONSCAN_H
#define PF_JSONSCAN_H

#include "pf.h"
#include "str.h"
#include "utf.h"

/* Containers nested deeper than this are refused (PF_ERR_TOO_BIG); Graph exports need 4. */
#define PF_JSONSCAN_MAX_DEPTH 64
/* The longest key, string or number text kept, in bytes of UTF-8. Longer ones still parse and
 * arrive cut at a character boundary with truncated set, so one huge member never sinks a file. */
#define PF_JSONSCAN_MAX_VALUE 65536

typedef enum {
	PF_JEV_OBJ_START,
	PF_JEV_OBJ_END,
	PF_JEV_ARR_START,
	PF_JEV_ARR_END,
	PF_JEV_KEY,
	PF_JEV_STRING,
	PF_JEV_NUMBER,
	PF_JEV_TRUE,
	PF_JEV_FALSE,
	PF_JEV_NULL,
} pf_jev_type;

/*
 * One token. depth is the number of containers around it: the top-level value has depth 0, the
 * members (keys and values) and elements of a container at depth d have depth d + 1, and a
 * container's start and end events carry the container's own depth.
 */
typedef struct {
	pf_jev_type type;
	unsigned depth;
	pf_span val;        /* KEY, STRING: unescaped UTF-8 (may hold NUL from \u0000); NUMBER: its text.
	                     * NUL-terminated; valid only during the callback. {NULL, 0} for the rest. */
	size_t full_len;    /* val's length before truncation */
	bool truncated;     /* val holds only the first PF_JSONSCAN_MAX_VALUE bytes (or fewer) */
	unsigned line, col; /* where the token starts, 1-based */
} pf_jsonscan_event;

/* Called for each token in document order; return false to stop scanning (not an error). */
typedef bool (*pf_jsonscan_cb)(void *ctx, const pf_jsonscan_event *ev);

/*
 * Where the input went wrong. line is 1-based; a CR, an LF or a CR LF pair ends a line. col is
 * 1-based and counts characters (code points), not bytes. Errors at the end of the input point just
 * past its last character. msg is static English text, e.g. "expected ',' or '}'".
 */
typedef struct {
	pf_status status;   /* PF_ERR_INVALID (grammar, encoding), PF_ERR_TRUNCATED (input ended early),
	                     * PF_ERR_TOO_BIG (nesting) */
	unsigned line, col;
	const char *msg;
} pf_jsonscan_error;

/*
 * The scanner state: about 64 KiB, nearly all of it the value buffer; fields are private. Input is
 * UTF-8, with or without a BOM, or UTF-16LE/BE with a BOM; without a BOM a NUL in the first two
 * bytes selects UTF-16 too (RFC 4627's detection), since a NUL can never start UTF-8 JSON. UTF-16
 * is transcoded as it streams; invalid UTF-8 or UTF-16 (overlong forms, encoded or unpaired
 * surrogates) is an error. In strings, \u escapes of unpaired surrogates become U+FFFD.
 */
typedef struct {
	pf_jsonscan_cb cb;
	void *ctx;
	pf_jsonscan_error err;
	bool stopped;
	bool enc_known;
	pf_encoding enc;
	uint8_t head[3];        /* first bytes until the encoding is known */
	uint8_t n_head;
	bool u16_odd;           /* a UTF-16 code unit is split across chunks */
	uint8_t u16_byte;
	uint16_t u16_hi;        /* high surrogate waiting for its low half */
	uint8_t state;
	uint8_t sub;            /* number sub-state, or characters of a literal matched */
	uint8_t lit;            /* which literal */
	bool in_key;
	uint8_t esc_n;          /* hex digits of \uXXXX read */
	uint16_t esc_unit;
	uint16_t esc_hi;        /* \u high surrogate waiting for its low half */
	uint8_t u8_need;        /* continuation bytes still due */
	uint32_t u8_cp, u8_min;
	unsigned depth;
	uint64_t is_obj;        /* bit d: the container at depth d is an object */
	unsigned line, col;     /* position of the character last read */
	bool nl_pending, prev_cr;
	unsigned tok_line, tok_col;
	size_t len, full_len;
	bool truncated;
	char val[PF_JSONSCAN_MAX_VALUE + 1];
} pf_jsonscan;

/* Starts a scan; cb gets the events. */
void pf_jsonscan_init(pf_jsonscan *s, pf_jsonscan_cb cb, void *ctx);
/*
 * Feeds the next len bytes; chunks may split anything (BOM, UTF-16 units, characters, escapes,
 * numbers, literals). PF_OK, or the first error (sticky: later calls return it again). After the
 * callback stopped the scan, input is ignored and PF_OK returned.
 */
PF_MUST_CHECK pf_status pf_jsonscan_feed(pf_jsonscan *s, const void *buf, size_t len);
/* Ends the input: PF_OK when it held exactly one complete JSON value (or the scan was stopped). */
PF_MUST_CHECK pf_status pf_jsonscan_finish(pf_jsonscan *s);
/* One whole body in memory through a scanner of its own (heap: the scanner is about 64 KiB): init,
 * feed, finish. wipe: the scanner's value buffer is wiped before it is freed (bodies with secrets). */
PF_MUST_CHECK pf_status pf_jsonscan_whole(const void *buf, size_t len, pf_jsonscan_cb cb, void *ctx, bool wipe);
/* The first error, or NULL. */
const pf_jsonscan_error *pf_jsonscan_error_of(const pf_jsonscan *s);
/* True once the callback returned false. */
static inline bool pf_jsonscan_stopped(const pf_jsonscan *s) { return s->stopped; }
/* The input encoding (UTF-8 until known). */
static inline pf_encoding pf_jsonscan_encoding(const pf_jsonscan *s) { return s->enc_known ? s->enc : PF_ENC_UTF8; }

#endif
