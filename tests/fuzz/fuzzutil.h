/* Shared pieces of the libFuzzer targets: the entry point's prototype, exact-size input copies, split points. */
#ifndef PF_FUZZUTIL_H
#define PF_FUZZUTIL_H

#include "pf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An exact-size copy of the input, so that reading one byte past it is caught by ASan. */
static inline uint8_t *fuzz_copy(const uint8_t *data, size_t size)
{
	uint8_t *buf = pf_malloc(size);
	if (buf && size)
		memcpy(buf, data, size);
	return buf;
}

/* For streaming readers: the first 4 input bytes choose 0, 1 or 2 points (sorted, within the rest)
 * at which the rest is cut into separate feeds; ret_p and ret_len get the rest. False when too short. */
static inline bool fuzz_split(const uint8_t *data, size_t size, size_t ret_cuts[2], size_t *ret_ncuts,
                              const uint8_t **ret_p, size_t *ret_len)
{
	if (size < 4)
		return false;
	size_t len = size - 4, n = 0;
	size_t a = (size_t)(data[1] | data[2] << 8) % (len + 1), b = (size_t)data[3] * (len + 1) / 256;
	switch (data[0] % 3) {
	case 1:
		ret_cuts[n++] = a;
		break;
	case 2:
		ret_cuts[n++] = a < b ? a : b;
		ret_cuts[n++] = a < b ? b : a;
		break;
	}
	*ret_ncuts = n;
	*ret_p = data + 4;
	*ret_len = len;
	return true;
}

#endif
