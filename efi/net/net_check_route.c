/* An endpoint check's route: its hops in the proxy configuration's order (WinHTTP's fallback), and CONNECT through a proxy. */
#include "net_check_int.h"
#include "fmt.h"
#include "log.h"
#include "proxy.h"
#include "str.h"

/* The proxy of the current hop and its address; NULL when the hop is DIRECT. */
const pf_net_proxy *ck_hop_proxy(const net_check *c, const EFI_IPv4_ADDRESS **ret_addr)
{
	const pf_net_check *o = c->out;
	if (o->hop >= o->n_route || o->route[o->hop] == 0 || !c->env->proxy || o->route[o->hop] > c->env->proxy->n)
		return NULL;
	if (ret_addr)
		*ret_addr = &c->env->proxy_addr[o->route[o->hop] - 1];
	return &c->env->proxy->list[o->route[o->hop] - 1];
}

/* Enters the current hop: each gets an equal share of the time left, so a dead first proxy leaves the
 * next one time to answer (WinHTTP tries the list in order). */
void ck_start_hop(net_check *c, uint64_t now)
{
	pf_net_check *o = c->out;
	o->via_proxy = ck_hop_proxy(c, NULL) != NULL;
	uint32_t left = o->n_route > o->hop ? o->n_route - o->hop : 1;
	c->hop_deadline = now >= c->deadline ? c->deadline : now + (c->deadline - now) / left;
	c->state = CK_DNS;
}

/* A failure to get through on this hop (no address, no connection, a proxy that is no HTTP proxy): the
 * next hop when there is one, as WinHTTP goes down the PAC's list; an answer (407, 403, TLS) is final. */
void ck_fail_hop(net_check *c, uint64_t now, pf_chk_status st, const char *fmt, ...)
{
	char why[PF_NET_DETAIL_MAX];
	va_list ap;
	va_start(ap, fmt);
	pf_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	pf_net_check *o = c->out;
	if (o->hop + 1 >= o->n_route) {
		ck_finish(c, now, st, "%s", why);
		return;
	}
	const pf_net_proxy *p = ck_hop_proxy(c, NULL);
	size_t n = strlen(c->fallen);
	if (p)
		pf_snprintf(c->fallen + n, sizeof(c->fallen) - n, "%sproxy %s:%u: %s", n ? "; " : "", p->at.host,
			    (unsigned)p->at.port, why);
	else
		pf_snprintf(c->fallen + n, sizeof(c->fallen) - n, "%sdirect: %s", n ? "; " : "", why);
	ck_release(c);
	o->addr[0] = '\0';
	o->hop++;
	ck_start_hop(c, now);
}

/* Through a proxy: asks it for a tunnel to the endpoint, then reads its answer in step_proxy. */
void ck_start_connect(net_check *c, uint64_t now)
{
	pf_net_check *o = c->out;
	ck_send_request(c, now, pf_proxy_connect_request(o->ep.host, o->ep.port, c->req, sizeof(c->req)), CK_PROXY,
		     PF_CHK_PROXY_FAILED);
}

/* The proxy's answer to CONNECT: 2xx opens the tunnel, 407 wants a login, anything else refuses. */
static void judge_connect(net_check *c, uint64_t now, bool closed)
{
	pf_net_check *o = c->out;
	pf_proxy_reply r;
	pf_status st = pf_proxy_reply_parse(c->buf, c->len, &r);
	if (st == PF_ERR_TRUNCATED && !closed && c->len < HTTP_BUF)
		return;
	if (st != PF_OK) {
		char shown[41];
		pf_copy_printable(shown, sizeof(shown), (pf_span){ (const char *)c->buf, PF_MIN(c->len, 40u) });
		if (st == PF_ERR_TRUNCATED)
			ck_fail_hop(c, now, PF_CHK_PROXY_FAILED, "the proxy closed the connection in the middle of its answer "
				 "to CONNECT (%u bytes: '%s')", (unsigned)c->len, shown);
		else
			ck_fail_hop(c, now, PF_CHK_PROXY_FAILED, "the proxy's answer to CONNECT is not HTTP (%s, %u bytes: '%s')",
				 pf_status_str(st), (unsigned)c->len, shown);
		return;
	}
	if (r.status == 407) {
		pf_strlcpy(o->proxy_schemes, r.schemes, sizeof(o->proxy_schemes));
		ck_finish(c, now, PF_CHK_PROXY_AUTH, "CONNECT %s:%u: HTTP 407 %s (%s)", o->ep.host, (unsigned)o->ep.port, r.reason,
		       r.schemes[0] ? r.schemes : "no Proxy-Authenticate");
		return;
	}
	if (r.status < 200 || r.status > 299) {
		ck_finish(c, now, PF_CHK_PROXY_REFUSED, "CONNECT %s:%u: HTTP %u %s", o->ep.host, (unsigned)o->ep.port, r.status,
		       r.reason);
		return;
	}
	/* The tunnel is open: from here the bytes are the endpoint's (TLS speaks first, so nothing follows the head). */
	pf_free(c->buf);
	c->buf = NULL;
	c->len = 0;
	if (o->ep.kind == PF_EP_TCP) {
		ck_finish(c, now, PF_CHK_OK, "tunnel: HTTP %u", r.status);
		return;
	}
	ck_start_tls(c, now);
}

void ck_step_proxy(net_check *c, uint64_t now)
{
	net_tcp_poll(&c->tcp);
	if (!c->tcp.rx_done) {
		if (now >= c->hop_deadline)
			ck_fail_hop(c, now, PF_CHK_PROXY_FAILED, "%s to CONNECT in time",
				 c->len ? "the proxy's answer incomplete" : "no answer from the proxy");
		return;
	}
	EFI_STATUS err;
	if (ck_read_answer(c, now, judge_connect, &err))
		ck_fail_hop(c, now, PF_CHK_PROXY_FAILED, "the proxy closed the connection without answering CONNECT (%s)",
			 efi_status_str(err));
}

