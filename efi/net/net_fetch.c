/* One HTTP(S) exchange after the network phase: DNS, TCP connect, TLS, request, answer, waiting up to a deadline;
 * through the phase's proxy when it had one (a CONNECT tunnel for https, the absolute form for http), over
 * DNS6 and TCP6 on an IPv6-only network. */
#include "net.h"
#include "net6.h"
#include "clock.h"
#include "fmt.h"
#include "http.h"
#include "log.h"
#include "proxy.h"
#include "str.h"

#define STALL_US 1000   /* the stack runs on its own timers; this only paces the polling */
#define SEND_PIECE 4096 /* request bytes per TLS record */
#define TUNNEL_HEAD_MAX PF_HTTP_HEAD_MAX

typedef struct {
	net_dns dns;
	net_dns6 dns6;
	net_tcp tcp;
	net_tls *tls;
	bool dns_open, dns6_open, tcp_open;
	EFI_STATUS tx_err;      /* plain HTTP: how the request's transmit ended */
	uint8_t *head;          /* the proxy's answer to CONNECT (a receive may point into it until the stop) */
} fetch_conn;

static void conn_close(fetch_conn *c)
{
	if (c->dns_open)
		net_dns_stop(&c->dns);
	if (c->dns6_open)
		net_dns6_stop(&c->dns6);
	if (c->tcp_open)
		net_tcp_stop(&c->tcp);
	c->dns_open = c->dns6_open = c->tcp_open = false;
	net_tls_free(c->tls); /* after the TCP4 stop: no token refers to its buffers any more */
	c->tls = NULL;
	pf_free(c->head);
	c->head = NULL;
}

static EFI_STATUS fail(net_fetch_outcome *o, pf_chk_status st, EFI_STATUS err, const char *fmt, ...) PF_PRINTF(4, 5);
static EFI_STATUS fail(net_fetch_outcome *o, pf_chk_status st, EFI_STATUS err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pf_vsnprintf(o->detail, sizeof(o->detail), fmt, ap);
	va_end(ap);
	o->status = st;
	return err;
}

static EFI_STATUS resolve(const net_link *l, const char *host, uint64_t deadline, fetch_conn *c,
			  net_fetch_outcome *o, EFI_IPv4_ADDRESS *ret_addr)
{
	uint8_t lit[4];
	if (pf_ipv4_parse(host, lit)) {
		/* An address in the URL (DHCP option 252 often has one): the firmware's DNS4 does not take it. */
		memcpy(ret_addr->Addr, lit, 4);
		net_ip_str(ret_addr, o->addr);
		return EFI_SUCCESS;
	}
	if (l->n_dns == 0)
		return fail(o, PF_CHK_DNS_FAILED, EFI_NOT_FOUND, "no DNS server from DHCP");
	EFI_STATUS err = net_dns_start(&c->dns, l->nic, (EFI_IPv4_ADDRESS *)l->dns, l->n_dns, host);
	if (EFI_ERROR(err))
		return fail(o, PF_CHK_ERROR, err, "DNS4 lookup could not start: %s", efi_status_str(err));
	c->dns_open = true;
	while (!net_dns_done(&c->dns)) {
		if (clock_ms() >= deadline)
			return fail(o, PF_CHK_DNS_FAILED, EFI_TIMEOUT, "DNS: no answer in time");
		BS->Stall(STALL_US);
	}
	err = net_dns_result(&c->dns, ret_addr);
	net_dns_stop(&c->dns);
	c->dns_open = false;
	if (EFI_ERROR(err))
		return fail(o, PF_CHK_DNS_FAILED, err, "DNS: %s (%s)",
			    err == EFI_NOT_FOUND ? "name does not exist" : "no usable answer", efi_status_str(err));
	net_ip_str(ret_addr, o->addr);
	return EFI_SUCCESS;
}

/* An IPv6-only network: the AAAA answer from the IPv6 DNS servers (DHCPv6's or the RDNSS ones). */
static EFI_STATUS resolve6(const net_link *l, const char *host, uint64_t deadline, fetch_conn *c,
			   net_fetch_outcome *o, EFI_IPv6_ADDRESS *ret_addr)
{
	uint8_t lit[4];
	if (pf_ipv4_parse(host, lit))
		return fail(o, PF_CHK_ERROR, EFI_UNSUPPORTED, "%s is an IPv4 address and the network offers only IPv6",
			    host);
	if (l->n_dns6 == 0)
		return fail(o, PF_CHK_DNS_FAILED, EFI_NOT_FOUND, "no IPv6 DNS server (DHCPv6 or router advertisement)");
	EFI_STATUS err = net_dns6_start(&c->dns6, l->nic, l->dns6, l->n_dns6, host);
	if (EFI_ERROR(err))
		return fail(o, PF_CHK_ERROR, err, "DNS6 lookup could not start: %s", efi_status_str(err));
	c->dns6_open = true;
	while (!net_dns6_done(&c->dns6)) {
		if (clock_ms() >= deadline)
			return fail(o, PF_CHK_DNS_FAILED, EFI_TIMEOUT, "DNS6: no AAAA answer in time");
		BS->Stall(STALL_US);
	}
	err = net_dns6_result(&c->dns6, ret_addr);
	net_dns6_stop(&c->dns6);
	c->dns6_open = false;
	if (EFI_ERROR(err))
		return fail(o, PF_CHK_DNS_FAILED, err, "DNS6: %s (%s)",
			    err == EFI_NOT_FOUND ? "no AAAA record" : "no usable answer", efi_status_str(err));
	pf_ip6_str(ret_addr->Addr, o->addr);
	return EFI_SUCCESS;
}

