/* WIN_CERTIFICATE and PKCS#7 SignedData (RFC 2315) of an Authenticode signature, read with the DER walker. */
#include "authenticode.h"
#include "le.h"
#include "digest.h"
#include <bearssl_rsa.h>

#define WIN_CERT_HEADER 8
#define WIN_CERT_REVISION_2_0 0x0200
#define WIN_CERT_TYPE_PKCS_SIGNED_DATA 0x0002

static const uint8_t oid_signed_data[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02 };
static const uint8_t oid_spc_indirect[] = { 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x01, 0x04 };
static const uint8_t oid_sha256[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };
static const uint8_t oid_message_digest[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x04 };
static const uint8_t oid_sha256_rsa[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B };
/* Microsoft's nested signature (SPC_NESTED_SIGNATURE), its RFC 3161 timestamp, PKCS#9 counterSignature. */
static const uint8_t oid_nested[] = { 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x04, 0x01 };
static const uint8_t oid_rfc3161[] = { 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x03, 0x03, 0x01 };
static const uint8_t oid_countersig[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x06 };


static bool oid_is(const pf_der *d, const uint8_t *oid, size_t len)
{
	return pf_der_is(d, PF_DER_UNIVERSAL, false, PF_DER_OID) && d->len == len && memcmp(d->val, oid, len) == 0;
}

#define U PF_DER_UNIVERSAL

/* An AlgorithmIdentifier's OID is one of these. */
static bool alg_is(const pf_der *alg, const uint8_t *oid, size_t len)
{
	pf_der_iter it = pf_der_children(alg);
	pf_der o;
	return pf_der_next(&it, &o) == PF_OK && oid_is(&o, oid, len);
}

/* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING } */
static pf_status read_cert(const pf_der *d, pf_ac_cert *ret)
{
	pf_ac_cert c = { .der = d->tlv, .len = d->tlv_len };
	pf_status s = pf_x509_parse(d->tlv, d->tlv_len, &c.x);
	if (s != PF_OK)
		return s;
	pf_der_iter it = pf_der_children(d);
	PF_DER_EXPECT(&it, U, true, PF_DER_SEQUENCE, &c.tbs);
	PF_DER_EXPECT(&it, U, true, PF_DER_SEQUENCE, &c.sig_alg);
	PF_DER_EXPECT(&it, U, false, PF_DER_BIT_STRING, &c.sig);
	pf_sha1(c.der, c.len, c.sha1);
	pf_sha256(c.der, c.len, c.sha256);
	*ret = c;
	return PF_OK;
}

/* encapContentInfo: SEQUENCE { SPC_INDIRECT_DATA OID, [0] { SpcIndirectDataContent } }, whose second
 * element is the DigestInfo SEQUENCE { AlgorithmIdentifier, digest OCTET STRING }. */
static pf_status read_content(const pf_der *encap, pf_authenticode *ac)
{
	pf_der d, wrap, data, dinfo, alg, digest;
	pf_der_iter it = pf_der_children(encap);
	PF_DER_EXPECT(&it, U, false, PF_DER_OID, &d);
	if (!oid_is(&d, oid_spc_indirect, sizeof(oid_spc_indirect)))
		return PF_ERR_INVALID;
	PF_DER_EXPECT(&it, PF_DER_CONTEXT, true, 0, &wrap);
	pf_der_iter w = pf_der_children(&wrap);
	PF_DER_EXPECT(&w, U, true, PF_DER_SEQUENCE, &ac->content);
	pf_der_iter c = pf_der_children(&ac->content);
	PF_DER_EXPECT(&c, U, true, PF_DER_SEQUENCE, &data);
	PF_DER_EXPECT(&c, U, true, PF_DER_SEQUENCE, &dinfo);
	pf_der_iter di = pf_der_children(&dinfo);
	PF_DER_EXPECT(&di, U, true, PF_DER_SEQUENCE, &alg);
	PF_DER_EXPECT(&di, U, false, PF_DER_OCTET_STRING, &digest);
	if (digest.len == 0 || digest.len > sizeof(ac->digest))
		return PF_ERR_INVALID;
	ac->digest_is_sha256 = alg_is(&alg, oid_sha256, sizeof(oid_sha256)) && digest.len == 32;
	memcpy(ac->digest, digest.val, digest.len);
	ac->digest_len = digest.len;
	return PF_OK;
}

