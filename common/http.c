/* HTTP/1.1 for the network checks: the GET request, the response head (status, Date, length), NCSI body. */
#include "http.h"
#include "fmt.h"
#include "pftime.h"
#include "str.h"

/* A cursor over a date string. */
typedef struct {
	const char *p;
	size_t len, i;
} scan;

static bool sc_digits(scan *s, size_t min, size_t max, unsigned *ret)
{
	unsigned v = 0;
	size_t n = 0;
	while (s->i < s->len && n < max && pf_isdigit(s->p[s->i])) {
		v = v * 10 + (unsigned)(s->p[s->i++] - '0');
		n++;
	}
	*ret = v;
	return n >= min;
}

static bool sc_char(scan *s, char c)
{
	if (s->i < s->len && s->p[s->i] == c) {
		s->i++;
		return true;
	}
	return false;
}

static size_t sc_spaces(scan *s)
{
	size_t n = 0;
	while (sc_char(s, ' '))
		n++;
	return n;
}

static bool sc_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool sc_month(scan *s, unsigned *ret)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	if (s->len - s->i < 3)
		return false;
	for (unsigned m = 0; m < 12; m++)
		if (pf_span_eq_nocase((pf_span){ s->p + s->i, 3 }, (pf_span){ names + 3 * m, 3 })) {
			s->i += 3;
			*ret = m + 1;
			return true;
		}
	return false;
}

static bool sc_time(scan *s, unsigned *h, unsigned *m, unsigned *sec)
{
	return sc_digits(s, 2, 2, h) && sc_char(s, ':') && sc_digits(s, 2, 2, m) && sc_char(s, ':') &&
	       sc_digits(s, 2, 2, sec);
}

bool pf_http_date_parse(const char *str, size_t len, int64_t *ret_unix)
{
	pf_span t = pf_span_trim((pf_span){ str, len });
	scan s = { t.p, t.len, 0 };
	unsigned day, mon, year, h, m, sec;
	size_t name = 0;
	while (s.i < s.len && sc_alpha(s.p[s.i])) {
		s.i++;
		name++;
	}
	if (name < 3)
		return false;
	bool comma = sc_char(&s, ',');
	if (sc_spaces(&s) == 0)
		return false;
	if (comma) {
		/* IMF-fixdate "06 Nov 1994 08:49:37 GMT" or RFC 850 "06-Nov-94 08:49:37 GMT" */
		if (!sc_digits(&s, 2, 2, &day))
			return false;
		char sep = s.i < s.len ? s.p[s.i] : 0;
		if ((sep != ' ' && sep != '-') || !sc_char(&s, sep) || !sc_month(&s, &mon) || !sc_char(&s, sep))
			return false;
		if (sep == ' ') {
			if (!sc_digits(&s, 4, 4, &year))
				return false;
		} else {
			if (!sc_digits(&s, 2, 2, &year))
				return false;
			year += year < 70 ? 2000 : 1900;
		}
		if (!sc_char(&s, ' ') || !sc_time(&s, &h, &m, &sec) || !sc_char(&s, ' ') || s.len - s.i != 3 ||
		    !pf_span_eq_cstr_nocase((pf_span){ s.p + s.i, 3 }, "GMT"))
			return false;
	} else {
		/* asctime "Nov  6 08:49:37 1994" */
		if (!sc_month(&s, &mon) || sc_spaces(&s) == 0 || !sc_digits(&s, 1, 2, &day) || !sc_char(&s, ' ') ||
		    !sc_time(&s, &h, &m, &sec) || !sc_char(&s, ' ') || !sc_digits(&s, 4, 4, &year) || s.i != s.len)
			return false;
	}
	pf_time tm = { .year = (uint16_t)year, .month = (uint8_t)mon, .day = (uint8_t)day, .hour = (uint8_t)h,
		       .minute = (uint8_t)m, .second = (uint8_t)(sec == 60 ? 59 : sec), .has_tz = true };
	if (!pf_time_valid(&tm))
		return false;
	*ret_unix = pf_time_to_unix(&tm);
	return true;
}

static bool parse_status_line(pf_span l, pf_http_response *r)
{
	/* "HTTP/1.1 200 OK" (the reason may be empty, even without its space) */
	if (l.len < 12 || memcmp(l.p, "HTTP/1.", 7) != 0 || !pf_isdigit(l.p[7]) || l.p[8] != ' ')
		return false;
	for (int i = 9; i < 12; i++)
		if (!pf_isdigit(l.p[i]))
			return false;
	if (l.len > 12 && l.p[12] != ' ')
		return false;
	r->minor = (unsigned)(l.p[7] - '0');
	r->status = (unsigned)((l.p[9] - '0') * 100 + (l.p[10] - '0') * 10 + (l.p[11] - '0'));
	return r->status >= 100;
}

bool pf_http_header_split(pf_span l, pf_span *ret_name, pf_span *ret_value)
{
	size_t c = 0;
	while (c < l.len && l.p[c] != ':')
		c++;
	if (c == l.len)
		return false;
	*ret_name = (pf_span){ l.p, c };
	*ret_value = pf_span_trim((pf_span){ l.p + c + 1, l.len - c - 1 });
	return true;
}

