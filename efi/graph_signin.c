/* Device-code sign-in (RFC 8628 at the Microsoft identity platform): the code on screen, then polling for the token. */
#include "graph_signin.h"
#include "clock.h"
#include "fmt.h"
#include "http.h"
#include "log.h"
#include "signin.h"

#define ANSWER_MAX (256 * 1024)
#define REQUEST_EXTRA 1024   /* request bytes besides the target and the body */
#define BODY_MAX (PF_SIGNIN_DEVICE_CODE_MAX * 3 + 512)
#define WAIT_STALL_US 10000

typedef struct {
	const pf_config *c;
	const net_link *link;
	pf_findings *f;
	uint64_t end;            /* nothing runs past this clock_ms */
} signin;

/* An answer: the whole exchange in buf (wiped and freed by answer_free), the parsed head and body. */
typedef struct {
	uint8_t *buf;
	size_t len;
	uint8_t *dechunk;
	pf_http_response r;
	const uint8_t *body;
	size_t blen;
} answer;

static void answer_free(answer *a)
{
	if (a->buf) {
		pf_wipe(a->buf, a->len);
		pf_free(a->buf);
	}
	if (a->dechunk) {
		pf_wipe(a->dechunk, a->len);
		pf_free(a->dechunk);
	}
	*a = (answer){ 0 };
}

static void unreachable(signin *s, const pf_url *u, const char *why)
{
	pf_finding *fd = pf_finding_add(s->f, PF_GRAPH_UNREACHABLE, "Microsoft sign-in at %s could not be asked: %s.", u->host, why);
	pf_finding_detail(fd, "host=%s port=%u: %s", u->host, (unsigned)u->port, why);
}

static void refused(signin *s, const pf_url *u, unsigned http_status, const pf_oauth_error *e)
{
	pf_finding *fd = pf_finding_add(s->f, PF_GRAPH_AUTH_FAILED, "Device-code sign-in failed: %s%s%s.", e->error,
					e->description[0] ? ": " : "", e->description);
	pf_finding_detail(fd, "host=%s: HTTP %u, error %s; tenant %s, client_id %s", u->host, http_status, e->error,
			  s->c->graph_tenant, s->c->graph_client_id);
}

/* POSTs body to u; the answer's head and body in *a, or a GRAPH-UNREACHABLE finding. */
static bool post(signin *s, const pf_url *u, const char *body, size_t blen, answer *a)
{
	*a = (answer){ 0 };
	size_t cap = strlen(u->target) + blen + REQUEST_EXTRA;
	char *req = pf_malloc(cap);
	if (!req) {
		unreachable(s, u, "out of memory");
		return false;
	}
	size_t n = pf_signin_request(u, body, blen, req, cap);
	uint64_t deadline = PF_MIN(clock_ms() + s->c->network_timeout_ms, s->end);
	char why[PF_NET_DETAIL_MAX + 32];
	/* The token request holds the device code. */
	if (EFI_ERROR(net_fetch_secret(s->link, u->host, u->port, u->https, req, n, cap, deadline, ANSWER_MAX, &a->buf,
				       &a->len, why, sizeof(why)))) {
		unreachable(s, u, why);
		return false;
	}
	pf_status st = pf_http_parse_head(a->buf, a->len, &a->r);
	if (st == PF_OK && a->r.chunked && !(a->dechunk = pf_malloc(a->len)))
		st = PF_ERR_NOMEM;
	if (st == PF_OK)
		st = pf_http_body(a->buf, a->len, &a->r, a->dechunk, a->len, &a->body, &a->blen);
	if (st != PF_OK) {
		pf_snprintf(why, sizeof(why), "malformed HTTP answer (%s, %zu bytes)", pf_status_str(st), a->len);
		unreachable(s, u, why);
		answer_free(a);
		return false;
	}
	return true;
}

/* An answer that is neither what was asked for nor an OAuth error. */
static void odd_answer(signin *s, const pf_url *u, const answer *a, pf_status st)
{
	char why[96];
	if (a->r.status != 200)
		pf_snprintf(why, sizeof(why), "HTTP %u", a->r.status);
	else
		pf_snprintf(why, sizeof(why), "the answer is not usable (%s)", pf_status_str(st));
	unreachable(s, u, why);
}

/* True when Esc was pressed; other keys are dropped. */
static bool esc_pressed(void)
{
	EFI_INPUT_KEY key;
	bool esc = false;
	while (ST->ConIn->ReadKeyStroke(ST->ConIn, &key) == EFI_SUCCESS)
		esc = esc || key.ScanCode == SCAN_ESC;
	return esc;
}

/* Waits until clock_ms() reaches until; false when Esc cut the wait short. */
static bool wait_until(uint64_t until)
{
	while (clock_ms() < until) {
		if (esc_pressed())
			return false;
		BS->Stall(WAIT_STALL_US);
	}
	return !esc_pressed();
}

