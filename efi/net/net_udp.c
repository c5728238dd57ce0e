/* One UDP4 request/answer exchange as a pollable object (NTP): configure, send, receive, stop. */
#include "net.h"
#include "log.h"

static EFI_GUID udp_sb_guid = EFI_UDP4_SERVICE_BINDING_PROTOCOL;
static EFI_GUID udp_guid = EFI_UDP4_PROTOCOL;

EFI_STATUS net_udp_open(net_udp *u, EFI_HANDLE nic)
{
	*u = (net_udp){ .nic = nic };
	EFI_STATUS err = net_child_create(nic, &udp_sb_guid, &udp_guid, &u->child, (void **)&u->udp);
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot create a UDP4 child");
	if (EFI_ERROR((err = net_event(&u->tx_done, &u->tx.Event))) || EFI_ERROR((err = net_event(&u->rx_done, &u->rx.Event)))) {
		net_udp_stop(u);
		return log_error_status(err, "cannot create an event");
	}
	return EFI_SUCCESS;
}

EFI_STATUS net_udp_configure(net_udp *u, const EFI_IPv4_ADDRESS *addr, UINT16 port)
{
	EFI_UDP4_CONFIG_DATA cfg = {
		.TimeToLive = 64,
		.UseDefaultAddress = TRUE,
		.RemoteAddress = *addr,
		.RemotePort = port,
	};
	EFI_STATUS err = u->udp->Configure(u->udp, &cfg);
	if (!EFI_ERROR(err))
		u->configured = true;
	return err;
}

EFI_STATUS net_udp_configure_listen(net_udp *u, UINT16 port)
{
	EFI_UDP4_CONFIG_DATA cfg = {
		.AcceptBroadcast = TRUE,
		.AllowDuplicatePort = TRUE,
		.TimeToLive = 64,
		.UseDefaultAddress = TRUE,
		.StationPort = port,
	};
	EFI_STATUS err = u->udp->Configure(u->udp, &cfg);
	if (!EFI_ERROR(err))
		u->configured = true;
	return err;
}

/* One datagram out: to the configured remote (session NULL) or to session's destination. */
static EFI_STATUS transmit(net_udp *u, EFI_UDP4_SESSION_DATA *session, void *buf, UINT32 len)
{
	u->txd = (EFI_UDP4_TRANSMIT_DATA){ .UdpSessionData = session, .DataLength = len, .FragmentCount = 1 };
	u->txd.FragmentTable[0] = (EFI_UDP4_FRAGMENT_DATA){ len, buf };
	u->tx.Packet.TxData = &u->txd;
	u->tx_done = FALSE;
	EFI_STATUS err = u->udp->Transmit(u->udp, &u->tx);
	if (!EFI_ERROR(err))
		u->tx_pending = true;
	return err;
}

EFI_STATUS net_udp_send_to(net_udp *u, const EFI_IPv4_ADDRESS *addr, UINT16 port, void *buf, UINT32 len)
{
	u->to = (EFI_UDP4_SESSION_DATA){ .DestinationAddress = *addr, .DestinationPort = port };
	return transmit(u, &u->to, buf, len);
}

EFI_STATUS net_udp_send(net_udp *u, void *buf, UINT32 len)
{
	return transmit(u, NULL, buf, len);
}

EFI_STATUS net_udp_recv(net_udp *u)
{
	u->rx.Packet.RxData = NULL;
	u->rx_done = FALSE;
	EFI_STATUS err = u->udp->Receive(u->udp, &u->rx);
	if (!EFI_ERROR(err))
		u->rx_pending = true;
	return err;
}

EFI_STATUS net_udp_take(net_udp *u, void *buf, UINT32 cap, UINT32 *ret_len)
{
	u->rx_pending = false;
	if (EFI_ERROR(u->rx.Status))
		return u->rx.Status;
	EFI_UDP4_RECEIVE_DATA *rx = u->rx.Packet.RxData;
	if (!rx)
		return EFI_NOT_READY;
	UINT32 n = 0;
	for (UINT32 i = 0; i < rx->FragmentCount && n < cap; i++) {
		UINT32 k = rx->FragmentTable[i].FragmentLength;
		if (k > cap - n)
			k = cap - n;
		memcpy((UINT8 *)buf + n, rx->FragmentTable[i].FragmentBuffer, k);
		n += k;
	}
	/* The driver owns the datagram's buffer until this signal gives it back. */
	BS->SignalEvent(rx->RecycleSignal);
	u->rx.Packet.RxData = NULL;
	*ret_len = n;
	return EFI_SUCCESS;
}

void net_udp_poll(net_udp *u)
{
	if (u->udp && u->configured)
		u->udp->Poll(u->udp);
}

void net_udp_stop(net_udp *u)
{
	if (u->udp && u->rx_done && u->rx.Packet.RxData && u->rx.Packet.RxData->RecycleSignal) {
		BS->SignalEvent(u->rx.Packet.RxData->RecycleSignal);
		u->rx.Packet.RxData = NULL;
	}
	if (u->udp && u->configured) {
		u->udp->Cancel(u->udp, NULL);
		u->udp->Configure(u->udp, NULL);
	}
	u->configured = u->tx_pending = u->rx_pending = false;
	u->udp = NULL;
	net_child_destroy(u->nic, &udp_sb_guid, &u->child);
	net_event_close(&u->tx.Event);
	net_event_close(&u->rx.Event);
}
