/* The online record lookup: the device's windowsAutopilotDeviceIdentity from Microsoft Graph, pages and 429s handled. */
#include "graph_online.h"
#include "graph_signin.h"
#include "net.h"
#include "clock.h"
#include "fmt.h"
#include "fs.h"
#include "graph.h"
#include "graphquery.h"
#include "http.h"
#include "log.h"
#include "signin.h"

#define TOKEN_FILE_MAX (64 * 1024)
#define ANSWER_MAX (2 * 1024 * 1024)
#define REQUEST_EXTRA 1024            /* request bytes besides the target and the token */
#define RETRY_AFTER_DEFAULT_S 1       /* a 429 without a usable Retry-After */

struct graph_session {
	const pf_config *c;
	net_link link;
	net_tls_env tls;
	bool tls_ok;
	char *data;                          /* the token file or the sign-in's token (wiped when freed) */
	size_t len;
	pf_span token;
	pf_record_result *rr;
	pf_findings *f;
	char source[PF_URL_TARGET_MAX + 8];  /* "graph:<endpoint>" */
	uint64_t end;                        /* the whole lookup (or one later GET) ends by this clock_ms */
	uint64_t phase_end;                  /* graph_session_limit: later GETs end by this clock_ms (0 none) */
	uint32_t phase_ms;
	unsigned base;                       /* devices on the pages before this one */
	bool begun;                          /* the first page was a page: rr has the source open */
	pf_graph_reader *reader;
};
typedef struct graph_session lookup;

/* Graph's devices arrive as online records, numbered across pages. */
static bool on_record(void *ctx, const pf_record_view *v)
{
	lookup *l = ctx;
	pf_record_view w = *v;
	w.source = PF_RECSRC_GRAPH_ONLINE;
	w.line = l->base + v->line;
	return pf_records_on_record(l->rr, &w);
}

/* Reads the token file into *ret_data (wiped and freed by the caller); a finding when it cannot. */
static bool read_token(EFI_FILE *root, lookup *l, char **ret_data, size_t *ret_len)
{
	const char *path = l->c->graph_token_file;
	EFI_STATUS err = root ? fs_read_file(root, path, TOKEN_FILE_MAX, ret_data, ret_len) : EFI_NOT_FOUND;
	if (EFI_ERROR(err)) {
		pf_finding *fd = pf_finding_add(l->f, PF_GRAPH_AUTH_FAILED, "The Graph token file %s %s.", path,
						err == EFI_NOT_FOUND ? "was not found" : "could not be read");
		pf_finding_detail(fd, "token file %s: %s", path, err == EFI_NOT_FOUND ? "not found" : efi_status_str(err));
		return false;
	}
	pf_status st = pf_graph_token(*ret_data, *ret_len, &l->token);
	if (st != PF_OK) {
		pf_finding *fd = pf_finding_add(l->f, PF_GRAPH_AUTH_FAILED, "The Graph token file %s holds no usable bearer token.", path);
		pf_finding_detail(fd, "token file %s: %s", path, st == PF_ERR_TOO_BIG ? "longer than a token can be"
							: "empty, or characters a token cannot have");
		return false;
	}
	return true;
}

static void unreachable(lookup *l, const pf_url *u, const char *why)
{
	pf_finding *fd = pf_finding_add(l->f, PF_GRAPH_UNREACHABLE, "Microsoft Graph at %s could not be asked: %s.", u->host, why);
	pf_finding_detail(fd, "host=%s port=%u: %s", u->host, (unsigned)u->port, why);
	l->rr->online_failed = !l->begun;
}

static void graph_error(const uint8_t *body, size_t blen, char *out, size_t cap);

/* One exchange: the whole answer in *ret_buf, or false with the reason in why. */
static bool exchange(lookup *l, const pf_url *u, uint8_t **ret_buf, size_t *ret_len, char *why, size_t cap_why)
{
	size_t cap = strlen(u->target) + l->token.len + REQUEST_EXTRA;
	char *req = pf_malloc(cap);
	if (!req) {
		pf_snprintf(why, cap_why, "out of memory");
		return false;
	}
	size_t n = pf_graph_request(u, l->token, req, cap);
	uint64_t deadline = PF_MIN(clock_ms() + l->c->network_timeout_ms, l->end);
	/* The request holds the token. */
	return !EFI_ERROR(net_fetch_secret(&l->link, u->host, u->port, u->https, req, n, cap, deadline, ANSWER_MAX,
					   ret_buf, ret_len, why, cap_why));
}

