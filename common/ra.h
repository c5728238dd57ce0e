/* IPv6 router advertisements as a host reads them for DNS: the RDNSS option (RFC 8106) of an RA (RFC 4861 4.2). */
#ifndef PF_RA_H
#define PF_RA_H

#include "pf.h"

#define PF_RA_MAX_DNS 4

typedef struct {
	size_t n_dns;
	uint8_t dns[PF_RA_MAX_DNS][16];     /* RDNSS servers with a non-zero lifetime, in the RA's order */
} pf_ra_dns;

/*
 * buf: one IPv6 packet from its header on (len bytes, as received; the payload length is checked against it).
 * PF_OK for a valid router advertisement (RFC 4861 6.1.2: ICMPv6 without extension headers, hop limit 255, a
 * link-local source, type 134 code 0, a correct checksum, every option of non-zero length and inside the
 * packet); ret gets its RDNSS servers (none is fine). PF_ERR_INVALID for anything else (ret untouched).
 */
PF_MUST_CHECK pf_status pf_ra_parse_dns(const void *buf, size_t len, pf_ra_dns *ret);

#endif
