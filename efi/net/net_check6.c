/* Every endpoint over IPv6, alongside the IPv4 checks: wait until IPv6 is offered, then per endpoint an AAAA lookup
 * by DNS6, a TCP6 connection to its port and, for http and https (after the TLS handshake), the same GET and the
 * same judgement of the answer as over IPv4 (common/httpcheck.c); for ntp one NTP exchange over UDP6. */
#include "net6.h"
#include "clock.h"
#include "fmt.h"
#include "http.h"
#include "httpcheck.h"
#include "ip6.h"
#include "log.h"
#include "ntp.h"

#define ANSWER_MAX (16 * 1024) /* as over IPv4: a head and a short body; the rest is not needed */

typedef enum { C6_DNS, C6_TCP_CONFIG, C6_TCP_CONNECT, C6_HTTP, C6_TLS, C6_TLS_HTTP, C6_UDP_CONFIG, C6_NTP, C6_DONE } c6_state;

typedef struct {
	pf_net_check6 *out;
	const pf_endpoint *ep;
	c6_state state;
	EFI_IPv6_ADDRESS addr;
	net_dns6 dns;
	net_tcp tcp;               /* a TCP6 child (net_tcp_open6) */
	net_udp6 udp;              /* ntp */
	bool dns_open, tcp_open, udp_open;
	uint8_t ntp[PF_NTP_PACKET];
	uint64_t cookie;
	net_tls *tls;              /* https: the TLS engine over tcp */
	char tls_summary[96];
	uint8_t *buf;              /* the HTTP answer so far (ANSWER_MAX bytes) */
	UINT32 len;
	char req[600];             /* GET path HTTP/1.1 with Host */
} check6;

typedef enum { S6_WAIT, S6_RUN, S6_DONE } s6_state;

struct net_checks6 {
	pf_net_result *r;
	EFI_HANDLE nic;
	net_ip6 *ip6;
	uint32_t limit_ms;
	s6_state state;
	uint64_t t0, deadline;
	check6 *cs;
	net_tls_env *tls;          /* the phase's TLS environment for this step, NULL without https checks */
};

static void release(check6 *c)
{
	if (c->dns_open)
		net_dns6_stop(&c->dns);
	if (c->tcp_open)
		net_tcp_stop(&c->tcp);
	if (c->udp_open)
		net_udp6_stop(&c->udp);
	c->dns_open = c->tcp_open = c->udp_open = false;
	net_tls_free(c->tls); /* after the TCP6 stop: no token refers to its buffers any more */
	c->tls = NULL;
	pf_free(c->buf);      /* after the TCP6 stop: no receive token points into it */
	c->buf = NULL;
}

static void finish(net_checks6 *s, check6 *c, uint64_t now, pf_chk_status st, const char *fmt, ...) PF_PRINTF(5, 6);
static void finish(net_checks6 *s, check6 *c, uint64_t now, pf_chk_status st, const char *fmt, ...)
{
	release(c);
	c->out->status = st;
	c->out->ms = (uint32_t)(now - s->t0);
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		pf_vsnprintf(c->out->detail, sizeof(c->out->detail), fmt, ap);
		va_end(ap);
	}
	c->state = C6_DONE;
}

net_checks6 *net_checks6_new(pf_net_result *r, EFI_HANDLE nic, net_ip6 *ip6, uint32_t limit_ms)
{
	net_checks6 *s = pf_malloc(sizeof(*s));
	check6 *cs = r->n_checks ? pf_malloc(r->n_checks * sizeof(*cs)) : NULL;
	if (!s || (r->n_checks && !cs)) {
		pf_free(s);
		pf_free(cs);
		net_ip6_finish(ip6);
		return NULL;
	}
	*s = (net_checks6){ .r = r, .nic = nic, .ip6 = ip6, .limit_ms = limit_ms, .cs = cs,
			    .state = ip6 ? S6_WAIT : S6_DONE };
	for (size_t i = 0; i < r->n_checks; i++)
		cs[i] = (check6){ .out = &r->checks[i].v6, .ep = &r->checks[i].ep, .state = C6_DONE };
	return s;
}

