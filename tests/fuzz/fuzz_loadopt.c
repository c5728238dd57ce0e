/* libFuzzer target: a Boot#### load option and its device path, as efi/windows.c reads them from BootOrder. */
#include "fuzzutil.h"
#include "loadopt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	pf_load_option opt;
	uint32_t part;
	uint8_t sig[16] = { 0 };
	if (!buf)
		return 0;
	if (pf_load_option_parse(buf, size, &opt) == PF_OK) {
		(void)!pf_load_option_is_bootmgfw(&opt, opt.signature);
		pf_load_option_free(&opt);
	}
	(void)!pf_devpath_hd(buf, size, &part, sig);
	pf_free(buf);
	return 0;
}
