/* Wall-clock time as the RTC gives it, formatted for reports and file names, and compared for clock skew. */
#ifndef PF_PFTIME_H
#define PF_PFTIME_H

#include "pf.h"

typedef struct {
	uint16_t year;
	uint8_t month, day, hour, minute, second;
	int16_t tz_minutes;  /* offset from UTC */
	bool has_tz;         /* the RTC said which zone it keeps */
} pf_time;

/* True when the fields form a real date and time (the RTC can hold garbage). */
bool pf_time_valid(const pf_time *t);
/* "2026-11-25T04:30:00" plus "Z" or "+01:00" when the zone is known. buf needs 26 bytes. */
void pf_time_iso(const pf_time *t, char *buf, size_t cap);
/* "20261125T043000" for file names; buf needs 16 bytes. */
void pf_time_compact(const pf_time *t, char *buf, size_t cap);
/* Seconds since 1970-01-01 in UTC when the zone is known (local time taken as UTC otherwise). */
int64_t pf_time_to_unix(const pf_time *t);
void pf_time_from_unix(int64_t secs, pf_time *ret);

#endif
