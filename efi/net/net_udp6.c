/* One UDP6 request/answer exchange as a pollable object (NTP over IPv6): configure, send, receive, stop. */
#include "net6.h"
#include "log.h"

static EFI_GUID udp6_sb_guid = EFI_UDP6_SERVICE_BINDING_PROTOCOL;
static EFI_GUID udp6_guid = EFI_UDP6_PROTOCOL;

EFI_STATUS net_udp6_open(net_udp6 *u, EFI_HANDLE nic)
{
	*u = (net_udp6){ .nic = nic };
	EFI_STATUS err = net_child_create(nic, &udp6_sb_guid, &udp6_guid, &u->child, (void **)&u->udp);
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot create a UDP6 child");
	if (EFI_ERROR((err = net_event(&u->tx_done, &u->tx.Event))) || EFI_ERROR((err = net_event(&u->rx_done, &u->rx.Event)))) {
		net_udp6_stop(u);
		return log_error_status(err, "cannot create an event");
	}
	return EFI_SUCCESS;
}

EFI_STATUS net_udp6_configure(net_udp6 *u, const EFI_IPv6_ADDRESS *src, const EFI_IPv6_ADDRESS *addr, UINT16 port)
{
	/* As for TCP6 (net_ip6_source): a named global source, else edk2 may send from the link-local address. */
	EFI_UDP6_CONFIG_DATA cfg = {
		.HopLimit = 64,
		.RemoteAddress = *addr,
		.RemotePort = port,
	};
	if (src)
		cfg.StationAddress = *src;
	EFI_STATUS err = u->udp->Configure(u->udp, &cfg);
	if (!EFI_ERROR(err))
		u->configured = true;
	return err;
}

EFI_STATUS net_udp6_send(net_udp6 *u, void *buf, UINT32 len)
{
	u->txd = (EFI_UDP6_TRANSMIT_DATA){ .DataLength = len, .FragmentCount = 1 };
	u->txd.FragmentTable[0] = (EFI_UDP6_FRAGMENT_DATA){ len, buf };
	u->tx.Packet.TxData = &u->txd;
	u->tx_done = FALSE;
	EFI_STATUS err = u->udp->Transmit(u->udp, &u->tx);
	if (!EFI_ERROR(err))
		u->tx_pending = true;
	return err;
}

EFI_STATUS net_udp6_recv(net_udp6 *u)
{
	u->rx.Packet.RxData = NULL;
	u->rx_done = FALSE;
	EFI_STATUS err = u->udp->Receive(u->udp, &u->rx);
	if (!EFI_ERROR(err))
		u->rx_pending = true;
	return err;
}

EFI_STATUS net_udp6_take(net_udp6 *u, void *buf, UINT32 cap, UINT32 *ret_len)
{
	u->rx_pending = false;
	if (EFI_ERROR(u->rx.Status))
		return u->rx.Status;
	EFI_UDP6_RECEIVE_DATA *rx = u->rx.Packet.RxData;
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

void net_udp6_poll(net_udp6 *u)
{
	if (u->udp && u->configured)
		u->udp->Poll(u->udp);
}

void net_udp6_stop(net_udp6 *u)
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
	net_child_destroy(u->nic, &udp6_sb_guid, &u->child);
	net_event_close(&u->tx.Event);
	net_event_close(&u->rx.Event);
}
