/* Device-code sign-in's portable parts: URLs, form bodies, the POST request, device code and token answers, polling. */
#include "signin.h"
#include "fmt.h"
#include "graphquery.h"
#include "jsonscan.h"

#define TENANT_MAX 128

static bool tenant_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || pf_isdigit(c) || c == '-' || c == '.' || c == '_';
}

pf_status pf_signin_url(const char *login_endpoint, const char *tenant, const char *what, pf_url *ret)
{
	pf_url u;
	pf_status st = pf_url_parse(pf_span_trim(pf_span_of(login_endpoint)), &u);
	if (st != PF_OK)
		return st;
	if (memchr(u.target, '?', strlen(u.target)))
		return PF_ERR_INVALID;
	pf_span t = pf_span_trim(pf_span_of(tenant));
	if (t.len == 0 || t.len > TENANT_MAX || t.p[0] == '.')
		return PF_ERR_INVALID;
	for (size_t i = 0; i < t.len; i++)
		if (!tenant_char(t.p[i]))
			return PF_ERR_INVALID;
	size_t base = strlen(u.target);
	while (base > 0 && u.target[base - 1] == '/')
		base--;
	char target[PF_URL_TARGET_MAX + 1];
	size_t n = pf_snprintf(target, sizeof(target), "%.*s/%.*s/oauth2/v2.0/%s", (int)base, u.target, (int)t.len, t.p, what);
	if (n >= sizeof(target))
		return PF_ERR_TOO_BIG;
	memcpy(u.target, target, n + 1);
	*ret = u;
	return PF_OK;
}

void pf_form_add(char *buf, size_t cap, size_t *len, const char *name, pf_span value)
{
	size_t n = *len;
#define PUT(ch) do { if (n + 1 < cap) buf[n] = (ch); n++; } while (0)
	if (n)
		PUT('&');
	for (const char *p = name; *p; p++)
		PUT(*p);
	PUT('=');
#undef PUT
	n += pf_percent_encode(value, false, n < cap ? buf + n : NULL, n < cap ? cap - n : 0);
	if (cap)
		buf[n < cap ? n : cap - 1] = '\0';
	*len = n;
}

size_t pf_signin_code_body(const char *client_id, char *buf, size_t cap)
{
	size_t n = 0;
	if (cap)
		buf[0] = '\0';
	pf_form_add(buf, cap, &n, "client_id", pf_span_trim(pf_span_of(client_id)));
	pf_form_add(buf, cap, &n, "scope", pf_span_of(PF_SIGNIN_SCOPE));
	return n;
}

size_t pf_signin_token_body(const char *client_id, pf_span device_code, char *buf, size_t cap)
{
	size_t n = 0;
	if (cap)
		buf[0] = '\0';
	pf_form_add(buf, cap, &n, "grant_type", pf_span_of(PF_SIGNIN_GRANT));
	pf_form_add(buf, cap, &n, "client_id", pf_span_trim(pf_span_of(client_id)));
	pf_form_add(buf, cap, &n, "device_code", device_code);
	return n;
}

size_t pf_signin_request(const pf_url *u, const char *body, size_t body_len, char *buf, size_t cap)
{
	char port[8] = "";
	if (u->port != (u->https ? 443 : 80))
		pf_snprintf(port, sizeof(port), ":%u", (unsigned)u->port);
	return pf_snprintf(buf, cap,
			   "POST %s HTTP/1.1\r\nHost: %s%s\r\nContent-Type: application/x-www-form-urlencoded\r\n"
			   "Content-Length: %zu\r\nAccept: application/json\r\nUser-Agent: Preflight/" PF_VERSION
			   "\r\nConnection: close\r\n\r\n%.*s",
			   u->target, u->host, port, body_len, (int)body_len, body);
}

/* ---- answers ---- */

enum { K_OTHER, K_DEVICE_CODE, K_USER_CODE, K_URI, K_MESSAGE, K_EXPIRES, K_INTERVAL, K_ERROR, K_ERROR_DESC,
       K_ACCESS_TOKEN, K_TOKEN_TYPE };

