/* Console output and logging for efi/: UTF-8 text through common's formatter to ConOut (mirrored to serial). */
#ifndef PF_EFI_LOG_H
#define PF_EFI_LOG_H

#include <efi.h>
#include "pf.h"

/* Prints UTF-8 text; "\n" becomes CRLF. */
void con_printf(const char *fmt, ...) PF_PRINTF(1, 2);
void con_vprintf(const char *fmt, va_list ap);
void con_set_color(UINTN attr);
/* A progress line: "[  1.2 s] " (time since the start) and the text, so a technician sees which phase
 * runs and for how long. */
void con_progress(const char *fmt, ...) PF_PRINTF(1, 2);

/* A line of console output (UTF-8, without its newline) for whoever shows it besides the text consoles. */
typedef void (*con_line_fn)(const char *text, size_t len);
/* From now on output goes to the ConOut splitter's consoles except `skip` (the graphics console, whose
 * screen now holds the result page), and each whole line also to line_fn (which draws it on the page).
 * The other consoles (the serial port) get the same bytes as before. Undone by con_undivert. */
EFI_STATUS con_divert(SIMPLE_TEXT_OUTPUT_INTERFACE *skip, con_line_fn line_fn);
void con_undivert(void);

/* Logs "file:line: message: <status name>" and returns the status, so that logging and
 * propagating take one statement: return log_error_status(err, "...") */
EFI_STATUS log_status_at(EFI_STATUS status, const char *file, int line, const char *fmt, ...) PF_PRINTF(4, 5);
#define log_error_status(status, ...) log_status_at((status), __FILE__, __LINE__, __VA_ARGS__)
#define log_warn(...) log_status_at(EFI_SUCCESS, __FILE__, __LINE__, __VA_ARGS__)

/* Short name of an EFI status ("EFI_NOT_FOUND"). */
const char *efi_status_str(EFI_STATUS s);
/* The firmware edge: EFI status to common's status and back. */
pf_status pf_from_efi(EFI_STATUS s);
EFI_STATUS efi_from_pf(pf_status s);

#endif
