/* Entropy for the TLS engine: EFI_RNG_PROTOCOL, else the CPU's RNG (RDRAND, RNDR), else weak sources (counter jitter, time). */
#ifndef PF_EFI_ENTROPY_H
#define PF_EFI_ENTROPY_H

#include <efi.h>
#include "pf.h"

typedef enum { ENTROPY_RNG_PROTOCOL, ENTROPY_HWRNG, ENTROPY_WEAK } entropy_source;

/* The best source this machine offers (a test draw decides). */
entropy_source entropy_probe(void);
/* "rng-protocol", "rdrand" (x86-64) or "rndr" (AArch64), "weak" */
const char *entropy_source_str(entropy_source s);
/* n bytes from s, or from the next weaker source when s fails; ret_used says which gave them. */
void entropy_get(entropy_source s, uint8_t *buf, size_t n, entropy_source *ret_used);

#endif
