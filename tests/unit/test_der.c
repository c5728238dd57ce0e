/* The DER walker and X.509 fields, against openssl's output for committed certificates and on broken DER. */
#include "testutil.h"
#include "der.h"
#include "digest.h"
#include "str.h"

#define DATA "tests/unit/data/x509/"

/* ---- a small DER builder for hand-made inputs ---- */

typedef struct {
	uint8_t b[4096];
	size_t n;
} blob;

static blob tlv(uint8_t tag, const void *body, size_t n)
{
	blob o = { .n = 0 };
	o.b[o.n++] = tag;
	if (n < 0x80) {
		o.b[o.n++] = (uint8_t)n;
	} else if (n < 0x100) {
		o.b[o.n++] = 0x81;
		o.b[o.n++] = (uint8_t)n;
	} else {
		o.b[o.n++] = 0x82;
		o.b[o.n++] = (uint8_t)(n >> 8);
		o.b[o.n++] = (uint8_t)n;
	}
	assert_true(o.n + n <= sizeof(o.b));
	if (n)
		memcpy(o.b + o.n, body, n);
	o.n += n;
	return o;
}

static blob cat2(blob a, blob b)
{
	assert_true(a.n + b.n <= sizeof(a.b));
	memcpy(a.b + a.n, b.b, b.n);
	a.n += b.n;
	return a;
}

static blob wrap(uint8_t tag, blob inner) { return tlv(tag, inner.b, inner.n); }

/* BIT STRING with no unused bits around inner. */
static blob bit_string(blob inner)
{
	blob o = { .n = 1 };
	o.b[0] = 0;
	return wrap(0x03, cat2(o, inner));
}

static const uint8_t OID_CN[] = { 0x55, 0x04, 0x03 };
static const uint8_t OID_O[] = { 0x55, 0x04, 0x0A };

/* Name with one RDN holding one attribute whose value is tag/bytes. */
static blob name1(const uint8_t *oid, size_t oid_len, uint8_t tag, const void *val, size_t n)
{
	return wrap(0x30, wrap(0x31, wrap(0x30, cat2(tlv(0x06, oid, oid_len), tlv(tag, val, n)))));
}

static char *name_str(blob name, pf_status want)
{
	pf_der d;
	assert_int_equal(pf_der_read(name.b, name.n, &d), PF_OK);
	char *s = NULL;
	assert_int_equal(pf_x509_name_str(&d, &s), want);
	return s;
}

/* ---- the openssl oracle ---- */

static void hex_upper(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02X", p[i]);
	out[2 * n] = '\0';
}

/* openssl's "notBefore=Nov 25 05:29:56 2026 GMT" against our fields. */
static void check_date(const char *line, const pf_x509_time *t)
{
	static const char *const months = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4];
	int day, h, m, s, y;
	assert_int_equal(sscanf(line, "%3s %d %d:%d:%d %d GMT", mon, &day, &h, &m, &s, &y), 6);
	const char *pos = strstr(months, mon);
	assert_non_null(pos);
	assert_int_equal(t->year, y);
	assert_int_equal(t->month, (pos - months) / 3 + 1);
	assert_int_equal(t->day, day);
	assert_int_equal(t->hour, h);
	assert_int_equal(t->minute, m);
	assert_int_equal(t->second, s);
}

