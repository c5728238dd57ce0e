/* One endpoint check as a state machine: DNS4 lookup, then TCP4 connect (+ TLS) (+ HTTP GET) or UDP4 NTP; the
 * route through proxies is net_check_route.c's. */
#include "net.h"
#include "clock.h"
#include "fmt.h"
#include "http.h"
#include "httpcheck.h"
#include "log.h"
#include "net_check_int.h"
#include "ntp.h"
#include "proxy.h"
#include "str.h"

void ck_release(net_check *c)
{
	if (c->dns_open)
		net_dns_stop(&c->dns);
	if (c->tcp_open)
		net_tcp_stop(&c->tcp);
	if (c->udp_open)
		net_udp_stop(&c->udp);
	c->dns_open = c->tcp_open = c->udp_open = false;
	net_tls_free(c->tls); /* after the TCP4 stop: no token refers to its buffers any more */
	c->tls = NULL;
	pf_free(c->buf);
	c->buf = NULL;
}

void ck_finish(net_check *c, uint64_t now, pf_chk_status st, const char *fmt, ...)
{
	va_list ap;
	ck_release(c);
	c->out->status = st;
	/* Own duration: with the checks concurrent, every start_ms is near 0 and the slowest ms is
	 * close to the phase's checks_ms; run one after another, the sum would be. */
	c->out->ms = (uint32_t)(now - c->env->t0) - c->out->start_ms;
	if (fmt) {
		va_start(ap, fmt);
		pf_vsnprintf(c->out->detail, sizeof(c->out->detail), fmt, ap);
		va_end(ap);
	}
	if (c->fallen[0]) {
		size_t n = strlen(c->out->detail);
		pf_snprintf(c->out->detail + n, sizeof(c->out->detail) - n, "%s(after %s)", n ? " " : "", c->fallen);
	}
	c->state = CK_DONE;
}

/* Server time minus the RTC, when the RTC can be read. */
static void note_skew(net_check *c, int64_t server_unix)
{
	pf_time now;
	if (EFI_ERROR(clock_rtc(&now)))
		return;
	c->out->has_skew = true;
	c->out->skew_s = server_unix - pf_time_to_unix(&now);
	if (c->env->tls)
		net_tls_env_note_time(c->env->tls, c->out->skew_s, c->out->ep.kind == PF_EP_NTP, c->out->ep.host);
}

net_check *net_check_new(pf_net_check *out, const net_env *env)
{
	net_check *c = pf_malloc(sizeof(*c));
	if (!c)
		return NULL;
	*c = (net_check){ .out = out, .env = env, .state = CK_DNS, .deadline = env->t0 + env->limit_ms };
	out->hop = 0;
	ck_start_hop(c, env->t0);
	return c;
}

static void step_dns(net_check *c, uint64_t now)
{
	pf_net_check *o = c->out;
	if (!c->dns_open) {
		if (o->hop == 0)
			o->start_ms = (uint32_t)(now - c->env->t0);
		const EFI_IPv4_ADDRESS *paddr;
		const pf_net_proxy *p = ck_hop_proxy(c, &paddr);
		if (p) {
			/* The proxy resolves the host, as it does for Windows; the phase resolved the proxy once. */
			if (p->error[0]) {
				ck_fail_hop(c, now, PF_CHK_PROXY_FAILED, "proxy %s:%u: %s", p->at.host, (unsigned)p->at.port,
					 p->error);
				return;
			}
			c->addr = *paddr;
			c->state = CK_TCP_CONFIG;
			return;
		}
		if (c->env->n_dns == 0) {
			ck_finish(c, now, PF_CHK_DNS_FAILED, "no DNS server from DHCP");
			return;
		}
		EFI_STATUS err = net_dns_start(&c->dns, c->env->nic, (EFI_IPv4_ADDRESS *)c->env->dns, c->env->n_dns,
					       o->ep.host);
		if (EFI_ERROR(err)) {
			ck_finish(c, now, PF_CHK_ERROR, "DNS4 lookup could not start: %s", efi_status_str(err));
			return;
		}
		c->dns_open = true;
	}
	if (!net_dns_done(&c->dns)) {
		if (now >= c->hop_deadline)
			ck_fail_hop(c, now, PF_CHK_DNS_FAILED, "no answer within %u ms", (unsigned)c->env->limit_ms);
		return;
	}
	EFI_STATUS err = net_dns_result(&c->dns, &c->addr);
	net_dns_stop(&c->dns);
	c->dns_open = false;
	if (EFI_ERROR(err)) {
		/* NXDOMAIN with an SOA ends as EFI_NOT_FOUND; without one, and REFUSED/SERVFAIL, as EFI_TIMEOUT. */
		ck_fail_hop(c, now, PF_CHK_DNS_FAILED, "%s (%s)", err == EFI_NOT_FOUND ? "name does not exist" : "no usable answer",
			 efi_status_str(err));
		return;
	}
	net_ip_str(&c->addr, o->addr);
	if (o->ep.kind == PF_EP_DNS)
		ck_finish(c, now, PF_CHK_OK, NULL);
	else
		c->state = o->ep.kind == PF_EP_NTP ? CK_UDP_CONFIG : CK_TCP_CONFIG;
}

