/* DHCPINFORM for the WPAD URL (option 252) when the lease did not carry it: the request built, the DHCPACK read. */
#ifndef PF_DHCPINFORM_H
#define PF_DHCPINFORM_H

#include "pf.h"
#include "wpad.h"

/* A BOOTP message is at least 300 bytes on the wire (RFC 1542: some relays drop shorter ones). */
#define PF_DHCP_INFORM_LEN 300
#define PF_DHCP_SERVER_PORT 67
#define PF_DHCP_CLIENT_PORT 68

/* What a DHCPACK to our DHCPINFORM says about proxy discovery. */
typedef struct {
	bool has_wpad;
	char wpad_url[PF_WPAD_URL_MAX + 1];  /* option 252, as pf_dhcp_option_text reads it */
	bool has_domain;
	char domain[PF_HOST_MAX + 1];        /* option 15 */
	uint8_t server[4];                   /* option 54 (server identifier), 0.0.0.0 without one */
} pf_dhcp_inform_answer;

/* The DHCPINFORM (RFC 2131 3.4) of a client with hardware address mac that has address ciaddr: BOOTREQUEST,
 * transaction id xid, no broadcast flag (the server answers ciaddr by unicast), options 53 (type 8), 61 (client
 * identifier: type 1 + mac), 55 (parameter request list: 1, 3, 6, 15, 252, as Windows' DHCP client asks for
 * WPAD), 57 (maximum message size 576), end, zero padding to PF_DHCP_INFORM_LEN. Writes PF_DHCP_INFORM_LEN
 * bytes to buf and returns that count; returns 0 (nothing written) when cap is smaller. */
size_t pf_dhcp_inform_build(const uint8_t mac[6], const uint8_t ciaddr[4], uint32_t xid, uint8_t *buf, size_t cap);

/* A datagram from the server's port 67, read as the DHCPACK to our DHCPINFORM: BOOTREPLY, Ethernet hardware,
 * our xid and mac, the magic cookie, the options well-formed up to END or the datagram's end (each length
 * checked against it; a repeated option's parts joined, RFC 3396), option 53 = 5 (DHCPACK). Options carried
 * in sname/file (option 52) are not read. PF_ERR_NOT_FOUND: a valid message that is not ours (another xid or
 * client, another type: keep listening); PF_ERR_INVALID / PF_ERR_TRUNCATED: malformed. *ret is written only
 * on PF_OK. */
pf_status pf_dhcp_ack_parse(const void *buf, size_t len, uint32_t xid, const uint8_t mac[6],
			    pf_dhcp_inform_answer *ret);

/* "52:54:00:12:34:56" (the report's adapter form; either case) as 6 bytes; false for anything else. */
bool pf_mac_parse(const char *s, uint8_t ret[6]);

#endif
