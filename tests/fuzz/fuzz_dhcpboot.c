/* libFuzzer target: the DHCP packet a PXE boot kept (from the network) through the boot server and file reader. */
#include "dhcpboot.h"
#include "fuzzutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;
	pf_dhcp_boot b;
	if (pf_dhcp_boot_parse(buf, size, &b) == PF_OK &&
	    (!b.file[0] || strlen(b.file) >= sizeof(b.file) || !(b.server[0] | b.server[1] | b.server[2] | b.server[3])))
		__builtin_trap();
	pf_free(buf);
	return 0;
}
