/* DHCP for the network phase: our DHCP4 lease set through IP4Config2 as static, or IP4Config2's DHCP policy. */
#include "net.h"
#include "clock.h"
#include "log.h"
#include "str.h"

#define DHCP_POLL_US (50 * 1000)  /* the data-notify event never fired in OVMF: poll */

static EFI_GUID ip4cfg2_guid = PF_IP4_CONFIG2_PROTOCOL_GUID;

/* GetData into pool memory (size query first: a route table follows the interface info). DHCP's
 * completion can add a route between the two calls, so a grown answer is asked for again. */
static EFI_STATUS get_data(PF_IP4_CONFIG2_PROTOCOL *cfg, PF_IP4_CONFIG2_DATA_TYPE type, void **ret, UINTN *ret_size)
{
	EFI_STATUS err = EFI_BUFFER_TOO_SMALL;
	for (int attempt = 0; attempt < 3 && err == EFI_BUFFER_TOO_SMALL; attempt++) {
		UINTN size = 0;
		err = cfg->GetData(cfg, type, &size, NULL);
		if (err != EFI_BUFFER_TOO_SMALL)
			return EFI_ERROR(err) ? err : EFI_NOT_FOUND;
		void *buf = pf_malloc(size);
		if (!buf)
			return EFI_OUT_OF_RESOURCES;
		err = cfg->GetData(cfg, type, &size, buf);
		if (!EFI_ERROR(err)) {
			*ret = buf;
			*ret_size = size;
			return EFI_SUCCESS;
		}
		pf_free(buf);
	}
	return err;
}

/* The adapter's configuration before Preflight switched it to DHCP. edk2 keeps the policy in a
 * firmware variable, so a PC set to a static address (for PXE or HTTP boot) would otherwise lose it. */
static struct {
	PF_IP4_CONFIG2_PROTOCOL *cfg; /* set once Preflight changed the adapter's settings */
	PF_IP4_CONFIG2_POLICY policy;
	void *manual, *gateway, *dns;
	UINTN manual_size, gateway_size, dns_size;
} saved;

static void saved_free(void)
{
	pf_free(saved.manual);
	pf_free(saved.gateway);
	pf_free(saved.dns);
	saved = (__typeof__(saved)){ 0 };
}

static void save_config(PF_IP4_CONFIG2_PROTOCOL *cfg, pf_net_result *r)
{
	UINTN size = sizeof(saved.policy);
	saved_free();
	if (EFI_ERROR(cfg->GetData(cfg, PfIp4Config2DataTypePolicy, &size, &saved.policy)))
		return; /* unreadable: nothing to put back */
	r->policy_before = saved.policy == PfIp4Config2PolicyStatic ? "static" : "dhcp";
	saved.cfg = cfg;
	if (saved.policy != PfIp4Config2PolicyStatic)
		return;
	/* Absent items (EFI_NOT_FOUND) stay NULL and are not restored. */
	if (EFI_ERROR(get_data(cfg, PfIp4Config2DataTypeManualAddress, &saved.manual, &saved.manual_size)))
		saved.manual = NULL;
	if (saved.manual && saved.manual_size >= sizeof(PF_IP4_CONFIG2_MANUAL_ADDRESS))
		net_ip_str(&((PF_IP4_CONFIG2_MANUAL_ADDRESS *)saved.manual)->Address, r->static_before);
	if (EFI_ERROR(get_data(cfg, PfIp4Config2DataTypeGateway, &saved.gateway, &saved.gateway_size)))
		saved.gateway = NULL;
	if (EFI_ERROR(get_data(cfg, PfIp4Config2DataTypeDnsServer, &saved.dns, &saved.dns_size)))
		saved.dns = NULL;
}

