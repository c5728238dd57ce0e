/* libFuzzer target: a PE certificate table (WIN_CERTIFICATE entries, PKCS#7 SignedData, nested ones), chains, RSA checks. */
#include "fuzzutil.h"
#include "authenticode.h"
#include "bootmgr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	static pf_authenticode ac; /* large: keep it off the stack */
	int chain[PF_AC_MAX_CERTS];
	if (!buf)
		return 0;
	if (pf_authenticode_parse(buf, size, &ac) == PF_OK) {
		size_t n = pf_authenticode_chain(&ac, chain, PF_AC_MAX_CERTS);
		(void)!pf_authenticode_verify_signer(&ac);
		for (size_t i = 0; i + 1 < n; i++)
			(void)!pf_authenticode_verify_cert(&ac.certs[chain[i]], &ac.certs[chain[i + 1]].x.spki);
	}
	/* Every entry and every nested signature, as the boot manager's judgement walks them (no stores). */
	static pf_bootmgr bm;
	const pf_bm_signature *decided;
	static const uint8_t hash[32];
	pf_bootmgr_init(&bm);
	(void)!pf_bootmgr_signatures(buf, size, hash, NULL, &bm, &decided);
	pf_bootmgr_free(&bm);
	pf_free(buf);
	return 0;
}
