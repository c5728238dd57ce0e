/* The online Graph lookup's portable parts: URL split and building, request, token, Retry-After, answer class, page metadata. */
#include "graphquery.h"
#include "fmt.h"
#include "http.h"
#include "jsonscan.h"

#define LOOKUP_PATH "/v1.0/deviceManagement/windowsAutopilotDeviceIdentities?$filter=contains(serialNumber,'"

static bool host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || pf_isdigit(c) || c == '-' || c == '.';
}

pf_status pf_url_parse(pf_span s, pf_url *ret)
{
	pf_url u = { 0 };
	size_t i;
	if (pf_span_starts_nocase(s, "https://")) {
		u.https = true;
		i = 8;
	} else if (pf_span_starts_nocase(s, "http://")) {
		i = 7;
	} else {
		return PF_ERR_INVALID;
	}
	for (size_t k = 0; k < s.len; k++)
		if ((unsigned char)s.p[k] <= 0x20 || (unsigned char)s.p[k] >= 0x7f)
			return PF_ERR_INVALID;
	size_t h0 = i;
	while (i < s.len && host_char(s.p[i]))
		i++;
	size_t hlen = i - h0;
	if (hlen == 0 || s.p[h0] == '.' || s.p[h0] == '-')
		return PF_ERR_INVALID;
	if (hlen > PF_HOST_MAX)
		return PF_ERR_TOO_BIG;
	memcpy(u.host, s.p + h0, hlen);
	u.host[hlen] = '\0';
	u.port = u.https ? 443 : 80;
	if (i < s.len && s.p[i] == ':') {
		uint64_t port = 0;
		size_t p0 = ++i;
		while (i < s.len && pf_isdigit(s.p[i]))
			i++;
		if (i == p0 || !pf_parse_u64((pf_span){ s.p + p0, i - p0 }, 65535, &port) || port == 0)
			return PF_ERR_INVALID;
		u.port = (uint16_t)port;
	}
	if (i < s.len && s.p[i] != '/' && s.p[i] != '?' && s.p[i] != '#')
		return PF_ERR_INVALID; /* user info ('@') or a stray character in the authority */
	size_t t0 = i, tend = i;
	while (tend < s.len && s.p[tend] != '#')
		tend++;
	size_t tlen = tend - t0;
	bool slash = tlen == 0 || s.p[t0] != '/';
	if (tlen + slash > PF_URL_TARGET_MAX)
		return PF_ERR_TOO_BIG;
	if (slash)
		u.target[0] = '/';
	memcpy(u.target + slash, s.p + t0, tlen);
	u.target[tlen + slash] = '\0';
	*ret = u;
	return PF_OK;
}

static bool unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || pf_isdigit((char)c) || c == '-' || c == '.' ||
	       c == '_' || c == '~';
}

size_t pf_percent_encode(pf_span s, bool double_apostrophes, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
#define PUT(ch) do { if (n + 1 < cap) out[n] = (ch); n++; } while (0)
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		for (int rep = 0; rep < (double_apostrophes && c == '\'' ? 2 : 1); rep++) {
			if (unreserved(c)) {
				PUT((char)c);
			} else {
				PUT('%');
				PUT(hex[c >> 4]);
				PUT(hex[c & 15]);
			}
		}
	}
#undef PUT
	if (cap)
		out[n < cap ? n : cap - 1] = '\0';
	return n;
}

size_t pf_odata_literal_encode(pf_span s, char *out, size_t cap)
{
	return pf_percent_encode(s, true, out, cap);
}

pf_status pf_graph_lookup_url(const char *endpoint, const char *serial, pf_url *ret)
{
	pf_url u;
	pf_status st = pf_url_parse(pf_span_trim(pf_span_of(endpoint)), &u);
	if (st != PF_OK)
		return st;
	if (memchr(u.target, '?', strlen(u.target)))
		return PF_ERR_INVALID;
	size_t base = strlen(u.target);
	while (base > 0 && u.target[base - 1] == '/')
		base--;
	char enc[PF_URL_TARGET_MAX + 1];
	size_t elen = pf_odata_literal_encode(pf_span_trim(pf_span_of(serial)), enc, sizeof(enc));
	if (elen >= sizeof(enc))
		return PF_ERR_TOO_BIG;
	char target[PF_URL_TARGET_MAX + 1];
	size_t n = pf_snprintf(target, sizeof(target), "%.*s" LOOKUP_PATH "%s')", (int)base, u.target, enc);
	if (n >= sizeof(target))
		return PF_ERR_TOO_BIG;
	memcpy(u.target, target, n + 1);
	*ret = u;
	return PF_OK;
}