EFI_STATUS net_dhcp_restore(void)
{
	EFI_STATUS err = EFI_SUCCESS;
	PF_IP4_CONFIG2_PROTOCOL *cfg = saved.cfg;
	if (!cfg)
		return EFI_SUCCESS;
	/* Policy Dhcp first: edk2 then drops the manual address, gateway and DNS servers Preflight set
	 * for its lease (and they leave the firmware variable); already Dhcp answers EFI_ABORTED. */
	PF_IP4_CONFIG2_POLICY policy = PfIp4Config2PolicyDhcp;
	err = cfg->SetData(cfg, PfIp4Config2DataTypePolicy, sizeof(policy), &policy);
	if ((EFI_ERROR(err) && err != EFI_ABORTED) || saved.policy != PfIp4Config2PolicyStatic) {
		saved_free();
		if (EFI_ERROR(err) && err != EFI_ABORTED)
			return log_error_status(err, "the adapter's DHCP policy could not be put back");
		return EFI_SUCCESS;
	}
	policy = PfIp4Config2PolicyStatic;
	err = cfg->SetData(cfg, PfIp4Config2DataTypePolicy, sizeof(policy), &policy);
	if (!EFI_ERROR(err) && saved.manual)
		err = cfg->SetData(cfg, PfIp4Config2DataTypeManualAddress, saved.manual_size, saved.manual);
	/* A manual address is applied asynchronously (EFI_NOT_READY): gateway and DNS are still taken. */
	if ((!EFI_ERROR(err) || err == EFI_NOT_READY) && saved.gateway)
		err = cfg->SetData(cfg, PfIp4Config2DataTypeGateway, saved.gateway_size, saved.gateway);
	if ((!EFI_ERROR(err) || err == EFI_NOT_READY) && saved.dns)
		err = cfg->SetData(cfg, PfIp4Config2DataTypeDnsServer, saved.dns_size, saved.dns);
	saved_free();
	if (EFI_ERROR(err) && err != EFI_NOT_READY)
		return log_error_status(err, "the adapter's static IPv4 settings could not be put back");
	return EFI_SUCCESS;
}

/* The address, mask and default route when the interface has an address; EFI_NOT_READY before. */
static EFI_STATUS read_info(PF_IP4_CONFIG2_PROTOCOL *cfg, pf_net_result *r)
{
	PF_IP4_CONFIG2_INTERFACE_INFO *info = NULL;
	UINTN size = 0;
	EFI_STATUS err = get_data(cfg, PfIp4Config2DataTypeInterfaceInfo, (void **)&info, &size);
	if (EFI_ERROR(err))
		return err;
	if (size < sizeof(*info) || net_ip_zero(&info->StationAddress)) {
		pf_free(info);
		return EFI_NOT_READY;
	}
	net_ip_str(&info->StationAddress, r->ipv4);
	net_ip_str(&info->SubnetMask, r->netmask);
	/* The router shows only as the default route (GetData(Gateway) is Not Found after DHCP). The
	 * route table must lie inside the answer: its count and pointer come from the firmware. */
	r->gateway[0] = '\0';
	UINT32 routes = info->RouteTableSize;
	UINTN room = (size - sizeof(*info)) / sizeof(info->RouteTable[0]);
	const uint8_t *lo = (const uint8_t *)info + sizeof(*info), *hi = (const uint8_t *)info + size;
	if ((const uint8_t *)info->RouteTable < lo || (const uint8_t *)info->RouteTable > hi ||
	    routes > room || (UINTN)(hi - (const uint8_t *)info->RouteTable) / sizeof(info->RouteTable[0]) < routes)
		routes = 0;
	for (UINT32 i = 0; info->RouteTable && i < routes; i++)
		if (net_ip_zero(&info->RouteTable[i].SubnetAddress) && !net_ip_zero(&info->RouteTable[i].GatewayAddress))
			net_ip_str(&info->RouteTable[i].GatewayAddress, r->gateway);
	r->has_ipv4 = true;
	pf_free(info);
	return EFI_SUCCESS;
}

/* Waits until the interface shows an address (bounded by deadline_ms). */
static EFI_STATUS wait_address(PF_IP4_CONFIG2_PROTOCOL *cfg, uint64_t deadline_ms, pf_net_result *r)
{
	for (;;) {
		EFI_STATUS err = read_info(cfg, r);
		if (!EFI_ERROR(err))
			return EFI_SUCCESS;
		if (err != EFI_NOT_READY && err != EFI_NOT_FOUND)
			return log_error_status(err, "cannot read the adapter's IPv4 configuration");
		if (clock_ms() >= deadline_ms)
			return EFI_TIMEOUT;
		BS->Stall(DHCP_POLL_US);
	}
}