/* unsignedAttrs: Attribute ::= SEQUENCE { type OID, values SET }. The nested signatures' SET is kept
 * for the caller; a timestamp is only noted (its time is not judged). */
static pf_status read_unsigned_attrs(const pf_der *attrs, pf_authenticode *ac)
{
	pf_der a, oid, set;
	pf_status s;
	pf_der_iter it = pf_der_children(attrs);
	while ((s = pf_der_next(&it, &a)) == PF_OK) {
		if (!pf_der_is(&a, U, true, PF_DER_SEQUENCE))
			return PF_ERR_INVALID;
		pf_der_iter ai = pf_der_children(&a);
		PF_DER_EXPECT(&ai, U, false, PF_DER_OID, &oid);
		PF_DER_EXPECT(&ai, U, true, PF_DER_SET, &set);
		if (oid_is(&oid, oid_nested, sizeof(oid_nested)) && !ac->nested.tlv_len)
			ac->nested = set;
		else if (oid_is(&oid, oid_rfc3161, sizeof(oid_rfc3161)) || oid_is(&oid, oid_countersig, sizeof(oid_countersig)))
			ac->has_timestamp = true;
	}
	return s == PF_ERR_NOT_FOUND ? PF_OK : s;
}

/* SignerInfo ::= SEQUENCE { version, IssuerAndSerialNumber, digestAlgorithm, [0] signedAttrs OPTIONAL,
 * signatureAlgorithm, signature OCTET STRING, [1] unsignedAttrs OPTIONAL } */
static pf_status read_signer(const pf_der *si, pf_authenticode *ac)
{
	pf_der d, ias;
	pf_der_iter it = pf_der_children(si);
	PF_DER_EXPECT(&it, U, false, PF_DER_INTEGER, &d);
	PF_DER_EXPECT(&it, U, true, PF_DER_SEQUENCE, &ias);
	pf_der_iter i = pf_der_children(&ias);
	PF_DER_EXPECT(&i, U, true, PF_DER_SEQUENCE, &ac->signer_issuer);
	PF_DER_EXPECT(&i, U, false, PF_DER_INTEGER, &ac->signer_serial);
	PF_DER_EXPECT(&it, U, true, PF_DER_SEQUENCE, &ac->signer_digest_alg);
	pf_status s = pf_der_next(&it, &d);
	if (s != PF_OK)
		return s == PF_ERR_NOT_FOUND ? PF_ERR_INVALID : s;
	if (pf_der_is(&d, PF_DER_CONTEXT, true, 0)) {
		ac->signed_attrs = d;
		PF_DER_EXPECT(&it, U, true, PF_DER_SEQUENCE, &d);
	} else if (!pf_der_is(&d, U, true, PF_DER_SEQUENCE)) {
		return PF_ERR_INVALID;
	}
	PF_DER_EXPECT(&it, U, false, PF_DER_OCTET_STRING, &ac->signer_sig);
	s = pf_der_next(&it, &d);
	if (s == PF_ERR_NOT_FOUND)
		return PF_OK;
	if (s != PF_OK)
		return s;
	if (!pf_der_is(&d, PF_DER_CONTEXT, true, 1))
		return PF_ERR_INVALID;
	return read_unsigned_attrs(&d, ac);
}