static void test_openssl_oracle(void **state)
{
	(void)state;
	size_t exp_len, der_len = 0;
	char *exp = test_read_file(DATA "expected.txt", &exp_len);
	char *der = NULL;
	pf_x509_cert c;
	pf_x509_key key;
	bool have_key = false;
	int certs = 0, names = 0, keys = 0;

	for (char *line = strtok(exp, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "== ", 3) == 0) {
			char path[256];
			snprintf(path, sizeof(path), DATA "%s", line + 3);
			free(der);
			der = test_read_file(path, &der_len);
			assert_int_equal(pf_x509_parse(der, der_len, &c), PF_OK);
			assert_int_equal(c.der_len, der_len);
			assert_true(c.version == 1 || c.version == 3); /* req without extensions makes v1 */
			have_key = pf_x509_spki_key(&c.spki, &key) == PF_OK;
			assert_true(have_key);
			certs++;
			continue;
		}
		assert_non_null(der);
		char *eq = strchr(line, '=');
		assert_non_null(eq);
		*eq = '\0';
		const char *field = line, *want = eq + 1;
		if (strcmp(field, "issuer") == 0 || strcmp(field, "subject") == 0) {
			char *got = NULL;
			assert_int_equal(pf_x509_name_str(field[0] == 'i' ? &c.issuer : &c.subject, &got), PF_OK);
			if (strcmp(got, want) != 0)
				print_error("%s:\n  openssl: %s\n  ours:    %s\n", field, want, got);
			assert_string_equal(got, want);
			free(got);
			names++;
		} else if (strcmp(field, "notBefore") == 0) {
			check_date(want, &c.not_before);
		} else if (strcmp(field, "notAfter") == 0) {
			check_date(want, &c.not_after);
		} else if (strcmp(field, "Modulus") == 0) {
			assert_int_equal(key.type, PF_X509_KEY_RSA);
			char *hex = malloc(2 * key.n_len + 1);
			hex_upper(key.n, key.n_len, hex);
			assert_string_equal(hex, want);
			free(hex);
			keys++;
		} else if (strcmp(field, "RSAPublicKeySHA256") == 0) {
			/* Our PKCS #1 encoding of the key must be byte-identical to openssl's. */
			size_t n = pf_der_rsa_public_key(key.n, key.n_len, key.e, key.e_len, NULL, 0);
			assert_true(n > 0);
			uint8_t *buf = malloc(n);
			assert_int_equal(pf_der_rsa_public_key(key.n, key.n_len, key.e, key.e_len, buf, n), n);
			uint8_t d[PF_SHA256_SIZE];
			char hex[PF_SHA256_HEX_SIZE];
			pf_sha256(buf, n, d);
			pf_hex(d, sizeof(d), hex, sizeof(hex));
			assert_string_equal(hex, want);
			free(buf);
		} else if (strcmp(field, "ECPoint") == 0) {
			assert_int_equal(key.type, PF_X509_KEY_EC);
			assert_int_equal(key.xy_len, 32);
			assert_int_equal(key.curve.len, 8); /* prime256v1 */
			uint8_t pt[65];
			char hex[2 * sizeof(pt) + 1];
			pt[0] = 4;
			memcpy(pt + 1, key.x, 32);
			memcpy(pt + 33, key.y, 32);
			hex_upper(pt, sizeof(pt), hex);
			assert_string_equal(hex, want);
			keys++;
		} else {
			fail_msg("unexpected line %s", field);
		}
	}
	assert_int_equal(certs, 9);
	assert_int_equal(names, 18);
	assert_int_equal(keys, 9);
	free(der);
	free(exp);
}

static void test_names_convenience(void **state)
{
	(void)state;
	size_t len;
	char *der = test_read_file(DATA "ek_swtpm_like.der", &len);
	/* NV indices hand back the certificate padded to the index size. */
	char *padded = malloc(len + 100);
	memcpy(padded, der, len);
	memset(padded + len, 0xFF, 100);
	char *issuer = NULL, *subject = NULL;
	assert_int_equal(pf_x509_names(padded, len + 100, &issuer, &subject), PF_OK);
	assert_string_equal(issuer, "CN=swtpm-localca");
	assert_string_equal(subject, "");
	free(issuer);
	free(subject);
	pf_x509_cert c;
	assert_int_equal(pf_x509_parse(padded, len + 100, &c), PF_OK);
	assert_int_equal(c.der_len, len);
	char t[32];
	assert_int_equal(pf_x509_time_str(&c.not_after, t, sizeof(t)), 20);
	assert_string_equal(t, "9999-12-31T23:59:59Z");
	pf_x509_time_str(&c.not_before, t, sizeof(t));
	assert_string_equal(t, "1950-01-01T00:00:00Z");
	free(padded);
	free(der);
}