/* The DHCP4 lease as IP4Config2 static settings: address and mask, the router, the DNS servers. */
static EFI_STATUS apply_lease(PF_IP4_CONFIG2_PROTOCOL *cfg, const net_lease *l)
{
	PF_IP4_CONFIG2_MANUAL_ADDRESS a = { l->address, l->mask };
	EFI_STATUS err = cfg->SetData(cfg, PfIp4Config2DataTypeManualAddress, sizeof(a), &a);
	if (EFI_ERROR(err) && err != EFI_NOT_READY && err != EFI_ABORTED)
		return log_error_status(err, "cannot set the leased address");
	if (!net_ip_zero(&l->router)) {
		err = cfg->SetData(cfg, PfIp4Config2DataTypeGateway, sizeof(l->router), (void *)&l->router);
		if (EFI_ERROR(err) && err != EFI_ABORTED)
			return log_error_status(err, "cannot set the leased gateway");
	}
	if (l->n_dns) {
		err = cfg->SetData(cfg, PfIp4Config2DataTypeDnsServer, l->n_dns * sizeof(l->dns[0]), (void *)l->dns);
		if (EFI_ERROR(err) && err != EFI_ABORTED)
			return log_error_status(err, "cannot set the leased DNS servers");
	}
	return EFI_SUCCESS;
}

/* The fast path: policy Static, our own DHCP4 exchange, the lease applied. Any failure: the caller
 * falls back to IP4Config2's DHCP policy with the time left. */
static EFI_STATUS dhcp_first_offer(EFI_HANDLE nic, PF_IP4_CONFIG2_PROTOCOL *cfg, uint64_t deadline_ms,
				   pf_net_result *r)
{
	PF_IP4_CONFIG2_POLICY policy = PfIp4Config2PolicyStatic;
	EFI_STATUS err = cfg->SetData(cfg, PfIp4Config2DataTypePolicy, sizeof(policy), &policy);
	if (EFI_ERROR(err) && err != EFI_ABORTED)
		return log_error_status(err, "cannot switch the adapter to static settings for the lease");
	net_lease l;
	err = net_dhcp4_lease(nic, deadline_ms, &l);
	if (EFI_ERROR(err))
		return err;
	err = apply_lease(cfg, &l);
	if (EFI_ERROR(err))
		return err;
	err = wait_address(cfg, deadline_ms, r);
	if (EFI_ERROR(err))
		return err;
	/* The interface info shows no gateway for static settings without a route yet: the lease's. */
	if (!r->gateway[0] && !net_ip_zero(&l.router))
		net_ip_str(&l.router, r->gateway);
	pf_strlcpy(r->dhcp_domain, l.domain, sizeof(r->dhcp_domain));
	pf_strlcpy(r->wpad_dhcp, l.wpad, sizeof(r->wpad_dhcp));
	return EFI_SUCCESS;
}

EFI_STATUS net_dhcp(EFI_HANDLE nic, uint32_t limit_ms, bool first_offer, pf_net_result *r, EFI_IPv4_ADDRESS ret_dns[NET_MAX_DNS],
		    UINTN *ret_n_dns)
{
	PF_IP4_CONFIG2_PROTOCOL *cfg = NULL;
	uint64_t t0 = clock_ms(), deadline = t0 + limit_ms;
	EFI_STATUS err = BS->HandleProtocol(nic, &ip4cfg2_guid, (void **)&cfg);
	if (EFI_ERROR(err))
		return log_error_status(err, "the adapter has no IP4Config2 protocol");
	save_config(cfg, r);
	err = first_offer ? dhcp_first_offer(nic, cfg, deadline, r) : EFI_UNSUPPORTED;
	if (!EFI_ERROR(err)) {
		r->dhcp_method = "dhcp4-first-offer";
	} else {
		/* Fresh firmware variables start as Static; setting the policy it already has answers EFI_ABORTED. */
		r->dhcp_method = "ip4config2";
		PF_IP4_CONFIG2_POLICY policy = PfIp4Config2PolicyDhcp;
		err = cfg->SetData(cfg, PfIp4Config2DataTypePolicy, sizeof(policy), &policy);
		if (EFI_ERROR(err) && err != EFI_ABORTED)
			return log_error_status(err, "cannot switch the adapter to DHCP");
		err = wait_address(cfg, deadline, r);
	}
	r->dhcp_ms = (uint32_t)(clock_ms() - t0);
	if (EFI_ERROR(err))
		return err;

	EFI_IPv4_ADDRESS *dns = NULL;
	UINTN size = 0;
	*ret_n_dns = 0;
	r->n_dns_servers = 0;
	if (!EFI_ERROR(get_data(cfg, PfIp4Config2DataTypeDnsServer, (void **)&dns, &size))) {
		for (UINTN i = 0; i < size / sizeof(*dns) && *ret_n_dns < NET_MAX_DNS; i++) {
			ret_dns[*ret_n_dns] = dns[i];
			net_ip_str(&dns[i], r->dns_servers[(*ret_n_dns)++]);
		}
		r->n_dns_servers = *ret_n_dns;
		pf_free(dns);
	}
	return EFI_SUCCESS;
}
