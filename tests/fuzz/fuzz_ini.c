/* libFuzzer target: preflight.ini parsing (INI reader, encodings, every key's validation). */
#include "fuzzutil.h"
#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	pf_config c;
	pf_diags d = { 0 };

	if (!buf)
		return 0;
	if (pf_config_defaults(&c) == PF_OK) {
		if (pf_config_parse(&c, buf, size, &d) == PF_OK)
			for (size_t i = 0; i < d.n; i++)
				if (!d.items[i].message)
					__builtin_trap();
		pf_config_free(&c);
	}
	pf_diags_free(&d);
	pf_free(buf);
	return 0;
}
