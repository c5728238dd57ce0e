/* The proxy on the way out: network.proxy (or the PAC's proxies) resolved once before the checks, and CONNECT tunnels. */
#include "net.h"
#include "clock.h"
#include "fmt.h"
#include "log.h"
#include "str.h"

#define RESOLVE_STALL_US 1000

EFI_STATUS net_resolve_name(const net_env *env, const char *host, uint32_t limit_ms, EFI_IPv4_ADDRESS *ret_addr,
			  char *why, size_t cap)
{
	uint8_t lit[4];
	if (pf_ipv4_parse(host, lit)) {
		memcpy(ret_addr->Addr, lit, 4);
		return EFI_SUCCESS;
	}
	if (env->n_dns == 0) {
		pf_snprintf(why, cap, "its name cannot be resolved: no DNS server from DHCP");
		return EFI_NOT_FOUND;
	}
	net_dns d;
	EFI_STATUS err = net_dns_start(&d, env->nic, (EFI_IPv4_ADDRESS *)env->dns, env->n_dns, host);
	if (EFI_ERROR(err)) {
		pf_snprintf(why, cap, "DNS4 lookup could not start: %s", efi_status_str(err));
		return log_error_status(err, "proxy lookup");
	}
	uint64_t deadline = clock_ms() + limit_ms;
	while (!net_dns_done(&d) && clock_ms() < deadline)
		BS->Stall(RESOLVE_STALL_US);
	if (!net_dns_done(&d)) {
		net_dns_stop(&d);
		pf_snprintf(why, cap, "its name did not resolve within %u ms", (unsigned)limit_ms);
		return EFI_TIMEOUT;
	}
	err = net_dns_result(&d, ret_addr);
	net_dns_stop(&d);
	if (EFI_ERROR(err))
		pf_snprintf(why, cap, "its name %s (%s)", err == EFI_NOT_FOUND ? "does not exist" : "did not resolve",
			    efi_status_str(err));
	return err;
}

EFI_STATUS net_proxy_resolve(const net_env *env, pf_net_proxy *p, uint32_t limit_ms, EFI_IPv4_ADDRESS *ret_addr)
{
	EFI_STATUS err = net_resolve_name(env, p->at.host, limit_ms, ret_addr, p->error, sizeof(p->error));
	if (!EFI_ERROR(err))
		net_ip_str(ret_addr, p->addr);
	return err;
}

/* network.proxy: one proxy for every tcp, http and https check. */
static void configured(const pf_config *c, pf_net_result *r, net_env *env)
{
	char err[200];
	pf_net_proxy *p = &r->proxy.list[0];
	if (pf_hostport_parse(c->network_proxy, strlen(c->network_proxy), &p->at, err, sizeof(err)) != PF_OK) {
		/* The config reader refused such a value already; a value set another way is named, not used. */
		con_printf("network.proxy: %s; checking directly instead.\n", err);
		return;
	}
	r->proxy.source = PF_PROXY_CONFIGURED;
	r->proxy.n = 1;
	env->proxy = &r->proxy;
	env->link_proxy = 0;
	for (size_t i = 0; i < r->n_checks; i++)
		if (pf_net_kind_proxied(r->checks[i].ep.kind)) {
			r->checks[i].route[0] = 1;
			r->checks[i].n_route = 1;
		}
	con_progress("Network: resolving proxy %s:%u (network.proxy)...\n", p->at.host, (unsigned)p->at.port);
	/* A failure stays in p->error: the checks through it say why. */
	if (EFI_ERROR(net_proxy_resolve(env, p, env->limit_ms, &env->proxy_addr[0])))
		con_printf("Network: proxy %s:%u: %s\n", p->at.host, (unsigned)p->at.port, p->error);
}

void net_proxy_setup(const pf_config *c, pf_net_result *r, net_env *env)
{
	env->proxy = NULL;
	env->link_proxy = -1;
	if (c->network_proxy) {
		configured(c, r, env);
		return;
	}
	net_pac_setup(c, r, env);
}

