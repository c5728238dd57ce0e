/* What happens after the verdict: prompt, shutdown, reboot or chain-loading Windows. */
#ifndef PF_EFI_AFTER_H
#define PF_EFI_AFTER_H

#include <efi.h>
#include "config.h"
#include "findings.h"

/* What after_run will do, decided before the result line so that the line stays last. */
typedef struct {
	pf_after action;
	pf_verdict verdict;
	EFI_DEVICE_PATH *windows; /* boot-windows: the boot manager found, or NULL */
} after_plan;

/* Decides the plan (boot-windows looks for Windows Boot Manager now) and prints what will happen;
 * windows_refusal ("" none) says why the installed boot manager must not be started. */
void after_announce(EFI_HANDLE image, pf_after action, pf_verdict verdict, const char *windows_refusal,
		    after_plan *ret_plan);
/* Carries out the plan; returns only for the prompt's "exit" choice or when the action failed. Any
 * message printed on the way is followed by result_line again, so that it stays the last line. A
 * verdict was reached, so the status is EFI_SUCCESS (contract, section 5). */
EFI_STATUS after_run(EFI_HANDLE image, after_plan *plan, const char *result_line);

#endif
