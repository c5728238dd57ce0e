/* libFuzzer target: frames received beside the IP stack: the EAPOL/EAP decoder, and router advertisements (the
 * input as an IPv6 packet) through the RDNSS reader (lengths come from the sender). */
#include "eapol.h"
#include "fuzzutil.h"
#include "ra.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;
	pf_eapol_frame e;
	if (pf_eapol_parse(buf, size, &e) == PF_OK) {
		/* Whatever the header says, what was decoded lies inside the frame. */
		if (e.body_len + 18u > size || (e.has_eap && e.eap_len > e.body_len) || (unsigned)e.meaning >= PF_DOT1X__COUNT)
			__builtin_trap();
		if (e.meaning == PF_DOT1X_EAP_REQUEST_IDENTITY && (!e.has_eap || e.eap_type != PF_EAP_TYPE_IDENTITY))
			__builtin_trap();
		(void)pf_dot1x_frame_str(e.meaning);
	}
	pf_ra_dns d;
	if (pf_ra_parse_dns(buf, size, &d) == PF_OK && d.n_dns > PF_RA_MAX_DNS)
		__builtin_trap();
	pf_free(buf);
	return 0;
}
