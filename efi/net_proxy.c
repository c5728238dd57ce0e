/* The proxy the checks go through: network.proxy, its address resolved once before the checks start. */
#include "net.h"
#include "clock.h"
#include "fmt.h"
#include "log.h"
#include "str.h"

#define RESOLVE_STALL_US 1000

/* The proxy's IPv4 address: a literal as it is, a name by one DNS4 lookup within limit_ms. */
static EFI_STATUS resolve(const net_env *env, const char *host, uint32_t limit_ms, EFI_IPv4_ADDRESS *ret_addr,
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

void net_proxy_setup(const pf_config *c, pf_net_result *r, net_env *env)
{
	env->proxy = NULL;
	if (!c->network_proxy)
		return;
	char err[200];
	if (pf_hostport_parse(c->network_proxy, strlen(c->network_proxy), &r->proxy.at, err, sizeof(err)) != PF_OK) {
		/* The config reader refused such a value already; a value set another way is named, not used. */
		con_printf("network.proxy: %s; checking directly instead.\n", err);
		return;
	}
	r->proxy.source = PF_PROXY_CONFIGURED;
	env->proxy = &r->proxy;
	con_progress("Network: resolving proxy %s:%u (network.proxy)...\n", r->proxy.at.host, (unsigned)r->proxy.at.port);
	if (EFI_ERROR(resolve(env, r->proxy.at.host, env->limit_ms, &env->proxy_addr, r->proxy.error,
			      sizeof(r->proxy.error))))
		return; /* the checks through it say why, from r->proxy.error */
	net_ip_str(&env->proxy_addr, r->proxy.addr);
}