EFI_STATUS net_tunnel(net_tcp *t, const pf_net_proxy *p, const char *host, UINT16 port, uint64_t deadline, uint8_t *buf,
		      size_t cap, pf_chk_status *ret_status, char *why, size_t why_cap)
{
	char req[2 * PF_HOST_MAX + 128];
	size_t n = pf_proxy_connect_request(host, port, req, sizeof(req));
	EFI_STATUS err = EFI_SUCCESS;
	size_t len = 0;
	bool closed = false;
	pf_proxy_reply r;
	pf_status st = PF_ERR_TRUNCATED;

	*ret_status = PF_CHK_PROXY_FAILED;
	if (n >= sizeof(req)) {
		pf_snprintf(why, why_cap, "CONNECT request too long");
		return EFI_BAD_BUFFER_SIZE;
	}
	if (EFI_ERROR((err = net_tcp_recv(t, buf, (UINT32)cap))) || EFI_ERROR((err = net_tcp_send(t, req, (UINT32)n)))) {
		pf_snprintf(why, why_cap, "proxy %s:%u: CONNECT could not be sent (%s)", p->at.host, (unsigned)p->at.port,
			    efi_status_str(err));
		return err;
	}
	/* Until the head has arrived and our transmit is done (TLS then owns both tokens); one receive at a time,
	 * so that nothing of the tunnel's own bytes lands here once the head is complete. */
	while (st == PF_ERR_TRUNCATED || t->tx_pending) {
		net_tcp_poll(t);
		if (t->tx_pending && t->tx_done) {
			t->tx_pending = false;
			if (EFI_ERROR(t->tx.CompletionToken.Status) && st == PF_ERR_TRUNCATED)
				closed = true;
		}
		if (t->rx_pending && t->rx_done) {
			t->rx_pending = false;
			if (EFI_ERROR(t->rx.CompletionToken.Status) || t->rxd.DataLength == 0) {
				closed = true;
			} else {
				len += t->rxd.DataLength;
				st = pf_proxy_reply_parse(buf, len, &r);
				if (st == PF_ERR_TRUNCATED && len < cap)
					closed = EFI_ERROR(net_tcp_recv(t, buf + len, (UINT32)(cap - len)));
			}
		}
		if (closed || (st != PF_OK && st != PF_ERR_TRUNCATED) || (st == PF_ERR_TRUNCATED && len >= cap))
			break;
		if (clock_ms() >= deadline) {
			pf_snprintf(why, why_cap, "proxy %s:%u: %s to CONNECT in time", p->at.host, (unsigned)p->at.port,
				    len ? "answer incomplete" : "no answer");
			return EFI_TIMEOUT;
		}
		BS->Stall(RESOLVE_STALL_US);
	}
	if (st != PF_OK) {
		char shown[41];
		pf_copy_printable(shown, sizeof(shown), (pf_span){ (const char *)buf, PF_MIN(len, 40u) });
		if (!len)
			pf_snprintf(why, why_cap, "proxy %s:%u: closed the connection without answering CONNECT", p->at.host,
				    (unsigned)p->at.port);
		else
			pf_snprintf(why, why_cap, "proxy %s:%u: %s (%zu bytes: '%s')", p->at.host, (unsigned)p->at.port,
				    st == PF_ERR_TRUNCATED ? "closed the connection in the middle of its answer to CONNECT"
							   : "its answer to CONNECT is not HTTP", len, shown);
		return EFI_PROTOCOL_ERROR;
	}
	if (r.status >= 200 && r.status <= 299) {
		*ret_status = PF_CHK_OK;
		return EFI_SUCCESS;
	}
	*ret_status = r.status == 407 ? PF_CHK_PROXY_AUTH : PF_CHK_PROXY_REFUSED;
	pf_snprintf(why, why_cap, "proxy %s:%u: CONNECT %s:%u: HTTP %u %s%s%s%s", p->at.host, (unsigned)p->at.port, host,
		    (unsigned)port, r.status, r.reason, r.schemes[0] ? " (" : "", r.schemes, r.schemes[0] ? ")" : "");
	return r.status == 407 ? EFI_ACCESS_DENIED : EFI_NO_RESPONSE;
}