/* IPv6 is offered: every check starts now, with its own limit. Kinds and ways out not checked over IPv6 say so. */
static void start_all(net_checks6 *s, uint64_t now)
{
	s->t0 = now;
	s->deadline = now + s->limit_ms;
	s->state = S6_RUN;
	for (size_t i = 0; i < s->r->n_checks; i++) {
		check6 *c = &s->cs[i];
		const pf_net_check *k = &s->r->checks[i];
		*c->out = (pf_net_check6){ .status = PF_CHK_NOT_RUN };
		if (k->n_route && k->route[0] != 0 && c->ep->kind != PF_EP_NTP)
			pf_snprintf(c->out->detail, sizeof(c->out->detail), "goes through a proxy: not checked over IPv6");
		else
			c->state = C6_DNS;
	}
}

static void step_dns(net_checks6 *s, check6 *c, uint64_t now)
{
	if (!c->dns_open) {
		UINTN n;
		const EFI_IPv6_ADDRESS *servers = net_ip6_dns(s->ip6, &n);
		if (!n) {
			finish(s, c, now, PF_CHK_DNS_FAILED, "no IPv6 DNS server (DHCPv6)");
			return;
		}
		EFI_STATUS err = net_dns6_start(&c->dns, s->nic, servers, n, c->ep->host);
		if (err == EFI_NO_MAPPING && now < s->deadline)
			return; /* no source address yet: try again */
		if (EFI_ERROR(err)) {
			finish(s, c, now, PF_CHK_ERROR, "DNS6 lookup could not start: %s", efi_status_str(err));
			return;
		}
		c->dns_open = true;
	}
	if (!net_dns6_done(&c->dns)) {
		if (now >= s->deadline)
			finish(s, c, now, PF_CHK_DNS_FAILED, "no AAAA answer within %u ms", (unsigned)s->limit_ms);
		return;
	}
	EFI_STATUS err = net_dns6_result(&c->dns, &c->addr);
	net_dns6_stop(&c->dns);
	c->dns_open = false;
	if (EFI_ERROR(err)) {
		finish(s, c, now, PF_CHK_DNS_FAILED, "no AAAA record (%s)", efi_status_str(err));
		return;
	}
	pf_net_check6_set_addr(c->out, c->addr.Addr);
	if (c->ep->kind == PF_EP_DNS)
		finish(s, c, now, PF_CHK_OK, NULL);
	else
		c->state = c->ep->kind == PF_EP_NTP ? C6_UDP_CONFIG : C6_TCP_CONFIG;
}

/* Server time minus the RTC, when the RTC can be read: the check's IPv6 skew (pf_net_pick_skew). */
static void note_skew(check6 *c, int64_t server_unix)
{
	pf_time rtc;
	if (EFI_ERROR(clock_rtc(&rtc)))
		return;
	c->out->has_skew = true;
	c->out->skew_s = server_unix - pf_time_to_unix(&rtc);
}

/* The answer so far judged as over IPv4; true when the check is over (its verdict and the server's Date kept). */
static bool judge(net_checks6 *s, check6 *c, uint64_t now, bool closed)
{
	pf_http_verdict v;
	if (!pf_http_verdict_judge(c->buf, c->len, closed, pf_ep_is_ncsi(c->ep), c->tls ? c->tls_summary : NULL, &v))
		return false;
	if (v.has_date)
		note_skew(c, v.date_unix);
	finish(s, c, now, v.status, "%s", v.detail);
	return true;
}

