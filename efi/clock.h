/* Time for the firmware side: RTC wall clock and a calibrated monotonic millisecond counter. */
#ifndef PF_EFI_CLOCK_H
#define PF_EFI_CLOCK_H

#include <efi.h>
#include "pftime.h"

/* Calibrates the CPU's counter (efi/arch.h) against BS->Stall; call once at start. */
void clock_init(void);
/* Milliseconds since clock_init. */
uint64_t clock_ms(void);
/* A server's Retry-After: waits s seconds, saying so ("  WHO asks to wait S sWHY; waiting..."), when
 * the wait ends before deadline (clock_ms); false, without waiting, when it would not. */
bool clock_wait_retry(uint32_t s, uint64_t deadline, const char *who, const char *why);
/* The RTC as pf_time; EFI_DEVICE_ERROR when the firmware has no usable clock. */
EFI_STATUS clock_rtc(pf_time *ret_time);

#endif
