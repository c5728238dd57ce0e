/* Chain-loading Windows Boot Manager from an internal ESP (after.action = boot-windows). */
#ifndef PF_EFI_CHAINLOAD_H
#define PF_EFI_CHAINLOAD_H

#include <efi.h>

/* The device path of \EFI\Microsoft\Boot\bootmgfw.efi on the first internal (non-removable) volume
 * other than the boot stick; EFI_NOT_FOUND when there is none. The caller frees it with FreePool. */
EFI_STATUS chain_find_windows(EFI_HANDLE image, EFI_DEVICE_PATH **ret_path);
/* Loads and starts it; returns only when that failed or the boot manager exited. */
EFI_STATUS chain_start(EFI_HANDLE image, EFI_DEVICE_PATH *path);

#endif
