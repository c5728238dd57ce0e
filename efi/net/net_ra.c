/* Router advertisements read beside the IP6 driver (an MNP child for IPv6 frames), for their RDNSS DNS servers. */
#include "net6.h"
#include "fmt.h"
#include "log.h"
#include "ra.h"

/*
 * Why: edk2's IP6 driver acts on router advertisements (prefixes, routes) but skips their RDNSS option (RFC 8106),
 * and IP6Config's DnsServer only ever holds what DHCPv6 gave. On a network that announces its DNS servers by RDNSS
 * alone (no DHCPv6, as Windows and Android are happy with) the IPv6 checks would have no server. So, as the
 * 802.1X probe does for EAPOL, an MNP child for EtherType 0x86DD, joined to the all-nodes group
 * (33:33:00:00:00:01, where advertisements go), gets a copy of every IPv6 frame while IPv6 is being looked at;
 * common/ra.c keeps what is a valid advertisement. MNP hands the same frames to the IP6 driver unchanged.
 */

static EFI_GUID mnp_sb_guid = PF_MNP_SERVICE_BINDING_GUID;
static EFI_GUID mnp_guid = PF_MNP_PROTOCOL_GUID;

#define FRAME_MAX 1514

struct net_ra {
	EFI_HANDLE nic, child;
	PF_MNP_PROTOCOL *mnp;
	EFI_EVENT rx_ev;
	PF_MNP_COMPLETION_TOKEN rx;
	volatile BOOLEAN rx_done;
	bool configured, joined, rx_pending;
	pf_ra_dns dns;                    /* the last advertisement's RDNSS servers */
	bool seen;                        /* an advertisement with RDNSS servers came */
};

static void post_rx(net_ra *r)
{
	r->rx = (PF_MNP_COMPLETION_TOKEN){ .Event = r->rx_ev };
	r->rx_done = FALSE;
	r->rx_pending = !EFI_ERROR(r->mnp->Receive(r->mnp, &r->rx));
}

/* Everything it holds, in reverse order; safe on a half-made listener. */
static void release(net_ra *r)
{
	if (r->mnp && r->configured) {
		if (r->rx_pending && r->rx_done && r->rx.Packet.RxData && r->rx.Packet.RxData->RecycleEvent)
			BS->SignalEvent(r->rx.Packet.RxData->RecycleEvent);
		r->mnp->Cancel(r->mnp, NULL);
		if (r->joined)
			r->mnp->Groups(r->mnp, FALSE, NULL);
		r->mnp->Configure(r->mnp, NULL);
		r->configured = r->joined = r->rx_pending = false;
	}
	net_event_close(&r->rx_ev);
	net_child_destroy(r->nic, &mnp_sb_guid, &r->child);
	r->mnp = NULL;
}

EFI_STATUS net_ra_start(EFI_HANDLE nic, net_ra **ret_ra)
{
	net_ra *r = pf_malloc(sizeof(*r));
	if (!r)
		return log_error_status(EFI_OUT_OF_RESOURCES, "RA listener");
	*r = (net_ra){ .nic = nic };
	const char *step = "no managed network service on the adapter";
	EFI_STATUS err = net_child_create(nic, &mnp_sb_guid, &mnp_guid, &r->child, (void **)&r->mnp);
	if (EFI_ERROR(err))
		goto err_release;
	EFI_MANAGED_NETWORK_CONFIG_DATA cfg = {
		.ProtocolTypeFilter = 0x86dd,
		.EnableUnicastReceive = TRUE,    /* an answer to a solicitation may come to our own MAC */
		.EnableMulticastReceive = TRUE,  /* and periodic ones to all nodes */
	};
	step = "cannot configure a managed network child for IPv6 frames";
	err = r->mnp->Configure(r->mnp, &cfg);
	if (EFI_ERROR(err))
		goto err_release;
	r->configured = true;
	EFI_MAC_ADDRESS all_nodes = { .Addr = { 0x33, 0x33, 0, 0, 0, 1 } };
	step = "cannot receive the all-nodes group";
	err = r->mnp->Groups(r->mnp, TRUE, &all_nodes);
	if (EFI_ERROR(err))
		goto err_release;
	r->joined = true;
	step = "cannot make the listener's event";
	err = net_event(&r->rx_done, &r->rx_ev);
	if (EFI_ERROR(err))
		goto err_release;
	post_rx(r);
	*ret_ra = r;
	return EFI_SUCCESS;

err_release:
	log_error_status(err, "RA listener: %s", step);
	release(r);
	pf_free(r);
	return err;
}

size_t net_ra_poll(net_ra *r, EFI_IPv6_ADDRESS *ret_dns, size_t max)
{
	if (!r)
		return 0;
	/* Every frame that came since the last look: copied (its lengths are ours), given back, judged. */
	for (int guard = 0; guard < 64 && r->rx_pending && r->rx_done; guard++) {
		r->rx_pending = false;
		PF_MNP_RECEIVE_DATA *rx = r->rx.Packet.RxData;
		if (!EFI_ERROR(r->rx.Status) && rx) {
			uint8_t buf[FRAME_MAX];
			size_t n = PF_MIN((size_t)rx->DataLength, sizeof(buf));
			if (rx->PacketData && n)
				memcpy(buf, rx->PacketData, n);
			if (rx->RecycleEvent)
				BS->SignalEvent(rx->RecycleEvent);
			pf_ra_dns d;
			if (rx->PacketData && pf_ra_parse_dns(buf, n, &d) == PF_OK && d.n_dns) {
				r->dns = d;
				r->seen = true;
			}
		}
		r->rx.Packet.RxData = NULL;
		post_rx(r);
	}
	if (!r->rx_pending && !r->rx_done)
		post_rx(r);
	size_t k = r->seen ? PF_MIN(r->dns.n_dns, max) : 0;
	for (size_t i = 0; i < k; i++)
		memcpy(ret_dns[i].Addr, r->dns.dns[i], 16);
	return k;
}

void net_ra_stop(net_ra *r)
{
	if (!r)
		return;
	release(r);
	pf_free(r);
}
