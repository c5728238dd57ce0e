/* libFuzzer target: datagrams from a DHCP server's port through the DHCPACK reader (lengths come from the sender). */
#include "dhcpinform.h"
#include "fuzzutil.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;
	uint32_t xid = size >= 8 ? (uint32_t)data[4] << 24 | (uint32_t)data[5] << 16 | (uint32_t)data[6] << 8 | data[7] : 0;
	pf_dhcp_inform_answer a;
	if (pf_dhcp_ack_parse(buf, size, xid, mac, &a) == PF_OK) {
		/* Whatever the options say, the texts are terminated inside their fields. */
		if (strlen(a.wpad_url) > PF_WPAD_URL_MAX || strlen(a.domain) > PF_HOST_MAX || (!a.has_wpad && a.wpad_url[0]))
			__builtin_trap();
	}
	pf_free(buf);
	return 0;
}