/* One exchange, the HTTP head parsed and the body dechunked; false with the reason in why. */
static bool get_answer(lookup *s, const pf_url *u, graph_answer *ret, char *why, size_t cap)
{
	uint8_t *buf = NULL, *dechunk = NULL;
	size_t len = 0;
	if (!exchange(s, u, &buf, &len, why, cap))
		return false;
	pf_http_response r;
	const uint8_t *body = NULL;
	size_t blen = 0;
	pf_status st = pf_http_parse_head(buf, len, &r);
	if (st == PF_OK && r.chunked && !(dechunk = pf_malloc(len)))
		st = PF_ERR_NOMEM;
	if (st == PF_OK)
		st = pf_http_body(buf, len, &r, dechunk, len, &body, &blen);
	if (st != PF_OK) {
		pf_snprintf(why, cap, "malformed HTTP answer (%s, %zu bytes)", pf_status_str(st), len);
		pf_free(dechunk);
		pf_free(buf);
		return false;
	}
	*ret = (graph_answer){ .status = r.status, .body = body, .len = blen, .buf = buf, .dechunk = dechunk, .head = r };
	graph_error(body, blen, ret->error, sizeof(ret->error));
	return true;
}

void graph_session_limit(graph_session *s, uint32_t ms)
{
	s->phase_ms = ms;
	s->phase_end = clock_ms() + ms;
}

bool graph_session_get(graph_session *s, const pf_url *u, graph_answer *ret, char *why, size_t cap)
{
	uint64_t now = clock_ms();
	if (s->phase_end && now >= s->phase_end) {
		pf_snprintf(why, cap, "the user checks' time limit ran out (graph.user_timeout_ms = %u)", s->phase_ms);
		return false;
	}
	s->end = now + (uint64_t)s->c->network_timeout_ms;
	if (s->phase_end)
		s->end = PF_MIN(s->end, s->phase_end);
	if (get_answer(s, u, ret, why, cap))
		return true;
	if (s->phase_end && clock_ms() >= s->phase_end)
		pf_snprintf(why, cap, "no answer before the user checks' time limit ran out (graph.user_timeout_ms = %u)",
			    s->phase_ms);
	return false;
}

void graph_answer_free(graph_answer *a)
{
	pf_free(a->dechunk);
	pf_free(a->buf);
	*a = (graph_answer){ 0 };
}

/* A 429's Retry-After in seconds (RETRY_AFTER_DEFAULT_S when absent or unusable). */
static uint32_t retry_after_s(const uint8_t *buf, const pf_http_response *r)
{
	pf_span v;
	uint32_t s = RETRY_AFTER_DEFAULT_S;
	pf_time t;
	int64_t now_unix = EFI_ERROR(clock_rtc(&t)) ? 0 : pf_time_to_unix(&t);
	if (pf_http_header(buf, r->head_len, "Retry-After", &v))
		(void)pf_retry_after_parse(v, now_unix, &s);
	return s;
}

/* Finding text from Graph's error body: "InvalidAuthenticationToken: Access token is empty." or "". */
static void graph_error(const uint8_t *body, size_t blen, char *out, size_t cap)
{
	pf_graph_meta m;
	out[0] = '\0';
	if (pf_graph_meta_read(body, blen, &m) != PF_OK || !m.has_error)
		return;
	size_t n = strlen(m.message);
	while (n && (m.message[n - 1] == '.' || m.message[n - 1] == ' '))
		m.message[--n] = '\0'; /* the finding's own sentence ends it */
	pf_snprintf(out, cap, ": %s%s%s", m.code, m.code[0] && m.message[0] ? ": " : "", m.message);
}

