/* Trust anchors for the TLS check: X.509 root certificates (DER or PEM) as BearSSL trust anchors. */
#ifndef PF_TRUST_H
#define PF_TRUST_H

#include "pf.h"
#include <bearssl.h>

/* One built-in root as DER; the table is generated at build time (scripts/gen-roots -> build/gen/roots.c,
 * firmware build only) from Debian's ca-certificates. */
typedef struct {
	const char *name;
	const uint8_t *der;
	size_t len;
} pf_root_der;

extern const pf_root_der pf_builtin_roots[];
extern const size_t pf_builtin_roots_n;

/* A growing set of trust anchors; every anchor owns copies of its DN and key. */
typedef struct {
	br_x509_trust_anchor *items;
	size_t n, cap;
} pf_trust;

/*
 * Adds the certificate in der (one X.509 certificate, nothing after it) as a CA trust anchor: its
 * subject Name as the DN, its RSA key or EC key on P-256/P-384/P-521. PF_ERR_INVALID for a malformed
 * certificate, PF_ERR_UNSUPPORTED for other key types, PF_ERR_NOMEM.
 */
PF_MUST_CHECK pf_status pf_trust_add_der(pf_trust *t, const void *der, size_t len);

/*
 * Adds the certificates of a file's contents: every "-----BEGIN CERTIFICATE-----" block when the text
 * has one (other PEM blocks are skipped), else the whole file as one DER certificate. ret_added gets
 * the number added; the first error stops (anchors added before it stay). PF_ERR_NOT_FOUND for a PEM
 * file without a certificate block.
 */
PF_MUST_CHECK pf_status pf_trust_add_file(pf_trust *t, const void *data, size_t len, size_t *ret_added);

void pf_trust_free(pf_trust *t);

#endif
