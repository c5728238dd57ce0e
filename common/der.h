/* A strict DER walker and the X.509 certificate fields Preflight shows for the TPM's EK certificate. */
#ifndef PF_DER_H
#define PF_DER_H

#include "pf.h"

/* Deeper nesting than this is refused; X.509 certificates need about 7 levels. */
#define PF_DER_MAX_DEPTH 16

#define PF_DER_UNIVERSAL 0
#define PF_DER_APPLICATION 1
#define PF_DER_CONTEXT 2
#define PF_DER_PRIVATE 3

/* Universal tag numbers used here. */
#define PF_DER_INTEGER 2
#define PF_DER_BIT_STRING 3
#define PF_DER_OCTET_STRING 4
#define PF_DER_NULL 5
#define PF_DER_OID 6
#define PF_DER_UTF8_STRING 12
#define PF_DER_SEQUENCE 16
#define PF_DER_SET 17
#define PF_DER_PRINTABLE_STRING 19
#define PF_DER_T61_STRING 20
#define PF_DER_IA5_STRING 22
#define PF_DER_UTC_TIME 23
#define PF_DER_GENERALIZED_TIME 24
#define PF_DER_UNIVERSAL_STRING 28
#define PF_DER_BMP_STRING 30

/* One element: identifier, length, contents. Pointers are into the caller's buffer. */
typedef struct {
	uint8_t cls;          /* PF_DER_UNIVERSAL ... PF_DER_PRIVATE */
	bool constructed;
	uint32_t tag;         /* tag number (high-tag form decoded) */
	const uint8_t *tlv;   /* the whole element */
	size_t tlv_len;
	const uint8_t *val;   /* its contents */
	size_t len;
} pf_der;

/*
 * Reads the element at the start of buf; bytes after it are not looked at. Strict DER: definite
 * lengths only, in the shortest form, at most 4 length bytes; high tag numbers minimal, at most 28
 * bits. PF_ERR_TRUNCATED when the element runs past len, PF_ERR_INVALID for indefinite or
 * non-minimal forms, PF_ERR_TOO_BIG for lengths over 4 bytes.
 */
PF_MUST_CHECK pf_status pf_der_read(const void *buf, size_t len, pf_der *ret);

/* Walks the children of a constructed element in order. */
typedef struct {
	const uint8_t *p;
	size_t left;
} pf_der_iter;

static inline pf_der_iter pf_der_children(const pf_der *d) { return (pf_der_iter){ d->val, d->len }; }
/* PF_OK with the next child, PF_ERR_NOT_FOUND after the last, or pf_der_read()'s errors. */
PF_MUST_CHECK pf_status pf_der_next(pf_der_iter *it, pf_der *ret);

static inline bool pf_der_is(const pf_der *d, uint8_t cls, bool constructed, uint32_t tag)
{
	return d->cls == cls && d->constructed == constructed && d->tag == tag;
}
/* The next child, which must be there and be of the given kind (PF_ERR_INVALID when it is missing). */
PF_MUST_CHECK pf_status pf_der_expect(pf_der_iter *it, uint8_t cls, bool constructed, uint32_t tag, pf_der *ret);
/* pf_der_expect() that returns its failure from the calling function. */
#define PF_DER_EXPECT(it, cls, cons, tag, d)                            \
	do {                                                            \
		pf_status s_ = pf_der_expect(it, cls, cons, tag, d);    \
		if (s_ != PF_OK)                                        \
			return s_;                                      \
	} while (0)

/*
 * Checks that buf starts with one element whose constructed parts are sequences of well-formed
 * elements exactly filling them, nested at most max_depth levels (the element itself is level 1).
 * ret_len gets the element's size; later bytes are allowed (NV indices pad certificates).
 */
PF_MUST_CHECK pf_status pf_der_check(const void *buf, size_t len, unsigned max_depth, size_t *ret_len);

/* Dotted text of an OBJECT IDENTIFIER's contents ("2.5.4.3"); arcs above 64 bits are refused
 * (PF_ERR_UNSUPPORTED). Output as snprintf: NUL-terminated when cap > 0; *ret_len is the full length. */
PF_MUST_CHECK pf_status pf_der_oid_str(const uint8_t *oid, size_t len, char *out, size_t cap, size_t *ret_len);

/*
 * DER RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (PKCS #1) from unsigned
 * big-endian n and e (leading zero bytes allowed). Writes it when cap is large enough and returns
 * its size in any case; 0 when n or e is empty or zero.
 */
