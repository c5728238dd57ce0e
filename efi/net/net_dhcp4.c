/* DHCP through our own EFI_DHCP4 child that takes the first valid offer (IP4Config2 waits for more). */
#include "net.h"
#include "clock.h"
#include "log.h"

/*
 * Why not IP4Config2's DHCP: edk2's Dhcp4Dxe, driven without a callback (as IP4Config2 drives it),
 * collects offers until the first DISCOVER's retransmission time is over, so an answer that came
 * back in milliseconds is taken only after about 3.5 s. A callback that answers EFI_SUCCESS to
 * Dhcp4RcvdOffer makes it request that offer at once (UEFI 2.x, EFI_DHCP4_CALLBACK).
 */

static EFI_GUID dhcp4_sb_guid = PF_DHCP4_SERVICE_BINDING_GUID;
static EFI_GUID dhcp4_guid = PF_DHCP4_PROTOCOL_GUID;

#define DHCP_OPT_SUBNET 1
#define DHCP_OPT_ROUTER 3
#define DHCP_OPT_DNS 6
#define DHCP_OPT_PARAMS 55
#define DHCP4_POLL_US 2000

static EFI_STATUS EFIAPI take_first_offer(PF_DHCP4_PROTOCOL *This, VOID *Context, PF_DHCP4_STATE State,
					  PF_DHCP4_EVENT Event, PF_DHCP4_PACKET *Packet, PF_DHCP4_PACKET **NewPacket)
{
	(void)This, (void)Context, (void)State, (void)Event, (void)Packet, (void)NewPacket;
	/* EFI_SUCCESS to Dhcp4RcvdOffer: stop collecting, request this offer; to every other event: go on. */
	return EFI_SUCCESS;
}

/* The DNS servers (option 6), domain name (15) and WPAD URL (252) of the server's reply, as the firmware's
 * own option parser sees them. */
static void reply_options(PF_DHCP4_PROTOCOL *d, PF_DHCP4_PACKET *reply, net_lease *l)
{
	UINT32 n = 0;
	if (!reply || d->Parse(d, reply, &n, NULL) != EFI_BUFFER_TOO_SMALL || n == 0 || n > 255)
		return;
	PF_DHCP4_PACKET_OPTION **opts = pf_malloc(n * sizeof(*opts));
	if (!opts)
		return;
	if (!EFI_ERROR(d->Parse(d, reply, &n, opts)))
		for (UINT32 i = 0; i < n; i++) {
			if (!opts[i])
				continue;
			if (opts[i]->OpCode == DHCP_OPT_DNS)
				for (UINT32 k = 0; k + 4 <= opts[i]->Length && l->n_dns < NET_MAX_DNS; k += 4)
					memcpy(&l->dns[l->n_dns++], opts[i]->Data + k, 4);
			else if (opts[i]->OpCode == PF_DHCP_OPT_DOMAIN)
				pf_dhcp_option_text(opts[i]->Data, opts[i]->Length, l->domain, sizeof(l->domain));
			else if (opts[i]->OpCode == PF_DHCP_OPT_WPAD)
				pf_dhcp_option_text(opts[i]->Data, opts[i]->Length, l->wpad, sizeof(l->wpad));
		}
	pf_free(opts);
}

EFI_STATUS net_dhcp4_lease(EFI_HANDLE nic, uint64_t deadline_ms, net_lease *ret)
{
	EFI_HANDLE child = NULL;
	PF_DHCP4_PROTOCOL *d = NULL;
	EFI_EVENT done_ev = NULL;
	volatile BOOLEAN done = FALSE;
	net_lease l = { 0 };

	EFI_STATUS err = net_child_create(nic, &dhcp4_sb_guid, &dhcp4_guid, &child, (void **)&d);
	if (EFI_ERROR(err))
		return log_error_status(err, "no DHCP4 service on the adapter");

	/* Ask for mask, router and DNS, as IP4Config2 does, and for the domain name and the WPAD URL, as
	 * Windows' DHCP client does (WinHTTP's auto-detection reads option 252 from the lease); retransmit
	 * after 1, 1, 2, 2, 4 ... s (the caller's deadline ends it sooner). */
	struct {
		UINT8 op, len, data[5];
	} params = { DHCP_OPT_PARAMS, 5,
		     { DHCP_OPT_SUBNET, DHCP_OPT_ROUTER, DHCP_OPT_DNS, PF_DHCP_OPT_DOMAIN, PF_DHCP_OPT_WPAD } };
	PF_DHCP4_PACKET_OPTION *opt_list[] = { (PF_DHCP4_PACKET_OPTION *)&params };
	UINT32 discover_s[] = { 1, 1, 2, 2, 4, 4, 8, 8 }, request_s[] = { 1, 2, 4, 8 };
	PF_DHCP4_CONFIG_DATA cfg = {
		.DiscoverTryCount = PF_ARRAY_SIZE(discover_s), .DiscoverTimeout = discover_s,
		.RequestTryCount = PF_ARRAY_SIZE(request_s), .RequestTimeout = request_s,
		.Dhcp4Callback = take_first_offer, .OptionCount = 1, .OptionList = opt_list,
	};
	err = d->Configure(d, &cfg);
	if (EFI_ERROR(err)) {
		log_error_status(err, "cannot configure a DHCP4 child");
		goto err_child;
	}
	err = net_event(&done, &done_ev);
	if (EFI_ERROR(err)) {
		log_error_status(err, "DHCP4 completion event");
		goto err_configured;
	}
	err = d->Start(d, done_ev);
	if (EFI_ERROR(err) && err != EFI_ALREADY_STARTED) {
		log_error_status(err, "cannot start DHCP4");
		goto err_event;
	}
	while (!done && clock_ms() < deadline_ms)
		BS->Stall(DHCP4_POLL_US);
	PF_DHCP4_MODE_DATA mode;
	err = done ? d->GetModeData(d, &mode) : EFI_TIMEOUT;
	if (!EFI_ERROR(err) && (mode.State != PfDhcp4Bound || net_ip_zero(&mode.ClientAddress)))
		err = EFI_NOT_READY;
	if (EFI_ERROR(err))
		goto err_started; /* a timeout is the caller's to report: it falls back */
	l.address = mode.ClientAddress;
	l.mask = mode.SubnetMask;
	l.router = mode.RouterAddress;
	reply_options(d, mode.ReplyPacket, &l);
	*ret = l;
	err = EFI_SUCCESS;
	/* The lease is not released: the address stays the device's while IP4Config2 carries it. */
err_started:
	d->Stop(d);
err_event:
	net_event_close(&done_ev);
err_configured:
	d->Configure(d, NULL);
err_child:
	net_child_destroy(nic, &dhcp4_sb_guid, &child);
	return err;
}
