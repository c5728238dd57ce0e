/* The boot server and boot file a PXE client was given, read from the DHCP (or proxy-DHCP) packet the firmware kept. */
#ifndef PF_DHCPBOOT_H
#define PF_DHCPBOOT_H

#include "pf.h"

#define PF_DHCP_FILE_MAX 256

typedef struct {
	uint8_t server[4];           /* the TFTP server: siaddr, else option 66 as an IPv4 address, else option 54 */
	char file[PF_DHCP_FILE_MAX]; /* option 67, else the BOOTP file field; printable ASCII */
} pf_dhcp_boot;

/*
 * Reads a BOOTP/DHCPv4 packet (RFC 2131/2132, option overload of 52 included). PF_ERR_TRUNCATED when
 * shorter than the fixed header, PF_ERR_INVALID without the magic cookie or with an option running
 * past the end, PF_ERR_NOT_FOUND when no boot file or no server address is given. ret_boot is
 * written only on success.
 */
PF_MUST_CHECK pf_status pf_dhcp_boot_parse(const void *buf, size_t len, pf_dhcp_boot *ret_boot);

#endif
