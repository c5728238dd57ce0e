/* IPv6 addresses as the report shows them: RFC 5952 text, scope, and whether an address was formed by SLAAC. */
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

#endif
