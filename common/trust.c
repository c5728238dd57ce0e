/* Trust anchors for the TLS check: X.509 root certificates (DER or PEM) as BearSSL trust anchors. */
#include "trust.h"
#include "base64.h"
#include "der.h"

/* namedCurve OID contents -> BearSSL curve id. */
static const struct {
	uint8_t oid[8];
	size_t len;
	int curve;
} curves[] = {
	{ { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 }, 8, BR_EC_secp256r1 },
	{ { 0x2b, 0x81, 0x04, 0x00, 0x22 }, 5, BR_EC_secp384r1 },
	{ { 0x2b, 0x81, 0x04, 0x00, 0x23 }, 5, BR_EC_secp521r1 },
};

static uint8_t *dup_bytes(const uint8_t *p, size_t n)
{
	uint8_t *d = pf_malloc(n);
	if (d && n)
		memcpy(d, p, n);
	return d;
}

static void anchor_free(br_x509_trust_anchor *ta)
{
	pf_free(ta->dn.data);
	if (ta->pkey.key_type == BR_KEYTYPE_RSA) {
		pf_free(ta->pkey.key.rsa.n);
		pf_free(ta->pkey.key.rsa.e);
	} else {
		pf_free(ta->pkey.key.ec.q);
	}
	*ta = (br_x509_trust_anchor){ 0 };
}

/* Unsigned big-endian integer without leading zero bytes (BearSSL accepts them, but shorter is tidier). */
static void strip_zeros(const uint8_t **p, size_t *n)
{
	while (*n > 1 && **p == 0) {
		(*p)++;
		(*n)--;
	}
}

static pf_status anchor_from_der(const void *der, size_t len, br_x509_trust_anchor *ret)
{
	pf_x509_cert cert;
	pf_x509_key key;
	size_t clen;
	pf_status st = pf_der_check(der, len, PF_DER_MAX_DEPTH, &clen);
	if (st == PF_OK && clen != len)
		st = PF_ERR_INVALID;
	if (st == PF_OK)
		st = pf_x509_parse(der, len, &cert);
	if (st == PF_OK)
		st = pf_x509_spki_key(&cert.spki, &key);
	if (st != PF_OK)
		return st == PF_ERR_UNSUPPORTED ? st : PF_ERR_INVALID;

	br_x509_trust_anchor ta = { .flags = BR_X509_TA_CA };
	if (key.type == PF_X509_KEY_RSA) {
		const uint8_t *n = key.n, *e = key.e;
		size_t nl = key.n_len, el = key.e_len;
		strip_zeros(&n, &nl);
		strip_zeros(&e, &el);
		ta.pkey.key_type = BR_KEYTYPE_RSA;
		ta.pkey.key.rsa = (br_rsa_public_key){ dup_bytes(n, nl), nl, dup_bytes(e, el), el };
		if (!ta.pkey.key.rsa.n || !ta.pkey.key.rsa.e) {
			anchor_free(&ta);
			return PF_ERR_NOMEM;
		}
	} else {
		int curve = 0;
		for (size_t i = 0; i < PF_ARRAY_SIZE(curves); i++)
			if (key.curve.len == curves[i].len && memcmp(key.curve.val, curves[i].oid, curves[i].len) == 0)
				curve = curves[i].curve;
		if (!curve)
			return PF_ERR_UNSUPPORTED;
		/* The uncompressed point 04 || X || Y, as BearSSL wants it. */
		size_t qlen = 1 + 2 * key.xy_len;
		uint8_t *q = pf_malloc(qlen);
		if (!q)
			return PF_ERR_NOMEM;
		q[0] = 0x04;
		memcpy(q + 1, key.x, key.xy_len);
		memcpy(q + 1 + key.xy_len, key.y, key.xy_len);
		ta.pkey.key_type = BR_KEYTYPE_EC;
		ta.pkey.key.ec = (br_ec_public_key){ curve, q, qlen };
	}
	ta.dn.data = dup_bytes(cert.subject.tlv, cert.subject.tlv_len);
	ta.dn.len = cert.subject.tlv_len;
	if (!ta.dn.data) {
		anchor_free(&ta);
		return PF_ERR_NOMEM;
	}
	*ret = ta;
	return PF_OK;
}

pf_status pf_trust_add_der(pf_trust *t, const void *der, size_t len)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		br_x509_trust_anchor *items = pf_realloc(t->items, cap * sizeof(*items));
		if (!items)
			return PF_ERR_NOMEM;
		t->items = items;
		t->cap = cap;
	}
	pf_status st = anchor_from_der(der, len, &t->items[t->n]);
	if (st == PF_OK)
		t->n++;
	return st;
}

static const char pem_begin[] = "-----BEGIN CERTIFICATE-----";
static const char pem_end[] = "-----END CERTIFICATE-----";

static const char *find(const char *p, const char *end, const char *what)
{
	size_t n = strlen(what);
	for (; (size_t)(end - p) >= n; p++)
		if (*p == what[0] && memcmp(p, what, n) == 0)
			return p;
	return NULL;
}

pf_status pf_trust_add_file(pf_trust *t, const void *data, size_t len, size_t *ret_added)
{
	const char *p = data, *end = p + len;
	size_t added = 0;
	pf_status st = PF_OK;
	if (!find(p, end, "-----BEGIN ")) {
		st = pf_trust_add_der(t, data, len);
		*ret_added = st == PF_OK;
		return st;
	}
	const char *b;
	while (st == PF_OK && (b = find(p, end, pem_begin))) {
		b += sizeof(pem_begin) - 1;
		const char *e = find(b, end, pem_end);
		if (!e) {
			st = PF_ERR_TRUNCATED;
			break;
		}
		size_t cap = pf_base64_decoded_max((size_t)(e - b)), n = 0;
		uint8_t *der = pf_malloc(cap);
		if (!der) {
			st = PF_ERR_NOMEM;
			break;
		}
		st = pf_base64_decode(b, (size_t)(e - b), der, cap, &n);
		if (st == PF_OK)
			st = pf_trust_add_der(t, der, n);
		pf_free(der);
		if (st == PF_OK)
			added++;
		p = e + sizeof(pem_end) - 1;
	}
	*ret_added = added;
	if (st == PF_OK && added == 0)
		st = PF_ERR_NOT_FOUND;
	return st;
}

void pf_trust_free(pf_trust *t)
{
	for (size_t i = 0; i < t->n; i++)
		anchor_free(&t->items[i]);
	pf_free(t->items);
	*t = (pf_trust){ 0 };
}