static const struct { const char *name; int key; } keys[] = {
	{ "device_code", K_DEVICE_CODE }, { "user_code", K_USER_CODE }, { "verification_uri", K_URI },
	{ "message", K_MESSAGE }, { "expires_in", K_EXPIRES }, { "interval", K_INTERVAL }, { "error", K_ERROR },
	{ "error_description", K_ERROR_DESC }, { "access_token", K_ACCESS_TOKEN }, { "token_type", K_TOKEN_TYPE },
};

typedef struct {
	pf_signin_code *code;   /* one of these two */
	pf_signin_token *tok;
	int key;
	bool object;            /* the top-level value is an object */
	bool bad;               /* a member the answer cannot have like this */
} answer_ctx;

static bool printable(pf_span v)
{
	for (size_t i = 0; i < v.len; i++)
		if ((unsigned char)v.p[i] < 0x20 || (unsigned char)v.p[i] >= 0x7f)
			return false;
	return true;
}

static bool visible(pf_span v)
{
	for (size_t i = 0; i < v.len; i++)
		if ((unsigned char)v.p[i] < 0x21 || (unsigned char)v.p[i] > 0x7e)
			return false;
	return true;
}

/* error_description up to its first line break or Entra's " Trace ID:" diagnostics, without a final period. */
static void copy_description(char *dst, size_t cap, pf_span v)
{
	size_t n = 0;
	while (n < v.len && v.p[n] != '\r' && v.p[n] != '\n')
		n++;
	for (size_t i = 0; i + 10 <= n; i++)
		if (memcmp(v.p + i, " Trace ID:", 10) == 0) {
			n = i;
			break;
		}
	pf_span d = pf_span_trim((pf_span){ v.p, n });
	while (d.len && (d.p[d.len - 1] == '.' || d.p[d.len - 1] == ' '))
		d.len--; /* the finding's own sentence ends it */
	pf_copy_printable(dst, cap, d);
}

/* expires_in and interval: a number or a string of digits (older endpoints send strings). */
static uint32_t seconds_of(const pf_jsonscan_event *ev)
{
	uint64_t v;
	if ((ev->type != PF_JEV_NUMBER && ev->type != PF_JEV_STRING) || ev->truncated ||
	    !pf_parse_u64(pf_span_trim(ev->val), UINT32_MAX, &v))
		return 0;
	return (uint32_t)v;
}

static bool answer_event(void *ctx, const pf_jsonscan_event *ev)
{
	answer_ctx *c = ctx;
	if (ev->depth == 0) {
		if (ev->type == PF_JEV_OBJ_END)
			return true;
		c->object = ev->type == PF_JEV_OBJ_START;
		return c->object;
	}
	if (ev->depth != 1)
		return true;
	if (ev->type == PF_JEV_KEY) {
		c->key = K_OTHER;
		for (size_t i = 0; i < PF_ARRAY_SIZE(keys); i++)
			if (strlen(keys[i].name) == ev->val.len && memcmp(keys[i].name, ev->val.p, ev->val.len) == 0)
				c->key = keys[i].key;
		return true;
	}
	int key = c->key;
	c->key = K_OTHER;
	bool str = ev->type == PF_JEV_STRING;
	pf_oauth_error *err = c->code ? &c->code->err : &c->tok->err;
	switch (key) {
	case K_ERROR:
		if (str)
			pf_copy_printable(err->error, sizeof(err->error), ev->val);
		break;
	case K_ERROR_DESC:
		if (str)
			copy_description(err->description, sizeof(err->description), ev->val);
		break;
	case K_DEVICE_CODE:
		if (!c->code)
			break;
		if (!str || ev->truncated || ev->val.len == 0 || ev->val.len > PF_SIGNIN_DEVICE_CODE_MAX || !visible(ev->val)) {
			c->bad = true;
			break;
		}
		memcpy(c->code->device_code, ev->val.p, ev->val.len);
		c->code->device_code[ev->val.len] = '\0';
		break;
	case K_USER_CODE:
	case K_URI: {
		if (!c->code)
			break;
		char *dst = key == K_USER_CODE ? c->code->user_code : c->code->verification_uri;
		size_t cap = key == K_USER_CODE ? sizeof(c->code->user_code) : sizeof(c->code->verification_uri);
		if (!str || ev->val.len == 0 || ev->val.len >= cap || !printable(ev->val)) {
			c->bad = true;
			break;
		}
		memcpy(dst, ev->val.p, ev->val.len);
		dst[ev->val.len] = '\0';
		break;
	}
	case K_MESSAGE:
		if (c->code && str)
			pf_copy_printable(c->code->message, sizeof(c->code->message), ev->val);
		break;
	case K_EXPIRES:
		if (c->code)
			c->code->expires_in = seconds_of(ev);
		else
			c->tok->expires_in = seconds_of(ev);
		break;
	case K_INTERVAL:
		if (c->code)
			c->code->interval = seconds_of(ev);
		break;
	case K_ACCESS_TOKEN: {
		pf_span t;
		if (!c->tok || !str || ev->truncated || pf_graph_token(ev->val.p, ev->val.len, &t) != PF_OK)
			break;
		memcpy(c->tok->access_token, t.p, t.len);
		c->tok->access_token[t.len] = '\0';
		c->tok->token_len = t.len;
		break;
	}
	case K_TOKEN_TYPE:
		if (c->tok && !(str && pf_span_eq_cstr_nocase(ev->val, "Bearer")))
			c->bad = true;
		break;
	}
	return true;
}

