/* NTP (RFC 5905) client packets: the 48-byte request and the checks on the server's answer. */
#include "ntp.h"

static uint64_t get_be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

void pf_ntp_request(uint8_t out[PF_NTP_PACKET], uint64_t cookie)
{
	memset(out, 0, PF_NTP_PACKET);
	out[0] = (0 << 6) | (4 << 3) | 3; /* leap 0, version 4, mode 3 (client) */
	put_be64(out + 40, cookie);
}

int64_t pf_ntp_to_unix(uint32_t ntp_seconds)
{
	int64_t s = (int64_t)ntp_seconds;
	if (ntp_seconds < 0x80000000u)
		s += (int64_t)1 << 32;
	return s - PF_NTP_UNIX_DELTA;
}

pf_status pf_ntp_parse(const void *buf, size_t len, uint64_t cookie, pf_ntp_reply *ret)
{
	const uint8_t *p = buf;
	if (len < PF_NTP_PACKET)
		return PF_ERR_TRUNCATED;
	pf_ntp_reply r = {
		.leap = p[0] >> 6,
		.version = (p[0] >> 3) & 7,
		.mode = p[0] & 7,
		.stratum = p[1],
		.transmit = get_be64(p + 40),
	};
	if (r.mode != 4 || r.version < 3 || r.version > 4 || get_be64(p + 24) != cookie || r.stratum == 0 ||
	    r.stratum > 15 || r.leap == 3 || r.transmit == 0)
		return PF_ERR_INVALID;
	r.server_unix = pf_ntp_to_unix((uint32_t)(r.transmit >> 32));
	r.server_ms = (uint32_t)(((r.transmit & 0xffffffffu) * 1000) >> 32);
	*ret = r;
	return PF_OK;
}
