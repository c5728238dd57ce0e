/* JSON writer for the report files. */
#include "json.h"
#include "utf.h"

void pf_json_init(pf_json *j, pf_buf *b)
{
	*j = (pf_json){ .b = b };
}

static void indent(pf_json *j)
{
	pf_buf_putc(j->b, '\n');
	for (int i = 0; i < j->depth; i++)
		pf_buf_puts(j->b, "  ");
}

/* Separator, indentation and "key": before a value. */
static void begin_value(pf_json *j, const char *key)
{
	if (j->depth > 0) {
		if (j->has_items[j->depth - 1])
			pf_buf_putc(j->b, ',');
		j->has_items[j->depth - 1] = true;
		indent(j);
	}
	if (key) {
		pf_json_escape(j->b, key, strlen(key));
		pf_buf_puts(j->b, ": ");
	}
}

static void open(pf_json *j, const char *key, char c)
{
	begin_value(j, key);
	pf_buf_putc(j->b, c);
	if (j->depth < PF_JSON_MAX_DEPTH) {
		j->has_items[j->depth] = false;
		j->depth++;
	} else {
		j->b->oom = true; /* deeper than the report ever nests: mark the output unusable */
	}
}

static void close(pf_json *j, char c)
{
	if (j->depth == 0)
		return;
	j->depth--;
	if (j->has_items[j->depth])
		indent(j);
	pf_buf_putc(j->b, c);
	if (j->depth == 0)
		pf_buf_putc(j->b, '\n');
}

void pf_json_obj_begin(pf_json *j, const char *key) { open(j, key, '{'); }
void pf_json_obj_end(pf_json *j) { close(j, '}'); }
void pf_json_arr_begin(pf_json *j, const char *key) { open(j, key, '['); }
void pf_json_arr_end(pf_json *j) { close(j, ']'); }

void pf_json_escape(pf_buf *b, const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;
	pf_buf_putc(b, '"');
	size_t i = 0;
	while (i < len) {
		size_t run = i;
		/* Copy plain ASCII in runs; it needs no escaping. */
		while (run < len && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
			run++;
		if (run > i) {
			pf_buf_append(b, s + i, run - i);
			i = run;
			continue;
		}
		uint8_t c = p[i];
		if (c == '"' || c == '\\') {
			char esc[2] = { '\\', (char)c };
			pf_buf_append(b, esc, 2);
			i++;
		} else if (c < 0x20) {
			static const char short_esc[] = { ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't' };
			if (c < sizeof(short_esc) && short_esc[c]) {
				char esc[2] = { '\\', short_esc[c] };
				pf_buf_append(b, esc, 2);
			} else {
				pf_buf_printf(b, "\\u%04x", c);
			}
			i++;
		} else {
			size_t used;
			uint32_t cp = pf_utf8_get(p + i, len - i, &used);
			if (cp == 0xFFFD && used == 1)
				pf_buf_puts(b, "\\ufffd");
			else
				pf_buf_append(b, s + i, used);
			i += used;
		}
	}
	pf_buf_putc(b, '"');
}

void pf_json_strn(pf_json *j, const char *key, const char *val, size_t len)
{
	begin_value(j, key);
	if (val)
		pf_json_escape(j->b, val, len);
	else
		pf_buf_puts(j->b, "null");
}

void pf_json_str(pf_json *j, const char *key, const char *val)
{
	pf_json_strn(j, key, val, val ? strlen(val) : 0);
}

void pf_json_int(pf_json *j, const char *key, int64_t v)
{
	begin_value(j, key);
	pf_buf_printf(j->b, "%lld", (long long)v);
}

void pf_json_bool(pf_json *j, const char *key, bool v)
{
	begin_value(j, key);
	pf_buf_puts(j->b, v ? "true" : "false");
}

void pf_json_tri(pf_json *j, const char *key, pf_tri v)
{
	if (v == PF_UNKNOWN)
		pf_json_null(j, key);
	else
		pf_json_bool(j, key, v == PF_YES);
}

void pf_json_null(pf_json *j, const char *key)
{
	begin_value(j, key);
	pf_buf_puts(j->b, "null");
}