/* To addr (IPv4), or addr6 over TCP6 from the link's global address when addr6 is set. */
static EFI_STATUS connect(const net_link *l, const EFI_IPv4_ADDRESS *addr, const EFI_IPv6_ADDRESS *addr6, UINT16 port,
			  uint64_t deadline, fetch_conn *c, net_fetch_outcome *o)
{
	char v = addr6 ? '6' : '4';
	EFI_STATUS err = addr6 ? net_tcp_open6(&c->tcp, l->nic) : net_tcp_open(&c->tcp, l->nic);
	if (EFI_ERROR(err))
		return fail(o, PF_CHK_ERROR, err, "TCP%c child: %s", v, efi_status_str(err));
	c->tcp_open = true;
	while ((err = addr6 ? net_tcp_configure6(&c->tcp, &l->src6, addr6, port) : net_tcp_configure(&c->tcp, addr, port)) ==
		       EFI_NO_MAPPING &&
	       clock_ms() < deadline)
		BS->Stall(STALL_US);
	if (!EFI_ERROR(err))
		err = net_tcp_connect(&c->tcp);
	if (EFI_ERROR(err))
		return fail(o, PF_CHK_ERROR, err, "TCP%c connect could not start: %s", v, efi_status_str(err));
	for (;;) {
		net_tcp_poll(&c->tcp);
		if (c->tcp.conn_done)
			break;
		if (clock_ms() >= deadline)
			return fail(o, PF_CHK_TCP_TIMEOUT, EFI_TIMEOUT, "TCP port %u: no answer to the connection in time",
				    (unsigned)port);
		BS->Stall(STALL_US);
	}
	c->tcp.conn_pending = false;
	err = c->tcp.conn.CompletionToken.Status;
	if (err == EFI_TIMEOUT)
		return fail(o, PF_CHK_TCP_TIMEOUT, err, "TCP port %u: connection timed out", (unsigned)port);
	if (EFI_ERROR(err))
		return fail(o, PF_CHK_TCP_REFUSED, err, "TCP port %u: connection %s (%s)", (unsigned)port,
			    err == EFI_CONNECTION_RESET || err == EFI_CONNECTION_REFUSED ? "refused" : "failed",
			    efi_status_str(err));
	return EFI_SUCCESS;
}

static EFI_STATUS handshake(const net_link *l, const char *host, uint64_t deadline, fetch_conn *c, net_fetch_outcome *o)
{
	if (!l->tls)
		return fail(o, PF_CHK_ERROR, EFI_NOT_READY, "TLS: no trust anchors");
	EFI_STATUS err = net_tls_new(&c->tcp, l->tls, host, &c->tls);
	if (EFI_ERROR(err))
		return fail(o, PF_CHK_ERROR, err, "TLS engine could not start");
	for (;;) {
		net_tls_state ts = net_tls_pump(c->tls);
		if (ts == NET_TLS_READY)
			return EFI_SUCCESS;
		if (ts != NET_TLS_BUSY) {
			char why[PF_NET_DETAIL_MAX - 8];
			pf_chk_status st = net_tls_failure(c->tls, why, sizeof(why));
			return fail(o, st, EFI_SECURITY_VIOLATION, "TLS: %s", why);
		}
		if (clock_ms() >= deadline)
			return fail(o, PF_CHK_TLS_FAILED, EFI_TIMEOUT, "TLS: handshake not finished in time");
		BS->Stall(STALL_US);
	}
}

/* The answer as it arrives, possibly while the request is still going out. */
typedef struct {
	uint8_t *buf;
	size_t cap, len;
	bool closed;            /* the connection has ended: nothing more will come */
} answer;

/* True once the answer's Content-Length has arrived (without one, the server's close ends it). */
static bool complete(const answer *a)
{
	pf_http_response r;
	return pf_http_parse_head(a->buf, a->len, &r) == PF_OK && r.has_length && !r.chunked &&
	       a->len - r.head_len >= r.content_length;
}

