/* The after.action of the contract; the prompt's wait is the only unbounded wait, by design. */
#include <efi.h>
#include <efilib.h>
#include "after.h"
#include "chainload.h"
#include "log.h"

#define PROMPT "Press S to shut down, R to reboot, any other key to return to the firmware."

void after_announce(EFI_HANDLE image, pf_after action, pf_verdict verdict, const char *windows_refusal,
		    after_plan *ret_plan)
{
	after_plan plan = { .action = action, .verdict = verdict };

	switch (action) {
	case PF_AFTER_PROMPT:
		con_printf("\n" PROMPT "\n");
		break;
	case PF_AFTER_BOOT_WINDOWS:
		/* The contract: Windows starts only when the verdict is not NO-GO; else the technician decides. */
		/* Starting a boot manager the firmware refuses ends in a Security Violation screen: say why here. */
		if (windows_refusal && windows_refusal[0]) {
			con_printf("\nNot starting Windows: %s. " PROMPT "\n", windows_refusal);
			plan.action = PF_AFTER_PROMPT;
		} else if (verdict == PF_VERDICT_NO_GO) {
			con_printf("\nVerdict is NO-GO: not starting Windows. " PROMPT "\n");
			plan.action = PF_AFTER_PROMPT;
		} else if (EFI_ERROR(chain_find_windows(image, &plan.windows))) {
			con_printf("\nNo internal disk holds \\EFI\\Microsoft\\Boot\\bootmgfw.efi: Windows cannot be started. " PROMPT "\n");
			plan.action = PF_AFTER_PROMPT;
		} else {
			con_printf("\nStarting Windows Boot Manager from the internal disk...\n");
		}
		break;
	default:
		break;
	}
	*ret_plan = plan;
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

EFI_STATUS after_run(EFI_HANDLE image, after_plan *plan, const char *result_line)
{
	if (plan->action == PF_AFTER_SHUTDOWN)
		RT->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	if (plan->action == PF_AFTER_REBOOT)
		RT->ResetSystem(EfiResetCold, EFI_SUCCESS, 0, NULL);
	if (plan->action == PF_AFTER_BOOT_WINDOWS && plan->windows) {
		EFI_STATUS err = chain_start(image, plan->windows);
		FreePool(plan->windows);
		plan->windows = NULL;
		if (!EFI_ERROR(err))
			return EFI_SUCCESS;
		con_printf("Windows could not be started (%s). " PROMPT "\n%s\n", efi_status_str(err), result_line);
	}

	EFI_INPUT_KEY key = { 0 };
	EFI_STATUS err = wait_key(&key);
	if (EFI_ERROR(err)) {
		con_printf("No key can be read (%s); returning to the firmware.\n%s\n", efi_status_str(err), result_line);
		return EFI_SUCCESS;
	}
	if (key.UnicodeChar == L's' || key.UnicodeChar == L'S')
		RT->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	if (key.UnicodeChar == L'r' || key.UnicodeChar == L'R')
		RT->ResetSystem(EfiResetCold, EFI_SUCCESS, 0, NULL);
	return EFI_SUCCESS;
}
