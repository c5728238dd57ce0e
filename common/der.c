/* Strict DER reading and the X.509 fields of an EK certificate: names as OpenSSL's RFC 2253 form, validity, key. */
#include "der.h"
#include "buf.h"
#include "fmt.h"
#include "str.h"
#include "utf.h"

/* ---- DER ---- */

pf_status pf_der_read(const void *buf, size_t len, pf_der *ret)
{
	const uint8_t *p = buf;
	size_t i = 0;

	if (!p || len < 2)
		return PF_ERR_TRUNCATED;
	uint8_t id = p[i++];
	uint32_t tag = id & 0x1F;
	if (tag == 0x1F) {
		/* High tag number: base-128 digits, no leading zero digit, only for numbers >= 31. */
		tag = 0;
		for (unsigned n = 0;; n++) {
			if (n == 4)
				return PF_ERR_TOO_BIG;
			if (i >= len)
				return PF_ERR_TRUNCATED;
			uint8_t b = p[i++];
			if (n == 0 && b == 0x80)
				return PF_ERR_INVALID;
			tag = tag << 7 | (b & 0x7F);
			if (!(b & 0x80))
				break;
		}
		if (tag < 31)
			return PF_ERR_INVALID;
	}
	if (i >= len)
		return PF_ERR_TRUNCATED;
	uint8_t l = p[i++];
	size_t clen;
	if (l < 0x80) {
		clen = l;
	} else if (l == 0x80) {
		return PF_ERR_INVALID; /* indefinite length is BER, not DER */
	} else {
		unsigned n = l & 0x7F;
		if (n > 4)
			return PF_ERR_TOO_BIG;
		if (len - i < n)
			return PF_ERR_TRUNCATED;
		if (p[i] == 0)
			return PF_ERR_INVALID;
		clen = 0;
		for (unsigned k = 0; k < n; k++)
			clen = clen << 8 | p[i++];
		if (clen < 0x80)
			return PF_ERR_INVALID;
	}
	if (clen > len - i)
		return PF_ERR_TRUNCATED;
	ret->cls = id >> 6;
	ret->constructed = id & 0x20;
	ret->tag = tag;
	ret->tlv = p;
	ret->tlv_len = i + clen;
	ret->val = p + i;
	ret->len = clen;
	return PF_OK;
}

pf_status pf_der_next(pf_der_iter *it, pf_der *ret)
{
	if (it->left == 0)
		return PF_ERR_NOT_FOUND;
	pf_der d;
	pf_status s = pf_der_read(it->p, it->left, &d);
	if (s != PF_OK)
		return s;
	it->p += d.tlv_len;
	it->left -= d.tlv_len;
	*ret = d;
	return PF_OK;
}

static pf_status check(const uint8_t *p, size_t len, unsigned depth_left, size_t *ret_len)
{
	if (depth_left == 0)
		return PF_ERR_TOO_BIG;
	pf_der d;
	pf_status s = pf_der_read(p, len, &d);
	if (s != PF_OK)
		return s;
	/* Recursion is bounded by depth_left, which callers keep small. */
	if (d.constructed)
		for (size_t off = 0; off < d.len;) {
			size_t n;
			s = check(d.val + off, d.len - off, depth_left - 1, &n);
			if (s != PF_OK)
				return s;
			off += n;
		}
	*ret_len = d.tlv_len;
	return PF_OK;
}

pf_status pf_der_check(const void *buf, size_t len, unsigned max_depth, size_t *ret_len)
{
	return check(buf, len, max_depth, ret_len);
}

/* snprintf at offset n of out, keeping the total length like snprintf does. */
static size_t cat(char *out, size_t cap, size_t n, const char *fmt, ...) PF_PRINTF(4, 5);
static size_t cat(char *out, size_t cap, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t k = pf_vsnprintf(n < cap ? out + n : NULL, n < cap ? cap - n : 0, fmt, ap);
	va_end(ap);
	return n + k;
}

