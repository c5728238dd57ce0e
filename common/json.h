/* A small JSON writer for the report: escaping, nesting and pretty-printing into a pf_buf. */
#ifndef PF_JSON_H
#define PF_JSON_H

#include "buf.h"
#include "identity.h"

#define PF_JSON_MAX_DEPTH 16

typedef struct {
	pf_buf *b;
	int depth;
	bool has_items[PF_JSON_MAX_DEPTH];
} pf_json;

void pf_json_init(pf_json *j, pf_buf *b);
/* key is the member name inside an object, NULL inside an array or at the top. */
void pf_json_obj_begin(pf_json *j, const char *key);
void pf_json_obj_end(pf_json *j);
void pf_json_arr_begin(pf_json *j, const char *key);
void pf_json_arr_end(pf_json *j);
/* NULL val writes null. */
void pf_json_str(pf_json *j, const char *key, const char *val);
void pf_json_strn(pf_json *j, const char *key, const char *val, size_t len);
void pf_json_int(pf_json *j, const char *key, int64_t v);
void pf_json_bool(pf_json *j, const char *key, bool v);
void pf_json_tri(pf_json *j, const char *key, pf_tri v);
void pf_json_null(pf_json *j, const char *key);

/* Appends s (len bytes of UTF-8) as a quoted JSON string: control characters escaped, invalid
 * UTF-8 replaced with U+FFFD so that the report always parses. */
void pf_json_escape(pf_buf *b, const char *s, size_t len);

#endif
