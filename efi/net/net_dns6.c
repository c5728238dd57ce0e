/* One DNS6 lookup (AAAA) as a pollable object: start, poll, read the first address, stop (cancelling). */
#include "net6.h"
#include "log.h"

#define DNS_UDP 17

static EFI_GUID dns6_sb_guid = PF_DNS6_SERVICE_BINDING_GUID;
static EFI_GUID dns6_guid = PF_DNS6_PROTOCOL_GUID;

EFI_STATUS net_dns6_start(net_dns6 *d, EFI_HANDLE nic, const EFI_IPv6_ADDRESS *servers, UINTN n, const char *host)
{
	*d = (net_dns6){ .nic = nic };
	size_t i = 0;
	for (; host[i] && i < PF_HOST_MAX; i++)
		d->name[i] = (CHAR16)(unsigned char)host[i];
	d->name[i] = 0;
	EFI_STATUS err = net_child_create(nic, &dns6_sb_guid, &dns6_guid, &d->child, (void **)&d->dns);
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot create a DNS6 child");
	/* Our servers (DHCPv6's): with none, the driver would run a DHCPv6 exchange of its own to find one. */
	PF_DNS6_CONFIG_DATA cfg = {
		.EnableDnsCache = FALSE,
		.Protocol = DNS_UDP,
		.DnsServerCount = (UINT32)n,
		.DnsServerList = (EFI_IPv6_ADDRESS *)servers,
		.RetryCount = 2,
		.RetryInterval = 2,
	};
	err = d->dns->Configure(d->dns, &cfg);
	if (EFI_ERROR(err)) {
		net_dns6_stop(d);
		return log_error_status(err, "cannot configure DNS6");
	}
	err = net_event(&d->done, &d->token.Event);
	if (EFI_ERROR(err)) {
		net_dns6_stop(d);
		return log_error_status(err, "cannot create an event");
	}
	err = d->dns->HostNameToIp(d->dns, d->name, &d->token);
	if (EFI_ERROR(err)) {
		net_dns6_stop(d);
		return err; /* EFI_NO_MAPPING: no source address yet; the caller reports it */
	}
	d->pending = true;
	return EFI_SUCCESS;
}

bool net_dns6_done(net_dns6 *d)
{
	if (d->pending && !d->done && d->dns)
		d->dns->Poll(d->dns);
	return d->done;
}

EFI_STATUS net_dns6_result(net_dns6 *d, EFI_IPv6_ADDRESS *ret_addr)
{
	if (!d->done)
		return EFI_NOT_READY;
	d->pending = false;
	if (EFI_ERROR(d->token.Status))
		return d->token.Status;
	PF_DNS6_HOST_TO_ADDR_DATA *a = d->token.RspData.H2AData;
	if (!a || a->IpCount == 0 || !a->IpList)
		return EFI_NOT_FOUND;
	*ret_addr = a->IpList[0];
	return EFI_SUCCESS;
}

void net_dns6_stop(net_dns6 *d)
{
	if (d->dns) {
		if (d->pending && !d->done)
			d->dns->Cancel(d->dns, &d->token);
		d->pending = false;
		/* The driver allocates the answer; the caller frees it. */
		PF_DNS6_HOST_TO_ADDR_DATA *a = d->token.RspData.H2AData;
		if (a) {
			if (a->IpList)
				BS->FreePool(a->IpList);
			BS->FreePool(a);
			d->token.RspData.H2AData = NULL;
		}
		d->dns->Configure(d->dns, NULL);
		d->dns = NULL;
	}
	net_child_destroy(d->nic, &dns6_sb_guid, &d->child);
	net_event_close(&d->token.Event);
}
