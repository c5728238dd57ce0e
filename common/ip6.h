/* IPv6 addresses as the report shows them: RFC 5952 text, scope, SLAAC or not, and NAT64 prefixes (RFC 6052). */
#ifndef PF_IP6_H
#define PF_IP6_H

#include "pf.h"

#define PF_IP6_STR_MAX 46 /* the longest text form with its NUL, as INET6_ADDRSTRLEN */

/* a (16 bytes) in RFC 5952's canonical text: lower case, leading zeros dropped, the longest run of two or more
 * zero groups (the first of equal runs) as "::". Always NUL-terminates ret. */
void pf_ip6_str(const uint8_t a[16], char ret[PF_IP6_STR_MAX]);

/* True for an address a host can reach the Internet from: not unspecified, loopback, link-local (fe80::/10)
 * or multicast. Unique local addresses (fc00::/7) count: a network may carry them to NAT64 or a proxy. */
bool pf_ip6_is_global(const uint8_t a[16]);

/* True when a's interface identifier is the modified EUI-64 of the 48-bit mac (RFC 4291 appendix A), which
 * is how SLAAC forms it (edk2 does); an address from DHCPv6 has another one. */
bool pf_ip6_is_eui64(const uint8_t a[16], const uint8_t mac[6]);

/* RFC 6052 section 2.2: the IPv4 address embedded in a after a prefix of prefix_len bits (32, 40, 48, 56, 64 or
 * 96); bits 64..71 are the "u" octet, skipped, and must be zero. False for another length or a non-zero u octet. */
bool pf_ip6_embedded_v4(const uint8_t a[16], unsigned prefix_len, uint8_t ret_v4[4]);

/* The NAT64 prefix a lies in, when a host can tell by the address alone: the well-known prefix 64:ff9b::/96
 * (RFC 6052) or the local-use prefix 64:ff9b:1::/48 (RFC 8215), as text; NULL for any other address (a
 * network-specific prefix is known only by asking DNS64 for ipv4only.arpa, RFC 7050). On a match ret_v4 holds
 * the IPv4 address behind the translator. */
const char *pf_ip6_nat64(const uint8_t a[16], uint8_t ret_v4[4]);

#endif