pf_status pf_der_oid_str(const uint8_t *oid, size_t len, char *out, size_t cap, size_t *ret_len)
{
	/* Every subidentifier ends in a byte without bit 7, and none starts with a 0x80 pad byte. */
	if (len == 0 || (oid[len - 1] & 0x80))
		return PF_ERR_INVALID;
	for (size_t i = 0; i < len; i++)
		if (oid[i] == 0x80 && (i == 0 || !(oid[i - 1] & 0x80)))
			return PF_ERR_INVALID;
	size_t n = 0;
	if (cap)
		out[0] = '\0';
	for (size_t i = 0; i < len;) {
		uint64_t v = 0;
		do {
			if (v >> 57)
				return PF_ERR_UNSUPPORTED;
			v = v << 7 | (oid[i] & 0x7F);
		} while (oid[i++] & 0x80);
		if (n == 0) {
			/* The first subidentifier packs two arcs: 40 * X + Y with X in 0..2. */
			unsigned x = v < 40 ? 0 : v < 80 ? 1 : 2;
			n = cat(out, cap, n, "%u.%llu", x, (unsigned long long)(v - 40 * x));
		} else {
			n = cat(out, cap, n, ".%llu", (unsigned long long)v);
		}
	}
	*ret_len = n;
	return PF_OK;
}

static size_t len_size(size_t n)
{
	size_t k = 1;
	if (n >= 0x80)
		for (size_t v = n; v; v >>= 8)
			k++;
	return k;
}

static size_t put_header(uint8_t *out, uint8_t id, size_t n)
{
	size_t i = 0;
	out[i++] = id;
	if (n < 0x80) {
		out[i++] = (uint8_t)n;
		return i;
	}
	size_t k = len_size(n) - 1;
	out[i++] = (uint8_t)(0x80 | k);
	while (k--)
		out[i++] = (uint8_t)(n >> (8 * k));
	return i;
}

/* An unsigned big-endian number as INTEGER contents: no leading zeros, a 0x00 when bit 7 is set. */
static size_t put_uint(uint8_t *out, const uint8_t *v, size_t n)
{
	bool pad = v[0] & 0x80;
	size_t i = put_header(out, 0x02, n + pad);
	if (pad)
		out[i++] = 0;
	memcpy(out + i, v, n);
	return i + n;
}

size_t pf_der_rsa_public_key(const uint8_t *n, size_t nlen, const uint8_t *e, size_t elen, uint8_t *out, size_t cap)
{
	while (nlen && n[0] == 0)
		n++, nlen--;
	while (elen && e[0] == 0)
		e++, elen--;
	if (nlen == 0 || elen == 0)
		return 0;
	size_t ni = nlen + (n[0] >> 7), ei = elen + (e[0] >> 7);
	size_t body = 1 + len_size(ni) + ni + 1 + len_size(ei) + ei;
	size_t total = 1 + len_size(body) + body;
	if (out && cap >= total) {
		size_t i = put_header(out, 0x30, body);
		i += put_uint(out + i, n, nlen);
		put_uint(out + i, e, elen);
	}
	return total;
}

/* ---- X.509 ---- */

pf_status pf_der_expect(pf_der_iter *it, uint8_t cls, bool constructed, uint32_t tag, pf_der *ret)
{
	pf_status s = pf_der_next(it, ret);
	if (s == PF_ERR_NOT_FOUND)
		return PF_ERR_INVALID;
	if (s != PF_OK)
		return s;
	return pf_der_is(ret, cls, constructed, tag) ? PF_OK : PF_ERR_INVALID;
}

static bool digits(const uint8_t *p, size_t n, unsigned *ret)
{
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!pf_isdigit((char)p[i]))
			return false;
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	*ret = v;
	return true;
}

