/* Network adapters: MAC, media and wired/wireless from SNP, Adapter Information and the Wi-Fi protocol. */
#include <efi.h>
#include <efilib.h>
#include "fmt.h"
#include "gather.h"
#include "log.h"
#include "proto.h"

static EFI_GUID adapter_info_guid = PF_ADAPTER_INFO_PROTOCOL_GUID;
static EFI_GUID media_state_guid = PF_ADAPTER_INFO_MEDIA_STATE_GUID;
static EFI_GUID wifi2_guid = PF_WIRELESS_MAC_CONNECTION_II_GUID;

/* Media from the Adapter Information protocol when the driver has it (it is the fresher source),
 * else from SNP after GetStatus refreshed it. */
static pf_tri media_of(EFI_HANDLE h, EFI_SIMPLE_NETWORK *snp)
{
	PF_ADAPTER_INFO_PROTOCOL *aip = NULL;
	if (!EFI_ERROR(BS->HandleProtocol(h, &adapter_info_guid, (void **)&aip))) {
		void *block = NULL;
		UINTN size = 0;
		if (!EFI_ERROR(aip->GetInformation(aip, &media_state_guid, &block, &size)) && block &&
		    size >= sizeof(PF_ADAPTER_INFO_MEDIA_STATE)) {
			EFI_STATUS state = ((PF_ADAPTER_INFO_MEDIA_STATE *)block)->MediaState;
			BS->FreePool(block);
			return state == EFI_SUCCESS ? PF_YES : PF_NO;
		}
		if (block)
			BS->FreePool(block);
	}
	if (!snp->Mode->MediaPresentSupported)
		return PF_UNKNOWN;
	/* A stopped SNP refuses GetStatus; the mode's last value is then all there is. */
	UINT32 irq = 0;
	snp->GetStatus(snp, &irq, NULL);
	return snp->Mode->MediaPresent ? PF_YES : PF_NO;
}

EFI_STATUS gather_nics(pf_identity *id)
{
	EFI_HANDLE *handles = NULL;
	UINTN n = 0;
	EFI_STATUS err = BS->LocateHandleBuffer(ByProtocol, &SimpleNetworkProtocol, NULL, &n, &handles);
	id->nics_read = true;
	if (err == EFI_NOT_FOUND)
		return EFI_SUCCESS; /* no adapter at all: an empty list, not an unreadable one */
	if (EFI_ERROR(err)) {
		id->nics_read = false;
		return log_error_status(err, "cannot list network adapters");
	}
	pf_nic *nics = pf_malloc(n * sizeof(*nics));
	if (!nics) {
		BS->FreePool(handles);
		id->nics_read = false;
		return log_error_status(EFI_OUT_OF_RESOURCES, "cannot list network adapters");
	}
	size_t count = 0;
	for (UINTN i = 0; i < n; i++) {
		EFI_SIMPLE_NETWORK *snp = NULL;
		if (EFI_ERROR(BS->HandleProtocol(handles[i], &SimpleNetworkProtocol, (void **)&snp)) || !snp->Mode)
			continue;
		char mac[3 * 32];
		size_t len = 0;
		UINT32 hw = snp->Mode->HwAddressSize;
		if (hw == 0 || hw > 32)
			continue;
		for (UINT32 k = 0; k < hw; k++)
			len += pf_snprintf(mac + len, sizeof(mac) - len, k ? ":%02x" : "%02x", snp->Mode->CurrentAddress.Addr[k]);
		/* Drivers layered on one adapter (VLAN, MNP children) repeat its MAC: keep one entry. */
		bool dup = false;
		for (size_t k = 0; k < count; k++)
			dup |= pf_strcmp(nics[k].mac, mac) == 0;
		if (dup)
			continue;
		void *wifi = NULL;
		nics[count] = (pf_nic){
			.mac = pf_strdup(mac),
			.wireless = EFI_ERROR(BS->HandleProtocol(handles[i], &wifi2_guid, &wifi)) ? PF_NO : PF_YES,
			.media = media_of(handles[i], snp),
		};
		if (!nics[count].mac) {
			err = log_error_status(EFI_OUT_OF_RESOURCES, "adapters after the %zu listed could not be stored", count);
			break;
		}
		count++;
	}
	BS->FreePool(handles);
	id->nics = nics;
	id->n_nics = count;
	return err;
}
