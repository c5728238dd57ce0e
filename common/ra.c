/* IPv6 router advertisements as a host reads them for DNS: the RDNSS option (RFC 8106) of an RA (RFC 4861 4.2). */
#include "ra.h"

#define IP6_HEADER 40
#define RA_HEADER 16          /* type, code, checksum, hop limit, flags, lifetime, reachable, retransmit */
#define OPT_RDNSS 25

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The ICMPv6 checksum over the pseudo-header (RFC 8200 8.1) and the message; 0 when it is right. */
static uint16_t icmp6_sum(const uint8_t *ip, const uint8_t *msg, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 8; i < IP6_HEADER; i += 2)
		sum += be16(ip + i); /* source and destination addresses */
	sum += (uint32_t)(n >> 16) + (uint32_t)(n & 0xffff) + 58;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += be16(msg + i);
	if (n & 1)
		sum += (uint32_t)msg[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

pf_status pf_ra_parse_dns(const void *buf, size_t len, pf_ra_dns *ret)
{
	const uint8_t *ip = buf;
	if (!buf || len < IP6_HEADER + RA_HEADER || ip[0] >> 4 != 6)
		return PF_ERR_INVALID;
	size_t n = be16(ip + 4);
	if (n > len - IP6_HEADER || n < RA_HEADER)
		return PF_ERR_INVALID; /* never trust the length: the packet must hold what it claims */
	const uint8_t *m = ip + IP6_HEADER;
	/* Next header ICMPv6, hop limit 255 (from the link itself), a link-local source, type 134 code 0. */
	if (ip[6] != 58 || ip[7] != 255 || ip[8] != 0xfe || (ip[9] & 0xc0) != 0x80 || m[0] != 134 || m[1] != 0)
		return PF_ERR_INVALID;
	if (icmp6_sum(ip, m, n) != 0)
		return PF_ERR_INVALID;
	pf_ra_dns out = { 0 };
	for (size_t off = RA_HEADER; off < n;) {
		if (n - off < 2 || m[off + 1] == 0 || (size_t)m[off + 1] * 8 > n - off)
			return PF_ERR_INVALID; /* an option of length 0 or past the end invalidates the RA (4861 4.6) */
		size_t olen = (size_t)m[off + 1] * 8;
		/* RDNSS: type, length (1 + 2 per address), reserved, lifetime, addresses; lifetime 0 withdraws them. */
		if (m[off] == OPT_RDNSS && olen >= 24) {
			uint32_t life = (uint32_t)m[off + 4] << 24 | (uint32_t)m[off + 5] << 16 | (uint32_t)m[off + 6] << 8 |
					m[off + 7];
			for (size_t a = off + 8; life && a + 16 <= off + olen && out.n_dns < PF_RA_MAX_DNS; a += 16)
				memcpy(out.dns[out.n_dns++], m + a, 16);
		}
		off += olen;
	}
	*ret = out;
	return PF_OK;
}
