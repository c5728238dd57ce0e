/* Connects all controllers: OVMF and many PCs leave NICs and some disks unconnected for an app. */
#include <efi.h>
#include <efilib.h>
#include "gather.h"
#include "log.h"

void gather_connect_all(void)
{
	EFI_HANDLE *handles = NULL;
	UINTN n = 0;
	EFI_STATUS err = BS->LocateHandleBuffer(AllHandles, NULL, NULL, &n, &handles);
	if (EFI_ERROR(err)) {
		log_error_status(err, "cannot list handles; devices may be missing");
		return;
	}
	/* A handle without a driver to bind answers EFI_NOT_FOUND: expected, not an error. */
	for (UINTN i = 0; i < n; i++)
		BS->ConnectController(handles[i], NULL, NULL, TRUE);
	BS->FreePool(handles);
}