/* Moves records both ways and takes what the engine has decrypted; the engine takes the server's records
 * while ours are still queued, so an answer that comes during the send is read here too. */
static void take_tls(fetch_conn *c, answer *a)
{
	net_tls_state ts = net_tls_pump(c->tls);
	size_t got;
	while (a->len < a->cap && (got = net_tls_read(c->tls, a->buf + a->len, a->cap - a->len)) > 0) {
		a->len += got;
		ts = net_tls_pump(c->tls);
	}
	a->closed = ts != NET_TLS_READY;
}

/* Collects the finished transmit and receive tokens; the receive is posted again at once. */
static void take_tcp(fetch_conn *c, answer *a)
{
	net_tcp *t = &c->tcp;
	net_tcp_poll(t);
	if (t->tx_pending && t->tx_done) {
		t->tx_pending = false;
		c->tx_err = t->tx.CompletionToken.Status;
	}
	if (!t->rx_pending || !t->rx_done)
		return;
	t->rx_pending = false;
	if (EFI_ERROR(t->rx.CompletionToken.Status) || t->rxd.DataLength == 0) {
		a->closed = true;   /* EFI_CONNECTION_FIN, or a reset: what arrived before stays in buf */
		return;
	}
	a->len += t->rxd.DataLength;
	if (a->len < a->cap)
		a->closed = EFI_ERROR(net_tcp_recv(t, a->buf + a->len, (UINT32)(a->cap - a->len)));
}

/* True while part of the request has not gone out: not yet given to TLS or TCP4, or its transmit failed. */
static bool sending(const fetch_conn *c, size_t off, size_t req_len)
{
	if (c->tls)
		return off < req_len || net_tls_sending(c->tls);
	return c->tcp.tx_pending || EFI_ERROR(c->tx_err);
}

/* Sends the request while the answer is read as it comes. A server or proxy may answer before it has read
 * the whole request and then close (a proxy's 407, the storage's 403 for an expired SAS): that answer is
 * judged like any other. Ends at the close, a complete answer (even with request bytes unsent), the cap
 * or the deadline. */
static EFI_STATUS exchange(fetch_conn *c, const uint8_t *req, size_t req_len, uint64_t deadline, answer *a,
			   net_fetch_outcome *o)
{
	size_t off = 0;
	EFI_STATUS err;
	if (!c->tls) {
		/* The receive first: an early answer finds a buffer waiting, not a connection about to be reset. */
		if (EFI_ERROR((err = net_tcp_recv(&c->tcp, a->buf, (UINT32)a->cap))))
			return fail(o, PF_CHK_HTTP_FAILED, err, "HTTP: cannot receive (%s)", efi_status_str(err));
		if (EFI_ERROR((err = net_tcp_send(&c->tcp, (void *)req, (UINT32)req_len))))
			return fail(o, PF_CHK_HTTP_FAILED, err, "HTTP: request could not be sent (%s)", efi_status_str(err));
		off = req_len;
	}
	for (;;) {
		if (c->tls) {
			/* In pieces the engine takes (a long bearer token or a report exceeds one record). */
			while (off < req_len) {
				size_t n = PF_MIN(req_len - off, (size_t)SEND_PIECE);
				if (!net_tls_write(c->tls, req + off, n))
					break;
				off += n;
			}
			take_tls(c, a);
		} else {
			take_tcp(c, a);
		}
		if (a->len >= a->cap)
			return fail(o, PF_CHK_HTTP_FAILED, EFI_BUFFER_TOO_SMALL, "HTTP: answer larger than %zu bytes", a->cap);
		if (a->closed || complete(a))
			break;
		if (clock_ms() >= deadline) {
			if (a->len)
				return fail(o, PF_CHK_HTTP_FAILED, EFI_TIMEOUT, "HTTP: answer incomplete in time");
			return fail(o, PF_CHK_HTTP_FAILED, EFI_TIMEOUT, "HTTP: %s in time",
				    sending(c, off, req_len) ? "request not sent" : "no answer");
		}
		BS->Stall(STALL_US);
	}
	if (a->len > 0)
		return EFI_SUCCESS;
	if (sending(c, off, req_len))
		return fail(o, PF_CHK_HTTP_FAILED, EFI_ABORTED, "HTTP: connection closed while sending the request");
	return fail(o, PF_CHK_HTTP_FAILED, EFI_END_OF_FILE, "HTTP: connection closed without an answer");
}