/* ntp: one NTP v4 request over UDP6 with a random cookie, the answer checked as over IPv4 (common/ntp.c). */
static void step_ntp(net_checks6 *s, check6 *c, uint64_t now)
{
	EFI_STATUS err;
	if (c->state == C6_UDP_CONFIG) {
		if (!c->udp_open) {
			if (EFI_ERROR((err = net_udp6_open(&c->udp, s->nic)))) {
				finish(s, c, now, PF_CHK_ERROR, "UDP6 child: %s", efi_status_str(err));
				return;
			}
			c->udp_open = true;
		}
		err = net_udp6_configure(&c->udp, net_ip6_source(s->ip6), &c->addr, c->ep->port);
		if (err == EFI_NO_MAPPING && now < s->deadline)
			return; /* no source address yet: try again */
		c->cookie = (uint64_t)(clock_ms() + 0x6a09e667f3bcc909ull) * 0x2545f4914f6cdd1dull;
		pf_ntp_request(c->ntp, c->cookie);
		if (!EFI_ERROR(err))
			err = net_udp6_recv(&c->udp);
		if (!EFI_ERROR(err))
			err = net_udp6_send(&c->udp, c->ntp, sizeof(c->ntp));
		if (EFI_ERROR(err)) {
			finish(s, c, now, PF_CHK_ERROR, "NTP request could not be sent: %s", efi_status_str(err));
			return;
		}
		c->state = C6_NTP;
	}
	net_udp6_poll(&c->udp);
	if (!c->udp.rx_done) {
		if (now >= s->deadline)
			finish(s, c, now, PF_CHK_NTP_FAILED, "no NTP answer within %u ms", (unsigned)s->limit_ms);
		return;
	}
	uint8_t pkt[128];
	UINT32 n = 0;
	pf_ntp_reply r;
	err = net_udp6_take(&c->udp, pkt, sizeof(pkt), &n);
	if (!EFI_ERROR(err) && pf_ntp_parse(pkt, n, c->cookie, &r) == PF_OK) {
		note_skew(c, r.server_unix + (r.server_ms >= 500));
		finish(s, c, now, PF_CHK_OK, "stratum %u", r.stratum);
		return;
	}
	if (EFI_ERROR(err) && err != EFI_NOT_READY) {
		finish(s, c, now, PF_CHK_NTP_FAILED, "%s", efi_status_str(err));
		return;
	}
	/* Not our answer (or not NTP): keep listening until the deadline. */
	if (EFI_ERROR(net_udp6_recv(&c->udp)))
		finish(s, c, now, PF_CHK_NTP_FAILED, "invalid NTP answer");
}

/* http: the GET of the row's path sent, its answer read to the close, the length or the buffer's end. */
static void step_http(net_checks6 *s, check6 *c, uint64_t now)
{
	net_tcp_poll(&c->tcp);
	if (!c->tcp.rx_done) {
		if (now >= s->deadline)
			finish(s, c, now, PF_CHK_HTTP_FAILED, "%s within %u ms", c->len ? "answer incomplete" : "no answer",
			       (unsigned)s->limit_ms);
		return;
	}
	c->tcp.rx_pending = false;
	EFI_STATUS err = c->tcp.rx.CompletionToken.Status;
	if (!EFI_ERROR(err)) {
		c->len += c->tcp.rxd.DataLength;
		if (judge(s, c, now, c->len >= ANSWER_MAX))
			return;
		err = net_tcp_recv(&c->tcp, c->buf + c->len, ANSWER_MAX - c->len);
		if (!EFI_ERROR(err))
			return;
	}
	/* The server closed (EFI_CONNECTION_FIN) or the connection broke: what came is the answer. */
	if (c->len)
		judge(s, c, now, true);
	else
		finish(s, c, now, PF_CHK_HTTP_FAILED, "connection closed without an answer (%s)", efi_status_str(err));
}

static void start_http(net_checks6 *s, check6 *c, uint64_t now)
{
	size_t n = pf_http_get_request(c->ep->host, pf_ep_http_path(c->ep), c->req, sizeof(c->req));
	c->buf = pf_malloc(ANSWER_MAX);
	c->len = 0;
	if (n >= sizeof(c->req) || !c->buf) {
		finish(s, c, now, PF_CHK_ERROR, "out of memory");
		return;
	}
	EFI_STATUS err = net_tcp_send(&c->tcp, c->req, (UINT32)n);
	if (!EFI_ERROR(err))
		err = net_tcp_recv(&c->tcp, c->buf, ANSWER_MAX);
	if (EFI_ERROR(err)) {
		finish(s, c, now, PF_CHK_HTTP_FAILED, "request could not be sent: %s", efi_status_str(err));
		return;
	}
	c->state = C6_HTTP;
}