/* Every prefix, and every single-byte corruption, of a real certificate: errors, never crashes. */
static void test_truncated_and_corrupted(void **state)
{
	(void)state;
	size_t len;
	char *der = test_read_file(DATA "odd_names.der", &len);
	for (size_t n = 0; n < len; n++) {
		pf_x509_cert c;
		char *i = NULL, *s = NULL;
		uint8_t *copy = malloc(n ? n : 1); /* exact-size copy so ASan sees any overread */
		memcpy(copy, der, n);
		assert_int_not_equal(pf_x509_parse(copy, n, &c), PF_OK);
		assert_int_not_equal(pf_x509_names(copy, n, &i, &s), PF_OK);
		assert_null(i);
		assert_null(s);
		free(copy);
	}
	uint8_t *copy = malloc(len);
	for (size_t pos = 0; pos < len; pos++)
		for (int v = 0; v < 256; v += 51) {
			memcpy(copy, der, len);
			copy[pos] = (uint8_t)v;
			char *i = NULL, *s = NULL;
			if (pf_x509_names(copy, len, &i, &s) == PF_OK) {
				assert_non_null(i);
				assert_non_null(s);
				free(i);
				free(s);
			}
		}
	free(copy);
	free(der);
}

static void test_der_read(void **state)
{
	(void)state;
	pf_der d;
	const uint8_t ok[] = { 0x30, 0x03, 0x02, 0x01, 0x05, 0xEE };
	assert_int_equal(pf_der_read(ok, sizeof(ok), &d), PF_OK);
	assert_int_equal(d.cls, PF_DER_UNIVERSAL);
	assert_true(d.constructed);
	assert_int_equal(d.tag, PF_DER_SEQUENCE);
	assert_int_equal(d.len, 3);
	assert_int_equal(d.tlv_len, 5);
	pf_der_iter it = pf_der_children(&d);
	pf_der c;
	assert_int_equal(pf_der_next(&it, &c), PF_OK);
	assert_int_equal(c.tag, PF_DER_INTEGER);
	assert_int_equal(c.val[0], 5);
	assert_int_equal(pf_der_next(&it, &c), PF_ERR_NOT_FOUND);

	/* Long lengths: minimal forms only, at most 4 bytes. */
	uint8_t long_ok[3 + 200] = { 0x04, 0x81, 200 };
	assert_int_equal(pf_der_read(long_ok, sizeof(long_ok), &d), PF_OK);
	assert_int_equal(d.len, 200);
	const uint8_t short_in_long[] = { 0x04, 0x81, 0x05, 1, 2, 3, 4, 5 };
	assert_int_equal(pf_der_read(short_in_long, sizeof(short_in_long), &d), PF_ERR_INVALID);
	const uint8_t leading_zero[] = { 0x04, 0x82, 0x00, 0x90 };
	assert_int_equal(pf_der_read(leading_zero, sizeof(leading_zero), &d), PF_ERR_INVALID);
	const uint8_t five_bytes[] = { 0x04, 0x85, 0x01, 0, 0, 0, 0 };
	assert_int_equal(pf_der_read(five_bytes, sizeof(five_bytes), &d), PF_ERR_TOO_BIG);
	const uint8_t huge[] = { 0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0 };
	assert_int_equal(pf_der_read(huge, sizeof(huge), &d), PF_ERR_TRUNCATED);
	const uint8_t indefinite[] = { 0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00 };
	assert_int_equal(pf_der_read(indefinite, sizeof(indefinite), &d), PF_ERR_INVALID);
	const uint8_t reserved[] = { 0x30, 0xFF, 0x00 };
	assert_int_equal(pf_der_read(reserved, sizeof(reserved), &d), PF_ERR_TOO_BIG);
	const uint8_t lying[] = { 0x30, 0x05, 0x02, 0x01 };
	assert_int_equal(pf_der_read(lying, sizeof(lying), &d), PF_ERR_TRUNCATED);
	assert_int_equal(pf_der_read(ok, 1, &d), PF_ERR_TRUNCATED);
	assert_int_equal(pf_der_read(NULL, 0, &d), PF_ERR_TRUNCATED);
	const uint8_t long_cut[] = { 0x04, 0x82, 0x01 };
	assert_int_equal(pf_der_read(long_cut, sizeof(long_cut), &d), PF_ERR_TRUNCATED);

	/* High tag numbers: [APPLICATION 200] primitive, minimal and >= 31 only. */
	const uint8_t high[] = { 0x5F, 0x81, 0x48, 0x01, 0xAA };
	assert_int_equal(pf_der_read(high, sizeof(high), &d), PF_OK);
	assert_int_equal(d.cls, PF_DER_APPLICATION);
	assert_int_equal(d.tag, 200);
	assert_int_equal(d.len, 1);
	const uint8_t high_small[] = { 0x9F, 0x05, 0x00 };
	assert_int_equal(pf_der_read(high_small, sizeof(high_small), &d), PF_ERR_INVALID);
	const uint8_t high_pad[] = { 0x9F, 0x80, 0x48, 0x00 };
	assert_int_equal(pf_der_read(high_pad, sizeof(high_pad), &d), PF_ERR_INVALID);
	const uint8_t high_long[] = { 0x9F, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00 };
	assert_int_equal(pf_der_read(high_long, sizeof(high_long), &d), PF_ERR_TOO_BIG);
	const uint8_t high_cut[] = { 0x9F, 0x81 };
	assert_int_equal(pf_der_read(high_cut, sizeof(high_cut), &d), PF_ERR_TRUNCATED);
}