bool pf_graph_id_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!pf_isdigit(id[i]) && !((id[i] | 0x20) >= 'a' && (id[i] | 0x20) <= 'z') && id[i] != '-')
			return false;
	return true;
}

pf_status pf_graph_path_url(const char *endpoint, const char *path, pf_url *ret)
{
	pf_url u;
	pf_status st = pf_url_parse(pf_span_trim(pf_span_of(endpoint)), &u);
	if (st != PF_OK)
		return st;
	if (memchr(u.target, '?', strlen(u.target)) || path[0] != '/')
		return PF_ERR_INVALID;
	size_t base = strlen(u.target);
	while (base > 0 && u.target[base - 1] == '/')
		base--;
	char target[PF_URL_TARGET_MAX + 1];
	size_t n = pf_snprintf(target, sizeof(target), "%.*s%s", (int)base, u.target, path);
	if (n >= sizeof(target))
		return PF_ERR_TOO_BIG;
	memcpy(u.target, target, n + 1);
	*ret = u;
	return PF_OK;
}

pf_status pf_graph_user_url(const char *endpoint, const char *upn, const char *suffix, pf_url *ret)
{
	pf_span user = pf_span_trim(pf_span_of(upn ? upn : ""));
	if (!user.len)
		return PF_ERR_INVALID;
	char enc[PF_URL_TARGET_MAX + 1], path[PF_URL_TARGET_MAX + 1];
	if (pf_percent_encode(user, false, enc, sizeof(enc)) >= sizeof(enc) ||
	    (size_t)pf_snprintf(path, sizeof(path), "/v1.0/users/%s%s", enc, suffix) >= sizeof(path))
		return PF_ERR_TOO_BIG;
	return pf_graph_path_url(endpoint, path, ret);
}

pf_status pf_graph_token(const void *data, size_t len, pf_span *ret)
{
	pf_span t = { data, len };
	if (t.len >= 3 && memcmp(t.p, "\xef\xbb\xbf", 3) == 0) {
		t.p += 3;
		t.len -= 3;
	}
	t = pf_span_trim(t);
	if (t.len > 7 && pf_span_starts_nocase(t, "Bearer ")) {
		t.p += 7;
		t.len -= 7;
		t = pf_span_trim(t);
	}
	if (t.len == 0 || pf_span_eq_cstr_nocase(t, "Bearer"))
		return PF_ERR_INVALID;
	if (t.len > PF_GRAPH_TOKEN_MAX)
		return PF_ERR_TOO_BIG;
	for (size_t i = 0; i < t.len; i++)
		if ((unsigned char)t.p[i] < 0x21 || (unsigned char)t.p[i] > 0x7e)
			return PF_ERR_INVALID;
	*ret = t;
	return PF_OK;
}

size_t pf_graph_request(const pf_url *u, pf_span token, char *buf, size_t cap)
{
	char port[8] = "";
	if (u->port != (u->https ? 443 : 80))
		pf_snprintf(port, sizeof(port), ":%u", (unsigned)u->port);
	return pf_snprintf(buf, cap,
			   "GET %s HTTP/1.1\r\nHost: %s%s\r\nAuthorization: Bearer %.*s\r\nAccept: application/json\r\n"
			   "User-Agent: Preflight/" PF_VERSION "\r\nConnection: close\r\n\r\n",
			   u->target, u->host, port, (int)token.len, token.p);
}

bool pf_http_header(const void *buf, size_t head_len, const char *name, pf_span *ret)
{
	const char *p = buf, *end = p + head_len;
	size_t nlen = strlen(name);
	const char *line = memchr(p, '\n', head_len); /* the status line is no header */
	while (line && line + 1 < end) {
		line++;
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		size_t llen = (size_t)((eol ? eol : end) - line);
		if (llen > nlen && line[nlen] == ':' && pf_span_eq_cstr_nocase((pf_span){ line, nlen }, name)) {
			*ret = pf_span_trim((pf_span){ line + nlen + 1, llen - nlen - 1 });
			return true;
		}
		line = eol;
	}
	return false;
}

