/* libFuzzer target: certificate files (PEM bundles or DER) into trust anchors, on arbitrary input. */
#include "fuzzutil.h"
#include "trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;
	pf_trust t = { 0 };
	size_t added = 0;
	(void)pf_trust_add_file(&t, buf, size, &added);
	if (added > t.n)
		__builtin_trap();
	pf_trust_free(&t);
	pf_free(buf);
	return 0;
}
