/* Streaming Autopilot CSV reader: encoding layer, word-at-a-time row scanner, header mapping, delivery. */
#include "csv.h"
#include "fmt.h"
#include "str.h"

enum { S_FSTART, S_UNQ, S_QUO, S_QEND };    /* field start, unquoted, in quotes, quote in quotes */
enum { K_PLAIN, K_QUOTED, K_COMPLEX };      /* field kinds: as is, inside its quotes, unquote it */
#define NO_COL 0xFF

/* Header names per column; the first one listed for a column wins over its aliases. Compared
 * ignoring ASCII case, spaces, '_' and '-' (see name_eq), so "DeviceSerialNumber" matches too. */
static const struct {
	uint8_t col;
	const char *name;
} aliases[] = {
	{ PF_CSV_COL_SERIAL, "Device Serial Number" },
	{ PF_CSV_COL_PRODUCT_ID, "Windows Product ID" },
	{ PF_CSV_COL_HASH, "Hardware Hash" },
	{ PF_CSV_COL_GROUP_TAG, "Group Tag" },
	{ PF_CSV_COL_ASSIGNED_USER, "Assigned User" },
	{ PF_CSV_COL_MANUFACTURER, "Manufacturer name" },
	{ PF_CSV_COL_MODEL, "Device model" },
	{ PF_CSV_COL_SERIAL, "Serial Number" },
	{ PF_CSV_COL_PRODUCT_ID, "Product ID" },
	{ PF_CSV_COL_HASH, "Hardware Identifier" },
	{ PF_CSV_COL_GROUP_TAG, "Order ID" },
	{ PF_CSV_COL_MANUFACTURER, "Manufacturer" },
	{ PF_CSV_COL_MODEL, "Model" },
};

/* ---- word-at-a-time helpers ---- */

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static inline uint64_t load64(const char *p)
{
	uint64_t x;
	/* __builtin_memcpy stays an inline load under -ffreestanding, where memcpy would be a call. */
	__builtin_memcpy(&x, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);   /* the first byte in the low bits, so that ctz finds it */
#endif
	return x;
}

/*
 * High bit of each byte of x that is below 0x23 (quote, CR, LF, other controls, space, '!') or a
 * comma. Borrows can flag a byte above a true hit, never below one, so the lowest flag is exact.
 * Base64 has none of these bytes: a hash is skipped eight bytes at a time.
 */
static inline uint64_t special(uint64_t x)
{
	uint64_t y = x ^ (ONES * ',');
	return (((x - ONES * 0x23) & ~x) | ((y - ONES) & ~y)) & HIGHS;
}

static inline bool is_special(char c)
{
	return (uint8_t)c < 0x23 || c == ',';
}

/* The first byte in [p, end) that special() flags, or end. */
static const char *scan(const char *p, const char *end)
{
	while (end - p >= 32) {
		uint64_t a = special(load64(p)), b = special(load64(p + 8));
		uint64_t c = special(load64(p + 16)), d = special(load64(p + 24));
		if (a | b | c | d) {
			if (a)
				return p + (__builtin_ctzll(a) >> 3);
			if (b)
				return p + 8 + (__builtin_ctzll(b) >> 3);
			if (c)
				return p + 16 + (__builtin_ctzll(c) >> 3);
			return p + 24 + (__builtin_ctzll(d) >> 3);
		}
		p += 32;
	}
	while (end - p >= 8) {
		uint64_t a = special(load64(p));
		if (a)
			return p + (__builtin_ctzll(a) >> 3);
		p += 8;
	}
	while (p < end && !is_special(*p))
		p++;
	return p;
}

static bool ascii(const char *p, size_t n)
{
	uint64_t acc = 0;
	size_t i = 0;
	for (; i + 8 <= n; i += 8)
		acc |= load64(p + i);
	for (; i < n; i++)
		acc |= (uint8_t)p[i];
	return !(acc & HIGHS);
}

/* ---- errors ---- */