/* https: the handshake, then GET / over TLS, read to the close or the length. */
static void step_tls(net_checks6 *s, check6 *c, uint64_t now)
{
	net_tls_state ts = net_tls_pump(c->tls);
	if (c->state == C6_TLS) {
		if (ts == NET_TLS_BUSY) {
			if (now >= s->deadline)
				finish(s, c, now, PF_CHK_TLS_FAILED, "handshake not finished within %u ms", (unsigned)s->limit_ms);
			return;
		}
		if (ts != NET_TLS_READY) {
			char why[PF_NET_DETAIL_MAX];
			pf_chk_status st = net_tls_failure(c->tls, why, sizeof(why));
			finish(s, c, now, st, "%s", why);
			return;
		}
		net_tls_summary(c->tls, c->tls_summary, sizeof(c->tls_summary));
		size_t n = pf_http_get_request(c->ep->host, "/", c->req, sizeof(c->req));
		c->buf = pf_malloc(ANSWER_MAX);
		c->len = 0;
		if (n >= sizeof(c->req) || !c->buf || !net_tls_write(c->tls, c->req, n)) {
			finish(s, c, now, PF_CHK_ERROR, "%s; request could not be queued", c->tls_summary);
			return;
		}
		c->state = C6_TLS_HTTP;
		ts = net_tls_pump(c->tls);
	}
	size_t got;
	while (c->len < ANSWER_MAX && (got = net_tls_read(c->tls, c->buf + c->len, ANSWER_MAX - c->len)) > 0) {
		c->len += (UINT32)got;
		if (judge(s, c, now, c->len >= ANSWER_MAX))
			return;
		ts = net_tls_pump(c->tls);
	}
	if (ts == NET_TLS_READY) {
		if (now >= s->deadline)
			finish(s, c, now, PF_CHK_HTTP_FAILED, "%s; %s within %u ms", c->tls_summary,
			       c->len ? "answer incomplete" : "no answer", (unsigned)s->limit_ms);
		return;
	}
	if (c->len)
		judge(s, c, now, true);
	else
		finish(s, c, now, PF_CHK_HTTP_FAILED, "%s; connection closed without an answer", c->tls_summary);
}

static void step_tcp(net_checks6 *s, check6 *c, uint64_t now)
{
	EFI_STATUS err;
	if (c->state == C6_TCP_CONFIG) {
		if (!c->tcp_open) {
			if (EFI_ERROR((err = net_tcp_open6(&c->tcp, s->nic)))) {
				finish(s, c, now, PF_CHK_ERROR, "TCP6 child: %s", efi_status_str(err));
				return;
			}
			c->tcp_open = true;
		}
		err = net_tcp_configure6(&c->tcp, net_ip6_source(s->ip6), &c->addr, c->ep->port);
		if (err == EFI_NO_MAPPING && now < s->deadline)
			return; /* no source address yet: try again */
		if (!EFI_ERROR(err))
			err = net_tcp_connect(&c->tcp);
		if (EFI_ERROR(err)) {
			finish(s, c, now, PF_CHK_ERROR, "TCP6 connect could not start: %s", efi_status_str(err));
			return;
		}
		c->state = C6_TCP_CONNECT;
	}
	net_tcp_poll(&c->tcp);
	if (!c->tcp.conn_done) {
		if (now >= s->deadline)
			finish(s, c, now, PF_CHK_TCP_TIMEOUT, "no answer to the connection within %u ms", (unsigned)s->limit_ms);
		return;
	}
	c->tcp.conn_pending = false;
	err = c->tcp.conn.CompletionToken.Status;
	if (err == EFI_TIMEOUT) {
		finish(s, c, now, PF_CHK_TCP_TIMEOUT, "connection timed out");
		return;
	}
	if (EFI_ERROR(err)) {
		finish(s, c, now, PF_CHK_TCP_REFUSED, "connection %s (%s)",
		       err == EFI_CONNECTION_RESET || err == EFI_CONNECTION_REFUSED ? "refused" : "failed", efi_status_str(err));
		return;
	}
	if (c->ep->kind == PF_EP_TCP) {
		finish(s, c, now, PF_CHK_OK, "connected");
		return;
	}
	if (c->ep->kind == PF_EP_HTTP) {
		start_http(s, c, now);
		return;
	}
	if (!s->tls) {
		finish(s, c, now, PF_CHK_OK, "connected (TLS not checked over IPv6)");
		return;
	}
	if (EFI_ERROR(net_tls_new(&c->tcp, s->tls, c->ep->host, &c->tls))) {
		finish(s, c, now, PF_CHK_ERROR, "TLS engine could not start");
		return;
	}
	c->state = C6_TLS;
	step_tls(s, c, now);
}

