/* INI reader: converts the file to UTF-8 once, then hands each meaningful line to the caller. */
#include "ini.h"
#include "utf.h"

static pf_status parse_line(pf_span l, unsigned no, pf_span *section, const pf_ini_handler *h, void *ctx)
{
	l = pf_span_trim(l);
	if (l.len == 0 || l.p[0] == '#' || l.p[0] == ';')
		return PF_OK;
	if (l.len > PF_INI_MAX_LINE) {
		h->on_error(ctx, no, "line is too long");
		return PF_OK;
	}
	if (l.p[0] == '[') {
		if (l.p[l.len - 1] != ']') {
			/* The keys that follow belong to no known section: never to the one before. */
			*section = (pf_span){ "", 0 };
			h->on_error(ctx, no, "section header without closing ']'");
			return PF_OK;
		}
		pf_span name = pf_span_trim((pf_span){ l.p + 1, l.len - 2 });
		if (name.len == 0) {
			h->on_error(ctx, no, "empty section name");
			return PF_OK;
		}
		*section = name;
		h->on_section(ctx, no, name);
		return PF_OK;
	}
	const char *eq = memchr(l.p, '=', l.len);
	if (!eq) {
		h->on_error(ctx, no, "not a [section] header, a comment, or key = value");
		return PF_OK;
	}
	pf_span key = pf_span_trim((pf_span){ l.p, (size_t)(eq - l.p) });
	pf_span val = pf_span_trim((pf_span){ eq + 1, l.len - (size_t)(eq + 1 - l.p) });
	if (key.len == 0) {
		h->on_error(ctx, no, "key missing before '='");
		return PF_OK;
	}
	/* Quotes let a value keep surrounding spaces or start with '#'. */
	if (val.len >= 2 && val.p[0] == '"' && val.p[val.len - 1] == '"')
		val = (pf_span){ val.p + 1, val.len - 2 };
	return h->on_pair(ctx, no, *section, key, val) == PF_ERR_NOMEM ? PF_ERR_NOMEM : PF_OK;
}

pf_status pf_ini_parse(const void *buf, size_t len, const pf_ini_handler *h, void *ctx)
{
	size_t bom = 0;
	char *conv = NULL;
	const char *p = buf;
	pf_encoding enc = pf_detect_encoding(buf, len, &bom);

	if (enc == PF_ENC_UTF16LE || enc == PF_ENC_UTF16BE || enc == PF_ENC_CP1252) {
		size_t n = 0;
		pf_status st = pf_to_utf8((const char *)buf + bom, len - bom, enc, &conv, &n);
		if (st != PF_OK)
			return st;
		p = conv;
		len = n;
	} else {
		p += bom;
		len -= bom;
	}

	pf_status st = PF_OK;
	pf_span section = { "", 0 };
	unsigned no = 1;
	size_t start = 0;
	for (size_t i = 0; i <= len && st == PF_OK; i++) {
		if (i < len && p[i] != '\n' && p[i] != '\r')
			continue;
		st = parse_line((pf_span){ p + start, i - start }, no, &section, h, ctx);
		no++;
		if (i + 1 < len && p[i] == '\r' && p[i + 1] == '\n')
			i++;
		start = i + 1;
	}
	pf_free(conv);
	return st;
}