pf_status pf_x509_time_parse(const pf_der *t, pf_x509_time *ret_time)
{
	const uint8_t *p = t->val;
	unsigned year, mon, day, hour, min, sec;
	size_t yl;

	if (pf_der_is(t, PF_DER_UNIVERSAL, false, PF_DER_UTC_TIME) && t->len == 13)
		yl = 2;
	else if (pf_der_is(t, PF_DER_UNIVERSAL, false, PF_DER_GENERALIZED_TIME) && t->len == 15)
		yl = 4;
	else
		return PF_ERR_INVALID;
	if (p[t->len - 1] != 'Z' || !digits(p, yl, &year) || !digits(p + yl, 2, &mon) || !digits(p + yl + 2, 2, &day) ||
	    !digits(p + yl + 4, 2, &hour) || !digits(p + yl + 6, 2, &min) || !digits(p + yl + 8, 2, &sec))
		return PF_ERR_INVALID;
	if (yl == 2)
		year += year >= 50 ? 1900 : 2000; /* RFC 5280 4.1.2.5.1 */
	static const uint8_t mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (mon < 1 || mon > 12 || day < 1 || day > mdays[mon - 1] || (mon == 2 && day == 29 && !leap) || hour > 23 ||
	    min > 59 || sec > 59)
		return PF_ERR_INVALID;
	*ret_time = (pf_x509_time){ (uint16_t)year, (uint8_t)mon, (uint8_t)day, (uint8_t)hour, (uint8_t)min, (uint8_t)sec };
	return PF_OK;
}

size_t pf_x509_time_str(const pf_x509_time *t, char *out, size_t cap)
{
	return pf_snprintf(out, cap, "%04u-%02u-%02uT%02u:%02u:%02uZ", t->year, t->month, t->day, t->hour, t->minute,
			   t->second);
}

pf_status pf_x509_parse(const void *der, size_t len, pf_x509_cert *ret_cert)
{
	pf_x509_cert c = { 0 };
	pf_der cert, tbs, d, validity, t1, t2;
	pf_status s;

	s = pf_der_check(der, len, PF_DER_MAX_DEPTH, &c.der_len);
	if (s != PF_OK)
		return s;
	s = pf_der_read(der, len, &cert);
	if (s != PF_OK)
		return s;
	if (!pf_der_is(&cert, PF_DER_UNIVERSAL, true, PF_DER_SEQUENCE))
		return PF_ERR_INVALID;

	/* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } */
	pf_der_iter top = pf_der_children(&cert);
	PF_DER_EXPECT(&top, PF_DER_UNIVERSAL, true, PF_DER_SEQUENCE, &tbs);
	PF_DER_EXPECT(&top, PF_DER_UNIVERSAL, true, PF_DER_SEQUENCE, &d);
	PF_DER_EXPECT(&top, PF_DER_UNIVERSAL, false, PF_DER_BIT_STRING, &d);
	if (pf_der_next(&top, &d) != PF_ERR_NOT_FOUND)
		return PF_ERR_INVALID;

	pf_der_iter it = pf_der_children(&tbs);
	s = pf_der_next(&it, &d);
	if (s != PF_OK)
		return s == PF_ERR_NOT_FOUND ? PF_ERR_INVALID : s;
	c.version = 1;
	if (pf_der_is(&d, PF_DER_CONTEXT, true, 0)) {
		/* version [0] EXPLICIT INTEGER { v1(0), v2(1), v3(2) } */
		pf_der_iter vi = pf_der_children(&d);
		pf_der v;
		PF_DER_EXPECT(&vi, PF_DER_UNIVERSAL, false, PF_DER_INTEGER, &v);
		if (vi.left || v.len != 1 || v.val[0] > 2)
			return PF_ERR_INVALID;
		c.version = v.val[0] + 1;
		s = pf_der_next(&it, &d);
		if (s != PF_OK)
			return s == PF_ERR_NOT_FOUND ? PF_ERR_INVALID : s;
	}
	if (!pf_der_is(&d, PF_DER_UNIVERSAL, false, PF_DER_INTEGER) || d.len == 0)
		return PF_ERR_INVALID;
	c.serial = d;
	PF_DER_EXPECT(&it, PF_DER_UNIVERSAL, true, PF_DER_SEQUENCE, &d); /* signature AlgorithmIdentifier */
	PF_DER_EXPECT(&it, PF_DER_UNIVERSAL, true, PF_DER_SEQUENCE, &c.issuer);
	PF_DER_EXPECT(&it, PF_DER_UNIVERSAL, true, PF_DER_SEQUENCE, &validity);
	PF_DER_EXPECT(&it, PF_DER_UNIVERSAL, true, PF_DER_SEQUENCE, &c.subject);
	PF_DER_EXPECT(&it, PF_DER_UNIVERSAL, true, PF_DER_SEQUENCE, &c.spki);
	/* Then only issuerUniqueID [1], subjectUniqueID [2], extensions [3], in that order. */
	for (uint32_t last = 0; (s = pf_der_next(&it, &d)) == PF_OK; last = d.tag)
		if (d.cls != PF_DER_CONTEXT || d.tag <= last || d.tag > 3)
			return PF_ERR_INVALID;
	if (s != PF_ERR_NOT_FOUND)
		return s;

	pf_der_iter vi = pf_der_children(&validity);
	s = pf_der_next(&vi, &t1);
	if (s == PF_OK)
		s = pf_der_next(&vi, &t2);
	if (s != PF_OK || vi.left)
		return s == PF_ERR_NOT_FOUND || s == PF_OK ? PF_ERR_INVALID : s;
	s = pf_x509_time_parse(&t1, &c.not_before);
	if (s == PF_OK)
		s = pf_x509_time_parse(&t2, &c.not_after);
	if (s != PF_OK)
		return s;
	*ret_cert = c;
	return PF_OK;
}

