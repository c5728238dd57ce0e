/* libFuzzer target: PE headers and sections, the Authenticode hash, the version resource and the signature in it. */
#include "fuzzutil.h"
#include "authenticode.h"
#include "pe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	static pf_pe pe; /* large: keep them off the stack */
	static pf_authenticode ac;
	if (!buf)
		return 0;
	if (pf_pe_parse(buf, size, &pe) == PF_OK) {
		uint8_t h[32];
		pf_pe_version v;
		int chain[PF_AC_MAX_CERTS];
		(void)!pf_pe_authenticode_sha256(buf, size, &pe, h);
		(void)!pf_pe_version_read(buf, size, &pe, &v);
		if (pf_authenticode_parse(buf + pe.cert_off, pe.cert_size, &ac) == PF_OK) {
			pf_authenticode_chain(&ac, chain, PF_AC_MAX_CERTS);
			(void)!pf_authenticode_verify_signer(&ac);
		}
	}
	pf_free(buf);
	return 0;
}
