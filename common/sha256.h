/* SHA-256 (FIPS 180-4), streaming and one-shot, and lower-case hex for digests. */
#ifndef PF_SHA256_H
#define PF_SHA256_H

#include "pf.h"

#define PF_SHA256_SIZE 32
#define PF_SHA256_HEX_SIZE (2 * PF_SHA256_SIZE + 1)

typedef struct {
	uint32_t h[8];
	uint64_t total;     /* bytes hashed so far */
	uint8_t block[64];
	size_t used;        /* bytes waiting in block */
} pf_sha256_ctx;

void pf_sha256_init(pf_sha256_ctx *c);
void pf_sha256_update(pf_sha256_ctx *c, const void *data, size_t len);
/* Writes the digest; c must be initialised again before it is reused. */
void pf_sha256_final(pf_sha256_ctx *c, uint8_t ret_digest[PF_SHA256_SIZE]);
void pf_sha256(const void *data, size_t len, uint8_t ret_digest[PF_SHA256_SIZE]);

/* Lower-case hex of len bytes into out (cap bytes, always NUL-terminated when cap > 0); returns the
 * length the whole text has (2 * len), as snprintf does, so a short out is detectable. */
size_t pf_hex(const void *data, size_t len, char *out, size_t cap);

#endif
