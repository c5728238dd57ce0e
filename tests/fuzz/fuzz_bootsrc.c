/* libFuzzer target: the boot device's device path through the boot-source classifier (node lengths come from firmware). */
#include "bootsrc.h"
#include "fuzzutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;
	pf_boot_source s;
	if (pf_boot_source_parse(buf, size, &s) == PF_OK) {
		if ((unsigned)s.kind >= PF_BOOT__COUNT || strlen(s.uri) >= sizeof(s.uri))
			__builtin_trap();
		pf_boot_plan p;
		pf_boot_plan_make(&s, size & 1, size & 2, &p);
		if (strlen(p.notice) >= sizeof(p.notice) || (p.reports_persist && s.kind != PF_BOOT_LOCAL))
			__builtin_trap();
		char url[PF_BOOT_URI_MAX + 16];
		if (pf_boot_sibling_url(s.uri, "preflight.ini", url, sizeof(url)) == PF_OK &&
		    strlen(url) > strlen(s.uri) + 14)
			__builtin_trap();
	}
	pf_free(buf);
	return 0;
}