/* https: the handshake over the connection (direct, or the proxy's tunnel), then GET / in step_tls. */
void ck_start_tls(net_check *c, uint64_t now)
{
	if (!c->env->tls || EFI_ERROR(net_tls_new(&c->tcp, c->env->tls, c->out->ep.host, &c->tls))) {
		ck_finish(c, now, PF_CHK_ERROR, "TLS engine could not start");
		return;
	}
	c->state = CK_TLS;
	ck_step_tls(c, now);
}

/* After a receive completed: the bytes it brought into buf, judged (judge may end the check or move it on),
 * then the next receive. The server's close (EFI_CONNECTION_FIN) or a broken connection has judge look at
 * what arrived; true when nothing at all did (*ret_err says how it ended, the caller names it). */
bool ck_read_answer(net_check *c, uint64_t now, judge_fn judge, EFI_STATUS *ret_err)
{
	ck_state state = c->state;
	c->tcp.rx_pending = false;
	EFI_STATUS err = c->tcp.rx.CompletionToken.Status;
	if (!EFI_ERROR(err)) {
		c->len += c->tcp.rxd.DataLength;
		judge(c, now, c->len >= HTTP_BUF);
		if (c->state != state)
			return false;
		err = net_tcp_recv(&c->tcp, c->buf + c->len, HTTP_BUF - c->len);
		if (!EFI_ERROR(err))
			return false;
	}
	if (c->len) {
		judge(c, now, true);
		return false;
	}
	*ret_err = err;
	return true;
}

/* Sends c->req (n bytes as its builder counted them) and posts the receive of the answer into a fresh buf;
 * the check then goes on in state next. */
void ck_send_request(net_check *c, uint64_t now, size_t n, ck_state next, pf_chk_status fail)
{
	c->buf = pf_malloc(HTTP_BUF);
	c->len = 0;
	if (n >= sizeof(c->req) || !c->buf) {
		ck_finish(c, now, PF_CHK_ERROR, "out of memory");
		return;
	}
	EFI_STATUS err = net_tcp_send(&c->tcp, c->req, (UINT32)n);
	if (!EFI_ERROR(err))
		err = net_tcp_recv(&c->tcp, c->buf, HTTP_BUF);
	if (EFI_ERROR(err)) {
		ck_finish(c, now, fail, "%s could not be sent: %s", next == CK_PROXY ? "CONNECT" : "request", efi_status_str(err));
		return;
	}
	c->state = next;
}

