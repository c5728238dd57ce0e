/* The one-page result screen on the graphics console (GOP), beside the plain serial log. */
#ifndef PF_EFI_SCREEN_H
#define PF_EFI_SCREEN_H

#include <efi.h>
#include "summary.h"

/* Clears the graphics console and draws run's summary page (common/summary.c) on it. What the console
 * prints afterwards (the prompt, the PREFLIGHT RESULT line) is drawn on the page's last lines, at its
 * scale, and reaches the other consoles (serial) unchanged, until screen_page_close. Best effort:
 * without a graphics console nothing is drawn and the text log stands; other failures are logged
 * where they happen. */
void screen_show_summary(const pf_run *run, const char *report_path);
/* Ends the page: the console's output goes to every console again; the page's memory is released. */
void screen_page_close(void);

#endif
