/* EFI_SIGNATURE_LIST parsing (UEFI 2.10 section 32.4.1) for PK, KEK, db and dbx, sizes never trusted. */
#include "secboot.h"
#include "le.h"
#include "buf.h"
#include "digest.h"
#include "fmt.h"
#include "str.h"

/* SignatureType GUID(16) SignatureListSize(4) SignatureHeaderSize(4) SignatureSize(4). */
#define LIST_HEADER 28
#define OWNER_SIZE 16

typedef enum { K_X509, K_SHA256, K_X509_SHA256, K_OTHER_HASH, K_UNKNOWN } sig_kind;

/* Signature types by GUID text, with the entry data size the spec fixes (0: any size). RSA2048 keys
 * are counted as unknown: no current firmware or Microsoft store uses them. */
static const struct {
	const char *guid;
	sig_kind kind;
	uint32_t data_size;
	const char *name;
} types[] = {
	{ "a5c059a1-94e4-4aa7-87b5-ab155c2bf072", K_X509, 0, "X509" },
	{ "c1c41626-504c-4092-aca9-41f936934328", K_SHA256, 32, "SHA256" },
	{ "826ca512-cf10-4ac9-b187-be01496631bd", K_OTHER_HASH, 20, "SHA1" },
	{ "ff3e5307-9fd0-48c9-85f1-8ad56c701e01", K_OTHER_HASH, 48, "SHA384" },
	{ "093e0fae-a6c4-4f50-9f1b-d41e2b89c19a", K_OTHER_HASH, 64, "SHA512" },
	/* ToBeSignedHash then TimeOfRevocation, an EFI_TIME (16): UEFI 2.10 section 32.4.1, edk2's
	 * ImageAuthentication.h. Only the SHA-256 one is judged (common/bootmgrsig.c). */
	{ "3bd2a492-96c0-4079-b420-fcf98ef103ed", K_X509_SHA256, 48, "X509_SHA256" },
	{ "7076876e-80c2-4ee6-aad2-28b349a6865b", K_OTHER_HASH, 64, "X509_SHA384" },
	{ "446dbf63-2502-4cda-bcfa-2465d2b0fe9d", K_OTHER_HASH, 80, "X509_SHA512" },
};


/* EFI_GUID text: Data1, Data2, Data3 little-endian, Data4 as bytes. out needs 37 bytes. */
static void guid_str(const uint8_t *g, char out[37])
{
	pf_snprintf(out, 37, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", (unsigned)pf_le32(g),
	            (unsigned)(g[4] | g[5] << 8), (unsigned)(g[6] | g[7] << 8), g[8], g[9], g[10], g[11], g[12], g[13],
	            g[14], g[15]);
}

static void set_error(pf_sb_list *l, size_t list_no, size_t off, const char *fmt, ...) PF_PRINTF(4, 5);
static void set_error(pf_sb_list *l, size_t list_no, size_t off, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	pf_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pf_buf b = { 0 };
	pf_buf_printf(&b, "list %zu at byte %zu: %s", list_no, off, msg);
	/* Without memory the message is lost, but not the fact: a fixed text marks the list damaged. */
	l->error = pf_buf_steal(&b, NULL);
	if (!l->error)
		l->error = pf_strdup("damaged");
}

/* EFI_CERT_X509_SHA256 { ToBeSignedHash[32]; EFI_TIME TimeOfRevocation } after each owner GUID; EFI_TIME
 * is Year(2) Month Day Hour Minute Second Pad1 Nanosecond(4) TimeZone(2) Daylight Pad2. */
static pf_status add_tbs(pf_sb_list *l, const uint8_t *e, size_t n, size_t sig_size)
{
	pf_sb_tbs_hash *grown = pf_realloc(l->tbs, (l->n_tbs + n) * sizeof(*grown));
	if (!grown)
		return PF_ERR_NOMEM;
	l->tbs = grown;
	for (size_t i = 0; i < n; i++, e += sig_size) {
		const uint8_t *d = e + OWNER_SIZE, *t = d + 32;
		pf_sb_tbs_hash *h = &l->tbs[l->n_tbs + i];
		memcpy(h->tbs_sha256, d, 32);
		h->revoked = (pf_time){ .year = pf_le16(t), .month = t[2], .day = t[3], .hour = t[4], .minute = t[5], .second = t[6] };
		h->always = true;
		for (size_t k = 0; k < 16; k++)
			h->always = h->always && t[k] == 0;
	}
	l->n_tbs += n;
	return PF_OK;
}

