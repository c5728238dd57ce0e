/* Chooses the adapter for the network checks: wired, with link, carrying the firmware's IPv4 stack. */
#include "net.h"
#include "bootsrc.h"
#include "clock.h"
#include "fmt.h"
#include "log.h"
#include "str.h"

#define LINK_WAIT_MS 3000  /* a link may come up a moment after the driver started the adapter */

static EFI_GUID ip4cfg2_guid = PF_IP4_CONFIG2_PROTOCOL_GUID;
static EFI_GUID wifi2_guid = PF_NET_WIFI2_GUID;

typedef struct {
	EFI_HANDLE handle;  /* the handle with IP4Config2 when one of the adapter's handles has it */
	char mac[18];
	bool wireless, media, stack;
} nic;

static bool media_of(EFI_SIMPLE_NETWORK *snp)
{
	if (!snp->Mode->MediaPresentSupported)
		return true; /* the driver cannot tell: assume a link and let DHCP decide */
	UINT32 irq = 0;
	snp->GetStatus(snp, &irq, NULL);
	return snp->Mode->MediaPresent;
}

/* One entry per MAC address: layered drivers (VLAN, MNP children) repeat an adapter's MAC. */
static size_t scan(nic *list, size_t cap)
{
	EFI_HANDLE *handles = NULL;
	UINTN n = 0;
	size_t count = 0;
	if (EFI_ERROR(BS->LocateHandleBuffer(ByProtocol, &SimpleNetworkProtocol, NULL, &n, &handles)))
		return 0;
	for (UINTN i = 0; i < n; i++) {
		EFI_SIMPLE_NETWORK *snp = NULL;
		void *p = NULL;
		if (EFI_ERROR(BS->HandleProtocol(handles[i], &SimpleNetworkProtocol, (void **)&snp)) || !snp->Mode ||
		    snp->Mode->HwAddressSize != 6)
			continue;
		char mac[18];
		const UINT8 *a = snp->Mode->CurrentAddress.Addr;
		pf_snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5]);
		bool stack = !EFI_ERROR(BS->HandleProtocol(handles[i], &ip4cfg2_guid, &p));
		nic *e = NULL;
		for (size_t k = 0; k < count; k++)
			if (pf_strcmp(list[k].mac, mac) == 0)
				e = &list[k];
		if (!e) {
			if (count == cap)
				continue;
			e = &list[count++];
			*e = (nic){ .handle = handles[i] };
			pf_strlcpy(e->mac, mac, sizeof(e->mac));
		}
		e->wireless |= !EFI_ERROR(BS->HandleProtocol(handles[i], &wifi2_guid, &p));
		e->media |= media_of(snp);
		if (stack && !e->stack) {
			e->stack = true;
			e->handle = handles[i];
		}
	}
	BS->FreePool(handles);
	return count;
}

static void count_into(const nic *list, size_t n, pf_net_result *r)
{
	r->n_nics = n;
	r->n_wired = r->n_wired_media = r->n_wireless = 0;
	for (size_t i = 0; i < n; i++) {
		if (list[i].wireless) {
			r->n_wireless++;
			continue;
		}
		r->n_wired++;
		r->n_wired_media += list[i].media;
	}
}

static char preferred[18];

void net_nic_prefer(const char *mac)
{
	pf_strlcpy(preferred, mac, sizeof(preferred));
}

/* The usable adapter to take: the one booted from when it is usable, else the first usable one
 * (common/bootsrc.c decides). */
static const nic *choose(const nic *list, size_t n)
{
	const char *macs[PF_NET_MAX_NICS];
	bool usable[PF_NET_MAX_NICS], took_preferred;
	for (size_t i = 0; i < n; i++) {
		macs[i] = list[i].mac;
		usable[i] = !list[i].wireless && list[i].media && list[i].stack;
	}
	size_t k = pf_boot_pick_nic(macs, usable, n, preferred, &took_preferred);
	if (k == n)
		return NULL;
	if (took_preferred)
		con_printf("Network: %s is the adapter this PC booted from: the checks use it.\n", list[k].mac);
	else if (preferred[0])
		con_printf("Network: the adapter this PC booted from (%s) is not usable here; %s is used.\n", preferred,
			   list[k].mac);
	return &list[k];
}

EFI_STATUS net_nic_select(pf_net_result *r, pf_identity *id, EFI_HANDLE *ret_nic)
{
	nic list[PF_NET_MAX_NICS];
	size_t n = scan(list, PF_NET_MAX_NICS);
	count_into(list, n, r);
	uint64_t until = clock_ms() + LINK_WAIT_MS;
	while (r->n_wired && !r->n_wired_media && clock_ms() < until) {
		BS->Stall(100 * 1000);
		n = scan(list, PF_NET_MAX_NICS);
		count_into(list, n, r);
	}
	const nic *use = choose(list, n);
	if (!use)
		return EFI_NOT_FOUND;
	pf_strlcpy(r->nics_used[0], use->mac, sizeof(r->nics_used[0]));
	r->n_nics_used = 1;
	for (size_t k = 0; id && k < id->n_nics; k++)
		if (id->nics[k].mac && pf_strcmp(id->nics[k].mac, use->mac) == 0)
			id->nics[k].used = true;
	*ret_nic = use->handle;
	return EFI_SUCCESS;
}