static void step_tcp(net_check *c, uint64_t now)
{
	pf_net_check *o = c->out;
	EFI_STATUS err;
	if (c->state == CK_TCP_CONFIG) {
		if (!c->tcp_open) {
			if (EFI_ERROR((err = net_tcp_open(&c->tcp, c->env->nic)))) {
				ck_finish(c, now, PF_CHK_ERROR, "TCP4 child: %s", efi_status_str(err));
				return;
			}
			c->tcp_open = true;
		}
		const pf_net_proxy *p = ck_hop_proxy(c, NULL);
		err = net_tcp_configure(&c->tcp, &c->addr, p ? p->at.port : o->ep.port);
		if (err == EFI_NO_MAPPING && now < c->hop_deadline)
			return; /* the address is not bound yet: try again */
		if (!EFI_ERROR(err))
			err = net_tcp_connect(&c->tcp);
		if (EFI_ERROR(err)) {
			ck_finish(c, now, PF_CHK_ERROR, "TCP4 connect could not start: %s", efi_status_str(err));
			return;
		}
		c->state = CK_TCP_CONNECT;
	}
	net_tcp_poll(&c->tcp);
	/* A proxy that does not take the connection fails every check through it: its own status. */
	const char *who = o->via_proxy ? "proxy " : "";
	if (!c->tcp.conn_done) {
		if (now >= c->hop_deadline)
			ck_fail_hop(c, now, o->via_proxy ? PF_CHK_PROXY_FAILED : PF_CHK_TCP_TIMEOUT,
				 "no answer to the %sconnection in time", who);
		return;
	}
	c->tcp.conn_pending = false;
	err = c->tcp.conn.CompletionToken.Status;
	if (err == EFI_TIMEOUT) {
		ck_fail_hop(c, now, o->via_proxy ? PF_CHK_PROXY_FAILED : PF_CHK_TCP_TIMEOUT, "%sconnection timed out", who);
		return;
	}
	if (EFI_ERROR(err)) {
		ck_fail_hop(c, now, o->via_proxy ? PF_CHK_PROXY_FAILED : PF_CHK_TCP_REFUSED, "%sconnection %s (%s)", who,
			 err == EFI_CONNECTION_RESET || err == EFI_CONNECTION_REFUSED ? "refused" : "failed",
			 efi_status_str(err));
		return;
	}
	if (o->via_proxy && o->ep.kind != PF_EP_HTTP) {
		ck_start_connect(c, now);
		return;
	}
	if (o->ep.kind == PF_EP_TCP) {
		ck_finish(c, now, PF_CHK_OK, NULL);
		return;
	}
	if (o->ep.kind == PF_EP_HTTPS) {
		ck_start_tls(c, now);
		return;
	}
	size_t n = o->via_proxy ? pf_proxy_get_request(o->ep.host, o->ep.port, pf_ep_http_path(&o->ep), c->req, sizeof(c->req))
				: pf_http_get_request(o->ep.host, pf_ep_http_path(&o->ep), c->req, sizeof(c->req));
	ck_send_request(c, now, n, CK_HTTP, PF_CHK_HTTP_FAILED);
}

/* Through a proxy, what answers may be the proxy itself: an answer that is no HTTP (the next hop, as for a
 * CONNECT), or its 407 to a GET. True when judged here, or when more bytes are needed. */
static bool judge_proxy_answer(net_check *c, uint64_t now, bool closed)
{
	pf_net_check *o = c->out;
	pf_http_response r;
	pf_status st = pf_http_parse_head(c->buf, c->len, &r);
	if (st == PF_ERR_TRUNCATED && !closed)
		return true;
	if (st != PF_OK) {
		char shown[41];
		pf_copy_printable(shown, sizeof(shown), (pf_span){ (const char *)c->buf, PF_MIN(c->len, 40u) });
		if (st == PF_ERR_TRUNCATED)
			ck_fail_hop(c, now, PF_CHK_PROXY_FAILED, "the proxy closed the connection in the middle of its "
				    "answer (%u bytes: '%s')", (unsigned)c->len, shown);
		else
			ck_fail_hop(c, now, PF_CHK_PROXY_FAILED, "the proxy's answer is not HTTP (%s, %u bytes: '%s')",
				    pf_status_str(st), (unsigned)c->len, shown);
		return true;
	}
	if (c->tls || r.status != 407)
		return false;
	uint8_t tmp[256];
	const uint8_t *body = NULL;
	size_t blen = 0;
	if (pf_http_body(c->buf, c->len, &r, tmp, sizeof(tmp), &body, &blen) == PF_ERR_TRUNCATED && !closed)
		return true;
	pf_proxy_reply pr;
	if (pf_proxy_reply_parse(c->buf, c->len, &pr) == PF_OK)
		pf_strlcpy(o->proxy_schemes, pr.schemes, sizeof(o->proxy_schemes));
	ck_finish(c, now, PF_CHK_PROXY_AUTH, "GET through the proxy: HTTP 407 (%s)",
		  o->proxy_schemes[0] ? o->proxy_schemes : "no Proxy-Authenticate");
	return true;
}