/* A 200 page: its devices into rr, and its next page when there is one on the same service. */
static bool take_page(lookup *l, const pf_url *u, const uint8_t *body, size_t blen, pf_url *ret_next)
{
	if (!l->begun) {
		pf_records_begin_file(l->rr, l->source);
		l->begun = true;
	}
	pf_graph_init(l->reader, on_record, l);
	pf_file_error perr = { 0 };
	if (pf_graph_feed(l->reader, body, blen) != PF_OK || pf_graph_finish(l->reader) != PF_OK) {
		const pf_file_error *e = pf_graph_error(l->reader);
		perr = e ? *e : (pf_file_error){ .reason = "not a Graph page" };
	}
	l->base += (unsigned)pf_graph_count(l->reader);
	if (perr.reason[0]) {
		pf_records_end_file(l->rr, &perr);
		l->begun = false;
		unreachable(l, u, "the answer is not valid JSON");
		return false;
	}
	pf_graph_meta m;
	if (pf_graph_meta_read(body, blen, &m) != PF_OK || !m.has_next)
		return false;
	if (!m.next.https != !u->https || m.next.port != u->port || pf_strcmp(m.next.host, u->host) != 0) {
		/* The token goes to the configured service only. */
		log_warn("Graph's next page is on another service (%s://%s:%u); not followed", m.next.https ? "https" : "http",
			 m.next.host, (unsigned)m.next.port);
		return false;
	}
	*ret_next = m.next;
	return true;
}

static void run(lookup *l, const pf_url *first)
{
	pf_url u = *first;
	unsigned retries = 0, pages = 0;
	for (;;) {
		graph_answer a;
		char why[PF_NET_DETAIL_MAX + PF_GRAPH_ERR_TEXT + 96];
		if (!get_answer(l, &u, &a, why, sizeof(why))) {
			unreachable(l, &u, why);
			return;
		}
		bool more = false;
		uint32_t wait_s = 0;
		switch (pf_graph_classify(a.status)) {
		case PF_GQ_OK:
			pages++;
			more = take_page(l, &u, a.body, a.len, &u);
			if (more && pages >= PF_GRAPH_MAX_PAGES) {
				log_warn("Graph has more than %d pages for this serial; the rest is not read", PF_GRAPH_MAX_PAGES);
				more = false;
			}
			retries = 0;
			break;
		case PF_GQ_AUTH: {
			pf_finding *fd = pf_finding_add(l->f, PF_GRAPH_AUTH_FAILED, "Microsoft Graph refused the token (HTTP %u%s).",
							a.status, a.error);
			pf_finding_detail(fd, "host=%s: HTTP %u%s; token from %s", u.host, a.status, a.error,
					  l->c->graph_token_file && l->c->graph_token_file[0] ? l->c->graph_token_file : "device-code sign-in");
			l->rr->online_failed = !l->begun;
			break;
		}
		case PF_GQ_THROTTLED:
			wait_s = retry_after_s(a.buf, &a.head);
			if (retries < PF_GRAPH_MAX_RETRIES && clock_wait_retry(wait_s, l->end, "Graph", " (HTTP 429)")) {
				retries++;
				more = true;
				break;
			}
			pf_finding *fd = pf_finding_add(l->f, PF_GRAPH_THROTTLED, "Microsoft Graph kept answering 429 (too many requests).");
			pf_finding_detail(fd, "host=%s: HTTP 429 after %u retries; Retry-After %u s%s%s", u.host, retries,
					  (unsigned)wait_s, retries < PF_GRAPH_MAX_RETRIES ? " would pass the lookup's limit" : "", a.error);
			l->rr->online_failed = !l->begun;
			break;
		case PF_GQ_FAILED:
			pf_snprintf(why, sizeof(why), "HTTP %u%s", a.status, a.error);
			unreachable(l, &u, why);
			break;
		}
		graph_answer_free(&a);
		if (!more)
			return;
	}
}

void graph_session_close(graph_session *s)
{
	if (!s)
		return;
	pf_free(s->reader);
	if (s->tls_ok)
		net_tls_env_free(&s->tls);
	if (s->data) {
		pf_wipe(s->data, s->len); /* the token */
		pf_free(s->data);
	}
	pf_wipe(&s->token, sizeof(s->token));
	pf_free(s);
}

const char *graph_session_endpoint(const graph_session *s)
{
	return s->c->graph_endpoint;
}

