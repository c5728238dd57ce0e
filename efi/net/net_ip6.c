/* Is IPv6 offered on the adapter? The firmware's IP6 stack does SLAAC and DHCPv6 under the automatic policy. */
#include "net6.h"
#include "clock.h"
#include "fmt.h"
#include "ip6.h"
#include "log.h"

/* How long to wait for any router before calling IPv6 not offered: edk2 solicits one after the link-local
 * address's DAD (about 1 s after the switch); a router that advertised in the last 3 s holds its answer until
 * then (MIN_DELAY_BETWEEN_RAS, RFC 4861 section 10), plus up to 0.5 s of random delay. 2 s was too short for
 * back-to-back runs against radvd (a third run found no router). */
#define ROUTER_WAIT_MS 4500
/* Measured under OVMF: a router advertisement 1 s after the switch, the SLAAC address after 2.1-3.5 s. */
#define DNS_GRACE_MS 1000   /* after the address: DHCPv6's information request usually answered before it */

static EFI_GUID ip6cfg_guid = PF_IP6_CONFIG_PROTOCOL_GUID;

struct net_ip6 {
	PF_IP6_CONFIG_PROTOCOL *cfg;
	PF_IP6_CONFIG_POLICY before;
	bool switched;                    /* we changed the policy: put it back */
	pf_net_ipv6 *out;
	uint8_t mac[6];
	uint64_t t0, deadline, addr_at;
	bool decided;
	EFI_IPv6_ADDRESS dns[PF_NET_MAX_IP6];
	UINTN n_dns;
	EFI_IPv6_ADDRESS source;          /* the first global address: the checks' source (net_ip6_source) */
	net_ra *ra;                       /* router advertisements' RDNSS servers, until the wait is decided */
	bool has_source;
};

EFI_STATUS net_ip6_start(EFI_HANDLE nic, uint32_t wait_ms, pf_net_ipv6 *out, net_ip6 **ret_ip6)
{
	PF_IP6_CONFIG_PROTOCOL *cfg = NULL;
	EFI_STATUS err = BS->HandleProtocol(nic, &ip6cfg_guid, (void **)&cfg);
	if (EFI_ERROR(err)) {
		pf_snprintf(out->error, sizeof(out->error), "the firmware has no IPv6 stack on the adapter (%s)",
			    efi_status_str(err));
		return err;
	}
	PF_IP6_CONFIG_POLICY before = PfIp6ConfigPolicyManual;
	UINTN size = sizeof(before);
	err = cfg->GetData(cfg, PfIp6ConfigDataTypePolicy, &size, &before);
	if (EFI_ERROR(err)) {
		pf_snprintf(out->error, sizeof(out->error), "IPv6 policy unreadable (%s)", efi_status_str(err));
		return log_error_status(err, "cannot read the IPv6 policy");
	}
	net_ip6 *s = pf_malloc(sizeof(*s));
	if (!s) {
		pf_snprintf(out->error, sizeof(out->error), "out of memory");
		return EFI_OUT_OF_RESOURCES;
	}
	*s = (net_ip6){ .cfg = cfg, .before = before, .out = out, .t0 = clock_ms() };
	s->deadline = s->t0 + wait_ms;
	/* Listening before the switch: the advertisement that answers the driver's first solicitation counts too.
	 * Without the listener only DHCPv6's servers are known (logged; not a reason to leave IPv6 alone). */
	if (EFI_ERROR(net_ra_start(nic, &s->ra)))
		s->ra = NULL;
	if (before != PfIp6ConfigPolicyAutomatic) {
		PF_IP6_CONFIG_POLICY autom = PfIp6ConfigPolicyAutomatic;
		err = cfg->SetData(cfg, PfIp6ConfigDataTypePolicy, sizeof(autom), &autom);
		if (EFI_ERROR(err)) {
			net_ra_stop(s->ra);
			pf_free(s);
			pf_snprintf(out->error, sizeof(out->error), "IPv6 policy cannot be set to automatic (%s)",
				    efi_status_str(err));
			return log_error_status(err, "cannot switch IPv6 to automatic");
		}
		s->switched = true;
	}
	out->checked = true;
	*ret_ip6 = s;
	return EFI_SUCCESS;
}

/* The interface's addresses and routes: one pool buffer (the arrays follow the structure), or NULL. */
static PF_IP6_CONFIG_INTERFACE_INFO *interface_info(net_ip6 *s)
{
	UINTN size = 0;
	EFI_STATUS err = s->cfg->GetData(s->cfg, PfIp6ConfigDataTypeInterfaceInfo, &size, NULL);
	if (err != EFI_BUFFER_TOO_SMALL || size < sizeof(PF_IP6_CONFIG_INTERFACE_INFO))
		return NULL;
	PF_IP6_CONFIG_INTERFACE_INFO *info = pf_malloc(size);
	if (info && EFI_ERROR(s->cfg->GetData(s->cfg, PfIp6ConfigDataTypeInterfaceInfo, &size, info))) {
		pf_free(info);
		info = NULL;
	}
	return info;
}

