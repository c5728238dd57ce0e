/* Windows releases by the boot manager's build, with end of servicing: data, dated and sourced in docs/secure-boot.md. */
#include "bootmgr.h"

/*
 * As of 2026-12-07. The boot manager's FileVersion carries the build of its servicing branch, not of
 * the release: releases delivered as an enablement package share the binaries of the one before them
 * (Windows 10 20H2-22H2 report 19041, Windows 11 23H2 reports 22621, 25H2 reports 26100). So a branch
 * is judged by the latest end of servicing among its releases, for Enterprise and Education (the
 * longest); Home and Pro end a year earlier for H2 releases of Windows 11 (docs/secure-boot.md).
 * Sources: Microsoft Learn, "Windows 10 Home and Pro / Enterprise and Education" and "Windows 11 Home
 * and Pro / Enterprise and Education" lifecycle pages; Autopilot requirements: "Windows Autopilot
 * requirements" (Windows 11, or Windows 10 22H2 or later supported versions).
 */
#define T(y, m, d) { (y), (m), (d), 0, 0, 0, 0, true }
static const pf_win_release releases[] = {
	{ 19041, "Windows 10 22H2 (19041 branch, 2004-22H2)", T(2025, 10, 14), true },
	{ 19045, "Windows 10 22H2", T(2025, 10, 14), true },
	{ 22000, "Windows 11 21H2", T(2024, 10, 8), true },
	{ 22621, "Windows 11 22H2 or 23H2", T(2026, 11, 10), true },
	{ 22631, "Windows 11 23H2", T(2026, 11, 10), true },
	{ 26100, "Windows 11 24H2 or 25H2", T(2028, 10, 10), true },
	{ 26200, "Windows 11 25H2", T(2028, 10, 10), true },
};

const pf_win_release *pf_win_release_by_build(uint16_t build)
{
	for (size_t i = 0; i < PF_ARRAY_SIZE(releases); i++)
		if (releases[i].build == build)
			return &releases[i];
	return NULL;
}

uint16_t pf_win_release_newest(void)
{
	return releases[PF_ARRAY_SIZE(releases) - 1].build;
}
