/* Streaming JSON tokenizer: encoding detection and UTF-16 transcoding, then a byte-level grammar state machine. */
#include "jsonscan.h"

/* Grammar states: where the last byte left us. */
enum {
	ST_TOP,        /* before the top-level value */
	ST_VALUE,      /* after ':' */
	ST_ARR_FIRST,  /* after '[' */
	ST_ARR_NEXT,   /* after ',' in an array */
	ST_OBJ_FIRST,  /* after '{' */
	ST_OBJ_NEXT,   /* after ',' in an object */
	ST_COLON,      /* after a key */
	ST_AFTER,      /* after a value inside a container */
	ST_END,        /* after the top-level value */
	ST_STRING,     /* inside a string */
	ST_ESC,        /* after a backslash */
	ST_UHEX,       /* inside the hex digits of \uXXXX */
	ST_NUMBER,
	ST_LITERAL,
};

/* Number sub-states, named by what was read last. */
enum { N_MINUS, N_ZERO, N_INT, N_DOT, N_FRAC, N_EXP, N_EXP_SIGN, N_EXP_DIGITS };

static const char *const literals[] = { "true", "false", "null" };
static const pf_jev_type literal_types[] = { PF_JEV_TRUE, PF_JEV_FALSE, PF_JEV_NULL };

void pf_jsonscan_init(pf_jsonscan *s, pf_jsonscan_cb cb, void *ctx)
{
	/* The value buffer needs no clearing: only bytes below len are ever read. */
	memset(s, 0, offsetof(pf_jsonscan, val));
	s->cb = cb;
	s->ctx = ctx;
	s->line = 1;
	s->state = ST_TOP;
}

const pf_jsonscan_error *pf_jsonscan_error_of(const pf_jsonscan *s)
{
	return s->err.status != PF_OK ? &s->err : NULL;
}

static bool halted(const pf_jsonscan *s)
{
	return s->err.status != PF_OK || s->stopped;
}

static void fail_at(pf_jsonscan *s, pf_status st, unsigned line, unsigned col, const char *msg)
{
	if (s->err.status == PF_OK)
		s->err = (pf_jsonscan_error){ .status = st, .line = line, .col = col, .msg = msg };
}

/* An error at the character just read. */
static void fail(pf_jsonscan *s, pf_status st, const char *msg)
{
	fail_at(s, st, s->line, s->col, msg);
}

/* An error where the next character would be: at the end of the input, or in the encoding layer
 * before the character exists. */
static void fail_next(pf_jsonscan *s, pf_status st, const char *msg)
{
	if (s->nl_pending)
		fail_at(s, st, s->line + 1, 1, msg);
	else
		fail_at(s, st, s->line, s->col + 1, msg);
}

static void emit(pf_jsonscan *s, pf_jev_type type, unsigned depth, bool with_val)
{
	pf_jsonscan_event ev = { .type = type, .depth = depth, .line = s->tok_line, .col = s->tok_col };

	if (with_val) {
		s->val[s->len] = '\0';
		ev.val = (pf_span){ s->val, s->len };
		ev.full_len = s->full_len;
		ev.truncated = s->truncated;
	}
	if (!s->cb(s->ctx, &ev))
		s->stopped = true;
}

/* Appends whole characters only, so that a truncated value is still valid UTF-8. */
static void put_bytes(pf_jsonscan *s, const void *b, size_t n)
{
	s->full_len += n;
	if (s->truncated)
		return;
	if (n > PF_JSONSCAN_MAX_VALUE - s->len) {
		s->truncated = true;
		return;
	}
	memcpy(s->val + s->len, b, n);
	s->len += n;
}

/* A run of ASCII characters may be cut anywhere: keep what fits. */
static void put_ascii(pf_jsonscan *s, const uint8_t *b, size_t n)
{
	size_t room = PF_JSONSCAN_MAX_VALUE - s->len;

	if (n > room && !s->truncated) {
		memcpy(s->val + s->len, b, room);
		s->len += room;
		s->full_len += room;
		b += room;
		n -= room;
	}
	put_bytes(s, b, n);
}

static void put_cp(pf_jsonscan *s, uint32_t cp)
{
	char u[4];
	put_bytes(s, u, pf_utf8_put(u, cp));
}

