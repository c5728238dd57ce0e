/* One TCP6 connection attempt as a pollable object: configure and connect, poll, abort. */
#include "net6.h"
#include "log.h"

static EFI_GUID tcp6_sb_guid = EFI_TCP6_SERVICE_BINDING_PROTOCOL;
static EFI_GUID tcp6_guid = EFI_TCP6_PROTOCOL;

EFI_STATUS net_tcp6_open(net_tcp6 *t, EFI_HANDLE nic)
{
	*t = (net_tcp6){ .nic = nic };
	EFI_STATUS err = net_child_create(nic, &tcp6_sb_guid, &tcp6_guid, &t->child, (void **)&t->tcp);
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot create a TCP6 child");
	err = net_event(&t->conn_done, &t->conn.CompletionToken.Event);
	if (EFI_ERROR(err)) {
		net_tcp6_stop(t);
		return log_error_status(err, "cannot create an event");
	}
	return EFI_SUCCESS;
}

EFI_STATUS net_tcp6_connect(net_tcp6 *t, const EFI_IPv6_ADDRESS *addr, UINT16 port)
{
	if (!t->configured) {
		/* A zero station address: the IP6 driver picks the source address for the destination. */
		EFI_TCP6_CONFIG_DATA cfg = {
			.HopLimit = 64,
			.AccessPoint = { .RemoteAddress = *addr, .RemotePort = port, .ActiveFlag = TRUE },
		};
		EFI_STATUS err = t->tcp->Configure(t->tcp, &cfg);
		if (EFI_ERROR(err))
			return err;
		t->configured = true;
	}
	t->conn_done = FALSE;
	EFI_STATUS err = t->tcp->Connect(t->tcp, &t->conn);
	if (!EFI_ERROR(err))
		t->conn_pending = true;
	return err;
}

void net_tcp6_poll(net_tcp6 *t)
{
	if (t->tcp && t->configured)
		t->tcp->Poll(t->tcp);
}

void net_tcp6_stop(net_tcp6 *t)
{
	/* Configure(NULL) aborts the connection and completes the pending token (EFI_ABORTED). */
	if (t->tcp && t->configured)
		t->tcp->Configure(t->tcp, NULL);
	t->configured = t->conn_pending = false;
	t->tcp = NULL;
	net_child_destroy(t->nic, &tcp6_sb_guid, &t->child);
	net_event_close(&t->conn.CompletionToken.Event);
}
