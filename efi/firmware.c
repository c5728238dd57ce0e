/* The UEFI system table's FirmwareVendor string: which firmware build this is, as the build named itself. */
#include <efi.h>
#include <efilib.h>
#include "gather.h"
#include "utf.h"

/* Longer than any vendor string seen; the firmware's string is not trusted to end. */
#define VENDOR_MAX_UNITS 128

EFI_STATUS gather_firmware_vendor(pf_identity *id)
{
	const CHAR16 *v = ST->FirmwareVendor;
	if (!v)
		return EFI_NOT_FOUND;
	size_t n = 0;
	while (n < VENDOR_MAX_UNITS && v[n])
		n++;
	char *s = pf_ucs2_to_utf8((const uint16_t *)v, n);
	if (!s)
		return EFI_OUT_OF_RESOURCES;
	pf_free(id->firmware_vendor);
	id->firmware_vendor = s;
	return EFI_SUCCESS;
}