/* The signer's certificate: the one with the SignerInfo's issuer and serial number. */
static int find_signer(const pf_authenticode *ac)
{
	for (size_t i = 0; i < ac->n_certs; i++) {
		const pf_x509_cert *x = &ac->certs[i].x;
		if (x->issuer.tlv_len == ac->signer_issuer.tlv_len && x->serial.tlv_len == ac->signer_serial.tlv_len &&
		    memcmp(x->issuer.tlv, ac->signer_issuer.tlv, x->issuer.tlv_len) == 0 &&
		    memcmp(x->serial.tlv, ac->signer_serial.tlv, x->serial.tlv_len) == 0)
			return (int)i;
	}
	return -1;
}

static pf_status read_signed_data(const uint8_t *p, size_t len, pf_authenticode *ac)
{
	pf_der ci, d, wrap, sd, encap, sis, si;
	pf_status s = pf_der_read(p, len, &ci);
	if (s != PF_OK)
		return s;
	if (!pf_der_is(&ci, U, true, PF_DER_SEQUENCE))
		return PF_ERR_INVALID;
	pf_der_iter it = pf_der_children(&ci);
	PF_DER_EXPECT(&it, U, false, PF_DER_OID, &d);
	if (!oid_is(&d, oid_signed_data, sizeof(oid_signed_data)))
		return PF_ERR_INVALID;
	PF_DER_EXPECT(&it, PF_DER_CONTEXT, true, 0, &wrap);
	pf_der_iter w = pf_der_children(&wrap);
	PF_DER_EXPECT(&w, U, true, PF_DER_SEQUENCE, &sd);

	/* SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo, [0] certificates
	 * OPTIONAL, [1] crls OPTIONAL, signerInfos SET } */
	pf_der_iter f = pf_der_children(&sd);
	PF_DER_EXPECT(&f, U, false, PF_DER_INTEGER, &d);
	PF_DER_EXPECT(&f, U, true, PF_DER_SET, &d);
	PF_DER_EXPECT(&f, U, true, PF_DER_SEQUENCE, &encap);
	s = read_content(&encap, ac);
	if (s != PF_OK)
		return s;
	s = pf_der_next(&f, &d);
	if (s == PF_OK && pf_der_is(&d, PF_DER_CONTEXT, true, 0)) {
		pf_der_iter ci2 = pf_der_children(&d);
		pf_der cd;
		while ((s = pf_der_next(&ci2, &cd)) == PF_OK) {
			if (ac->n_certs == PF_AC_MAX_CERTS)
				return PF_ERR_TOO_BIG;
			if (!pf_der_is(&cd, U, true, PF_DER_SEQUENCE))
				return PF_ERR_INVALID;
			s = read_cert(&cd, &ac->certs[ac->n_certs]);
			if (s != PF_OK)
				return s;
			ac->n_certs++;
		}
		if (s != PF_ERR_NOT_FOUND)
			return s;
		s = pf_der_next(&f, &d);
	}
	if (s == PF_OK && pf_der_is(&d, PF_DER_CONTEXT, true, 1))
		s = pf_der_next(&f, &d);
	if (s != PF_OK)
		return s == PF_ERR_NOT_FOUND ? PF_ERR_INVALID : s;
	if (!pf_der_is(&d, U, true, PF_DER_SET))
		return PF_ERR_INVALID;
	sis = d;
	pf_der_iter sit = pf_der_children(&sis);
	PF_DER_EXPECT(&sit, U, true, PF_DER_SEQUENCE, &si);
	s = read_signer(&si, ac);
	if (s != PF_OK)
		return s;
	ac->signer = find_signer(ac);
	return PF_OK;
}

pf_wincert_iter pf_wincert_iter_init(const void *table, size_t len)
{
	return (pf_wincert_iter){ .p = table, .len = len };
}

