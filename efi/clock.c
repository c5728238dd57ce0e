/* Wall clock from the RTC and elapsed time from the CPU's counter (TSC, CNTVCT), calibrated once against Stall(). */
#include <efi.h>
#include <efilib.h>
#include "clock.h"
#include "log.h"
#include "arch.h"

static uint64_t tsc_start, tsc_per_ms;

void clock_init(void)
{
	uint64_t a = arch_ticks();
	BS->Stall(20000);
	uint64_t b = arch_ticks();
	tsc_per_ms = (b - a) / 20;
	if (tsc_per_ms == 0)
		tsc_per_ms = 1;
	tsc_start = arch_ticks();
}

uint64_t clock_ms(void)
{
	return (arch_ticks() - tsc_start) / tsc_per_ms;
}

EFI_STATUS clock_rtc(pf_time *ret_time)
{
	EFI_TIME t;
	EFI_STATUS err = RT->GetTime(&t, NULL);
	if (EFI_ERROR(err))
		return err;
	pf_time pt = { .year = t.Year, .month = t.Month, .day = t.Day, .hour = t.Hour, .minute = t.Minute, .second = t.Second };
	/* 0x7FF (EFI_UNSPECIFIED_TIMEZONE) means the RTC keeps local time of an unknown zone. Since
	 * UEFI 2.7 TimeZone is the offset of local time from UTC in minutes (Localtime = UTC + TimeZone). */
	if (t.TimeZone != 0x7FF && t.TimeZone >= -1440 && t.TimeZone <= 1440) {
		pt.has_tz = true;
		pt.tz_minutes = t.TimeZone;
	}
	if (!pf_time_valid(&pt))
		return EFI_DEVICE_ERROR;
	*ret_time = pt;
	return EFI_SUCCESS;
}

bool clock_wait_retry(uint32_t s, uint64_t deadline, const char *who, const char *why)
{
	if (clock_ms() + (uint64_t)s * 1000 >= deadline)
		return false;
	con_printf("  %s asks to wait %u s%s; waiting...\n", who, (unsigned)s, why);
	for (uint64_t until = clock_ms() + (uint64_t)s * 1000; clock_ms() < until;)
		BS->Stall(10000);
	return true;
}