/* OpenSSL's short names for attribute types (crypto/objects), for the types met in names. */
static const struct {
	const char *oid;
	const char *name;
} attr_names[] = {
	{ "2.5.4.3", "CN" },
	{ "2.5.4.4", "SN" },
	{ "2.5.4.5", "serialNumber" },
	{ "2.5.4.6", "C" },
	{ "2.5.4.7", "L" },
	{ "2.5.4.8", "ST" },
	{ "2.5.4.9", "street" },
	{ "2.5.4.10", "O" },
	{ "2.5.4.11", "OU" },
	{ "2.5.4.12", "title" },
	{ "2.5.4.13", "description" },
	{ "2.5.4.14", "searchGuide" },
	{ "2.5.4.15", "businessCategory" },
	{ "2.5.4.16", "postalAddress" },
	{ "2.5.4.17", "postalCode" },
	{ "2.5.4.18", "postOfficeBox" },
	{ "2.5.4.19", "physicalDeliveryOfficeName" },
	{ "2.5.4.20", "telephoneNumber" },
	{ "2.5.4.21", "telexNumber" },
	{ "2.5.4.22", "teletexTerminalIdentifier" },
	{ "2.5.4.23", "facsimileTelephoneNumber" },
	{ "2.5.4.24", "x121Address" },
	{ "2.5.4.25", "internationaliSDNNumber" },
	{ "2.5.4.26", "registeredAddress" },
	{ "2.5.4.27", "destinationIndicator" },
	{ "2.5.4.28", "preferredDeliveryMethod" },
	{ "2.5.4.29", "presentationAddress" },
	{ "2.5.4.30", "supportedApplicationContext" },
	{ "2.5.4.31", "member" },
	{ "2.5.4.32", "owner" },
	{ "2.5.4.33", "roleOccupant" },
	{ "2.5.4.34", "seeAlso" },
	{ "2.5.4.35", "userPassword" },
	{ "2.5.4.36", "userCertificate" },
	{ "2.5.4.37", "cACertificate" },
	{ "2.5.4.38", "authorityRevocationList" },
	{ "2.5.4.39", "certificateRevocationList" },
	{ "2.5.4.40", "crossCertificatePair" },
	{ "2.5.4.41", "name" },
	{ "2.5.4.42", "GN" },
	{ "2.5.4.43", "initials" },
	{ "2.5.4.44", "generationQualifier" },
	{ "2.5.4.45", "x500UniqueIdentifier" },
	{ "2.5.4.46", "dnQualifier" },
	{ "2.5.4.47", "enhancedSearchGuide" },
	{ "2.5.4.48", "protocolInformation" },
	{ "2.5.4.49", "distinguishedName" },
	{ "2.5.4.50", "uniqueMember" },
	{ "2.5.4.51", "houseIdentifier" },
	{ "2.5.4.52", "supportedAlgorithms" },
	{ "2.5.4.53", "deltaRevocationList" },
	{ "2.5.4.54", "dmdName" },
	{ "2.5.4.65", "pseudonym" },
	{ "2.5.4.72", "role" },
	{ "2.5.4.97", "organizationIdentifier" },
	{ "2.5.4.98", "c3" },
	{ "2.5.4.99", "n3" },
	{ "2.5.4.100", "dnsName" },
	{ "1.2.840.113549.1.9.1", "emailAddress" },
	{ "1.2.840.113549.1.9.2", "unstructuredName" },
	{ "1.2.840.113549.1.9.8", "unstructuredAddress" },
	{ "0.9.2342.19200300.100.1.1", "UID" },
	{ "0.9.2342.19200300.100.1.3", "mail" },
	{ "0.9.2342.19200300.100.1.25", "DC" },
	{ "0.9.2342.19200300.100.1.44", "uid" },
	{ "1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL" },
	{ "1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST" },
	{ "1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC" },
};