static void test_der_check(void **state)
{
	(void)state;
	size_t n;
	/* 20 nested SEQUENCEs: fine with room, refused past the limit. */
	uint8_t deep[40];
	for (int i = 0; i < 20; i++) {
		deep[2 * i] = 0x30;
		deep[2 * i + 1] = (uint8_t)(38 - 2 * i);
	}
	assert_int_equal(pf_der_check(deep, sizeof(deep), 20, &n), PF_OK);
	assert_int_equal(n, 40);
	assert_int_equal(pf_der_check(deep, sizeof(deep), 19, &n), PF_ERR_TOO_BIG);
	assert_int_equal(pf_der_check(deep, sizeof(deep), PF_DER_MAX_DEPTH, &n), PF_ERR_TOO_BIG);
	/* A child that claims more than its parent holds. */
	const uint8_t lying_child[] = { 0x30, 0x04, 0x04, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00 };
	assert_int_equal(pf_der_check(lying_child, sizeof(lying_child), 4, &n), PF_ERR_TRUNCATED);
	/* Indefinite length inside. */
	const uint8_t inner_indef[] = { 0x30, 0x04, 0x30, 0x80, 0x00, 0x00 };
	assert_int_equal(pf_der_check(inner_indef, sizeof(inner_indef), 4, &n), PF_ERR_INVALID);
	/* Trailing bytes after the element are allowed and reported through the length. */
	const uint8_t trailing[] = { 0x30, 0x00, 0xFF, 0xFF };
	assert_int_equal(pf_der_check(trailing, sizeof(trailing), 4, &n), PF_OK);
	assert_int_equal(n, 2);

	/* A certificate nested too deep inside: an extension value made of 30 SEQUENCEs. */
	blob b = { .n = 0 };
	b = tlv(0x05, NULL, 0);
	for (int i = 0; i < 30; i++)
		b = wrap(0x30, b);
	blob cert = wrap(0x30, cat2(cat2(wrap(0x30, cat2(tlv(0x02, "\x01", 1), b)), wrap(0x30, tlv(0x06, OID_CN, 3))),
				    tlv(0x03, "\x00", 1)));
	pf_x509_cert c;
	assert_int_equal(pf_x509_parse(cert.b, cert.n, &c), PF_ERR_TOO_BIG);
}

static void test_oid_str(void **state)
{
	(void)state;
	char s[64];
	size_t n;
	const uint8_t email[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01 };
	assert_int_equal(pf_der_oid_str(email, sizeof(email), s, sizeof(s), &n), PF_OK);
	assert_string_equal(s, "1.2.840.113549.1.9.1");
	assert_int_equal(n, strlen(s));
	assert_int_equal(pf_der_oid_str(OID_CN, 3, s, sizeof(s), &n), PF_OK);
	assert_string_equal(s, "2.5.4.3");
	const uint8_t big_first[] = { 0x88, 0x37, 0x03 }; /* 2.999.3 */
	assert_int_equal(pf_der_oid_str(big_first, sizeof(big_first), s, sizeof(s), &n), PF_OK);
	assert_string_equal(s, "2.999.3");
	const uint8_t zero[] = { 0x00 };
	assert_int_equal(pf_der_oid_str(zero, 1, s, sizeof(s), &n), PF_OK);
	assert_string_equal(s, "0.0");
	const uint8_t max64[] = { 0x06, 0x81, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F };
	assert_int_equal(pf_der_oid_str(max64, sizeof(max64), s, sizeof(s), &n), PF_OK);
	assert_string_equal(s, "0.6.18446744073709551615");
	const uint8_t too_big[] = { 0x06, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 };
	assert_int_equal(pf_der_oid_str(too_big, sizeof(too_big), s, sizeof(s), &n), PF_ERR_UNSUPPORTED);
	const uint8_t padded[] = { 0x55, 0x80, 0x04 };
	assert_int_equal(pf_der_oid_str(padded, sizeof(padded), s, sizeof(s), &n), PF_ERR_INVALID);
	const uint8_t unterminated[] = { 0x55, 0x84 };
	assert_int_equal(pf_der_oid_str(unterminated, sizeof(unterminated), s, sizeof(s), &n), PF_ERR_INVALID);
	assert_int_equal(pf_der_oid_str(email, 0, s, sizeof(s), &n), PF_ERR_INVALID);
	/* Output is bounded like snprintf. */
	char small[6];
	assert_int_equal(pf_der_oid_str(email, sizeof(email), small, sizeof(small), &n), PF_OK);
	assert_string_equal(small, "1.2.8");
	assert_int_equal(n, 20);
}