static pf_status scan(const void *body, size_t len, answer_ctx *c)
{
	/* Wiped: the scanner's value buffer saw the secrets. */
	pf_status st = pf_jsonscan_whole(body, len, answer_event, c, true);
	if (st == PF_OK && !c->object)
		st = PF_ERR_INVALID;
	return st;
}

pf_status pf_signin_code_parse(const void *body, size_t len, pf_signin_code *ret)
{
	memset(ret, 0, sizeof(*ret));
	answer_ctx c = { .code = ret };
	pf_status st = scan(body, len, &c);
	if (st == PF_OK && !ret->err.error[0] &&
	    (c.bad || !ret->device_code[0] || !ret->user_code[0] || !ret->verification_uri[0]))
		st = PF_ERR_INVALID;
	if (st != PF_OK || ret->err.error[0]) {
		pf_oauth_error e = ret->err;
		pf_wipe(ret, sizeof(*ret));
		if (st == PF_OK)
			ret->err = e;
	}
	return st;
}

pf_status pf_signin_token_parse(const void *body, size_t len, pf_signin_token *ret)
{
	pf_wipe(ret, sizeof(*ret));
	answer_ctx c = { .tok = ret };
	pf_status st = scan(body, len, &c);
	bool usable = st == PF_OK && !c.bad && ret->token_len > 0;
	if (!usable) {
		pf_oauth_error e = ret->err;
		pf_wipe(ret, sizeof(*ret));
		if (st == PF_OK)
			ret->err = e;
	}
	ret->has_token = usable;
	return st;
}

/* ---- polling ---- */

void pf_signin_poll_init(pf_signin_poll *p, uint32_t interval_s, uint32_t expires_in_s, uint64_t now_ms)
{
	uint32_t iv = interval_s ? interval_s : PF_SIGNIN_DEFAULT_INTERVAL_S;
	p->interval_s = PF_MIN(iv, (uint32_t)PF_SIGNIN_MAX_INTERVAL_S);
	uint32_t life = expires_in_s ? PF_MIN(expires_in_s, (uint32_t)PF_SIGNIN_MAX_WAIT_S) : PF_SIGNIN_MAX_WAIT_S;
	p->end_ms = now_ms + (uint64_t)life * 1000;
}

pf_poll_action pf_signin_poll_next(pf_signin_poll *p, const pf_signin_token *a, uint64_t now_ms, uint64_t *ret_next_ms)
{
	if (a->has_token)
		return PF_POLL_TOKEN;
	bool slow = pf_strcmp(a->err.error, "slow_down") == 0;
	if (!slow && pf_strcmp(a->err.error, "authorization_pending") != 0)
		return PF_POLL_FAILED;
	if (slow)
		p->interval_s = PF_MIN(p->interval_s + PF_SIGNIN_SLOW_DOWN_S, (uint32_t)PF_SIGNIN_MAX_INTERVAL_S);
	uint64_t next = now_ms + (uint64_t)p->interval_s * 1000;
	if (next >= p->end_ms)
		return PF_POLL_TIMEOUT;
	*ret_next_ms = next;
	return PF_POLL_AGAIN;
}