static const char *attr_name(const char *oid)
{
	for (size_t i = 0; i < PF_ARRAY_SIZE(attr_names); i++)
		if (pf_strcmp(attr_names[i].oid, oid) == 0)
			return attr_names[i].name;
	return NULL;
}

/*
 * One byte of a value, escaped as OpenSSL's do_esc_char() does with ASN1_STRFLGS_RFC2253. first and
 * last describe the character the byte belongs to; OpenSSL treats a one-character value as last only,
 * so a lone "#" stays unescaped while a lone " " does not.
 */
static void put_esc(pf_buf *b, uint8_t c, bool first, bool last)
{
	if (c < 0x20 || c >= 0x7F) {
		pf_buf_printf(b, "\\%02X", c);
		return;
	}
	switch (c) {
	case '"':
	case '+':
	case ',':
	case ';':
	case '<':
	case '>':
	case '\\':
		pf_buf_putc(b, '\\');
		break;
	case ' ':
		if (first || last)
			pf_buf_putc(b, '\\');
		break;
	case '#':
		if (first)
			pf_buf_putc(b, '\\');
		break;
	}
	pf_buf_putc(b, (char)c);
}

static void put_hex_dump(pf_buf *b, const pf_der *v)
{
	pf_buf_putc(b, '#');
	for (size_t i = 0; i < v->tlv_len; i++)
		pf_buf_printf(b, "%02X", v->tlv[i]);
}

/*
 * Whether OpenSSL would load a certificate with this attribute value at all: its X509_NAME accepts
 * only the universal types of ASN1_PRINTABLE, and converting the strings to UTF-8 for its
 * canonical form must succeed. Printing a value OpenSSL refuses would show text no tool agrees with.
 */
static bool value_ok(const pf_der *v)
{
	if (v->cls != PF_DER_UNIVERSAL)
		return false;
	if (v->tag == PF_DER_SEQUENCE)
		return v->constructed;
	if (v->constructed)
		return false; /* constructed strings are BER */
	switch (v->tag) {
	case PF_DER_UTF8_STRING:
		return pf_utf8_valid(v->val, v->len);
	case PF_DER_BMP_STRING:
		if (v->len % 2)
			return false;
		for (size_t i = 0; i < v->len; i += 2)
			if (v->val[i] >= 0xD8 && v->val[i] <= 0xDF)
				return false;
		return true;
	case PF_DER_UNIVERSAL_STRING:
		if (v->len % 4)
			return false;
		for (size_t i = 0; i < v->len; i += 4) {
			uint32_t c = (uint32_t)v->val[i] << 24 | (uint32_t)v->val[i + 1] << 16 | (uint32_t)v->val[i + 2] << 8 |
				     v->val[i + 3];
			if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
				return false;
		}
		return true;
	case 18: /* NumericString */
	case PF_DER_PRINTABLE_STRING:
	case PF_DER_T61_STRING:
	case PF_DER_IA5_STRING:
	/* Types OpenSSL keeps as opaque bytes and prints as DER. */
	case PF_DER_BIT_STRING:
	case 7:  /* ObjectDescriptor */
	case 8:  /* EXTERNAL */
	case 9:  /* REAL */
	case 11: /* EMBEDDED PDV */
	case 13: /* RELATIVE-OID */
	case 14:
	case 15:
	case 29:
		return true;
	default:
		return false;
	}
}