bool pf_retry_after_parse(pf_span value, int64_t now_unix, uint32_t *ret_s)
{
	pf_span v = pf_span_trim(value);
	uint64_t secs;
	int64_t when;
	if (v.len && pf_isdigit(v.p[0])) {
		if (v.len > 12 || !pf_parse_u64(v, UINT64_MAX, &secs))
			return false;
	} else if (pf_http_date_parse(v.p, v.len, &when)) {
		secs = when > now_unix ? (uint64_t)(when - now_unix) : 0;
	} else {
		return false;
	}
	*ret_s = (uint32_t)PF_MIN(secs, (uint64_t)PF_GRAPH_MAX_RETRY_AFTER_S);
	return true;
}

pf_graph_class pf_graph_classify(unsigned http_status)
{
	if (http_status == 200)
		return PF_GQ_OK;
	if (http_status == 401 || http_status == 403)
		return PF_GQ_AUTH;
	if (http_status == 429)
		return PF_GQ_THROTTLED;
	return PF_GQ_FAILED;
}

/* ---- page metadata ---- */

typedef struct {
	pf_graph_meta *m;
	bool key_next, key_error, in_error;
	int err_member;  /* 1 code, 2 message, 0 other */
} meta_ctx;

static bool meta_event(void *ctx, const pf_jsonscan_event *ev)
{
	meta_ctx *c = ctx;
	pf_graph_meta *m = c->m;
	if (ev->depth == 1) {
		if (ev->type == PF_JEV_KEY) {
			c->key_next = pf_span_eq_cstr_nocase(ev->val, "@odata.nextLink");
			c->key_error = pf_span_eq_cstr_nocase(ev->val, "error");
			return true;
		}
		if (ev->type == PF_JEV_STRING && c->key_next) {
			m->has_next = !ev->truncated && pf_url_parse(ev->val, &m->next) == PF_OK;
			m->next_invalid = !m->has_next;
		}
		c->in_error = ev->type == PF_JEV_OBJ_START && c->key_error;
		if (c->in_error)
			m->has_error = true;
		c->key_next = c->key_error = false;
		return true;
	}
	if (ev->depth == 2 && c->in_error) {
		if (ev->type == PF_JEV_KEY)
			c->err_member = pf_span_eq_cstr_nocase(ev->val, "code") ? 1 : pf_span_eq_cstr_nocase(ev->val, "message") ? 2 : 0;
		else if (ev->type == PF_JEV_STRING && c->err_member == 1)
			pf_copy_printable(m->code, sizeof(m->code), ev->val);
		else if (ev->type == PF_JEV_STRING && c->err_member == 2)
			pf_copy_printable(m->message, sizeof(m->message), ev->val);
		if (ev->type != PF_JEV_KEY)
			c->err_member = 0;
	}
	return true;
}

bool pf_graph_collection_event(pf_graph_collection *c, const pf_jsonscan_event *ev)
{
	if (ev->depth == 0) {
		c->object |= ev->type == PF_JEV_OBJ_START;
		return true;
	}
	if (ev->depth != 1)
		return false;
	if (ev->type == PF_JEV_KEY) {
		c->key = pf_span_eq_cstr_nocase(ev->val, "value") ? 1 : pf_span_eq_cstr_nocase(ev->val, "@odata.nextLink") ? 2 : 0;
		return true;
	}
	if (ev->type == PF_JEV_ARR_START && c->key == 1)
		c->in_value = true;
	else if (ev->type == PF_JEV_ARR_END)
		c->in_value = false;
	else if (ev->type == PF_JEV_STRING && c->key == 2)
		c->has_next = true;
	if (ev->type != PF_JEV_ARR_START)
		c->key = 0;
	return true;
}

pf_status pf_graph_meta_read(const void *body, size_t len, pf_graph_meta *ret)
{
	pf_graph_meta m = { 0 };
	meta_ctx c = { .m = &m };
	pf_status st = pf_jsonscan_whole(body, len, meta_event, &c, false);
	if (st != PF_OK)
		m = (pf_graph_meta){ 0 };
	*ret = m;
	return st;
}