/* Polls the token endpoint until the token, a refusal, the end of the code's life or Esc. */
static bool poll(signin *s, const pf_url *tu, const pf_signin_code *code, pf_signin_token *tok)
{
	pf_signin_poll p;
	pf_signin_poll_init(&p, code->interval, code->expires_in, clock_ms());
	s->end = p.end_ms + s->c->network_timeout_ms;
	char *body = pf_malloc(BODY_MAX);
	if (!body) {
		unreachable(s, tu, "out of memory");
		return false;
	}
	size_t blen = pf_signin_token_body(s->c->graph_client_id, pf_span_of(code->device_code), body, BODY_MAX);
	bool ok = false;
	uint64_t next = clock_ms() + (uint64_t)p.interval_s * 1000;
	unsigned polls = 0;
	for (;;) {
		if (!wait_until(next)) {
			pf_finding *fd = pf_finding_add(s->f, PF_GRAPH_AUTH_FAILED, "Device-code sign-in was cancelled (sign-in cancelled).");
			pf_finding_detail(fd, "sign-in cancelled with Esc after %u poll(s)", polls);
			break;
		}
		answer a;
		if (blen >= BODY_MAX) {
			unreachable(s, tu, "request too long");
			break;
		}
		if (!post(s, tu, body, blen, &a))
			break;
		polls++;
		pf_status st = pf_signin_token_parse(a.body, a.blen, tok);
		unsigned http = a.r.status;
		answer_free(&a);
		if (st != PF_OK || (!tok->has_token && !tok->err.error[0])) {
			answer odd = { .r.status = http };
			odd_answer(s, tu, &odd, st == PF_OK ? PF_ERR_INVALID : st);
			break;
		}
		pf_poll_action act = pf_signin_poll_next(&p, tok, clock_ms(), &next);
		if (act == PF_POLL_TOKEN) {
			ok = true;
			break;
		}
		if (act == PF_POLL_FAILED) {
			refused(s, tu, http, &tok->err);
			break;
		}
		if (act == PF_POLL_TIMEOUT) {
			pf_finding *fd = pf_finding_add(s->f, PF_GRAPH_AUTH_FAILED,
							"Device-code sign-in was not completed in time (sign-in not completed).");
			pf_finding_detail(fd, "still %s after %u poll(s); the code lives %u s, the wait ends after at most %d s",
					  tok->err.error, polls, (unsigned)code->expires_in, PF_SIGNIN_MAX_WAIT_S);
			break;
		}
	}
	pf_wipe(body, BODY_MAX);
	pf_free(body);
	return ok;
}

bool graph_signin_configured(const pf_config *c)
{
	return c->graph_client_id && pf_span_trim(pf_span_of(c->graph_client_id)).len && c->graph_tenant &&
	       pf_span_trim(pf_span_of(c->graph_tenant)).len;
}

bool graph_signin(const pf_config *c, const net_link *link, pf_findings *f, char **ret_token, size_t *ret_len)
{
	signin s = { .c = c, .link = link, .f = f, .end = clock_ms() + (uint64_t)c->network_timeout_ms };
	pf_url cu, tu;
	pf_status st = pf_signin_url(c->graph_login_endpoint, c->graph_tenant, "devicecode", &cu);
	if (st == PF_OK)
		st = pf_signin_url(c->graph_login_endpoint, c->graph_tenant, "token", &tu);
	if (st != PF_OK) {
		pf_finding *fd = pf_finding_add(f, PF_GRAPH_AUTH_FAILED, "graph.login_endpoint %s with graph.tenant %s cannot be used for sign-in.",
						c->graph_login_endpoint, c->graph_tenant);
		pf_finding_detail(fd, "graph.login_endpoint %s, graph.tenant %s: %s", c->graph_login_endpoint, c->graph_tenant,
				  pf_status_str(st));
		return false;
	}
	pf_signin_code *code = pf_malloc(sizeof(*code));
	pf_signin_token *tok = pf_malloc(sizeof(*tok));
	char body[1024];
	size_t blen = pf_signin_code_body(c->graph_client_id, body, sizeof(body));
	bool ok = false;
	answer a = { 0 };
	con_printf("Signing in to Microsoft Graph (device code) at %s://%s...\n", cu.https ? "https" : "http", cu.host);
	if (!code || !tok) {
		unreachable(&s, &cu, "out of memory");
		goto out;
	}
	if (blen >= sizeof(body)) {
		pf_finding *fd = pf_finding_add(f, PF_GRAPH_AUTH_FAILED, "graph.client_id is too long.");
		pf_finding_detail(fd, "graph.client_id: %zu bytes", strlen(c->graph_client_id));
		goto out;
	}
	if (!post(&s, &cu, body, blen, &a))
		goto out;
	st = pf_signin_code_parse(a.body, a.blen, code);
	unsigned http = a.r.status;
	answer_free(&a);
	if (st == PF_OK && code->err.error[0]) {
		refused(&s, &cu, http, &code->err);
		goto out;
	}
	if (st != PF_OK || http != 200) {
		answer odd = { .r.status = http };
		odd_answer(&s, &cu, &odd, st);
		goto out;
	}
	(void)esc_pressed(); /* keys typed before the code was shown do not cancel */
	con_set_color(EFI_YELLOW);
	con_printf("\n  Sign in at %s with code %s\n", code->verification_uri, code->user_code);
	con_set_color(EFI_LIGHTGRAY);
	con_printf("  (on a phone or another computer; waiting up to %u s, Esc cancels)\n\n",
		   (unsigned)PF_MIN(code->expires_in ? code->expires_in : PF_SIGNIN_MAX_WAIT_S, (uint32_t)PF_SIGNIN_MAX_WAIT_S));
	uint64_t t0 = clock_ms();
	ok = poll(&s, &tu, code, tok);
	if (ok) {
		char *t = pf_malloc(tok->token_len + 1);
		if (!t) {
			unreachable(&s, &tu, "out of memory");
			ok = false;
		} else {
			memcpy(t, tok->access_token, tok->token_len + 1);
			*ret_token = t;
			*ret_len = tok->token_len;
			con_printf("  Signed in after %llu s.\n", (unsigned long long)((clock_ms() - t0) / 1000));
		}
	}
out:
	answer_free(&a);
	if (code) {
		pf_wipe(code, sizeof(*code));
		pf_free(code);
	}
	if (tok) {
		pf_wipe(tok, sizeof(*tok));
		pf_free(tok);
	}
	return ok;
}
