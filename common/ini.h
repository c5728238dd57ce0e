/* A small INI reader: [section], key = value, # and ; full-line comments, UTF-8 or UTF-16 with BOM. */
#ifndef PF_INI_H
#define PF_INI_H

#include "pf.h"
#include "str.h"

/* Longest line accepted; a longer one is reported as malformed. */
#define PF_INI_MAX_LINE 4096

typedef struct {
	/* A [section] header; section is trimmed. */
	void (*on_section)(void *ctx, unsigned line, pf_span section);
	/* key = value, both trimmed, a value in double quotes unquoted; section is the last header seen
	 * (empty before the first). Return PF_ERR_NOMEM to stop parsing; anything else continues. */
	pf_status (*on_pair)(void *ctx, unsigned line, pf_span section, pf_span key, pf_span value);
	/* A line that is none of the above, with a reason. */
	void (*on_error)(void *ctx, unsigned line, const char *reason);
} pf_ini_handler;

/*
 * Parses buf[0..len). Lines end with LF, CRLF or CR. UTF-16LE/BE input (with BOM) is converted to UTF-8
 * first; a UTF-8 BOM is skipped. Returns PF_OK, or PF_ERR_NOMEM (from conversion or a handler).
 */
PF_MUST_CHECK pf_status pf_ini_parse(const void *buf, size_t len, const pf_ini_handler *h, void *ctx);

#endif
