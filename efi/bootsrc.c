/* The boot device's facts: its device path (handed to common/bootsrc.c) and whether it has a file system. */
#include <efi.h>
#include <efilib.h>
#include "gather.h"
#include "log.h"

EFI_STATUS gather_boot_source(EFI_HANDLE image, pf_boot_source *ret_src, bool *ret_has_fs)
{
	EFI_LOADED_IMAGE *loaded = NULL;
	void *sfs = NULL;
	pf_boot_source src;

	EFI_STATUS err = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&loaded);
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot find the loaded image");
	EFI_DEVICE_PATH *dp = DevicePathFromHandle(loaded->DeviceHandle);
	if (!dp)
		return log_error_status(EFI_NOT_FOUND, "the boot device has no device path");
	/* DevicePathSize walks to the end node as firmware does; the parser checks every length again. */
	err = efi_from_pf(pf_boot_source_parse(dp, DevicePathSize(dp), &src));
	if (EFI_ERROR(err))
		return log_error_status(err, "the boot device's path cannot be read");
	*ret_has_fs = !EFI_ERROR(BS->HandleProtocol(loaded->DeviceHandle, &FileSystemProtocol, &sfs));
	*ret_src = src;
	return EFI_SUCCESS;
}