static void begin_token(pf_jsonscan *s)
{
	s->tok_line = s->line;
	s->tok_col = s->col;
	s->len = 0;
	s->full_len = 0;
	s->truncated = false;
}

static void value_done(pf_jsonscan *s)
{
	s->state = s->depth ? ST_AFTER : ST_END;
}

static bool top_is_obj(const pf_jsonscan *s)
{
	return (s->is_obj >> (s->depth - 1)) & 1;
}

static void close_container(pf_jsonscan *s)
{
	begin_token(s);
	s->depth--;
	emit(s, (s->is_obj >> s->depth) & 1 ? PF_JEV_OBJ_END : PF_JEV_ARR_END, s->depth, false);
	value_done(s);
}

static void value_start(pf_jsonscan *s, uint8_t c)
{
	begin_token(s);
	switch (c) {
	case '{':
	case '[':
		if (s->depth >= PF_JSONSCAN_MAX_DEPTH) {
			fail(s, PF_ERR_TOO_BIG, "nesting deeper than 64 levels");
			return;
		}
		if (c == '{')
			s->is_obj |= (uint64_t)1 << s->depth;
		else
			s->is_obj &= ~((uint64_t)1 << s->depth);
		s->state = c == '{' ? ST_OBJ_FIRST : ST_ARR_FIRST;
		emit(s, c == '{' ? PF_JEV_OBJ_START : PF_JEV_ARR_START, s->depth++, false);
		return;
	case '"':
		s->state = ST_STRING;
		s->in_key = false;
		s->esc_hi = 0;
		return;
	case 't':
	case 'f':
	case 'n':
		s->state = ST_LITERAL;
		s->lit = c == 't' ? 0 : c == 'f' ? 1 : 2;
		s->sub = 1;
		return;
	case '-':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		s->state = ST_NUMBER;
		s->sub = c == '-' ? N_MINUS : c == '0' ? N_ZERO : N_INT;
		put_bytes(s, &c, 1);
		return;
	default:
		fail(s, PF_ERR_INVALID, "expected a value");
	}
}

static void key_start(pf_jsonscan *s)
{
	begin_token(s);
	s->state = ST_STRING;
	s->in_key = true;
	s->esc_hi = 0;
}

/* A high surrogate from \u that found no low half is a broken character, kept visible as U+FFFD. */
static void flush_hi(pf_jsonscan *s)
{
	if (s->esc_hi) {
		put_cp(s, 0xFFFD);
		s->esc_hi = 0;
	}
}

static void string_unit(pf_jsonscan *s, uint16_t u)
{
	if (s->esc_hi) {
		if (u >= 0xDC00 && u <= 0xDFFF) {
			put_cp(s, 0x10000 + (((uint32_t)s->esc_hi - 0xD800) << 10) + (u - 0xDC00));
			s->esc_hi = 0;
			return;
		}
		flush_hi(s);
	}
	if (u >= 0xD800 && u <= 0xDBFF)
		s->esc_hi = u;
	else if (u >= 0xDC00 && u <= 0xDFFF)
		put_cp(s, 0xFFFD);
	else
		put_cp(s, u);
}

static void string_end(pf_jsonscan *s)
{
	flush_hi(s);
	if (s->in_key) {
		s->state = ST_COLON;
		emit(s, PF_JEV_KEY, s->depth, true);
	} else {
		value_done(s);
		emit(s, PF_JEV_STRING, s->depth, true);
	}
}