graph_session *graph_online_lookup(EFI_FILE *root, const pf_config *c, const pf_net_result *net, const char *serial,
				   pf_record_result *rr, pf_findings *f)
{
	pf_url first;

	if (!c->graph_enabled)
		return NULL;
	if (c->offline || !c->network_enabled) {
		con_printf("Graph lookup skipped (%s).\n", c->offline ? "--offline" : "network.enabled = false");
		return NULL;
	}
	bool signin = !c->graph_token_file || !c->graph_token_file[0]; /* no token file: device-code sign-in */
	if (signin && !graph_signin_configured(c)) {
		pf_finding *fd = pf_finding_add(f, PF_GRAPH_AUTH_FAILED, "graph.enabled is set but graph.token_file is empty: no token for Microsoft Graph.");
		pf_finding_detail(fd, "name a token file in graph.token_file, or set graph.tenant and graph.client_id for device-code sign-in");
		rr->online_failed = true;
		return NULL;
	}
	if (!serial || !pf_span_trim(pf_span_of(serial)).len) {
		con_printf("Graph lookup skipped: the device has no serial number.\n");
		return NULL;
	}
	pf_status st = pf_graph_lookup_url(c->graph_endpoint, serial, &first);
	if (st != PF_OK) {
		pf_finding *fd = pf_finding_add(f, PF_GRAPH_UNREACHABLE, "graph.endpoint %s cannot be used for the lookup.", c->graph_endpoint);
		pf_finding_detail(fd, "graph.endpoint %s: %s", c->graph_endpoint, pf_status_str(st));
		rr->online_failed = true;
		return NULL;
	}
	lookup *l = pf_malloc(sizeof(*l));
	if (!l) {
		log_error_status(EFI_OUT_OF_RESOURCES, "Graph lookup");
		rr->online_failed = true;
		return NULL;
	}
	*l = (lookup){ .c = c, .rr = rr, .f = f };
	if (!net || !net_phase_link(&l->link)) { /* IPv4, else an IPv6-only network's address */
		pf_finding *fd = pf_finding_add(f, PF_GRAPH_UNREACHABLE, "Microsoft Graph at %s could not be asked: no network address.", first.host);
		pf_finding_detail(fd, "host=%s port=%u: the network phase got no address (see the NET findings)", first.host, (unsigned)first.port);
		rr->online_failed = true;
		goto fail;
	}
	if (!signin && !read_token(root, l, &l->data, &l->len)) {
		rr->online_failed = true;
		goto fail;
	}
	if (first.https || signin) {
		pf_net_result scratch = { 0 }; /* the phase already reported roots and entropy */
		l->tls_ok = !EFI_ERROR(net_tls_env_init(&l->tls, &scratch));
		if (l->tls_ok && net->has_clock_skew) {
			/* clock_source is "ntp HOST" or "http-date HOST". */
			const char *src = net->clock_source ? net->clock_source : "? network phase";
			const char *sp = memchr(src, ' ', strlen(src));
			net_tls_env_note_time(&l->tls, net->clock_skew_s, src[0] == 'n', sp ? sp + 1 : src);
		}
		l->link.tls = l->tls_ok ? &l->tls : NULL;
	}
	if (signin) {
		if (!graph_signin(c, &l->link, f, &l->data, &l->len)) {
			rr->online_failed = true;
			goto fail;
		}
		l->token = (pf_span){ l->data, l->len };
	}
	con_printf("Looking this device up in Microsoft Graph at %s://%s...\n", first.https ? "https" : "http", first.host);
	l->reader = pf_malloc(sizeof(*l->reader));
	if (!l->reader) {
		unreachable(l, &first, "out of memory");
		return l; /* the token stays good for the user checks */
	}
	pf_snprintf(l->source, sizeof(l->source), "graph:%s", c->graph_endpoint);
	uint64_t t0 = clock_ms();
	l->end = t0 + (uint64_t)c->network_timeout_ms * 3;
	run(l, &first);
	if (l->begun) {
		pf_records_end_file(rr, NULL);
		con_printf("  %u device(s) with a serial containing this one found online in %llu ms\n", l->base,
			   (unsigned long long)(clock_ms() - t0));
	}
	pf_free(l->reader);
	l->reader = NULL;
	return l;
fail:
	graph_session_close(l);
	return NULL;
}
