/* The 802.1X probe: EAPOL-Start out through an MNP child of the chosen adapter, an authenticator's answer in, on its own timer. */
#include "net.h"
#include "clock.h"
#include "fmt.h"
#include "log.h"
#include "usage.h"

/*
 * Why MNP and not the adapter's SNP: the IP stack's MNP driver owns the SNP (it opened it BY_DRIVER and
 * polls it), so our own SNP Receive() would steal IP frames from it and ReceiveFilters() would change
 * filters under it. An MNP child is the stack's own way to share the NIC: it is configured for EtherType
 * 0x888E only, unicast plus the PAE group address (Groups() adds it to the SNP filter through MNP, which
 * merges every child's groups), and MNP's background polling hands it only those frames.
 *
 * The probe runs on a periodic timer event at TPL_CALLBACK, so it needs no polling from DHCP's or the
 * checks' loops: net_phase starts it before DHCP and finishes it after the checks. It listens as long as
 * they run, up to its bound; when they end sooner it waits only until LISTEN_FLOOR_MS after the first
 * EAPOL-Start. An authenticator answers an EAPOL-Start within milliseconds (802.1X's authenticator goes
 * straight to sending EAP-Request/Identity), so waiting out the whole bound on a healthy network would
 * only lengthen the phase.
 */

static EFI_GUID mnp_sb_guid = PF_MNP_SERVICE_BINDING_GUID;
static EFI_GUID mnp_guid = PF_MNP_PROTOCOL_GUID;

#define TICK_100NS (10 * 10000)  /* the timer: every 10 ms */
#define RESEND_FIRST_MS 250      /* authenticators answer an EAPOL-Start at once; resend soon in case it was lost, */
#define RESEND_MS 1000           /* then every second while the phase still runs */
#define LISTEN_FLOOR_MS 500      /* the least the probe listens (two EAPOL-Starts), within its bound */
#define FINISH_STALL_US 2000

struct net_dot1x {
	EFI_HANDLE nic, child;
	PF_MNP_PROTOCOL *mnp;
	EFI_EVENT timer, tx_ev, rx_ev;
	PF_MNP_COMPLETION_TOKEN tx, rx;
	PF_MNP_TRANSMIT_DATA txd;
	volatile BOOLEAN tx_done, rx_done;
	bool configured, joined, tx_pending, rx_pending;
	uint8_t mac[6];
	uint8_t start[PF_EAPOL_START_FRAME];
	uint64_t t0, deadline, next_start;
	volatile bool done;          /* an authenticator answered, or the bound passed */
	pf_net_dot1x res;            /* written by the timer until done, read after it is closed */
};