/* A value value_ok() accepted, as text when it is a string type, else as '#' and its DER. */
static void put_value(pf_buf *b, const pf_der *v)
{
	unsigned width;
	bool convert = true;

	switch (v->tag) {
	case PF_DER_UTF8_STRING:
		/* OpenSSL avoids converting UTF-8 to UTF-8 and prints its bytes one by one. */
		width = 1;
		convert = false;
		break;
	case 18:                        /* NumericString */
	case PF_DER_PRINTABLE_STRING:
	case PF_DER_T61_STRING:         /* taken as Latin-1, like OpenSSL */
	case PF_DER_IA5_STRING:
		width = 1;
		break;
	case PF_DER_UNIVERSAL_STRING:
		width = 4;
		break;
	case PF_DER_BMP_STRING:
		width = 2;
		break;
	default:
		put_hex_dump(b, v);
		return;
	}
	size_t n = v->len / width;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = 0;
		for (unsigned k = 0; k < width; k++)
			c = c << 8 | v->val[i * width + k];
		bool last = i + 1 == n, first = i == 0 && !last;
		if (!convert) {
			put_esc(b, (uint8_t)c, first, last);
			continue;
		}
		char u[4];
		size_t un = pf_utf8_put(u, c);
		for (size_t k = 0; k < un; k++)
			put_esc(b, (uint8_t)u[k], first, last);
	}
}

typedef struct {
	pf_der type;   /* OBJECT IDENTIFIER */
	pf_der value;
	size_t rdn;    /* which RelativeDistinguishedName it came from */
} atv;

/* Walks a Name; with out == NULL only counts and checks, else fills out[0..count). */
static pf_status walk_name(const pf_der *name, atv *out, size_t *ret_count)
{
	pf_der rdn, seq;
	pf_status s;
	size_t n = 0, r = 0;

	pf_der_iter it = pf_der_children(name);
	for (; (s = pf_der_next(&it, &rdn)) == PF_OK; r++) {
		/* RFC 5280 wants at least one value per RDN; OpenSSL accepts an empty one and so do we. */
		if (!pf_der_is(&rdn, PF_DER_UNIVERSAL, true, PF_DER_SET))
			return PF_ERR_INVALID;
		pf_der_iter ri = pf_der_children(&rdn);
		while ((s = pf_der_next(&ri, &seq)) == PF_OK) {
			/* AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY } */
			if (!pf_der_is(&seq, PF_DER_UNIVERSAL, true, PF_DER_SEQUENCE))
				return PF_ERR_INVALID;
			pf_der_iter ai = pf_der_children(&seq);
			atv a = { .rdn = r };
			PF_DER_EXPECT(&ai, PF_DER_UNIVERSAL, false, PF_DER_OID, &a.type);
			s = pf_der_next(&ai, &a.value);
			if (s != PF_OK)
				return s == PF_ERR_NOT_FOUND ? PF_ERR_INVALID : s;
			if (ai.left || !value_ok(&a.value))
				return PF_ERR_INVALID;
			if (out)
				out[n] = a;
			n++;
		}
		if (s != PF_ERR_NOT_FOUND)
			return s;
	}
	if (s != PF_ERR_NOT_FOUND)
		return s;
	*ret_count = n;
	return PF_OK;
}

/* A Name's attribute values in encoding order, counted first so the array is exactly as long. */
static pf_status name_atvs(const pf_der *name, atv **ret_atvs, size_t *ret_count)
{
	size_t n;
	pf_status s;

	if (!pf_der_is(name, PF_DER_UNIVERSAL, true, PF_DER_SEQUENCE))
		return PF_ERR_INVALID;
	s = walk_name(name, NULL, &n);
	if (s != PF_OK)
		return s;
	_cleanup_free_ atv *atvs = pf_malloc(n * sizeof(*atvs));
	if (!atvs)
		return PF_ERR_NOMEM;
	s = walk_name(name, atvs, &n);
	if (s != PF_OK)
		return s;
	*ret_atvs = atvs;
	atvs = NULL; /* the caller owns it now */
	*ret_count = n;
	return PF_OK;
}

