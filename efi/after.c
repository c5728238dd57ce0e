/* The after.action of the contract; the prompt's wait is the only unbounded wait, by design. */
#include <efi.h>
#include <efilib.h>
#include "after.h"
#include "log.h"

void after_announce(pf_after action, pf_verdict verdict)
{
	switch (action) {
	case PF_AFTER_PROMPT:
		con_printf("\nPress S to shut down, R to reboot, any other key to return to the firmware.\n");
		break;
	case PF_AFTER_BOOT_WINDOWS:
		if (verdict == PF_VERDICT_NO_GO)
			con_printf("\nVerdict is NO-GO: not starting Windows. Press S to shut down, R to reboot, any other key to return.\n");
		else
			con_printf("\nStarting Windows is not available in this version. Press S to shut down, R to reboot, any other key to return.\n");
		break;
	default:
		break;
	}
}

static EFI_STATUS wait_key(EFI_INPUT_KEY *ret_key)
{
	UINTN index;
	/* Drain keys typed while checks ran, so that the choice is made after reading the verdict. */
	while (ST->ConIn->ReadKeyStroke(ST->ConIn, ret_key) == EFI_SUCCESS)
		;
	EFI_STATUS err = BS->WaitForEvent(1, &ST->ConIn->WaitForKey, &index);
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot wait for a key");
	return ST->ConIn->ReadKeyStroke(ST->ConIn, ret_key);
}

EFI_STATUS after_run(pf_after action, pf_verdict verdict)
{
	(void)verdict;
	if (action == PF_AFTER_SHUTDOWN)
		RT->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	if (action == PF_AFTER_REBOOT)
		RT->ResetSystem(EfiResetCold, EFI_SUCCESS, 0, NULL);

	EFI_INPUT_KEY key = { 0 };
	EFI_STATUS err = wait_key(&key);
	if (EFI_ERROR(err))
		return err;
	if (key.UnicodeChar == L's' || key.UnicodeChar == L'S')
		RT->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	if (key.UnicodeChar == L'r' || key.UnicodeChar == L'R')
		RT->ResetSystem(EfiResetCold, EFI_SUCCESS, 0, NULL);
	return EFI_SUCCESS;
}