/* Escapes and types checked by hand, beside the openssl oracle. */
static void test_name_values(void **state)
{
	(void)state;
	char *s;
	s = name_str(name1(OID_CN, 3, 0x0C, "a,b", 3), PF_OK);
	assert_string_equal(s, "CN=a\\,b");
	free(s);
	s = name_str(name1(OID_CN, 3, 0x1E, "\x00" "A\x00\xe9", 4), PF_OK);
	assert_string_equal(s, "CN=A\\C3\\A9");
	free(s);
	s = name_str(name1(OID_CN, 3, 0x13, "#", 1), PF_OK); /* a lone # stays, as in OpenSSL */
	assert_string_equal(s, "CN=#");
	free(s);
	s = name_str(name1(OID_CN, 3, 0x13, "#a ", 3), PF_OK);
	assert_string_equal(s, "CN=\\#a\\ ");
	free(s);
	s = name_str(wrap(0x30, tlv(0x31, NULL, 0)), PF_OK);
	assert_string_equal(s, "");
	free(s);
	s = name_str(tlv(0x30, NULL, 0), PF_OK);
	assert_string_equal(s, "");
	free(s);
	const uint8_t unknown[] = { 0x2B, 0x06, 0x01 };
	s = name_str(name1(unknown, 3, 0x0C, "x", 1), PF_OK);
	assert_string_equal(s, "1.3.6.1=#0C0178");
	free(s);

	/* Unknown OIDs are cut to 79 characters, as OpenSSL's 80-byte buffer does (checked against
	 * openssl 3.0 with 1.2.3...29.300). */
	uint8_t long_oid[40] = { 0x2A };
	size_t lo = 1;
	for (int arc = 3; arc <= 29; arc++)
		long_oid[lo++] = (uint8_t)arc;
	long_oid[lo++] = 0x82, long_oid[lo++] = 0x2C; /* 300 */
	s = name_str(name1(long_oid, lo, 0x0C, "x", 1), PF_OK);
	assert_string_equal(s, "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27.28.29.3=#0C0178");
	free(s);

	/* Values OpenSSL refuses to load. */
	name_str(name1(OID_CN, 3, 0x0C, "\xc0\x80", 2), PF_ERR_INVALID);         /* overlong UTF-8 */
	name_str(name1(OID_CN, 3, 0x0C, "\xed\xa0\x80", 3), PF_ERR_INVALID);     /* UTF-8 surrogate */
	name_str(name1(OID_CN, 3, 0x1E, "\xd8\x3d\xde\x00", 4), PF_ERR_INVALID); /* BMP surrogates */
	name_str(name1(OID_CN, 3, 0x1E, "\x00" "A\x00", 3), PF_ERR_INVALID);     /* odd BMP length */
	name_str(name1(OID_CN, 3, 0x1C, "\x00\x11\x00\x00", 4), PF_ERR_INVALID); /* past U+10FFFF */
	name_str(name1(OID_CN, 3, 0x1C, "\x00\x00\x41", 3), PF_ERR_INVALID);     /* UniversalString length */
	name_str(name1(OID_CN, 3, 0x04, "oct", 3), PF_ERR_INVALID);              /* OCTET STRING */
	name_str(name1(OID_CN, 3, 0x1A, "vis", 3), PF_ERR_INVALID);              /* VisibleString */
	name_str(name1(OID_CN, 3, 0x80, "ctx", 3), PF_ERR_INVALID);              /* context tag */
	name_str(name1(OID_CN, 3, 0x2C, "\x0c\x01x", 3), PF_ERR_INVALID);        /* constructed string */
	/* Structure: a value missing, an extra element, an RDN that is not a SET, a type that is no OID. */
	name_str(wrap(0x30, wrap(0x31, wrap(0x30, tlv(0x06, OID_CN, 3)))), PF_ERR_INVALID);
	name_str(wrap(0x30, wrap(0x31, wrap(0x30, cat2(cat2(tlv(0x06, OID_CN, 3), tlv(0x0C, "a", 1)), tlv(0x0C, "b", 1))))),
		 PF_ERR_INVALID);
	name_str(wrap(0x30, wrap(0x30, wrap(0x30, cat2(tlv(0x06, OID_CN, 3), tlv(0x0C, "a", 1))))), PF_ERR_INVALID);
	name_str(wrap(0x30, wrap(0x31, wrap(0x30, cat2(tlv(0x0C, "x", 1), tlv(0x0C, "a", 1))))), PF_ERR_INVALID);
	/* Multi-valued RDN: values reversed within it, as OpenSSL prints them. */
	blob rdn = wrap(0x31, cat2(wrap(0x30, cat2(tlv(0x06, OID_CN, 3), tlv(0x0C, "a", 1))),
				   wrap(0x30, cat2(tlv(0x06, OID_O, 3), tlv(0x0C, "b", 1)))));
	s = name_str(wrap(0x30, cat2(rdn, wrap(0x31, wrap(0x30, cat2(tlv(0x06, OID_O, 3), tlv(0x13, "c", 1)))))), PF_OK);
	assert_string_equal(s, "O=c,O=b+CN=a");
	free(s);
}