pf_status pf_wincert_next(pf_wincert_iter *it, pf_wincert *ret)
{
	size_t left = it->len - it->off;
	if (left == 0)
		return PF_ERR_NOT_FOUND;
	/* WIN_CERTIFICATE { dwLength, wRevision, wCertificateType, bCertificate[] }, each padded to 8 bytes. */
	if (left <= WIN_CERT_HEADER)
		return PF_ERR_INVALID;
	const uint8_t *h = it->p + it->off;
	size_t n = pf_le32(h);
	size_t pad = n % 8 ? 8 - n % 8 : 0;
	if (n <= WIN_CERT_HEADER || n > left || left - n < pad)
		return PF_ERR_INVALID;
	*ret = (pf_wincert){ .revision = pf_le16(h + 4), .type = pf_le16(h + 6), .data = h + WIN_CERT_HEADER,
			     .len = n - WIN_CERT_HEADER };
	it->off += n + pad;
	return PF_OK;
}

bool pf_wincert_is_pkcs7(const pf_wincert *w)
{
	return w->type == WIN_CERT_TYPE_PKCS_SIGNED_DATA;
}

pf_status pf_authenticode_parse_pkcs7(const void *buf, size_t len, pf_authenticode *ret_ac)
{
	pf_authenticode *ac = pf_malloc(sizeof(*ac));
	if (!ac)
		return PF_ERR_NOMEM;
	*ac = (pf_authenticode){ .signer = -1 };
	pf_status s = read_signed_data(buf, len, ac);
	if (s == PF_OK)
		*ret_ac = *ac;
	pf_free(ac);
	return s;
}

pf_status pf_authenticode_parse(const void *buf, size_t len, pf_authenticode *ret_ac)
{
	pf_wincert_iter it = pf_wincert_iter_init(buf, len);
	pf_wincert w, first = { 0 };
	size_t n = 0;
	/* A damaged tail does not hide the entries before it: the caller judges the table as a whole. */
	while (pf_wincert_next(&it, &w) == PF_OK)
		if (w.revision == WIN_CERT_REVISION_2_0 && pf_wincert_is_pkcs7(&w) && n++ == 0)
			first = w;
	if (n == 0)
		return PF_ERR_NOT_FOUND;
	pf_status s = pf_authenticode_parse_pkcs7(first.data, first.len, ret_ac);
	if (s == PF_OK)
		ret_ac->n_signatures = n;
	return s;
}

pf_status pf_authenticode_cert(const void *der, size_t len, pf_ac_cert *ret_cert)
{
	pf_der d;
	pf_status s = pf_der_read(der, len, &d);
	if (s != PF_OK)
		return s;
	if (!pf_der_is(&d, U, true, PF_DER_SEQUENCE))
		return PF_ERR_INVALID;
	return read_cert(&d, ret_cert);
}

void pf_authenticode_tbs_sha256(const pf_ac_cert *cert, uint8_t ret_hash[32])
{
	pf_sha256(cert->tbs.tlv, cert->tbs.tlv_len, ret_hash);
}

size_t pf_authenticode_chain(const pf_authenticode *ac, int *ret_idx, size_t cap)
{
	size_t n = 0;
	int at = ac->signer;
	/* At most one step per certificate: a cycle of certificates issuing each other ends there. */
	while (at >= 0 && n < cap && n <= ac->n_certs) {
		ret_idx[n++] = at;
		const pf_x509_cert *x = &ac->certs[at].x;
		if (x->issuer.tlv_len == x->subject.tlv_len && memcmp(x->issuer.tlv, x->subject.tlv, x->issuer.tlv_len) == 0)
			break;
		int next = -1;
		for (size_t i = 0; i < ac->n_certs && next < 0; i++) {
			const pf_x509_cert *y = &ac->certs[i].x;
			if ((int)i != at && y->subject.tlv_len == x->issuer.tlv_len &&
			    memcmp(y->subject.tlv, x->issuer.tlv, x->issuer.tlv_len) == 0)
				next = (int)i;
		}
		at = next;
	}
	return n;
}