static void string_byte(pf_jsonscan *s, uint8_t c)
{
	if (s->u8_need) {
		if ((c & 0xC0) != 0x80) {
			fail(s, PF_ERR_INVALID, "invalid UTF-8");
			return;
		}
		s->u8_cp = s->u8_cp << 6 | (c & 0x3F);
		if (--s->u8_need)
			return;
		/* Overlong forms, encoded surrogates and values past U+10FFFF are not UTF-8. */
		if (s->u8_cp < s->u8_min || s->u8_cp > 0x10FFFF || (s->u8_cp >= 0xD800 && s->u8_cp <= 0xDFFF)) {
			fail(s, PF_ERR_INVALID, "invalid UTF-8");
			return;
		}
		flush_hi(s);
		put_cp(s, s->u8_cp);
		return;
	}
	if (c == '"') {
		string_end(s);
	} else if (c == '\\') {
		s->state = ST_ESC;
	} else if (c < 0x20) {
		fail(s, PF_ERR_INVALID, "control character in string (must be escaped)");
	} else if (c < 0x80) {
		flush_hi(s);
		put_bytes(s, &c, 1);
	} else if (c >= 0xC2 && c <= 0xDF) {
		s->u8_need = 1, s->u8_cp = c & 0x1F, s->u8_min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		s->u8_need = 2, s->u8_cp = c & 0x0F, s->u8_min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		s->u8_need = 3, s->u8_cp = c & 0x07, s->u8_min = 0x10000;
	} else {
		fail(s, PF_ERR_INVALID, "invalid UTF-8");
	}
}

static void escape_byte(pf_jsonscan *s, uint8_t c)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";

	if (c == 'u') {
		s->state = ST_UHEX;
		s->esc_n = 0;
		s->esc_unit = 0;
		return;
	}
	for (size_t i = 0; i < sizeof(from) - 1; i++)
		if (c == (uint8_t)from[i]) {
			flush_hi(s);
			put_bytes(s, &to[i], 1);
			s->state = ST_STRING;
			return;
		}
	fail(s, PF_ERR_INVALID, "invalid escape sequence");
}

static void uhex_byte(pf_jsonscan *s, uint8_t c)
{
	unsigned v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else {
		fail(s, PF_ERR_INVALID, "invalid \\u escape (expected 4 hex digits)");
		return;
	}
	s->esc_unit = (uint16_t)(s->esc_unit << 4 | v);
	if (++s->esc_n == 4) {
		string_unit(s, s->esc_unit);
		s->state = ST_STRING;
	}
}

static const char *number_problem(uint8_t sub)
{
	switch (sub) {
	case N_MINUS:
		return "expected a digit after '-'";
	case N_DOT:
		return "expected a digit after '.'";
	case N_EXP:
	case N_EXP_SIGN:
		return "expected a digit in the exponent";
	default:
		return NULL;
	}
}

/* Returns false when c ended the number, which was then emitted; c still needs reading. */
static bool number_byte(pf_jsonscan *s, uint8_t c)
{
	bool digit = c >= '0' && c <= '9';
	uint8_t next;

	switch (s->sub) {
	case N_MINUS:
		next = digit ? (c == '0' ? N_ZERO : N_INT) : 0xFF;
		break;
	case N_ZERO:
		if (digit) {
			fail(s, PF_ERR_INVALID, "leading zeros are not allowed");
			return true;
		}
		/* fall through */
	case N_INT:
		next = digit ? N_INT : c == '.' ? N_DOT : (c == 'e' || c == 'E') ? N_EXP : 0xFF;
		break;
	case N_DOT:
	case N_FRAC:
		next = digit ? N_FRAC : (s->sub == N_FRAC && (c == 'e' || c == 'E')) ? N_EXP : 0xFF;
		break;
	case N_EXP:
		next = digit ? N_EXP_DIGITS : (c == '+' || c == '-') ? N_EXP_SIGN : 0xFF;
		break;
	default: /* N_EXP_SIGN, N_EXP_DIGITS */
		next = digit ? N_EXP_DIGITS : 0xFF;
		break;
	}
	if (next != 0xFF) {
		s->sub = next;
		put_bytes(s, &c, 1);
		return true;
	}
	if (number_problem(s->sub)) {
		fail(s, PF_ERR_INVALID, number_problem(s->sub));
		return true;
	}
	value_done(s);
	emit(s, PF_JEV_NUMBER, s->depth, true);
	return false;
}

