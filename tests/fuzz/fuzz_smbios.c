/* libFuzzer target: SMBIOS entry points and structure tables from arbitrary bytes. */
#include "fuzzutil.h"
#include "smbios.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	pf_identity id;
	pf_smbios_entry e;
	const char *problem = NULL;

	if (!buf)
		return 0;
	/* The input as an entry point, and as a table (the first byte picks the entry flavour). */
	if (pf_smbios_parse_entry(buf, size, &e) != PF_OK)
		e = (pf_smbios_entry){ .is3 = size && (buf[0] & 1), .major = 3 };
	pf_identity_init(&id);
	if (pf_smbios_parse_table(buf, size, &e, &id, &problem) == PF_OK && id.uuid && strlen(id.uuid) != 36)
		__builtin_trap();
	pf_identity_free(&id);
	pf_free(buf);
	return 0;
}