/* The CN of a Name as UTF-8: string types converted, the last CN taken, no CN or a non-string one refused. */
static void test_name_cn(void **state)
{
	(void)state;
	static const struct {
		const char *der;
		size_t len;
		pf_status status;
		const char *cn;
	} cases[] = {
		/* CN as BMPString "Ab" */
		{ "\x30\x0F\x31\x0D\x30\x0B\x06\x03\x55\x04\x03\x1E\x04\x00\x41\x00\x62", 17, PF_OK, "Ab" },
		/* CN as T61String "\xE9" (Latin-1) */
		{ "\x30\x0C\x31\x0A\x30\x08\x06\x03\x55\x04\x03\x14\x01\xE9", 14, PF_OK, "\xC3\xA9" },
		/* CN=a, then O=x, then CN=b: the last CN */
		{ "\x30\x24\x31\x0A\x30\x08\x06\x03\x55\x04\x03\x0C\x01\x61\x31\x0A\x30\x08\x06\x03\x55\x04\x0A"
		  "\x0C\x01\x78\x31\x0A\x30\x08\x06\x03\x55\x04\x03\x13\x01\x62", 38, PF_OK, "b" },
		/* O only */
		{ "\x30\x0C\x31\x0A\x30\x08\x06\x03\x55\x04\x0A\x0C\x01\x78", 14, PF_ERR_NOT_FOUND, NULL },
		/* CN as a BIT STRING: not a name */
		{ "\x30\x0D\x31\x0B\x30\x09\x06\x03\x55\x04\x03\x03\x02\x00\x41", 15, PF_ERR_NOT_FOUND, NULL },
		/* invalid UTF-8 in a UTF8String */
		{ "\x30\x0C\x31\x0A\x30\x08\x06\x03\x55\x04\x03\x0C\x01\xFF", 14, PF_ERR_INVALID, NULL },
		/* empty Name */
		{ "\x30\x00", 2, PF_ERR_NOT_FOUND, NULL },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		pf_der d;
		char *cn = NULL;
		assert_int_equal(pf_der_read(cases[i].der, cases[i].len, &d), PF_OK);
		assert_int_equal(d.tlv_len, cases[i].len);
		assert_int_equal(pf_x509_name_cn(&d, &cn), cases[i].status);
		if (cases[i].cn)
			assert_string_equal(cn, cases[i].cn);
		pf_free(cn);
	}
}

