/* UEFI variables Preflight reads: SecureBoot. */
#include <efi.h>
#include <efilib.h>
#include "gather.h"
#include "log.h"

EFI_STATUS gather_secure_boot(pf_identity *id)
{
	EFI_GUID global = EFI_GLOBAL_VARIABLE;
	UINT8 value = 0;
	UINTN size = sizeof(value);
	EFI_STATUS err = RT->GetVariable(L"SecureBoot", &global, NULL, &size, &value);
	if (err == EFI_NOT_FOUND) {
		/* Firmware without Secure Boot support has no such variable: it is off. */
		id->secure_boot = PF_NO;
		return EFI_SUCCESS;
	}
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot read the SecureBoot variable");
	id->secure_boot = value == 1 ? PF_YES : PF_NO;
	return EFI_SUCCESS;
}
