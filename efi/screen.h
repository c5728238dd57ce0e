/* The one-page result screen on the graphics console (GOP), beside the plain serial log. */
#ifndef PF_EFI_SCREEN_H
#define PF_EFI_SCREEN_H

#include <efi.h>
#include "summary.h"

typedef struct {
	unsigned width, height;  /* the display mode */
	unsigned cell_w, cell_h; /* the firmware font's glyph cell */
	unsigned scale;          /* each glyph pixel drawn as scale x scale */
	size_t lines, findings_shown;
	unsigned qr_modules;     /* the QR code's size in modules (0: none drawn) */
} screen_info;

/* Clears the graphics console and draws run's summary page (common/summary.c) on it, leaving its
 * cursor on the rows kept for the prompt and the result line. EFI_UNSUPPORTED without a graphics
 * console (nothing drawn, the text log stands). */
EFI_STATUS screen_show_summary(const pf_run *run, const char *report_path, screen_info *ret_info);

#endif