/* Fills one certificate entry; only running out of memory is an error, a bad DER is parse_error. */
static pf_status cert_fill(pf_sb_cert *c, const uint8_t *owner, const uint8_t *der, size_t len)
{
	pf_x509_cert x;

	guid_str(owner, c->owner);
	if (pf_x509_parse(der, len, &x) == PF_OK) {
		len = x.der_len; /* padding after the certificate is not part of its thumbprint */
		c->not_before = x.not_before;
		c->not_after = x.not_after;
		c->dates_valid = true;
		/* A name OpenSSL would refuse, or one without a CN, stays NULL; the certificate still counts by
		 * its thumbprint. Only running out of memory stops the parse. */
		if (pf_x509_name_str(&x.subject, &c->subject) == PF_ERR_NOMEM ||
		    pf_x509_name_str(&x.issuer, &c->issuer) == PF_ERR_NOMEM ||
		    pf_x509_name_cn(&x.subject, &c->subject_cn) == PF_ERR_NOMEM ||
		    pf_x509_name_cn(&x.issuer, &c->issuer_cn) == PF_ERR_NOMEM)
			return PF_ERR_NOMEM;
	} else {
		c->parse_error = true;
	}

	c->der = pf_malloc(len);
	if (!c->der)
		return PF_ERR_NOMEM;
	memcpy(c->der, der, len);
	c->der_len = len;

	uint8_t d256[PF_SHA256_SIZE], d1[PF_SHA1_SIZE];
	pf_sha256(der, len, d256);
	pf_sha1(der, len, d1);
	pf_hex(d256, sizeof(d256), c->sha256, sizeof(c->sha256));
	pf_hex(d1, sizeof(d1), c->sha1, sizeof(c->sha1));
	c->known = pf_sb_known_by_sha1(d1);
	if (!c->known)
		c->lookalike = pf_sb_known_by_cn(c->subject_cn);
	return PF_OK;
}

static pf_status add_cert(pf_sb_list *l, const uint8_t *owner, const uint8_t *der, size_t len)
{
	/* Grows by doubling; the count is bounded by the variable's size (each entry is 17+ bytes). */
	if ((l->n_certs & (l->n_certs - 1)) == 0) {
		size_t cap = l->n_certs ? 2 * l->n_certs : 1;
		pf_sb_cert *n = pf_realloc(l->certs, cap * sizeof(*n));
		if (!n)
			return PF_ERR_NOMEM;
		l->certs = n;
	}
	pf_sb_cert *c = &l->certs[l->n_certs++];
	*c = (pf_sb_cert){ 0 };
	return cert_fill(c, owner, der, len);
}

pf_status pf_sb_parse_list(const void *buf, size_t len, pf_sb_list *ret_list)
{
	const uint8_t *p = buf;
	pf_sb_list *l = ret_list;
	size_t off = 0, list_no = 1;

	l->size = len;
	for (; off < len; list_no++) {
		size_t left = len - off;
		const uint8_t *h = p + off;
		if (left < LIST_HEADER) {
			set_error(l, list_no, off, "%zu bytes left, a list header needs %d", left, LIST_HEADER);
			break;
		}
		uint32_t list_size = pf_le32(h + 16), header_size = pf_le32(h + 20), sig_size = pf_le32(h + 24);
		if (list_size < LIST_HEADER) {
			set_error(l, list_no, off, "SignatureListSize %u below the %d-byte header", (unsigned)list_size, LIST_HEADER);
			break;
		}
		if (list_size > left) {
			set_error(l, list_no, off, "SignatureListSize %u runs past the end (%zu bytes left)", (unsigned)list_size, left);
			break;
		}
		if (header_size > list_size - LIST_HEADER) {
			set_error(l, list_no, off, "SignatureHeaderSize %u runs past SignatureListSize %u", (unsigned)header_size,
			          (unsigned)list_size);
			break;
		}
		size_t body = list_size - LIST_HEADER - header_size;
		if (sig_size <= OWNER_SIZE) {
			set_error(l, list_no, off, "SignatureSize %u leaves no room after the %d-byte owner GUID", (unsigned)sig_size,
			          OWNER_SIZE);
			break;
		}
		if (body == 0 || body % sig_size) {
			set_error(l, list_no, off, "%zu bytes of signatures are not a whole number of %u-byte entries", body,
			          (unsigned)sig_size);
			break;
		}

		char type[37];
		guid_str(h, type);
		size_t t = 0;
		while (t < PF_ARRAY_SIZE(types) && pf_strcmp(types[t].guid, type) != 0)
			t++;
		sig_kind kind = t < PF_ARRAY_SIZE(types) ? types[t].kind : K_UNKNOWN;
		if (kind != K_UNKNOWN && types[t].data_size && sig_size - OWNER_SIZE != types[t].data_size) {
			set_error(l, list_no, off, "%s entries hold %u bytes, the type needs %u", types[t].name,
			          (unsigned)(sig_size - OWNER_SIZE), (unsigned)types[t].data_size);
			break;
		}

		size_t n = body / sig_size;
		const uint8_t *e = h + LIST_HEADER + header_size;
		switch (kind) {
		case K_X509:
			for (size_t i = 0; i < n; i++, e += sig_size) {
				pf_status s = add_cert(l, e, e + OWNER_SIZE, sig_size - OWNER_SIZE);
				if (s != PF_OK)
					return s;
			}
			break;
		case K_SHA256: {
			/* dbx holds a few hundred: 32 bytes each, bounded by the variable's size. */
			uint8_t(*grown)[32] = pf_realloc(l->sha256, (l->n_sha256 + n) * sizeof(*grown));
			if (!grown)
				return PF_ERR_NOMEM;
			l->sha256 = grown;
			for (size_t i = 0; i < n; i++, e += sig_size)
				memcpy(l->sha256[l->n_sha256 + i], e + OWNER_SIZE, 32);
			l->n_sha256 += n;
			break;
		}
		case K_X509_SHA256: {
			pf_status s = add_tbs(l, e, n, sig_size);
			if (s != PF_OK)
				return s;
			l->n_other_hashes += n;
			break;
		}
		case K_OTHER_HASH:
			l->n_other_hashes += n;
			break;
		case K_UNKNOWN:
			l->n_unknown += n;
			break;
		}
		l->n_lists++;
		off += list_size;
	}
	return PF_OK;
}