/* Through the proxy: its address instead of the host's, then for https the tunnel to host:port. */
static EFI_STATUS via_proxy(const net_link *l, const char *host, UINT16 port, bool https, uint64_t deadline,
			    fetch_conn *c, net_fetch_outcome *o)
{
	const pf_net_proxy *p = l->proxy;
	if (p->error[0])
		return fail(o, PF_CHK_PROXY_FAILED, EFI_NOT_FOUND, "proxy %s:%u: %s", p->at.host, (unsigned)p->at.port,
			    p->error);
	EFI_STATUS err = connect(l, &l->proxy_addr, NULL, p->at.port, deadline, c, o);
	if (EFI_ERROR(err)) {
		char why[PF_NET_DETAIL_MAX];
		pf_strlcpy(why, o->detail, sizeof(why));
		return fail(o, PF_CHK_PROXY_FAILED, err, "proxy %s:%u: %s", p->at.host, (unsigned)p->at.port, why);
	}
	if (!https)
		return EFI_SUCCESS;
	if (!(c->head = pf_malloc(TUNNEL_HEAD_MAX)))
		return fail(o, PF_CHK_ERROR, EFI_OUT_OF_RESOURCES, "out of memory");
	pf_chk_status st;
	err = net_tunnel(&c->tcp, p, host, port, deadline, c->head, TUNNEL_HEAD_MAX, &st, o->detail, sizeof(o->detail));
	if (EFI_ERROR(err))
		o->status = st;
	return err;
}

EFI_STATUS net_fetch(const net_link *l, const char *host, UINT16 port, bool https, const void *req, size_t req_len,
		     uint64_t deadline, size_t cap, net_fetch_outcome *out, uint8_t **ret_buf, size_t *ret_len)
{
	fetch_conn c = { 0 };
	EFI_IPv4_ADDRESS addr;
	EFI_IPv6_ADDRESS addr6;
	answer a = { .cap = cap };
	char *abs = NULL;       /* plain http through the proxy: the request in absolute form */
	size_t abs_cap = 0;

	*out = (net_fetch_outcome){ .status = PF_CHK_ERROR };
	EFI_STATUS err = EFI_SUCCESS;
	if (l->v6) {
		err = resolve6(l, host, deadline, &c, out, &addr6);
		if (!EFI_ERROR(err))
			err = connect(l, NULL, &addr6, port, deadline, &c, out);
	} else if (l->proxy) {
		err = via_proxy(l, host, port, https, deadline, &c, out);
		if (!EFI_ERROR(err) && !https) {
			abs_cap = req_len + PF_HOST_MAX + 16;
			if (!(abs = pf_malloc(abs_cap)))
				err = fail(out, PF_CHK_ERROR, EFI_OUT_OF_RESOURCES, "out of memory");
			else if ((req_len = pf_proxy_absolute_request(req, req_len, host, port, abs, abs_cap)) == 0 ||
				 req_len >= abs_cap)
				err = fail(out, PF_CHK_ERROR, EFI_INVALID_PARAMETER, "request not in origin form");
			else
				req = abs;
		}
	} else {
		err = resolve(l, host, deadline, &c, out, &addr);
		if (!EFI_ERROR(err))
			err = connect(l, &addr, NULL, port, deadline, &c, out);
	}
	if (!EFI_ERROR(err) && https)
		err = handshake(l, host, deadline, &c, out);
	if (!EFI_ERROR(err) && !(a.buf = pf_malloc(cap)))
		err = fail(out, PF_CHK_ERROR, EFI_OUT_OF_RESOURCES, "out of memory");
	if (!EFI_ERROR(err))
		err = exchange(&c, req, req_len, deadline, &a, out);
	conn_close(&c); /* before the buffers go: a pending token points into them */
	if (abs) {
		pf_wipe(abs, abs_cap); /* it may carry a bearer token, as the caller's request did */
		pf_free(abs);
	}
	if (EFI_ERROR(err)) {
		pf_free(a.buf);
		return err;
	}
	out->status = PF_CHK_OK;
	*ret_buf = a.buf;
	*ret_len = a.len;
	return EFI_SUCCESS;
}

EFI_STATUS net_fetch_secret(const net_link *l, const char *host, UINT16 port, bool https, char *req, size_t req_len,
			    size_t cap, uint64_t deadline, size_t answer_max, uint8_t **ret_buf, size_t *ret_len,
			    char *why, size_t why_cap)
{
	net_fetch_outcome o;
	bool fits = req_len < cap;
	EFI_STATUS err = fits ? net_fetch(l, host, port, https, req, req_len, deadline, answer_max, &o, ret_buf, ret_len)
			      : EFI_BAD_BUFFER_SIZE;
	pf_wipe(req, cap); /* a plain memset before free may be optimised away */
	pf_free(req);
	if (EFI_ERROR(err))
		pf_snprintf(why, why_cap, "%s%s%s", fits ? pf_chk_status_str(o.status) : "request too long",
			    fits ? ", " : "", fits ? o.detail : "");
	return err;
}
