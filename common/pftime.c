/* Calendar arithmetic for reports and clock-skew checks (proleptic Gregorian, no libc). */
#include "pftime.h"
#include "fmt.h"

static bool leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
	static const uint8_t d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

bool pf_time_valid(const pf_time *t)
{
	return t->year >= 1970 && t->year <= 9999 && t->month >= 1 && t->month <= 12 && t->day >= 1 &&
	       t->day <= days_in_month(t->year, t->month) && t->hour < 24 && t->minute < 60 && t->second < 60;
}

void pf_time_iso(const pf_time *t, char *buf, size_t cap)
{
	size_t n = pf_snprintf(buf, cap, "%04u-%02u-%02uT%02u:%02u:%02u", t->year, t->month, t->day, t->hour,
			       t->minute, t->second);
	if (!t->has_tz || n >= cap)
		return;
	if (t->tz_minutes == 0) {
		pf_snprintf(buf + n, cap - n, "Z");
		return;
	}
	int off = t->tz_minutes < 0 ? -t->tz_minutes : t->tz_minutes;
	pf_snprintf(buf + n, cap - n, "%c%02d:%02d", t->tz_minutes < 0 ? '-' : '+', off / 60, off % 60);
}

void pf_time_compact(const pf_time *t, char *buf, size_t cap)
{
	pf_snprintf(buf, cap, "%04u%02u%02uT%02u%02u%02u", t->year, t->month, t->day, t->hour, t->minute, t->second);
}

/* Days from 1970-01-01 to y-m-d (Howard Hinnant's civil calendar algorithm, a public-domain formula). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int64_t pf_time_to_unix(const pf_time *t)
{
	int64_t s = days_from_civil(t->year, t->month, t->day) * 86400 + t->hour * 3600 + t->minute * 60 + t->second;
	/* The RTC keeps local time; its offset from UTC must be subtracted to get UTC. */
	if (t->has_tz)
		s -= (int64_t)t->tz_minutes * 60;
	return s;
}

void pf_time_from_unix(int64_t secs, pf_time *ret)
{
	int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int64_t rem = secs - days * 86400;
	days += 719468;
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	unsigned doe = (unsigned)(days - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	*ret = (pf_time){ .year = (uint16_t)(y + (m <= 2)), .month = (uint8_t)m, .day = (uint8_t)d,
			  .hour = (uint8_t)(rem / 3600), .minute = (uint8_t)(rem % 3600 / 60), .second = (uint8_t)(rem % 60),
			  .has_tz = true };
}
