/* One TCP4 (or TCP6) connection as a pollable object: configure, connect, send, receive, abort. */
#include <stddef.h>
#include "net.h"
#include "log.h"

static EFI_GUID tcp_sb_guid = EFI_TCP4_SERVICE_BINDING_PROTOCOL;
static EFI_GUID tcp_guid = EFI_TCP4_PROTOCOL;
static EFI_GUID tcp6_sb_guid = EFI_TCP6_SERVICE_BINDING_PROTOCOL;
static EFI_GUID tcp6_guid = EFI_TCP6_PROTOCOL;

/* The UEFI specification gives TCP4 and TCP6 the same token and data structures (only the names differ), so
 * one set of tokens serves both; checked here. */
_Static_assert(sizeof(EFI_TCP4_IO_TOKEN) == sizeof(EFI_TCP6_IO_TOKEN), "IO token layout");
_Static_assert(sizeof(EFI_TCP4_CONNECTION_TOKEN) == sizeof(EFI_TCP6_CONNECTION_TOKEN), "connection token layout");
_Static_assert(sizeof(EFI_TCP4_TRANSMIT_DATA) == sizeof(EFI_TCP6_TRANSMIT_DATA) &&
		       offsetof(EFI_TCP4_TRANSMIT_DATA, FragmentTable) == offsetof(EFI_TCP6_TRANSMIT_DATA, FragmentTable),
	       "transmit data layout");
_Static_assert(sizeof(EFI_TCP4_RECEIVE_DATA) == sizeof(EFI_TCP6_RECEIVE_DATA) &&
		       offsetof(EFI_TCP4_RECEIVE_DATA, DataLength) == offsetof(EFI_TCP6_RECEIVE_DATA, DataLength),
	       "receive data layout");

static EFI_STATUS open_events(net_tcp *t)
{
	EFI_STATUS err;
	if (EFI_ERROR((err = net_event(&t->conn_done, &t->conn.CompletionToken.Event))) ||
	    EFI_ERROR((err = net_event(&t->tx_done, &t->tx.CompletionToken.Event))) ||
	    EFI_ERROR((err = net_event(&t->rx_done, &t->rx.CompletionToken.Event)))) {
		net_tcp_stop(t);
		return log_error_status(err, "cannot create an event");
	}
	return EFI_SUCCESS;
}

EFI_STATUS net_tcp_open6(net_tcp *t, EFI_HANDLE nic)
{
	*t = (net_tcp){ .nic = nic };
	EFI_STATUS err = net_child_create(nic, &tcp6_sb_guid, &tcp6_guid, &t->child, (void **)&t->tcp6);
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot create a TCP6 child");
	return open_events(t);
}

EFI_STATUS net_tcp_configure6(net_tcp *t, const EFI_IPv6_ADDRESS *src, const EFI_IPv6_ADDRESS *addr, UINT16 port)
{
	/* A zero station address lets the IP6 driver pick the source, which in edk2 is the link-local address even
	 * for an off-link destination (net6.h, net_ip6_source): the caller names a global one. */
	EFI_TCP6_CONFIG_DATA cfg = {
		.HopLimit = 64,
		.AccessPoint = { .RemoteAddress = *addr, .RemotePort = port, .ActiveFlag = TRUE },
	};
	if (src)
		cfg.AccessPoint.StationAddress = *src;
	EFI_STATUS err = t->tcp6->Configure(t->tcp6, &cfg);
	if (!EFI_ERROR(err))
		t->configured = true;
	return err;
}

EFI_STATUS net_tcp_open(net_tcp *t, EFI_HANDLE nic)
{
	*t = (net_tcp){ .nic = nic };
	EFI_STATUS err = net_child_create(nic, &tcp_sb_guid, &tcp_guid, &t->child, (void **)&t->tcp);
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot create a TCP4 child");
	return open_events(t);
}

EFI_STATUS net_tcp_configure(net_tcp *t, const EFI_IPv4_ADDRESS *addr, UINT16 port)
{
	EFI_TCP4_CONFIG_DATA cfg = {
		.TimeToLive = 64,
		.AccessPoint = { .UseDefaultAddress = TRUE, .RemoteAddress = *addr, .RemotePort = port, .ActiveFlag = TRUE },
	};
	EFI_STATUS err = t->tcp->Configure(t->tcp, &cfg);
	if (!EFI_ERROR(err))
		t->configured = true;
	return err;
}

EFI_STATUS net_tcp_connect(net_tcp *t)
{
	t->conn_done = FALSE;
	EFI_STATUS err = t->tcp6 ? t->tcp6->Connect(t->tcp6, (EFI_TCP6_CONNECTION_TOKEN *)&t->conn)
				 : t->tcp->Connect(t->tcp, &t->conn);
	if (!EFI_ERROR(err))
		t->conn_pending = true;
	return err;
}

EFI_STATUS net_tcp_send(net_tcp *t, void *buf, UINT32 len)
{
	t->txd = (EFI_TCP4_TRANSMIT_DATA){ .Push = TRUE, .DataLength = len, .FragmentCount = 1 };
	t->txd.FragmentTable[0] = (EFI_TCP4_FRAGMENT_DATA){ len, buf };
	t->tx.Packet.TxData = &t->txd;
	t->tx_done = FALSE;
	EFI_STATUS err = t->tcp6 ? t->tcp6->Transmit(t->tcp6, (EFI_TCP6_IO_TOKEN *)&t->tx) : t->tcp->Transmit(t->tcp, &t->tx);
	if (!EFI_ERROR(err))
		t->tx_pending = true;
	return err;
}

EFI_STATUS net_tcp_recv(net_tcp *t, void *buf, UINT32 cap)
{
	t->rxd = (EFI_TCP4_RECEIVE_DATA){ .DataLength = cap, .FragmentCount = 1 };
	t->rxd.FragmentTable[0] = (EFI_TCP4_FRAGMENT_DATA){ cap, buf };
	t->rx.Packet.RxData = &t->rxd;
	t->rx_done = FALSE;
	EFI_STATUS err = t->tcp6 ? t->tcp6->Receive(t->tcp6, (EFI_TCP6_IO_TOKEN *)&t->rx) : t->tcp->Receive(t->tcp, &t->rx);
	if (!EFI_ERROR(err))
		t->rx_pending = true;
	return err;
}

void net_tcp_poll(net_tcp *t)
{
	if (t->tcp6 && t->configured)
		t->tcp6->Poll(t->tcp6);
	else if (t->tcp && t->configured)
		t->tcp->Poll(t->tcp);
}

void net_tcp_stop(net_tcp *t)
{
	/* Configure(NULL) aborts the connection and completes every pending token (EFI_ABORTED), so
	 * nothing of ours is referenced by the driver afterwards; a blocked connect ends here too. */
	if (t->tcp6 && t->configured)
		t->tcp6->Configure(t->tcp6, NULL);
	else if (t->tcp && t->configured)
		t->tcp->Configure(t->tcp, NULL);
	t->configured = t->conn_pending = t->tx_pending = t->rx_pending = false;
	net_child_destroy(t->nic, t->tcp6 ? &tcp6_sb_guid : &tcp_sb_guid, &t->child);
	t->tcp = NULL;
	t->tcp6 = NULL;
	net_event_close(&t->conn.CompletionToken.Event);
	net_event_close(&t->tx.CompletionToken.Event);
	net_event_close(&t->rx.CompletionToken.Event);
}