static void mac_str(const uint8_t m[6], char out[18])
{
	pf_snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* A received frame (header and data copied into one buffer, so its lengths are ours); the receive
 * buffer goes back to MNP in any case. */
static void take_rx(net_dot1x *p, uint64_t now)
{
	p->rx_pending = false;
	p->rx_done = FALSE;
	PF_MNP_RECEIVE_DATA *rx = p->rx.Packet.RxData;
	if (EFI_ERROR(p->rx.Status) || !rx)
		return;
	uint8_t buf[256];
	size_t hl = PF_MIN((size_t)rx->HeaderLength, sizeof(buf));
	size_t dl = PF_MIN((size_t)rx->DataLength, sizeof(buf) - hl);
	if (rx->MediaHeader && hl)
		memcpy(buf, rx->MediaHeader, hl);
	if (rx->PacketData && dl)
		memcpy(buf + hl, rx->PacketData, dl);
	if (rx->RecycleEvent)
		BS->SignalEvent(rx->RecycleEvent);
	p->rx.Packet.RxData = NULL;
	pf_eapol_frame e;
	if (pf_eapol_parse(buf, hl + dl, &e) != PF_OK || memcmp(e.src, p->mac, 6) == 0)
		return; /* not EAPOL after all, malformed, or our own Start looped back */
	if (e.meaning <= p->res.frame)
		return; /* keep the most telling frame */
	p->res.frame = e.meaning;
	p->res.eap_method = e.meaning == PF_DOT1X_EAP_REQUEST_METHOD ? e.eap_type : 0;
	mac_str(e.src, p->res.authenticator);
	p->res.ms = (uint32_t)(now - p->t0);
	/* A request or a key frame is the answer; Success/Failure alone may still be followed by a request. */
	if (e.meaning == PF_DOT1X_EAP_REQUEST_IDENTITY || e.meaning == PF_DOT1X_EAP_REQUEST_METHOD ||
	    e.meaning == PF_DOT1X_EAPOL_KEY)
		p->done = true;
}

static void post_rx(net_dot1x *p)
{
	p->rx = (PF_MNP_COMPLETION_TOKEN){ .Event = p->rx_ev };
	p->rx_done = FALSE;
	p->rx_pending = !EFI_ERROR(p->mnp->Receive(p->mnp, &p->rx));
}

static EFI_STATUS send_start(net_dot1x *p, uint64_t now)
{
	/* The frame carries its own header (DestinationAddress NULL): the bytes common/eapol.c built go out as they are. */
	p->txd = (PF_MNP_TRANSMIT_DATA){ .DataLength = sizeof(p->start) - PF_ETH_HEADER, .HeaderLength = PF_ETH_HEADER,
					 .FragmentCount = 1 };
	p->txd.FragmentTable[0] = (PF_MNP_FRAGMENT_DATA){ sizeof(p->start), p->start };
	p->tx = (PF_MNP_COMPLETION_TOKEN){ .Event = p->tx_ev, .Packet.TxData = &p->txd };
	p->tx_done = FALSE;
	EFI_STATUS err = p->mnp->Transmit(p->mnp, &p->tx);
	p->next_start = now + (p->res.starts ? RESEND_MS : RESEND_FIRST_MS);
	if (EFI_ERROR(err))
		return err;
	p->tx_pending = true;
	p->res.starts++;
	return EFI_SUCCESS;
}

/* The timer's work, at TPL_CALLBACK: take what arrived, resend, end at the bound. */
static VOID EFIAPI tick(EFI_EVENT ev, VOID *ctx)
{
	(void)ev;
	net_dot1x *p = ctx;
	if (p->done)
		return;
	uint64_t now = clock_ms();
	if (p->tx_pending && p->tx_done)
		p->tx_pending = false;
	if (p->rx_pending && p->rx_done) {
		take_rx(p, now);
		if (!p->done)
			post_rx(p);
	} else if (!p->rx_pending) {
		post_rx(p);
	}
	if (p->done)
		return;
	if (now >= p->deadline) {
		p->done = true;
		if (p->res.frame == PF_DOT1X_NOTHING || p->res.frame == PF_DOT1X_OTHER)
			p->res.ms = (uint32_t)(now - p->t0);
		return;
	}
	if (!p->tx_pending && now >= p->next_start)
		send_start(p, now);
}

/* Everything the probe holds, in reverse order; safe on a half-made probe. */
static void release(net_dot1x *p)
{
	if (p->timer) {
		BS->SetTimer(p->timer, TimerCancel, 0);
		BS->CloseEvent(p->timer);
		usage.events--;
		p->timer = NULL;
	}
	if (p->mnp && p->configured) {
		/* Cancel completes the pending tokens (EFI_ABORTED); a received buffer is recycled first. */
		if (p->rx_pending && p->rx_done && p->rx.Packet.RxData && p->rx.Packet.RxData->RecycleEvent)
			BS->SignalEvent(p->rx.Packet.RxData->RecycleEvent);
		p->mnp->Cancel(p->mnp, NULL);
		if (p->joined)
			p->mnp->Groups(p->mnp, FALSE, NULL);
		p->mnp->Configure(p->mnp, NULL);
		p->configured = p->joined = p->rx_pending = p->tx_pending = false;
	}
	net_event_close(&p->tx_ev);
	net_event_close(&p->rx_ev);
	net_child_destroy(p->nic, &mnp_sb_guid, &p->child);
	p->mnp = NULL;
}

EFI_STATUS net_dot1x_start(EFI_HANDLE nic, uint32_t timeout_ms, pf_net_dot1x *out, net_dot1x **ret_probe)
{
	*out = (pf_net_dot1x){ .timeout_ms = timeout_ms };
	net_dot1x *p = pf_malloc(sizeof(*p));
	if (!p) {
		pf_snprintf(out->error, sizeof(out->error), "out of memory");
		return log_error_status(EFI_OUT_OF_RESOURCES, "802.1X probe");
	}
	*p = (net_dot1x){ .nic = nic, .res = { .timeout_ms = timeout_ms } };
	const char *step = "no managed network service on the adapter";
	EFI_STATUS err = net_child_create(nic, &mnp_sb_guid, &mnp_guid, &p->child, (void **)&p->mnp);
	if (EFI_ERROR(err))
		goto err_release;
	EFI_MANAGED_NETWORK_CONFIG_DATA cfg = {
		.ProtocolTypeFilter = PF_EAPOL_ETHERTYPE,
		.EnableUnicastReceive = TRUE,    /* hostapd and many switches answer to the supplicant's own MAC */
		.EnableMulticastReceive = TRUE,  /* others to the PAE group address */
	};
	step = "cannot configure a managed network child for EAPOL";
	err = p->mnp->Configure(p->mnp, &cfg);
	if (EFI_ERROR(err))
		goto err_release;
	p->configured = true;
	EFI_SIMPLE_NETWORK_MODE mode;
	step = "cannot read the adapter's MAC address";
	err = p->mnp->GetModeData(p->mnp, NULL, &mode);
	if (EFI_ERROR(err))
		goto err_release;
	memcpy(p->mac, mode.CurrentAddress.Addr, 6);
	EFI_MAC_ADDRESS group = { 0 };
	memcpy(group.Addr, pf_eapol_pae_group, 6);
	step = "cannot receive the PAE group address";
	err = p->mnp->Groups(p->mnp, TRUE, &group);
	if (EFI_ERROR(err))
		goto err_release;
	p->joined = true;
	step = "cannot make the probe's events";
	err = net_event(&p->tx_done, &p->tx_ev);
	if (!EFI_ERROR(err))
		err = net_event(&p->rx_done, &p->rx_ev);
	if (EFI_ERROR(err))
		goto err_release;
	pf_eapol_start(p->mac, p->start);
	post_rx(p);
	p->t0 = clock_ms();
	p->deadline = p->t0 + timeout_ms;
	step = "cannot send an EAPOL-Start";
	err = send_start(p, p->t0);
	if (EFI_ERROR(err))
		goto err_release;
	p->res.probed = true;
	step = "cannot make the probe's timer";
	err = BS->CreateEvent(EVT_TIMER | EVT_NOTIFY_SIGNAL, TPL_CALLBACK, tick, p, &p->timer);
	if (EFI_ERROR(err))
		goto err_release;
	usage.events++;
	err = BS->SetTimer(p->timer, TimerPeriodic, TICK_100NS);
	if (EFI_ERROR(err))
		goto err_release;
	*ret_probe = p;
	return EFI_SUCCESS;

err_release:
	log_error_status(err, "802.1X probe: %s", step);
	pf_snprintf(out->error, sizeof(out->error), "%s: %s", step, efi_status_str(err));
	release(p);
	pf_free(p);
	return err;
}

uint32_t net_dot1x_wait_ms(const net_dot1x *p)
{
	uint64_t until = PF_MIN(p->deadline, p->t0 + LISTEN_FLOOR_MS), now = clock_ms();
	return p->done || now >= until ? 0 : (uint32_t)(until - now);
}

void net_dot1x_finish(net_dot1x *p, pf_net_dot1x *out)
{
	/* What is left of the listening floor (nothing once it passed or an answer came): the timer keeps
	 * resending and taking frames meanwhile. */
	uint64_t until = clock_ms() + net_dot1x_wait_ms(p);
	while (!p->done && clock_ms() < until)
		BS->Stall(FINISH_STALL_US);
	release(p);
	*out = p->res;
	if (!p->done && !pf_dot1x_frame_asks(out->frame))
		out->ms = (uint32_t)(clock_ms() - p->t0); /* nothing came: how long it listened */
	pf_free(p);
}
