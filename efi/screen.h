/* The one-page result screen on the graphics console (GOP), beside the plain serial log. */
#ifndef PF_EFI_SCREEN_H
#define PF_EFI_SCREEN_H

#include <efi.h>
#include "summary.h"

/* Clears the graphics console and draws run's summary page (common/summary.c) on it, leaving its
 * cursor on the rows kept for the prompt and the result line. Best effort: without a graphics
 * console nothing is drawn and the text log stands; other failures are logged where they happen. */
void screen_show_summary(const pf_run *run, const char *report_path);

#endif
