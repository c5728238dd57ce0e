/* SHA-1 and SHA-256 of a whole buffer through BearSSL, sized for the hex fields of the reports. */
#ifndef PF_DIGEST_H
#define PF_DIGEST_H

#include "pf.h"
#include <bearssl_hash.h>

#define PF_SHA256_SIZE 32
#define PF_SHA256_HEX_SIZE (2 * PF_SHA256_SIZE + 1)
#define PF_SHA1_SIZE 20
#define PF_SHA1_HEX_SIZE (2 * PF_SHA1_SIZE + 1)

/* One-shot digests; streaming callers use br_sha256_context directly. */
static inline void pf_sha256(const void *data, size_t len, uint8_t ret_digest[PF_SHA256_SIZE])
{
	br_sha256_context c;
	br_sha256_init(&c);
	br_sha256_update(&c, data, len);
	br_sha256_out(&c, ret_digest);
}

/* SHA-1 only for thumbprints: firmware setup screens and Microsoft's documents name certificates by it. */
static inline void pf_sha1(const void *data, size_t len, uint8_t ret_digest[PF_SHA1_SIZE])
{
	br_sha1_context c;
	br_sha1_init(&c);
	br_sha1_update(&c, data, len);
	br_sha1_out(&c, ret_digest);
}

#endif