static void test_time(void **state)
{
	(void)state;
	pf_x509_time t;
	pf_der d;
	blob b;
#define TIME(tag, str) (b = tlv(tag, str, strlen(str)), assert_int_equal(pf_der_read(b.b, b.n, &d), PF_OK), &d)
	assert_int_equal(pf_x509_time_parse(TIME(0x17, "491231235959Z"), &t), PF_OK);
	assert_int_equal(t.year, 2049);
	assert_int_equal(pf_x509_time_parse(TIME(0x17, "500101000000Z"), &t), PF_OK);
	assert_int_equal(t.year, 1950);
	assert_int_equal(pf_x509_time_parse(TIME(0x18, "20240229120000Z"), &t), PF_OK);
	assert_int_equal(t.month, 2);
	assert_int_equal(t.day, 29);
	assert_int_equal(pf_x509_time_parse(TIME(0x18, "20000229000000Z"), &t), PF_OK);
	assert_int_equal(pf_x509_time_parse(TIME(0x18, "21000229000000Z"), &t), PF_ERR_INVALID);
	assert_int_equal(pf_x509_time_parse(TIME(0x18, "20230229000000Z"), &t), PF_ERR_INVALID);
	assert_int_equal(pf_x509_time_parse(TIME(0x17, "241301000000Z"), &t), PF_ERR_INVALID);
	assert_int_equal(pf_x509_time_parse(TIME(0x17, "240431000000Z"), &t), PF_ERR_INVALID);
	assert_int_equal(pf_x509_time_parse(TIME(0x17, "240101240000Z"), &t), PF_ERR_INVALID);
	assert_int_equal(pf_x509_time_parse(TIME(0x17, "240101006000Z"), &t), PF_ERR_INVALID);
	assert_int_equal(pf_x509_time_parse(TIME(0x17, "240101000060Z"), &t), PF_ERR_INVALID);
	assert_int_equal(pf_x509_time_parse(TIME(0x17, "2401010000Z"), &t), PF_ERR_INVALID);
	assert_int_equal(pf_x509_time_parse(TIME(0x17, "240101000000+0100"), &t), PF_ERR_INVALID);
	assert_int_equal(pf_x509_time_parse(TIME(0x18, "20240101000000.5Z"), &t), PF_ERR_INVALID);
	assert_int_equal(pf_x509_time_parse(TIME(0x17, "2401010000 0Z"), &t), PF_ERR_INVALID);
	assert_int_equal(pf_x509_time_parse(TIME(0x18, "240101000000Z"), &t), PF_ERR_INVALID);
	assert_int_equal(pf_x509_time_parse(TIME(0x0C, "240101000000Z"), &t), PF_ERR_INVALID);
#undef TIME
	char s[8];
	pf_x509_time x = { 2024, 1, 2, 3, 4, 5 };
	assert_int_equal(pf_x509_time_str(&x, s, sizeof(s)), 20);
	assert_string_equal(s, "2024-01");
}