pf_status pf_x509_name_str(const pf_der *name, char **ret)
{
	size_t n;
	pf_status s;
	_cleanup_free_ atv *atvs = NULL;

	s = name_atvs(name, &atvs, &n);
	if (s != PF_OK)
		return s;

	pf_buf b = { 0 };
	/* RFC 2253 order: last RDN first; OpenSSL also reverses the values within an RDN. */
	for (size_t i = n; i-- > 0;) {
		if (i + 1 < n)
			pf_buf_putc(&b, atvs[i].rdn == atvs[i + 1].rdn ? '+' : ',');
		/* OpenSSL formats unknown OIDs into 80 bytes and prints what fits; so do we. */
		char oid[80];
		size_t oid_len;
		s = pf_der_oid_str(atvs[i].type.val, atvs[i].type.len, oid, sizeof(oid), &oid_len);
		if (s != PF_OK)
			break;
		const char *label = attr_name(oid);
		pf_buf_puts(&b, label ? label : oid);
		pf_buf_putc(&b, '=');
		/* Values of unknown types are shown as their DER, as RFC 2253 section 2.4 allows. */
		if (label)
			put_value(&b, &atvs[i].value);
		else
			put_hex_dump(&b, &atvs[i].value);
	}
	if (s == PF_OK && b.oom)
		s = PF_ERR_NOMEM;
	if (s != PF_OK) {
		pf_buf_free(&b);
		return s;
	}
	size_t len;
	char *str = pf_buf_steal(&b, &len);
	if (!str)
		return PF_ERR_NOMEM;
	*ret = str;
	return PF_OK;
}

/* commonName, 2.5.4.3, as its encoded contents. */
static const uint8_t oid_cn[] = { 0x55, 0x04, 0x03 };

pf_status pf_x509_name_cn(const pf_der *name, char **ret)
{
	size_t n;
	pf_status s;
	_cleanup_free_ atv *atvs = NULL;

	s = name_atvs(name, &atvs, &n);
	if (s != PF_OK)
		return s;

	/* Names go from the root to the most specific RDN: the last CN names the holder. */
	const pf_der *v = NULL;
	for (size_t i = 0; i < n; i++)
		if (atvs[i].type.len == sizeof(oid_cn) && memcmp(atvs[i].type.val, oid_cn, sizeof(oid_cn)) == 0)
			v = &atvs[i].value;
	if (!v)
		return PF_ERR_NOT_FOUND;

	unsigned width;
	switch (v->tag) {
	case PF_DER_UTF8_STRING:
		/* value_ok() checked it is valid UTF-8 already. */
		*ret = pf_strndup((const char *)v->val, v->len);
		return *ret ? PF_OK : PF_ERR_NOMEM;
	case 18: /* NumericString */
	case PF_DER_PRINTABLE_STRING:
	case PF_DER_T61_STRING: /* Latin-1, as OpenSSL takes it */
	case PF_DER_IA5_STRING:
		width = 1;
		break;
	case PF_DER_BMP_STRING:
		width = 2;
		break;
	case PF_DER_UNIVERSAL_STRING:
		width = 4;
		break;
	default:
		return PF_ERR_NOT_FOUND; /* a CN that is not a string names nothing */
	}
	pf_buf b = { 0 };
	for (size_t i = 0; i + width <= v->len; i += width) {
		uint32_t c = 0;
		for (unsigned k = 0; k < width; k++)
			c = c << 8 | v->val[i + k];
		char u[4];
		pf_buf_append(&b, u, pf_utf8_put(u, c));
	}
	char *str = pf_buf_steal(&b, NULL);
	if (!str)
		return PF_ERR_NOMEM;
	*ret = str;
	return PF_OK;
}

pf_status pf_x509_names(const void *der, size_t len, char **ret_issuer, char **ret_subject)
{
	pf_x509_cert c;
	pf_status s = pf_x509_parse(der, len, &c);
	if (s != PF_OK)
		return s;
	_cleanup_free_ char *issuer = NULL;
	s = pf_x509_name_str(&c.issuer, &issuer);
	if (s != PF_OK)
		return s;
	char *subject;
	s = pf_x509_name_str(&c.subject, &subject);
	if (s != PF_OK)
		return s;
	*ret_issuer = issuer;
	issuer = NULL;
	*ret_subject = subject;
	return PF_OK;
}