static bool is_ws(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Keeps line and column of the character c belongs to. */
static void advance(pf_jsonscan *s, uint8_t c)
{
	/* Continuation bytes share the column of their character's first byte. */
	if (s->u8_need && (c & 0xC0) == 0x80)
		return;
	if (s->nl_pending && !(s->prev_cr && c == '\n')) {
		s->line++;
		s->col = 1;
		s->nl_pending = false;
	} else {
		s->col++;
	}
	s->prev_cr = c == '\r';
	if (c == '\n' || c == '\r')
		s->nl_pending = true;
}

/* One byte of UTF-8 through the grammar. */
static void grammar_byte(pf_jsonscan *s, uint8_t c)
{
	advance(s, c);
	switch (s->state) {
	case ST_STRING:
		string_byte(s, c);
		return;
	case ST_ESC:
		escape_byte(s, c);
		return;
	case ST_UHEX:
		uhex_byte(s, c);
		return;
	case ST_LITERAL:
		if (c != (uint8_t)literals[s->lit][s->sub]) {
			fail(s, PF_ERR_INVALID, "invalid literal (expected true, false or null)");
			return;
		}
		if (literals[s->lit][++s->sub] == '\0') {
			value_done(s);
			emit(s, literal_types[s->lit], s->depth, false);
		}
		return;
	case ST_NUMBER:
		if (number_byte(s, c) || halted(s))
			return;
		break; /* c ended the number and is read again below */
	default:
		break;
	}

	if (is_ws(c))
		return;
	switch (s->state) {
	case ST_TOP:
	case ST_VALUE:
		value_start(s, c);
		break;
	case ST_ARR_FIRST:
		if (c == ']')
			close_container(s);
		else
			value_start(s, c);
		break;
	case ST_ARR_NEXT:
		if (c == ']')
			fail(s, PF_ERR_INVALID, "trailing comma before ']'");
		else
			value_start(s, c);
		break;
	case ST_OBJ_FIRST:
		if (c == '"')
			key_start(s);
		else if (c == '}')
			close_container(s);
		else
			fail(s, PF_ERR_INVALID, "expected a string key or '}'");
		break;
	case ST_OBJ_NEXT:
		if (c == '"')
			key_start(s);
		else if (c == '}')
			fail(s, PF_ERR_INVALID, "trailing comma before '}'");
		else
			fail(s, PF_ERR_INVALID, "expected a string key");
		break;
	case ST_COLON:
		if (c == ':')
			s->state = ST_VALUE;
		else
			fail(s, PF_ERR_INVALID, "expected ':' after the key");
		break;
	case ST_AFTER:
		if (c == ',')
			s->state = top_is_obj(s) ? ST_OBJ_NEXT : ST_ARR_NEXT;
		else if (c == (top_is_obj(s) ? '}' : ']'))
			close_container(s);
		else
			fail(s, PF_ERR_INVALID, top_is_obj(s) ? "expected ',' or '}'" : "expected ',' or ']'");
		break;
	default: /* ST_END */
		fail(s, PF_ERR_INVALID, "unexpected data after the top-level value");
		break;
	}
}

/* UTF-8 input: plain runs inside strings, the bulk of a Graph export, skip the state machine. */
static void feed_utf8(pf_jsonscan *s, const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (i < len && !halted(s)) {
		if (s->state == ST_STRING && !s->u8_need && !s->esc_hi) {
			size_t j = i;
			while (j < len && p[j] >= 0x20 && p[j] < 0x80 && p[j] != '"' && p[j] != '\\')
				j++;
			if (j > i) {
				/* Inside a string no line break is pending: a raw one is an error. */
				put_ascii(s, p + i, j - i);
				s->col += (unsigned)(j - i);
				s->prev_cr = false;
				i = j;
				continue;
			}
		}
		grammar_byte(s, p[i++]);
	}
}

static void feed_cp(pf_jsonscan *s, uint32_t cp)
{
	uint8_t u[4];
	size_t n = pf_utf8_put((char *)u, cp);

	for (size_t i = 0; i < n && !halted(s); i++)
		grammar_byte(s, u[i]);
}

static void feed_utf16(pf_jsonscan *s, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len && !halted(s); i++) {
		if (!s->u16_odd) {
			s->u16_byte = p[i];
			s->u16_odd = true;
			continue;
		}
		s->u16_odd = false;
		uint16_t u = s->enc == PF_ENC_UTF16LE ? (uint16_t)(p[i] << 8 | s->u16_byte)
						      : (uint16_t)(s->u16_byte << 8 | p[i]);
		if (s->u16_hi) {
			if (u < 0xDC00 || u > 0xDFFF) {
				fail_next(s, PF_ERR_INVALID, "invalid UTF-16 (unpaired surrogate)");
				return;
			}
			feed_cp(s, 0x10000 + (((uint32_t)s->u16_hi - 0xD800) << 10) + (u - 0xDC00));
			s->u16_hi = 0;
		} else if (u >= 0xD800 && u <= 0xDBFF) {
			s->u16_hi = u;
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			fail_next(s, PF_ERR_INVALID, "invalid UTF-16 (unpaired surrogate)");
			return;
		} else {
			feed_cp(s, u);
		}
	}
}

