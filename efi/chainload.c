/* after.action = boot-windows: find Windows Boot Manager on an internal ESP and start it. */
#include <efi.h>
#include <efilib.h>
#include "chainload.h"
#include "log.h"

#define BOOTMGFW L"\\EFI\\Microsoft\\Boot\\bootmgfw.efi"

/* A volume qualifies when it is not the stick Preflight runs from, sits on non-removable media, and
 * holds the boot manager. Removable media are skipped so that a second stick is never booted. */
static bool has_boot_manager(EFI_HANDLE h, EFI_HANDLE boot_device)
{
	EFI_BLOCK_IO *bio = NULL;
	EFI_FILE_IO_INTERFACE *sfs = NULL;
	EFI_FILE *root = NULL, *f = NULL;

	if (h == boot_device)
		return false;
	if (!EFI_ERROR(BS->HandleProtocol(h, &BlockIoProtocol, (void **)&bio)) && bio->Media->RemovableMedia)
		return false;
	if (EFI_ERROR(BS->HandleProtocol(h, &FileSystemProtocol, (void **)&sfs)) ||
	    EFI_ERROR(sfs->OpenVolume(sfs, &root)))
		return false;
	bool found = !EFI_ERROR(root->Open(root, &f, BOOTMGFW, EFI_FILE_MODE_READ, 0));
	if (found)
		f->Close(f);
	root->Close(root);
	return found;
}

EFI_STATUS chain_find_windows(EFI_HANDLE image, EFI_DEVICE_PATH **ret_path)
{
	EFI_LOADED_IMAGE *loaded = NULL;
	EFI_HANDLE *handles = NULL;
	UINTN n = 0;

	EFI_STATUS err = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&loaded);
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot find Preflight's own image");
	err = BS->LocateHandleBuffer(ByProtocol, &FileSystemProtocol, NULL, &n, &handles);
	if (EFI_ERROR(err))
		return log_error_status(err, "no file systems to look for Windows on");
	err = EFI_NOT_FOUND;
	for (UINTN i = 0; i < n; i++) {
		if (!has_boot_manager(handles[i], loaded->DeviceHandle))
			continue;
		EFI_DEVICE_PATH *path = FileDevicePath(handles[i], BOOTMGFW);
		if (!path) {
			err = log_error_status(EFI_OUT_OF_RESOURCES, "no memory for the boot manager's path");
			break;
		}
		*ret_path = path;
		err = EFI_SUCCESS;
		break;
	}
	FreePool(handles);
	return err;
}

EFI_STATUS chain_start(EFI_HANDLE image, EFI_DEVICE_PATH *path)
{
	EFI_HANDLE child = NULL;
	EFI_STATUS err = BS->LoadImage(FALSE, image, path, NULL, 0, &child);
	if (EFI_ERROR(err)) {
		/* A Secure Boot refusal still loads the image (UEFI 2.10, LoadImage): unload it here. */
		if (err == EFI_SECURITY_VIOLATION && child && EFI_ERROR(BS->UnloadImage(child)))
			log_warn("the refused boot manager image could not be unloaded");
		return log_error_status(err, "Windows Boot Manager could not be loaded (with Secure Boot on, "
		                             "its signature must be trusted)");
	}
	/* Windows Boot Manager does not return on success; if it does, it failed or exited, and the
	 * firmware has already unloaded it (an application is unloaded when StartImage returns). */
	err = BS->StartImage(child, NULL, NULL);
	if (EFI_ERROR(err))
		return log_error_status(err, "Windows Boot Manager returned");
	return EFI_SUCCESS;
}