static void test_rsa_public_key(void **state)
{
	(void)state;
	/* Leading zeros are dropped, a sign byte added where bit 7 is set. */
	const uint8_t n[] = { 0x00, 0x00, 0xC1, 0x02 }, e[] = { 0x00, 0x01, 0x00, 0x01 };
	const uint8_t want[] = { 0x30, 0x0A, 0x02, 0x03, 0x00, 0xC1, 0x02, 0x02, 0x03, 0x01, 0x00, 0x01 };
	uint8_t out[16];
	assert_int_equal(pf_der_rsa_public_key(n, sizeof(n), e, sizeof(e), out, sizeof(out)), sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	/* Too small a buffer: size reported, nothing written. */
	memset(out, 0xAA, sizeof(out));
	assert_int_equal(pf_der_rsa_public_key(n, sizeof(n), e, sizeof(e), out, 4), sizeof(want));
	assert_int_equal(out[0], 0xAA);
	const uint8_t z[] = { 0, 0 };
	assert_int_equal(pf_der_rsa_public_key(z, sizeof(z), e, sizeof(e), out, sizeof(out)), 0);
	assert_int_equal(pf_der_rsa_public_key(n, sizeof(n), z, 0, out, sizeof(out)), 0);
	/* A 2048-bit modulus needs the long length forms. */
	uint8_t big[256];
	memset(big, 0xAB, sizeof(big));
	uint8_t buf[300];
	size_t len = pf_der_rsa_public_key(big, sizeof(big), e, sizeof(e), buf, sizeof(buf));
	assert_int_equal(len, 4 + 4 + 257 + 5);
	assert_memory_equal(buf, "\x30\x82\x01\x0a\x02\x82\x01\x01\x00\xab", 10);
}

static void test_spki(void **state)
{
	(void)state;
	pf_der d;
	pf_x509_key k;
	/* Ed25519 (1.3.101.112) is not a TPM EK algorithm. */
	blob ed = wrap(0x30, cat2(wrap(0x30, tlv(0x06, "\x2b\x65\x70", 3)), tlv(0x03, "\x00\x01\x02", 3)));
	assert_int_equal(pf_der_read(ed.b, ed.n, &d), PF_OK);
	assert_int_equal(pf_x509_spki_key(&d, &k), PF_ERR_UNSUPPORTED);
	/* EC point not uncompressed; RSA key with a negative modulus; unused bits in the BIT STRING. */
	const uint8_t ec_oid[] = { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01 };
	const uint8_t p256[] = { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07 };
	blob alg = wrap(0x30, cat2(tlv(0x06, ec_oid, sizeof(ec_oid)), tlv(0x06, p256, sizeof(p256))));
	blob ec = wrap(0x30, cat2(alg, tlv(0x03, "\x00\x02\x01\x02", 4)));
	assert_int_equal(pf_der_read(ec.b, ec.n, &d), PF_OK);
	assert_int_equal(pf_x509_spki_key(&d, &k), PF_ERR_INVALID);
	ec = wrap(0x30, cat2(alg, tlv(0x03, "\x00\x04\x01\x02", 4)));
	assert_int_equal(pf_der_read(ec.b, ec.n, &d), PF_OK);
	assert_int_equal(pf_x509_spki_key(&d, &k), PF_OK);
	assert_int_equal(k.type, PF_X509_KEY_EC);
	assert_int_equal(k.xy_len, 1);
	assert_int_equal(k.x[0], 1);
	assert_int_equal(k.y[0], 2);
	const uint8_t rsa_oid[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01 };
	blob ralg = wrap(0x30, cat2(tlv(0x06, rsa_oid, sizeof(rsa_oid)), tlv(0x05, NULL, 0)));
	blob rsa = wrap(0x30, cat2(ralg, bit_string(wrap(0x30, cat2(tlv(0x02, "\x80", 1), tlv(0x02, "\x03", 1))))));
	assert_int_equal(pf_der_read(rsa.b, rsa.n, &d), PF_OK);
	assert_int_equal(pf_x509_spki_key(&d, &k), PF_ERR_INVALID);
	rsa = wrap(0x30, cat2(ralg, bit_string(wrap(0x30, cat2(tlv(0x02, "\x00\x80", 2), tlv(0x02, "\x03", 1))))));
	assert_int_equal(pf_der_read(rsa.b, rsa.n, &d), PF_OK);
	assert_int_equal(pf_x509_spki_key(&d, &k), PF_OK);
	assert_int_equal(k.type, PF_X509_KEY_RSA);
	assert_int_equal(k.n_len, 1);
	assert_int_equal(k.n[0], 0x80);
	/* A non-minimal INTEGER (a sign byte that is not needed). */
	rsa = wrap(0x30, cat2(ralg, bit_string(wrap(0x30, cat2(tlv(0x02, "\x00\x7f", 2), tlv(0x02, "\x03", 1))))));
	assert_int_equal(pf_der_read(rsa.b, rsa.n, &d), PF_OK);
	assert_int_equal(pf_x509_spki_key(&d, &k), PF_ERR_INVALID);
	blob unused = wrap(0x30, cat2(ralg, tlv(0x03, "\x01\x30\x00", 3)));
	assert_int_equal(pf_der_read(unused.b, unused.n, &d), PF_OK);
	assert_int_equal(pf_x509_spki_key(&d, &k), PF_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openssl_oracle),
		cmocka_unit_test(test_names_convenience),
		cmocka_unit_test(test_truncated_and_corrupted),
		cmocka_unit_test(test_der_read),
		cmocka_unit_test(test_der_check),
		cmocka_unit_test(test_oid_str),
		cmocka_unit_test(test_name_values),
		cmocka_unit_test(test_name_cn),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_rsa_public_key),
		cmocka_unit_test(test_spki),
	};
	return cmocka_run_group_tests_name("der", tests, NULL, NULL);
}