static void feed_decoded(pf_jsonscan *s, const uint8_t *p, size_t len)
{
	if (s->enc == PF_ENC_UTF8)
		feed_utf8(s, p, len);
	else
		feed_utf16(s, p, len);
}

/*
 * Decides the encoding from the first bytes once enough are there (or at the end), then replays
 * them past the BOM. JSON starts with an ASCII character, so UTF-16 shows a NUL in byte 0 (BE) or
 * byte 1 (LE) even without a BOM.
 */
static void detect(pf_jsonscan *s, bool at_end)
{
	const uint8_t *h = s->head;
	size_t n = s->n_head, bom = 0;
	pf_encoding enc = PF_ENC_UTF8;

	if (n >= 1 && h[0] == 0xEF && (n < 2 || h[1] == 0xBB)) {
		if (n < 3 && !at_end)
			return;
		if (n == 3 && h[2] == 0xBF)
			bom = 3;
	} else if (n >= 2) {
		if (h[0] == 0xFF && h[1] == 0xFE)
			enc = PF_ENC_UTF16LE, bom = 2;
		else if (h[0] == 0xFE && h[1] == 0xFF)
			enc = PF_ENC_UTF16BE, bom = 2;
		else if (h[0] == 0 && h[1] != 0)
			enc = PF_ENC_UTF16BE;
		else if (h[0] != 0 && h[1] == 0)
			enc = PF_ENC_UTF16LE;
	} else if (!at_end) {
		return;
	}
	s->enc = enc;
	s->enc_known = true;
	feed_decoded(s, h + bom, n - bom);
}

pf_status pf_jsonscan_feed(pf_jsonscan *s, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len && !s->enc_known && !halted(s)) {
		s->head[s->n_head++] = *p++;
		len--;
		detect(s, false);
	}
	if (len && !halted(s))
		feed_decoded(s, p, len);
	return s->err.status;
}

pf_status pf_jsonscan_finish(pf_jsonscan *s)
{
	if (!s->enc_known && !halted(s))
		detect(s, true);
	if (halted(s))
		return s->err.status;
	if (s->enc != PF_ENC_UTF8 && (s->u16_odd || s->u16_hi)) {
		fail_next(s, PF_ERR_TRUNCATED, "input ends inside a UTF-16 character");
		return s->err.status;
	}
	switch (s->state) {
	case ST_END:
		break;
	case ST_TOP:
		fail_next(s, PF_ERR_TRUNCATED, "no JSON value (the input is empty)");
		break;
	case ST_NUMBER:
		if (s->depth == 0) {
			if (number_problem(s->sub)) {
				fail_next(s, PF_ERR_TRUNCATED, number_problem(s->sub));
				break;
			}
			value_done(s);
			emit(s, PF_JEV_NUMBER, s->depth, true);
			break;
		}
		fail_next(s, PF_ERR_TRUNCATED, "unexpected end of input");
		break;
	case ST_STRING:
	case ST_ESC:
	case ST_UHEX:
		fail_next(s, PF_ERR_TRUNCATED, "unexpected end of input inside a string");
		break;
	default:
		fail_next(s, PF_ERR_TRUNCATED, "unexpected end of input");
		break;
	}
	return s->err.status;
}

pf_status pf_jsonscan_whole(const void *buf, size_t len, pf_jsonscan_cb cb, void *ctx, bool wipe)
{
	pf_jsonscan *s = pf_malloc(sizeof(*s));
	if (!s)
		return PF_ERR_NOMEM;
	pf_jsonscan_init(s, cb, ctx);
	pf_status st = pf_jsonscan_feed(s, buf, len);
	if (st == PF_OK)
		st = pf_jsonscan_finish(s);
	if (wipe)
		pf_wipe(s, sizeof(*s));
	pf_free(s);
	return st;
}