size_t pf_der_rsa_public_key(const uint8_t *n, size_t nlen, const uint8_t *e, size_t elen, uint8_t *out, size_t cap);

/* ---- X.509 (RFC 5280) ---- */

typedef struct {
	uint16_t year;
	uint8_t month;  /* 1-12 */
	uint8_t day;    /* 1-31 */
	uint8_t hour;   /* 0-23 */
	uint8_t minute;
	uint8_t second; /* 0-59 */
} pf_x509_time;

typedef struct {
	int version;              /* 1, 2 or 3 */
	pf_der serial;            /* INTEGER */
	pf_der issuer;            /* Name: SEQUENCE OF RelativeDistinguishedName */
	pf_der subject;
	pf_x509_time not_before;  /* UTC */
	pf_x509_time not_after;
	pf_der spki;              /* SubjectPublicKeyInfo SEQUENCE */
	size_t der_len;           /* the certificate's own size; anything after it was padding */
} pf_x509_cert;

/* Walks Certificate and TBSCertificate far enough for the fields above, after pf_der_check() of the
 * whole certificate. Pointers are into der. */
PF_MUST_CHECK pf_status pf_x509_parse(const void *der, size_t len, pf_x509_cert *ret_cert);

/*
 * A Name as one line, exactly as `openssl x509 -noout -issuer -nameopt RFC2253` prints it after
 * "issuer=": RDNs last to first joined by ',', multi-valued RDNs joined by '+', OpenSSL's short
 * names (CN, O, OU, C, ST, L, emailAddress, serialNumber, DC, ...), unknown types as dotted OIDs
 * with '#' and the value's DER in upper-case hex. Values: PrintableString, IA5String, NumericString,
 * T61String (as Latin-1), UTF8String, BMPString, UniversalString; other types OpenSSL accepts
 * (SEQUENCE, BIT STRING, ...) as '#' and DER. RFC 2253 escapes for , + " \ < > ;, a leading # or
 * space and a trailing space; control characters and every byte of a non-ASCII character's UTF-8
 * form as \XX. Values OpenSSL refuses to load (invalid UTF-8, surrogates, odd BMPString lengths,
 * OCTET STRING, VisibleString, non-universal tags) give PF_ERR_INVALID; an empty RDN is skipped as
 * OpenSSL does. *ret is pool memory ("" for an empty Name).
 */
PF_MUST_CHECK pf_status pf_x509_name_str(const pf_der *name, char **ret);
/* The value of a Name's commonName (2.5.4.3) as UTF-8, without escapes; the last CN when there are
 * several (the most specific RDN). PF_ERR_NOT_FOUND without a CN, PF_ERR_INVALID as pf_x509_name_str().
 * *ret is pool memory. */
PF_MUST_CHECK pf_status pf_x509_name_cn(const pf_der *name, char **ret);
/* pf_x509_parse() and pf_x509_name_str() for issuer and subject; both or neither are returned. */
PF_MUST_CHECK pf_status pf_x509_names(const void *der, size_t len, char **ret_issuer, char **ret_subject);

/* UTCTime "YYMMDDHHMMSSZ" (years 1950-2049) or GeneralizedTime "YYYYMMDDHHMMSSZ", as RFC 5280
 * requires them; fractions and offsets are refused. */
PF_MUST_CHECK pf_status pf_x509_time_parse(const pf_der *t, pf_x509_time *ret_time);
/* "2024-01-31T12:00:00Z"; returns the full length as snprintf does. */
size_t pf_x509_time_str(const pf_x509_time *t, char *out, size_t cap);

typedef enum { PF_X509_KEY_RSA = 1, PF_X509_KEY_EC = 2 } pf_x509_key_type;

typedef struct {
	pf_x509_key_type type;
	const uint8_t *n;     /* RSA modulus, big-endian, without the sign byte */
	size_t n_len;
	const uint8_t *e;     /* RSA public exponent */
	size_t e_len;
	const uint8_t *x;     /* EC: the uncompressed point's coordinates, equal halves */
	const uint8_t *y;
	size_t xy_len;
	pf_der curve;         /* EC: namedCurve OID element */
} pf_x509_key;

/* The key in a SubjectPublicKeyInfo: rsaEncryption or id-ecPublicKey with a named curve and an
 * uncompressed point; PF_ERR_UNSUPPORTED for other algorithms. Pointers are into spki. */
PF_MUST_CHECK pf_status pf_x509_spki_key(const pf_der *spki, pf_x509_key *ret_key);

#endif
