/* Small helpers of the network glue: completion events, service-binding children, IPv4 text. */
#include "net.h"
#include "fmt.h"
#include "log.h"
#include "usage.h"

static VOID EFIAPI set_flag(EFI_EVENT ev, VOID *ctx)
{
	(void)ev;
	*(volatile BOOLEAN *)ctx = TRUE;
}

EFI_STATUS net_event(volatile BOOLEAN *flag, EFI_EVENT *ret_event)
{
	*flag = FALSE;
	EFI_STATUS err = BS->CreateEvent(EVT_NOTIFY_SIGNAL, TPL_CALLBACK, set_flag, (VOID *)flag, ret_event);
	if (!EFI_ERROR(err))
		usage.events++;
	return err;
}

void net_event_close(EFI_EVENT *ev)
{
	if (*ev) {
		BS->CloseEvent(*ev);
		usage.events--;
		*ev = NULL;
	}
}

EFI_STATUS net_child_create(EFI_HANDLE nic, EFI_GUID *sb_guid, EFI_GUID *proto_guid, EFI_HANDLE *ret_child,
			    void **ret_proto)
{
	EFI_SERVICE_BINDING *sb = NULL;
	EFI_HANDLE child = NULL;
	EFI_STATUS err = BS->HandleProtocol(nic, sb_guid, (void **)&sb);
	if (EFI_ERROR(err))
		return err;
	err = sb->CreateChild(sb, &child);
	if (EFI_ERROR(err))
		return err;
	err = BS->HandleProtocol(child, proto_guid, ret_proto);
	if (EFI_ERROR(err)) {
		sb->DestroyChild(sb, child);
		return err;
	}
	*ret_child = child;
	usage.children++;
	return EFI_SUCCESS;
}

void net_child_destroy(EFI_HANDLE nic, EFI_GUID *sb_guid, EFI_HANDLE *child)
{
	EFI_SERVICE_BINDING *sb = NULL;
	if (!*child)
		return;
	if (!EFI_ERROR(BS->HandleProtocol(nic, sb_guid, (void **)&sb))) {
		EFI_STATUS err = sb->DestroyChild(sb, *child);
		if (EFI_ERROR(err))
			log_error_status(err, "cannot destroy a network child");
		else
			usage.children--;
	}
	*child = NULL;
}

void net_ip_str(const EFI_IPv4_ADDRESS *a, char buf[16])
{
	pf_snprintf(buf, 16, "%u.%u.%u.%u", a->Addr[0], a->Addr[1], a->Addr[2], a->Addr[3]);
}

bool net_ip_zero(const EFI_IPv4_ADDRESS *a)
{
	return !(a->Addr[0] | a->Addr[1] | a->Addr[2] | a->Addr[3]);
}