/* Contents of the OIDs for rsaEncryption (1.2.840.113549.1.1.1) and id-ecPublicKey (1.2.840.10045.2.1). */
static const uint8_t oid_rsa[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01 };
static const uint8_t oid_ec[] = { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01 };

static bool oid_is(const pf_der *d, const uint8_t *oid, size_t len)
{
	return d->len == len && memcmp(d->val, oid, len) == 0;
}

/* A positive DER INTEGER's magnitude: minimal, without its sign byte. */
static pf_status uint_of(const pf_der *d, const uint8_t **ret, size_t *ret_len)
{
	const uint8_t *p = d->val;
	size_t n = d->len;
	if (n == 0 || (p[0] & 0x80))
		return PF_ERR_INVALID;
	if (p[0] == 0 && n > 1) {
		if (!(p[1] & 0x80))
			return PF_ERR_INVALID;
		p++, n--;
	}
	*ret = p;
	*ret_len = n;
	return PF_OK;
}

pf_status pf_x509_spki_key(const pf_der *spki, pf_x509_key *ret_key)
{
	pf_x509_key k = { 0 };
	pf_der alg, oid, bits, d;
	pf_status s;

	if (!pf_der_is(spki, PF_DER_UNIVERSAL, true, PF_DER_SEQUENCE))
		return PF_ERR_INVALID;
	pf_der_iter it = pf_der_children(spki);
	PF_DER_EXPECT(&it, PF_DER_UNIVERSAL, true, PF_DER_SEQUENCE, &alg);
	PF_DER_EXPECT(&it, PF_DER_UNIVERSAL, false, PF_DER_BIT_STRING, &bits);
	if (it.left)
		return PF_ERR_INVALID;
	/* No unused bits: keys are whole bytes. */
	if (bits.len < 2 || bits.val[0] != 0)
		return PF_ERR_INVALID;
	const uint8_t *key = bits.val + 1;
	size_t key_len = bits.len - 1;

	pf_der_iter ai = pf_der_children(&alg);
	PF_DER_EXPECT(&ai, PF_DER_UNIVERSAL, false, PF_DER_OID, &oid);
	if (oid_is(&oid, oid_rsa, sizeof(oid_rsa))) {
		/* Parameters NULL (or, tolerated, absent); the key is RSAPublicKey. */
		if (ai.left) {
			PF_DER_EXPECT(&ai, PF_DER_UNIVERSAL, false, PF_DER_NULL, &d);
			if (d.len || ai.left)
				return PF_ERR_INVALID;
		}
		pf_der seq, n, e;
		s = pf_der_read(key, key_len, &seq);
		if (s != PF_OK)
			return s;
		if (seq.tlv_len != key_len || !pf_der_is(&seq, PF_DER_UNIVERSAL, true, PF_DER_SEQUENCE))
			return PF_ERR_INVALID;
		pf_der_iter ki = pf_der_children(&seq);
		PF_DER_EXPECT(&ki, PF_DER_UNIVERSAL, false, PF_DER_INTEGER, &n);
		PF_DER_EXPECT(&ki, PF_DER_UNIVERSAL, false, PF_DER_INTEGER, &e);
		if (ki.left)
			return PF_ERR_INVALID;
		k.type = PF_X509_KEY_RSA;
		s = uint_of(&n, &k.n, &k.n_len);
		if (s == PF_OK)
			s = uint_of(&e, &k.e, &k.e_len);
		if (s != PF_OK)
			return s;
	} else if (oid_is(&oid, oid_ec, sizeof(oid_ec))) {
		/* Parameters: a namedCurve; the key: 0x04 || x || y. */
		PF_DER_EXPECT(&ai, PF_DER_UNIVERSAL, false, PF_DER_OID, &k.curve);
		if (ai.left || key_len < 3 || key[0] != 0x04 || (key_len - 1) % 2)
			return PF_ERR_INVALID;
		k.type = PF_X509_KEY_EC;
		k.xy_len = (key_len - 1) / 2;
		k.x = key + 1;
		k.y = key + 1 + k.xy_len;
	} else {
		return PF_ERR_UNSUPPORTED;
	}
	*ret_key = k;
	return PF_OK;
}