static void parse_header(const char *base, pf_span l, pf_http_response *r)
{
	pf_span name, val;
	if (!pf_http_header_split(l, &name, &val))
		return;
	uint64_t v;
	if (pf_span_eq_cstr_nocase(name, "date")) {
		int64_t t;
		if (pf_http_date_parse(val.p, val.len, &t)) {
			r->has_date = true;
			r->date_unix = t;
		}
	} else if (pf_span_eq_cstr_nocase(name, "content-length")) {
		if (pf_parse_u64(val, UINT32_MAX, &v)) {
			r->has_length = true;
			r->content_length = v;
		}
	} else if (pf_span_eq_cstr_nocase(name, "transfer-encoding")) {
		r->chunked = pf_span_contains_nocase(val, "chunked");
	} else if (pf_span_eq_cstr_nocase(name, "location")) {
		r->location_off = (size_t)(val.p - base);
		r->location_len = val.len;
	}
}

pf_status pf_http_parse_head(const void *buf, size_t len, pf_http_response *ret)
{
	const char *s = buf;
	size_t end = 0;
	/* Find the empty line ("\r\n\r\n", or bare "\n\n" from sloppy servers). */
	for (size_t i = 0; i < len && !end; i++)
		if (s[i] == '\n' && ((i >= 1 && s[i - 1] == '\n') || (i >= 2 && s[i - 1] == '\r' && s[i - 2] == '\n')))
			end = i + 1;
	if (!end) {
		if (len >= 8 && memcmp(s, "HTTP/1.", 7) != 0)
			return PF_ERR_INVALID;
		return len >= PF_HTTP_HEAD_MAX ? PF_ERR_TOO_BIG : PF_ERR_TRUNCATED;
	}
	if (end > PF_HTTP_HEAD_MAX)
		return PF_ERR_TOO_BIG;
	pf_http_response r = { .head_len = end };
	size_t i = 0;
	bool first = true;
	while (i < end) {
		size_t j = i;
		while (j < end && s[j] != '\n')
			j++;
		pf_span l = { s + i, j - i };
		if (l.len && l.p[l.len - 1] == '\r')
			l.len--;
		if (first) {
			if (!parse_status_line(l, &r))
				return PF_ERR_INVALID;
			first = false;
		} else if (l.len) {
			parse_header(s, l, &r);
		}
		i = j + 1;
	}
	*ret = r;
	return PF_OK;
}

static int hexval(char c)
{
	if (pf_isdigit(c))
		return c - '0';
	c = pf_tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes a chunked body into out; PF_ERR_TRUNCATED until the zero-size chunk arrived. */
static pf_status dechunk(const char *s, size_t len, uint8_t *out, size_t cap, size_t *ret_len)
{
	size_t i = 0, n = 0;
	for (;;) {
		uint64_t size = 0;
		size_t digits = 0;
		int h;
		while (i < len && (h = hexval(s[i])) >= 0) {
			if (++digits > 8)
				return PF_ERR_INVALID;
			size = size * 16 + (uint64_t)h;
			i++;
		}
		if (i == len)
			return PF_ERR_TRUNCATED;
		if (digits == 0)
			return PF_ERR_INVALID;
		while (i < len && s[i] != '\n') /* chunk extensions */
			i++;
		if (i == len)
			return PF_ERR_TRUNCATED;
		i++;
		if (size == 0)
			break;
		if (size > len - i)
			return PF_ERR_TRUNCATED;
		if (size > cap - n)
			return PF_ERR_TOO_BIG;
		memcpy(out + n, s + i, (size_t)size);
		n += (size_t)size;
		i += (size_t)size;
		if (i < len && s[i] == '\r')
			i++;
		if (i == len)
			return PF_ERR_TRUNCATED;
		if (s[i++] != '\n')
			return PF_ERR_INVALID;
	}
	*ret_len = n;
	return PF_OK;
}

pf_status pf_http_body(const void *buf, size_t len, const pf_http_response *r, void *out, size_t cap,
		       const uint8_t **ret_body, size_t *ret_len)
{
	const uint8_t *b = buf;
	if (r->head_len > len)
		return PF_ERR_INVALID;
	size_t avail = len - r->head_len;
	if (r->chunked) {
		size_t n = 0;
		pf_status st = dechunk((const char *)b + r->head_len, avail, out, cap, &n);
		if (st != PF_OK)
			return st;
		*ret_body = out;
		*ret_len = n;
		return PF_OK;
	}
	if (r->has_length) {
		if (avail < r->content_length)
			return PF_ERR_TRUNCATED;
		avail = (size_t)r->content_length;
	}
	*ret_body = b + r->head_len;
	*ret_len = avail;
	return PF_OK;
}

size_t pf_http_get_request(const char *host, const char *path, char *buf, size_t cap)
{
	return pf_snprintf(buf, cap,
			   "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: Preflight/" PF_VERSION
			   "\r\nAccept: */*\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
			   path, host);
}

bool pf_ncsi_body_ok(const void *body, size_t len)
{
	const char *s = body;
	size_t n = sizeof(PF_NCSI_TEXT) - 1;
	while (len > n && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	return len == n && memcmp(s, PF_NCSI_TEXT, n) == 0;
}