/* No server from DHCPv6 (IP6Config): those of the last router advertisement's RDNSS option, if one came. */
static void read_rdnss(net_ip6 *s)
{
	size_t n = net_ra_poll(s->ra, s->dns, PF_NET_MAX_IP6);
	if (!n)
		return;
	s->n_dns = n;
	s->out->n_dns_servers = n;
	s->out->dns_by_ra = true;
	for (size_t i = 0; i < n; i++)
		pf_ip6_str(s->dns[i].Addr, s->out->dns_servers[i]);
}

static void read_dns(net_ip6 *s)
{
	EFI_IPv6_ADDRESS dns[PF_NET_MAX_IP6];
	UINTN size = sizeof(dns);
	EFI_STATUS err = s->cfg->GetData(s->cfg, PfIp6ConfigDataTypeDnsServer, &size, dns);
	if (err == EFI_BUFFER_TOO_SMALL) { /* more than we keep: the first ones */
		EFI_IPv6_ADDRESS *all = pf_malloc(size);
		if (!all)
			return;
		err = s->cfg->GetData(s->cfg, PfIp6ConfigDataTypeDnsServer, &size, all);
		if (!EFI_ERROR(err))
			memcpy(dns, all, sizeof(dns));
		size = sizeof(dns);
		pf_free(all);
	}
	if (EFI_ERROR(err) || size < sizeof(EFI_IPv6_ADDRESS)) {
		read_rdnss(s); /* EFI_NOT_FOUND: none from DHCPv6 (yet) */
		return;
	}
	s->n_dns = PF_MIN(size / sizeof(EFI_IPv6_ADDRESS), (UINTN)PF_NET_MAX_IP6);
	memcpy(s->dns, dns, s->n_dns * sizeof(EFI_IPv6_ADDRESS));
	s->out->n_dns_servers = s->n_dns;
	for (UINTN i = 0; i < s->n_dns; i++)
		pf_ip6_str(s->dns[i].Addr, s->out->dns_servers[i]);
}

bool net_ip6_poll(net_ip6 *s, uint64_t now)
{
	if (!s || s->decided)
		return true;
	pf_net_ipv6 *o = s->out;
	PF_IP6_CONFIG_INTERFACE_INFO *info = interface_info(s);
	if (info) {
		if (info->HwAddressSize >= 6)
			memcpy(s->mac, info->HwAddress.Addr, 6);
		for (UINT32 i = 0; i < info->RouteCount && info->RouteTable; i++) {
			const EFI_IP6_ROUTE_TABLE *rt = &info->RouteTable[i];
			static const uint8_t zero[16];
			/* A default route, or a prefix that is not link-local: a router advertised itself. */
			if (memcmp(rt->Gateway.Addr, zero, 16) != 0 || pf_ip6_is_global(rt->Destination.Addr))
				o->router = true;
		}
		o->n_addresses = 0;
		o->how = NULL;
		for (UINT32 i = 0; i < info->AddressInfoCount && info->AddressInfo; i++) {
			const uint8_t *a = info->AddressInfo[i].Address.Addr;
			if (!pf_ip6_is_global(a) || o->n_addresses == PF_NET_MAX_IP6)
				continue;
			if (!o->n_addresses) {
				s->source = info->AddressInfo[i].Address;
				s->has_source = true;
			}
			pf_ip6_str(a, o->addresses[o->n_addresses++]);
			/* SLAAC forms the interface identifier from the MAC (EUI-64); DHCPv6 hands out another. */
			if (!o->how || pf_ip6_is_eui64(a, s->mac))
				o->how = pf_ip6_is_eui64(a, s->mac) ? "slaac" : "dhcpv6";
		}
		pf_free(info);
	}
	if (!s->n_dns)
		read_dns(s);
	if (o->n_addresses && !s->addr_at)
		s->addr_at = now;
	o->offered = o->n_addresses > 0;
	if (!s->addr_at || s->addr_at == now)
		o->ms = (uint32_t)(now - s->t0); /* until the address was first seen, else the wait so far */
	if ((o->offered && (s->n_dns || now >= s->addr_at + DNS_GRACE_MS)) || now >= s->deadline ||
	    (!o->router && now >= s->t0 + ROUTER_WAIT_MS))
		s->decided = true;
	if (s->decided) {
		net_ra_stop(s->ra); /* decided: no more copies of every IPv6 frame */
		s->ra = NULL;
	}
	return s->decided;
}

bool net_ip6_offered(const net_ip6 *s)
{
	return s && s->out->offered;
}

uint64_t net_ip6_deadline(const net_ip6 *s)
{
	return s ? s->deadline : 0;
}

const EFI_IPv6_ADDRESS *net_ip6_dns(const net_ip6 *s, UINTN *ret_n)
{
	*ret_n = s ? s->n_dns : 0;
	return s ? s->dns : NULL;
}

const EFI_IPv6_ADDRESS *net_ip6_source(const net_ip6 *s)
{
	return s && s->has_source ? &s->source : NULL;
}

void net_ip6_finish(net_ip6 *s)
{
	if (!s)
		return;
	net_ra_stop(s->ra);
	if (s->switched) {
		EFI_STATUS err = s->cfg->SetData(s->cfg, PfIp6ConfigDataTypePolicy, sizeof(s->before), &s->before);
		if (EFI_ERROR(err))
			log_error_status(err, "cannot put the IPv6 policy back");
	}
	pf_free(s);
}
