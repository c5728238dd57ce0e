/* NTP (RFC 5905) client packets: the 48-byte request and the checks on the server's answer. */
#ifndef PF_NTP_H
#define PF_NTP_H

#include "pf.h"

#define PF_NTP_PACKET 48
#define PF_NTP_UNIX_DELTA 2208988800u /* seconds from 1900-01-01 to 1970-01-01 */

typedef struct {
	uint8_t leap, version, mode, stratum;
	uint64_t transmit;     /* server transmit timestamp, NTP format (32.32 since 1900, era-wrapped) */
	int64_t server_unix;   /* transmit time as whole seconds since 1970 */
	uint32_t server_ms;    /* its fraction in milliseconds */
} pf_ntp_reply;

/* A client request (version 4, mode 3) whose transmit timestamp is `cookie`: the server copies it
 * into the origin field, so the answer can be matched (RFC 5905 uses it against spoofing). */
void pf_ntp_request(uint8_t out[PF_NTP_PACKET], uint64_t cookie);

/*
 * Checks and decodes an answer: at least 48 bytes, mode 4 (server), version 3 or 4, origin equal to
 * cookie, stratum 1..15 (0 is a kiss-o'-death), leap not 3 (unsynchronised), transmit non-zero.
 * PF_ERR_INVALID otherwise (PF_ERR_TRUNCATED when short).
 */
PF_MUST_CHECK pf_status pf_ntp_parse(const void *buf, size_t len, uint64_t cookie, pf_ntp_reply *ret);

/* NTP seconds (1900 epoch, 32 bits) to Unix seconds: era 1 starts in 2036, so values below
 * 2^31 are taken as era 1 (valid for 1968..2104). */
int64_t pf_ntp_to_unix(uint32_t ntp_seconds);

#endif