/* Judges a complete (or closed) HTTP answer (common/httpcheck.c, as over IPv6). */
static void judge_http(net_check *c, uint64_t now, bool closed)
{
	pf_net_check *o = c->out;
	if (o->via_proxy && judge_proxy_answer(c, now, closed))
		return;
	pf_http_verdict v;
	if (!pf_http_verdict_judge(c->buf, c->len, closed, pf_ep_is_ncsi(&o->ep), c->tls ? c->tls_summary : NULL, &v))
		return;
	/* A proxy's own Date is no server time of the endpoint's: only a tunnel (TLS) gives that. */
	if (v.has_date && !(o->via_proxy && !c->tls))
		note_skew(c, v.date_unix);
	ck_finish(c, now, v.status, "%s", v.detail);
}

static void step_http(net_check *c, uint64_t now)
{
	net_tcp_poll(&c->tcp);
	if (!c->tcp.rx_done) {
		if (now >= c->deadline)
			ck_finish(c, now, PF_CHK_HTTP_FAILED, "%s within %u ms", c->len ? "answer incomplete" : "no answer",
			       (unsigned)c->env->limit_ms);
		return;
	}
	EFI_STATUS err;
	if (ck_read_answer(c, now, judge_http, &err))
		ck_finish(c, now, PF_CHK_HTTP_FAILED, "connection closed without an answer (%s)", efi_status_str(err));
}

/* https: the handshake, then GET / over TLS, read to the close or the length. */
void ck_step_tls(net_check *c, uint64_t now)
{
	net_tls_state ts = net_tls_pump(c->tls);
	if (c->state == CK_TLS) {
		if (ts == NET_TLS_BUSY) {
			if (now >= c->deadline)
				ck_finish(c, now, PF_CHK_TLS_FAILED, "handshake not finished within %u ms",
				       (unsigned)c->env->limit_ms);
			return;
		}
		if (ts != NET_TLS_READY) {
			char why[PF_NET_DETAIL_MAX];
			pf_chk_status st = net_tls_failure(c->tls, why, sizeof(why));
			ck_finish(c, now, st, "%s", why);
			return;
		}
		net_tls_summary(c->tls, c->tls_summary, sizeof(c->tls_summary));
		size_t n = pf_http_get_request(c->out->ep.host, "/", c->req, sizeof(c->req));
		c->buf = pf_malloc(HTTP_BUF);
		if (n >= sizeof(c->req) || !c->buf || !net_tls_write(c->tls, c->req, n)) {
			ck_finish(c, now, PF_CHK_ERROR, "%s; request could not be queued", c->tls_summary);
			return;
		}
		c->state = CK_TLS_HTTP;
		ts = net_tls_pump(c->tls);
	}
	size_t got;
	while (c->len < HTTP_BUF && (got = net_tls_read(c->tls, c->buf + c->len, HTTP_BUF - c->len)) > 0) {
		c->len += (UINT32)got;
		judge_http(c, now, c->len >= HTTP_BUF);
		if (c->state != CK_TLS_HTTP)
			return;
		ts = net_tls_pump(c->tls);
	}
	if (ts == NET_TLS_READY) {
		if (now >= c->deadline)
			ck_finish(c, now, PF_CHK_HTTP_FAILED, "%s; %s within %u ms", c->tls_summary,
			       c->len ? "answer incomplete" : "no answer", (unsigned)c->env->limit_ms);
		return;
	}
	if (c->len) {
		judge_http(c, now, true);
		return;
	}
	ck_finish(c, now, PF_CHK_HTTP_FAILED, "%s; connection closed without an answer", c->tls_summary);
}

