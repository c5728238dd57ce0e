/* What happens after the verdict: prompt, shutdown, reboot or chain-loading Windows. */
#ifndef PF_EFI_AFTER_H
#define PF_EFI_AFTER_H

#include <efi.h>
#include "config.h"
#include "findings.h"

/* Prints the prompt text (if any) before the result line, so that the result line stays last. */
void after_announce(pf_after action, pf_verdict verdict);
/* Carries out the action; returns only for prompt's "exit" choice or when the action failed. */
EFI_STATUS after_run(pf_after action, pf_verdict verdict);

#endif