bool net_checks6_step(net_checks6 *s, net_tls_env *tls, uint64_t now)
{
	if (!s || s->state == S6_DONE)
		return false;
	s->tls = tls;
	if (s->state == S6_WAIT) {
		if (!net_ip6_poll(s->ip6, now))
			return true;
		if (!net_ip6_offered(s->ip6)) {
			s->state = S6_DONE;
			return false;
		}
		start_all(s, now);
		const pf_net_ipv6 *v = &s->r->ipv6;
		con_progress("Network: IPv6 %s (%s, %zu DNS server%s), checking the endpoints over IPv6 too (at most %u ms)...\n",
			     v->addresses[0], v->how ? v->how : "?", v->n_dns_servers, v->n_dns_servers == 1 ? "" : "s",
			     (unsigned)s->limit_ms);
	}
	size_t left = 0;
	for (size_t i = 0; i < s->r->n_checks; i++) {
		check6 *c = &s->cs[i];
		if (c->state == C6_DNS)
			step_dns(s, c, now);
		else if (c->state == C6_TCP_CONFIG || c->state == C6_TCP_CONNECT)
			step_tcp(s, c, now);
		else if (c->state == C6_HTTP)
			step_http(s, c, now);
		else if (c->state == C6_TLS || c->state == C6_TLS_HTTP)
			step_tls(s, c, now);
		else if (c->state == C6_UDP_CONFIG || c->state == C6_NTP)
			step_ntp(s, c, now);
		left += c->state != C6_DONE;
	}
	if (!left) {
		s->state = S6_DONE;
		s->r->ipv6.checks_ms = (uint32_t)(now - s->t0);
	}
	return left > 0;
}

uint64_t net_checks6_deadline(const net_checks6 *s)
{
	if (!s || s->state == S6_DONE)
		return 0;
	return s->state == S6_RUN ? s->deadline : net_ip6_deadline(s->ip6) + s->limit_ms;
}

void net_checks6_free(net_checks6 *s, uint64_t now)
{
	if (!s)
		return;
	if (s->state == S6_WAIT && net_ip6_offered(s->ip6)) {
		/* Offered, but the phase ended before the checks could start: say so rather than leave them unrun. */
		start_all(s, now);
		for (size_t i = 0; i < s->r->n_checks; i++)
			if (s->cs[i].state != C6_DONE)
				finish(s, &s->cs[i], now, PF_CHK_ERROR, "the phase ended before the IPv6 checks could start");
	}
	if (s->state == S6_RUN) {
		for (size_t i = 0; i < s->r->n_checks; i++) {
			check6 *c = &s->cs[i];
			if (c->state == C6_DNS)
				finish(s, c, now, PF_CHK_DNS_FAILED, "no AAAA answer within %u ms", (unsigned)s->limit_ms);
			else if (c->state == C6_TLS)
				finish(s, c, now, PF_CHK_TLS_FAILED, "handshake not finished within %u ms", (unsigned)s->limit_ms);
			else if (c->state == C6_HTTP || c->state == C6_TLS_HTTP)
				finish(s, c, now, PF_CHK_HTTP_FAILED, "no complete answer within %u ms", (unsigned)s->limit_ms);
			else if (c->state == C6_UDP_CONFIG || c->state == C6_NTP)
				finish(s, c, now, PF_CHK_NTP_FAILED, "no NTP answer within %u ms", (unsigned)s->limit_ms);
			else if (c->state != C6_DONE)
				finish(s, c, now, PF_CHK_TCP_TIMEOUT, "no answer within %u ms", (unsigned)s->limit_ms);
		}
		s->r->ipv6.checks_ms = (uint32_t)(now - s->t0);
	}
	for (size_t i = 0; i < s->r->n_checks; i++)
		release(&s->cs[i]);
	net_ip6_finish(s->ip6);
	pf_free(s->cs);
	pf_free(s);
}