static void step_ntp(net_check *c, uint64_t now)
{
	EFI_STATUS err;
	if (c->state == CK_UDP_CONFIG) {
		if (!c->udp_open) {
			if (EFI_ERROR((err = net_udp_open(&c->udp, c->env->nic)))) {
				ck_finish(c, now, PF_CHK_ERROR, "UDP4 child: %s", efi_status_str(err));
				return;
			}
			c->udp_open = true;
		}
		err = net_udp_configure(&c->udp, &c->addr, c->out->ep.port);
		if (err == EFI_NO_MAPPING && now < c->deadline)
			return;
		c->cookie = (uint64_t)(clock_ms() + 0x9e3779b97f4a7c15ull) * 0x2545f4914f6cdd1dull;
		pf_ntp_request(c->ntp, c->cookie);
		if (!EFI_ERROR(err))
			err = net_udp_recv(&c->udp);
		if (!EFI_ERROR(err))
			err = net_udp_send(&c->udp, c->ntp, sizeof(c->ntp));
		if (EFI_ERROR(err)) {
			ck_finish(c, now, PF_CHK_ERROR, "NTP request could not be sent: %s", efi_status_str(err));
			return;
		}
		c->state = CK_NTP;
	}
	net_udp_poll(&c->udp);
	if (!c->udp.rx_done) {
		if (now >= c->deadline)
			ck_finish(c, now, PF_CHK_NTP_FAILED, "no NTP answer within %u ms", (unsigned)c->env->limit_ms);
		return;
	}
	uint8_t pkt[128];
	UINT32 n = 0;
	pf_ntp_reply r;
	err = net_udp_take(&c->udp, pkt, sizeof(pkt), &n);
	if (!EFI_ERROR(err) && pf_ntp_parse(pkt, n, c->cookie, &r) == PF_OK) {
		note_skew(c, r.server_unix + (r.server_ms >= 500));
		ck_finish(c, now, PF_CHK_OK, "stratum %u", r.stratum);
		return;
	}
	if (EFI_ERROR(err) && err != EFI_NOT_READY) {
		ck_finish(c, now, PF_CHK_NTP_FAILED, "%s", efi_status_str(err));
		return;
	}
	/* Not our answer (or not NTP): keep listening until the deadline. */
	if (EFI_ERROR(net_udp_recv(&c->udp)))
		ck_finish(c, now, PF_CHK_NTP_FAILED, "invalid NTP answer");
}

bool net_check_step(net_check *c, uint64_t now)
{
	switch (c->state) {
	case CK_DNS:
		step_dns(c, now);
		break;
	case CK_TCP_CONFIG:
	case CK_TCP_CONNECT:
		step_tcp(c, now);
		break;
	case CK_PROXY:
		ck_step_proxy(c, now);
		break;
	case CK_HTTP:
		step_http(c, now);
		break;
	case CK_TLS:
	case CK_TLS_HTTP:
		ck_step_tls(c, now);
		break;
	case CK_UDP_CONFIG:
	case CK_NTP:
		step_ntp(c, now);
		break;
	case CK_DONE:
		break;
	}
	return c->state == CK_DONE;
}

void net_check_free(net_check *c, uint64_t now)
{
	if (!c)
		return;
	if (c->state != CK_DONE) {
		/* Past the phase's own limit: whatever stage it is in did not answer in time. */
		static const pf_chk_status late[] = {
			[CK_DNS] = PF_CHK_DNS_FAILED, [CK_TCP_CONFIG] = PF_CHK_TCP_TIMEOUT, [CK_TCP_CONNECT] = PF_CHK_TCP_TIMEOUT,
			[CK_PROXY] = PF_CHK_PROXY_FAILED, [CK_HTTP] = PF_CHK_HTTP_FAILED, [CK_TLS] = PF_CHK_TLS_FAILED, [CK_TLS_HTTP] = PF_CHK_HTTP_FAILED,
			[CK_UDP_CONFIG] = PF_CHK_NTP_FAILED, [CK_NTP] = PF_CHK_NTP_FAILED,
		};
		pf_chk_status st = late[c->state];
		if (c->out->via_proxy && (c->state == CK_TCP_CONFIG || c->state == CK_TCP_CONNECT))
			st = PF_CHK_PROXY_FAILED;
		ck_finish(c, now, st, "no answer within %u ms", (unsigned)c->env->limit_ms);
	}
	ck_release(c);
	pf_free(c);
}