/* RSA PKCS#1 v1.5 with SHA-256: sig over a message whose SHA-256 is hash, with the key in spki. */
static pf_status rsa_sha256_verify(const uint8_t *sig, size_t sig_len, const uint8_t hash[32], const pf_der *spki)
{
	pf_x509_key k;
	pf_status s = pf_x509_spki_key(spki, &k);
	if (s != PF_OK)
		return s;
	if (k.type != PF_X509_KEY_RSA)
		return PF_ERR_UNSUPPORTED;
	br_rsa_public_key pk = { (unsigned char *)k.n, k.n_len, (unsigned char *)k.e, k.e_len };
	uint8_t out[32];
	if (!br_rsa_pkcs1_vrfy_get_default()(sig, sig_len, BR_HASH_OID_SHA256, sizeof(out), &pk, out))
		return PF_ERR_INVALID;
	return memcmp(out, hash, sizeof(out)) == 0 ? PF_OK : PF_ERR_INVALID;
}

/* The messageDigest attribute among the signed attributes equals digest. */
static bool message_digest_is(const pf_der *attrs, const uint8_t digest[32])
{
	pf_der_iter it = pf_der_children(attrs);
	pf_der a, oid, set, v;
	while (pf_der_next(&it, &a) == PF_OK) {
		pf_der_iter ai = pf_der_children(&a);
		if (pf_der_next(&ai, &oid) != PF_OK || !oid_is(&oid, oid_message_digest, sizeof(oid_message_digest)))
			continue;
		if (pf_der_next(&ai, &set) != PF_OK || !pf_der_is(&set, U, true, PF_DER_SET))
			return false;
		pf_der_iter si = pf_der_children(&set);
		return pf_der_next(&si, &v) == PF_OK && pf_der_is(&v, U, false, PF_DER_OCTET_STRING) && v.len == 32 &&
		       memcmp(v.val, digest, 32) == 0;
	}
	return false;
}

pf_status pf_authenticode_verify_signer(const pf_authenticode *ac)
{
	if (ac->signer < 0)
		return PF_ERR_NOT_FOUND;
	if (!alg_is(&ac->signer_digest_alg, oid_sha256, sizeof(oid_sha256)))
		return PF_ERR_UNSUPPORTED;
	uint8_t h[32];
	if (ac->signed_attrs.tlv_len) {
		/* Authenticode hashes the content's value without its SEQUENCE header (as RFC 2315 does). */
		pf_sha256(ac->content.val, ac->content.len, h);
		if (!message_digest_is(&ac->signed_attrs, h))
			return PF_ERR_INVALID;
		/* The attributes are signed as a SET OF: the [0] IMPLICIT tag byte becomes 0x31. */
		br_sha256_context c;
		br_sha256_init(&c);
		br_sha256_update(&c, "\x31", 1);
		br_sha256_update(&c, ac->signed_attrs.tlv + 1, ac->signed_attrs.tlv_len - 1);
		br_sha256_out(&c, h);
	} else {
		pf_sha256(ac->content.val, ac->content.len, h);
	}
	return rsa_sha256_verify(ac->signer_sig.val, ac->signer_sig.len, h, &ac->certs[ac->signer].x.spki);
}

pf_status pf_authenticode_verify_cert(const pf_ac_cert *cert, const pf_der *issuer_spki)
{
	if (!alg_is(&cert->sig_alg, oid_sha256_rsa, sizeof(oid_sha256_rsa)))
		return PF_ERR_UNSUPPORTED;
	/* A BIT STRING's first content byte counts the unused bits: 0 for a signature. */
	if (cert->sig.len < 2 || cert->sig.val[0] != 0)
		return PF_ERR_INVALID;
	uint8_t h[32];
	pf_sha256(cert->tbs.tlv, cert->tbs.tlv_len, h);
	return rsa_sha256_verify(cert->sig.val + 1, cert->sig.len - 1, h, issuer_spki);
}
