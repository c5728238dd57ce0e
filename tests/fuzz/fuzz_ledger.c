/* libFuzzer target: the ledger scan that finds a torn tail before a row is appended. */
#include "fuzzutil.h"
#include "ledger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	uint64_t keep, rows, keep2, rows2;

	if (!buf && size)
		return 0;
	pf_ledger_scan(buf, size, &keep, &rows);
	if (keep > size || rows > size)
		__builtin_trap();
	/* What is kept is whole: scanning it again keeps all of it. */
	pf_ledger_scan(buf, (size_t)keep, &keep2, &rows2);
	if (keep2 != keep || rows2 != rows)
		__builtin_trap();
	pf_free(buf);
	return 0;
}