static void fail(pf_csv_reader *r, pf_status st, unsigned line, const char *fmt, ...) PF_PRINTF(4, 5);
static void fail(pf_csv_reader *r, pf_status st, unsigned line, const char *fmt, ...)
{
	if (r->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	pf_vsnprintf(r->error.reason, sizeof(r->error.reason), fmt, ap);
	va_end(ap);
	r->error.line = line;
	r->status = st;
	r->failed = true;
}

/*
 * The row has reached vnow bytes. A limit is reported by whichever was crossed first, so the error
 * does not depend on where chunk boundaries fell (this runs at field ends and at chunk ends).
 */
static bool check_limits(pf_csv_reader *r, size_t vnow)
{
	size_t f_at = (size_t)r->fstart + PF_CSV_MAX_FIELD + 1, r_at = (size_t)PF_CSV_MAX_RECORD + 1;
	if (vnow < f_at && vnow < r_at)
		return true;
	if (f_at <= r_at)
		fail(r, PF_ERR_TOO_BIG, r->row_line, "field longer than %u bytes", (unsigned)PF_CSV_MAX_FIELD);
	else
		fail(r, PF_ERR_TOO_BIG, r->row_line, "row longer than %u bytes", (unsigned)PF_CSV_MAX_RECORD);
	return false;
}

/* ---- fields ---- */

/* The unquoted value of raw field bytes of the given kind, into dst (cap >= n suffices). */
static size_t unquote(char *dst, const char *src, size_t n)
{
	size_t i = 0, o = 0;
	if (n > 0 && src[0] == '"') {
		for (i = 1; i < n; i++) {
			if (src[i] != '"') {
				dst[o++] = src[i];
			} else if (i + 1 < n && src[i + 1] == '"') {
				dst[o++] = '"';
				i++;
			} else {
				i++;
				break;
			}
		}
	}
	for (; i < n; i++)
		dst[o++] = src[i];
	return o;
}

/* A field's value as UTF-8: in place when possible, else in the scratch buffer. */
static bool materialize(pf_csv_reader *r, const char *row, const pf_csv_slot *s, pf_span *ret)
{
	const char *p = row + s->start;
	size_t n = s->end - s->start;

	if (s->kind == K_QUOTED) {
		p++;
		n -= 2;
	} else if (s->kind == K_COMPLEX) {
		char *d = r->scratch + r->scratch_len;
		if (n > sizeof(r->scratch) - r->scratch_len)
			goto too_big;
		n = unquote(d, p, n);
		p = d;
		r->scratch_len += n;
	}
	if (!ascii(p, n) && !pf_utf8_valid(p, n)) {
		/* Judged UTF-8 from its start, but this field is not: read it as Windows-1252. */
		char *d = r->scratch + r->scratch_len;
		size_t o = 0;
		if (n > (sizeof(r->scratch) - r->scratch_len) / 3)
			goto too_big;
		for (size_t i = 0; i < n; i++)
			o += pf_utf8_put(d + o, pf_cp1252_to_cp((uint8_t)p[i]));
		p = d;
		n = o;
		r->scratch_len += o;
	}
	*ret = (pf_span){ p, n };
	return true;
too_big:
	fail(r, PF_ERR_TOO_BIG, r->row_line, "row longer than %u bytes once converted to UTF-8", (unsigned)PF_CSV_MAX_RECORD);
	return false;
}

/* The next field of a complete row (no line break outside quotes), as the scanner splits it. */
static bool split_field(const char *row, size_t len, size_t *pos, pf_csv_slot *ret)
{
	size_t i = *pos;
	uint8_t kind = K_PLAIN;

	if (i > len)
		return false;
	if (i < len && row[i] == '"') {
		kind = K_QUOTED;
		for (i++; i < len; i++) {
			if (row[i] != '"')
				continue;
			if (i + 1 < len && row[i + 1] == '"') {
				kind = K_COMPLEX;
				i++;
				continue;
			}
			i++;
			break;
		}
		if (i < len && row[i] != ',')
			kind = K_COMPLEX;
	}
	while (i < len && row[i] != ',')
		i++;
	*ret = (pf_csv_slot){ (uint32_t)*pos, (uint32_t)i, kind };
	*pos = i + 1;
	return true;
}

/* ---- header ---- */

static bool name_skip(char c)
{
	return c == ' ' || c == '_' || c == '-';
}

static bool name_eq(pf_span a, const char *b)
{
	size_t i = 0;
	for (;;) {
		while (i < a.len && name_skip(a.p[i]))
			i++;
		while (*b && name_skip(*b))
			b++;
		if (i == a.len || !*b)
			return i == a.len && !*b;
		if (pf_tolower(a.p[i]) != pf_tolower(*b))
			return false;
		i++;
		b++;
	}
}

static void parse_header(pf_csv_reader *r, const char *row, size_t len)
{
	size_t best[PF_CSV_N_COLS];
	uint32_t where[PF_CSV_N_COLS] = { 0 };
	char name[96];
	size_t pos = 0;
	uint32_t col = 0;
	pf_csv_slot s;

	for (size_t c = 0; c < PF_CSV_N_COLS; c++)
		best[c] = SIZE_MAX;
	while (split_field(row, len, &pos, &s) && col < PF_CSV_MAX_COLUMNS) {
		size_t n = s.end - s.start;
		/* No alias is long: a longer name cannot match and is not copied. */
		if (n <= sizeof(name)) {
			pf_span v = pf_span_trim((pf_span){ name, unquote(name, row + s.start, n) });
			for (size_t a = 0; a < PF_ARRAY_SIZE(aliases); a++) {
				if (a < best[aliases[a].col] && name_eq(v, aliases[a].name)) {
					best[aliases[a].col] = a;
					where[aliases[a].col] = col;
				}
			}
		}
		col++;
	}
	if (best[PF_CSV_COL_SERIAL] == SIZE_MAX) {
		fail(r, PF_ERR_INVALID, r->row_line, "no header with a 'Device Serial Number' column");
		return;
	}
	memset(r->colmap, NO_COL, sizeof(r->colmap));
	for (uint8_t c = 0; c < PF_CSV_N_COLS; c++)
		if (best[c] != SIZE_MAX)
			r->colmap[where[c]] = c;
	r->have_header = true;
}

/* ---- rows ---- */

/* True when every field's value is empty or white space. Most rows show a letter in their first
 * byte; only rows of nothing but spaces, commas and quotes are unquoted field by field. */
static bool blank(pf_csv_reader *r, const char *row, size_t len)
{
	size_t pos = 0;
	pf_csv_slot s;

	for (size_t i = 0; i < len; i++)
		if (!pf_isspace(row[i]) && row[i] != ',' && row[i] != '"')
			return false;
	while (split_field(row, len, &pos, &s)) {
		size_t n = unquote(r->scratch, row + s.start, s.end - s.start);
		for (size_t i = 0; i < n; i++)
			if (!pf_isspace(r->scratch[i]))
				return false;
	}
	return true;
}

/* A complete row of len bytes at row, its fields already located in r->slots. */
static void emit_row(pf_csv_reader *r, const char *row, size_t len)
{
	pf_span f[PF_CSV_N_COLS] = { 0 };

	if (blank(r, row, len))
		return;
	if (!r->have_header) {
		if (row[0] != '#')
			parse_header(r, row, len);
		return;
	}
	r->count++;
	r->scratch_len = 0;
	if (r->filter_on) {
		if (!(r->seen & (1u << PF_CSV_COL_SERIAL)))
			return;
		if (!materialize(r, row, &r->slots[PF_CSV_COL_SERIAL], &f[PF_CSV_COL_SERIAL]))
			return;
		if (!pf_span_eq_nocase(pf_span_trim(f[PF_CSV_COL_SERIAL]), (pf_span){ r->filter, r->filter_len }))
			return;
	}
	for (unsigned c = 0; c < PF_CSV_N_COLS; c++)
		if ((r->seen & (1u << c)) && !f[c].p && !materialize(r, row, &r->slots[c], &f[c]))
			return;
	pf_record_view v = {
		.source = PF_RECSRC_CSV,
		.line = r->row_line,
		.serial = f[PF_CSV_COL_SERIAL],
		.product_id = f[PF_CSV_COL_PRODUCT_ID],
		.hash = f[PF_CSV_COL_HASH],
		.group_tag = f[PF_CSV_COL_GROUP_TAG],
		.assigned_user = f[PF_CSV_COL_ASSIGNED_USER],
		.manufacturer = f[PF_CSV_COL_MANUFACTURER],
		.model = f[PF_CSV_COL_MODEL],
	};
	if (!r->cb(r->ctx, &v))
		r->stopped = true;
}

/* The field that started at r->fstart ends at row offset vend (exclusive). */
static bool end_field(pf_csv_reader *r, size_t vend)
{
	if (!check_limits(r, vend))
		return false;
	if (r->col < PF_CSV_MAX_COLUMNS && r->colmap[r->col] != NO_COL) {
		uint8_t c = r->colmap[r->col];
		r->slots[c] = (pf_csv_slot){ r->fstart, (uint32_t)vend, r->fkind };
		r->seen |= (uint8_t)(1u << c);
	}
	r->col++;
	r->fstart = (uint32_t)vend + 1;
	r->fkind = K_PLAIN;
	return true;
}

static void next_row(pf_csv_reader *r)
{
	r->carried = false;
	r->carry_len = 0;
	r->col = 0;
	r->fstart = 0;
	r->fkind = K_PLAIN;
	r->seen = 0;
	r->state = S_FSTART;
	r->row_line = r->line;
}

static void line_up(pf_csv_reader *r)
{
	if (r->line != ~0u)
		r->line++;
}

/*
 * Scans UTF-8 text. Positions within the row ("v" offsets) are computed as (p - buf) + vbase in
 * modular size_t arithmetic: vbase is carry_len for a row that began in an earlier chunk, or minus
 * the row's start in buf.
 */
static void core_feed(pf_csv_reader *r, const char *buf, size_t n)
{
	const char *p = buf, *end = buf + n, *row = buf;
	size_t vbase = r->carried ? r->carry_len : 0;
	char c;

	if (n == 0)
		return;
#define VPOS(q) ((size_t)((q) - buf) + vbase)
	while (p < end) {
		switch (r->state) {
		case S_FSTART:
			c = *p;
			if (c == '"') {
				r->fkind = K_QUOTED;
				r->quote_line = r->line;
				r->state = S_QUO;
				p++;
				continue;
			}
			if (c == ',') {
				if (!end_field(r, VPOS(p)))
					return;
				p++;
				continue;
			}
			if ((c == '\r' || c == '\n') && VPOS(p) == 0) {
				/* An empty line, or the LF of a CR LF that ended the row before. */
				if (c == '\r' || !(p > buf ? p[-1] == '\r' : r->prev_cr))
					line_up(r);
				p++;
				row = p;
				vbase = (size_t)0 - (size_t)(p - buf);
				r->row_line = r->line;
				continue;
			}
			r->state = S_UNQ;
			/* fall through */
		case S_UNQ:
			p = scan(p, end);
			if (p == end)
				continue;
			c = *p;
			if (c == ',') {
				if (!end_field(r, VPOS(p)))
					return;
				r->state = S_FSTART;
				p++;
				continue;
			}
			if (c != '\r' && c != '\n') {
				p++;    /* a quote inside an unquoted field, a space: data */
				continue;
			}
			break;
		case S_QUO:
			p = scan(p, end);
			if (p == end)
				continue;
			c = *p++;
			if (c == '"')
				r->state = S_QEND;
			else if (c == '\r' || (c == '\n' && !(p - 1 > buf ? p[-2] == '\r' : r->prev_cr)))
				line_up(r);
			continue;
		case S_QEND:
			c = *p;
			if (c == '"') {
				r->fkind = K_COMPLEX;
				r->state = S_QUO;
				p++;
				continue;
			}
			if (c == ',') {
				if (!end_field(r, VPOS(p)))
					return;
				r->state = S_FSTART;
				p++;
				continue;
			}
			if (c != '\r' && c != '\n') {
				r->fkind = K_COMPLEX;   /* text after the closing quote */
				r->state = S_UNQ;
				continue;
			}
			break;
		}

		/* p is at the CR or LF that ends the row. */
		size_t vend = VPOS(p);
		if (!end_field(r, vend))
			return;
		const char *rowp = row;
		if (r->carried) {
			memcpy(r->carry + r->carry_len, buf, (size_t)(p - buf));
			rowp = r->carry;
		}
		line_up(r);
		emit_row(r, rowp, vend);
		if (r->failed || r->stopped)
			return;
		p++;
		row = p;
		vbase = (size_t)0 - (size_t)(p - buf);
		next_row(r);
	}

	r->prev_cr = end[-1] == '\r';
	/* Keep the unfinished row's bytes for the next chunk. */
	size_t vnow = VPOS(end);
	if (vnow > 0) {
		if (!check_limits(r, vnow))
			return;
		const char *from = r->carried ? buf : row;
		memcpy(r->carry + r->carry_len, from, (size_t)(end - from));
		r->carry_len = (uint32_t)vnow;
		r->carried = true;
	}
#undef VPOS
}

static void core_finish(pf_csv_reader *r)
{
	if (r->state == S_QUO) {
		if (check_limits(r, r->carry_len))
			fail(r, PF_ERR_TRUNCATED, r->quote_line, "quote opened on line %u is not closed", r->quote_line);
		return;
	}
	if (r->carry_len == 0)
		return;
	if (!end_field(r, r->carry_len))
		return;
	emit_row(r, r->carry, r->carry_len);
	next_row(r);
}

/* ---- encodings ---- */

static void stage_flush(pf_csv_reader *r, size_t *o)
{
	if (*o)
		core_feed(r, r->stage, *o);
	*o = 0;
}

static void put_cp(pf_csv_reader *r, size_t *o, uint32_t cp)
{
	if (*o > sizeof(r->stage) - 4)
		stage_flush(r, o);
	*o += pf_utf8_put(r->stage + *o, cp);
}

static void u16_unit(pf_csv_reader *r, size_t *o, uint16_t u)
{
	if (r->u16_hi) {
		if (u >= 0xDC00 && u < 0xE000) {
			put_cp(r, o, 0x10000 + ((uint32_t)(r->u16_hi - 0xD800) << 10) + (u - 0xDC00u));
			r->u16_hi = 0;
			return;
		}
		put_cp(r, o, 0xFFFD);
		r->u16_hi = 0;
	}
	if (u >= 0xD800 && u < 0xDC00)
		r->u16_hi = u;
	else
		put_cp(r, o, u);        /* a lone low surrogate becomes U+FFFD there */
}

static void decode_feed(pf_csv_reader *r, const uint8_t *p, size_t n)
{
	size_t o = 0;

	switch (r->enc) {
	case PF_ENC_UTF8:
		core_feed(r, (const char *)p, n);
		return;
	case PF_ENC_CP1252:
		for (size_t i = 0; i < n && !r->failed && !r->stopped; i++) {
			if (p[i] < 0x80) {
				if (o == sizeof(r->stage))
					stage_flush(r, &o);
				r->stage[o++] = (char)p[i];
			} else {
				put_cp(r, &o, pf_cp1252_to_cp(p[i]));
			}
		}
		break;
	case PF_ENC_UTF16LE:
	case PF_ENC_UTF16BE: {
		bool le = r->enc == PF_ENC_UTF16LE;
		size_t i = 0;
		if (r->u16_odd && n > 0) {
			u16_unit(r, &o, le ? (uint16_t)(r->u16_byte | p[0] << 8) : (uint16_t)(r->u16_byte << 8 | p[0]));
			r->u16_odd = false;
			i = 1;
		}
		for (; i + 1 < n && !r->failed && !r->stopped; i += 2)
			u16_unit(r, &o, le ? (uint16_t)(p[i] | p[i + 1] << 8) : (uint16_t)(p[i] << 8 | p[i + 1]));
		if (i < n && i + 1 == n) {
			r->u16_odd = true;
			r->u16_byte = p[i];
		}
		break;
	}
	}
	if (!r->failed && !r->stopped)
		stage_flush(r, &o);
}

static void decode_finish(pf_csv_reader *r)
{
	size_t o = 0;
	if (r->u16_hi || r->u16_odd)
		put_cp(r, &o, 0xFFFD);      /* as pf_to_utf8 does */
	if (r->u16_hi && r->u16_odd)
		put_cp(r, &o, 0xFFFD);
	r->u16_hi = 0;
	r->u16_odd = false;
	stage_flush(r, &o);
}

static void start(pf_csv_reader *r)
{
	size_t bom = 0;
	const uint8_t *h = r->head;

	/* Without a BOM, a header of ASCII names in UTF-16 puts a NUL in its first two bytes. */
	if (r->n_head >= 2 && h[0] && !h[1])
		r->enc = PF_ENC_UTF16LE;
	else if (r->n_head >= 2 && !h[0] && h[1])
		r->enc = PF_ENC_UTF16BE;
	else
		r->enc = pf_detect_encoding(h, r->n_head, &bom);
	r->enc_known = true;
	decode_feed(r, h + bom, r->n_head - bom);
}

/* ---- public ---- */

void pf_csv_init(pf_csv_reader *r, pf_record_cb cb, void *ctx)
{
	r->cb = cb;
	r->ctx = ctx;
	r->error = (pf_file_error){ 0 };
	r->status = PF_OK;
	r->failed = r->stopped = r->finished = false;
	r->enc_known = false;
	r->enc = PF_ENC_UTF8;
	r->n_head = 0;
	r->u16_odd = false;
	r->u16_byte = 0;
	r->u16_hi = 0;
	r->prev_cr = false;
	r->line = 1;
	r->quote_line = 0;
	next_row(r);
	r->have_header = false;
	memset(r->colmap, NO_COL, sizeof(r->colmap));
	r->filter_on = false;
	r->filter_len = 0;
	r->count = 0;
	r->scratch_len = 0;
}

pf_status pf_csv_set_filter(pf_csv_reader *r, const char *serial)
{
	if (!serial) {
		r->filter_on = false;
		return PF_OK;
	}
	pf_span s = pf_span_trim(pf_span_of(serial));
	if (s.len > sizeof(r->filter))
		return PF_ERR_TOO_BIG;
	memcpy(r->filter, s.p, s.len);
	r->filter_len = s.len;
	r->filter_on = true;
	return PF_OK;
}

pf_status pf_csv_feed(pf_csv_reader *r, const void *chunk, size_t len)
{
	const uint8_t *p = chunk;

	if (r->failed || r->stopped || r->finished)
		return r->status;
	if (!r->enc_known) {
		size_t take = PF_MIN(len, sizeof(r->head) - r->n_head);
		memcpy(r->head + r->n_head, p, take);
		r->n_head += take;
		p += take;
		len -= take;
		if (r->n_head < sizeof(r->head))
			return PF_OK;
		start(r);
	}
	if (len && !r->failed && !r->stopped)
		decode_feed(r, p, len);
	return r->status;
}

pf_status pf_csv_finish(pf_csv_reader *r)
{
	if (r->failed || r->stopped || r->finished)
		return r->status;
	if (!r->enc_known)
		start(r);
	if (!r->failed && !r->stopped)
		decode_finish(r);
	if (!r->failed && !r->stopped)
		core_finish(r);
	if (!r->failed && !r->stopped && !r->have_header)
		fail(r, PF_ERR_INVALID, 1, "empty file: no header with a 'Device Serial Number' column");
	r->finished = true;
	return r->status;
}

const pf_file_error *pf_csv_error(const pf_csv_reader *r)
{
	return r->failed ? &r->error : NULL;
}

size_t pf_csv_count(const pf_csv_reader *r)
{
	return r->count;
}

pf_encoding pf_csv_encoding(const pf_csv_reader *r)
{
	return r->enc_known ? r->enc : PF_ENC_UTF8;
}
