/* libFuzzer target: certificate files (PEM bundles or DER) into trust anchors, on arbitrary input. */
#include "trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that reading one byte past the input is caught. */
	uint8_t *buf = pf_malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	pf_trust t = { 0 };
	size_t added = 0;
	(void)pf_trust_add_file(&t, buf, size, &added);
	if (added > t.n)
		__builtin_trap();
	pf_trust_free(&t);
	pf_free(buf);
	return 0;
}
