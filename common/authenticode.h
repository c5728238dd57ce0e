/* Authenticode signatures of PE images: WIN_CERTIFICATE, PKCS#7 SignedData, signer chain and RSA checks. */
#ifndef PF_AUTHENTICODE_H
#define PF_AUTHENTICODE_H

#include "pf.h"
#include "der.h"

/* Microsoft's boot manager carries two or three certificates; more than this is not a boot manager. */
#define PF_AC_MAX_CERTS 16

/* One certificate of the SignedData's certificates field; pointers are into the caller's buffer. */
typedef struct {
	const uint8_t *der;
	size_t len;
	pf_der tbs;               /* TBSCertificate, the signed part */
	pf_der sig_alg;           /* signatureAlgorithm AlgorithmIdentifier */
	pf_der sig;               /* signatureValue BIT STRING */
	pf_x509_cert x;           /* issuer, subject, serial, dates, key */
	uint8_t sha1[20];         /* thumbprints of the DER bytes */
	uint8_t sha256[32];
} pf_ac_cert;

typedef struct {
	size_t n_signatures;      /* WIN_CERTIFICATE entries of type PKCS_SIGNED_DATA in the table */
	bool digest_is_sha256;    /* spcIndirectData's DigestInfo algorithm */
	uint8_t digest[64];       /* the image hash the signer signed */
	size_t digest_len;
	pf_ac_cert certs[PF_AC_MAX_CERTS];
	size_t n_certs;
	pf_der signer_issuer;     /* SignerInfo's IssuerAndSerialNumber */
	pf_der signer_serial;
	int signer;               /* index into certs of the signer's certificate, -1 when absent */
	pf_der signed_attrs;      /* [0] IMPLICIT signedAttrs as it appears (tag 0xA0) */
	pf_der content;           /* SpcIndirectDataContent SEQUENCE */
	pf_der signer_digest_alg; /* SignerInfo's digestAlgorithm */
	pf_der signer_sig;        /* SignerInfo's signature OCTET STRING */
	pf_der nested;            /* the SET of the unauthenticated attribute 1.3.6.1.4.1.311.2.4.1: further
	                           * SignedData ContentInfos (dual signing); tlv_len 0 when absent */
	bool has_timestamp;       /* an RFC 3161 (1.3.6.1.4.1.311.3.3.1) or PKCS#9 countersignature is attached */
} pf_authenticode;

/* One WIN_CERTIFICATE of a certificate table; data points into the table. */
typedef struct {
	uint16_t revision;
	uint16_t type;            /* 2: PKCS_SIGNED_DATA */
	const uint8_t *data;      /* bCertificate */
	size_t len;
} pf_wincert;

typedef struct {
	const uint8_t *p;
	size_t len, off;
} pf_wincert_iter;

pf_wincert_iter pf_wincert_iter_init(const void *table, size_t len);

/*
 * The next WIN_CERTIFICATE, walked as edk2's DxeImageVerificationLib does: each entry's dwLength plus its
 * padding to 8 bytes must lie within the table. PF_ERR_NOT_FOUND when the table ends exactly after the
 * previous entry, PF_ERR_INVALID when what is left is not a whole entry (the firmware refuses the image:
 * the table must be consumed to its last byte).
 */
PF_MUST_CHECK pf_status pf_wincert_next(pf_wincert_iter *it, pf_wincert *ret);

/* True when type is PKCS_SIGNED_DATA (revision 2.0; edk2 does not look at the revision either). */
bool pf_wincert_is_pkcs7(const pf_wincert *w);

/*
 * One PKCS#7 ContentInfo holding an Authenticode SignedData (a WIN_CERTIFICATE's bCertificate, or one
 * nested signature). Same rules and errors as pf_authenticode_parse(); n_signatures is left 0.
 */
PF_MUST_CHECK pf_status pf_authenticode_parse_pkcs7(const void *buf, size_t len, pf_authenticode *ret_ac);

/* A certificate in DER (a db or dbx entry) read into ret_cert: its TBS, signature and thumbprints. */
PF_MUST_CHECK pf_status pf_authenticode_cert(const void *der, size_t len, pf_ac_cert *ret_cert);

/* SHA-256 of the certificate's TBSCertificate, as dbx's EFI_CERT_X509_SHA256 entries hold it. */
void pf_authenticode_tbs_sha256(const pf_ac_cert *cert, uint8_t ret_hash[32]);

/*
 * Reads the certificate table of a PE image (the bytes the security directory points at): its first
 * WIN_CERTIFICATE of revision 2.0 and type PKCS_SIGNED_DATA, the PKCS#7 SignedData in it, whose
 * content must be SPC_INDIRECT_DATA (1.3.6.1.4.1.311.2.1.4), its certificates and first SignerInfo.
 * Strict DER (pf_der_read()); PF_ERR_NOT_FOUND without a PKCS#7 entry, PF_ERR_INVALID or
 * PF_ERR_TRUNCATED for a damaged one, PF_ERR_TOO_BIG for more than PF_AC_MAX_CERTS certificates.
 * Pointers in ret_ac are into buf.
 */
PF_MUST_CHECK pf_status pf_authenticode_parse(const void *buf, size_t len, pf_authenticode *ret_ac);

/*
 * The signer's chain within the signature: the signer's certificate, then the certificate whose
 * subject is its issuer, and so on until a self-signed one or an issuer that is not included.
 * Writes at most cap indices into certs and returns how many; 0 when the signer is absent.
 */
size_t pf_authenticode_chain(const pf_authenticode *ac, int *ret_idx, size_t cap);

/*
 * The signer's RSA signature over its signed attributes (with SHA-256, whose messageDigest must be
 * the SHA-256 of the SpcIndirectDataContent's contents). PF_OK when it verifies, PF_ERR_INVALID when it
 * does not, PF_ERR_UNSUPPORTED for algorithms other than RSA with SHA-256.
 */
PF_MUST_CHECK pf_status pf_authenticode_verify_signer(const pf_authenticode *ac);

/*
 * Whether cert's signature verifies with the key in the SubjectPublicKeyInfo issuer_spki
 * (sha256WithRSAEncryption only, PF_ERR_UNSUPPORTED for others).
 */
PF_MUST_CHECK pf_status pf_authenticode_verify_cert(const pf_ac_cert *cert, const pf_der *issuer_spki);

#endif
