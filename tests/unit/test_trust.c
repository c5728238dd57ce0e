/* Trust anchors from DER/PEM (common/trust.c) and the TLS check's X.509 side (common/tlsverify.c), checked
 * against the packaged BearSSL's own X.509 decoder and OpenSSL's view of Debian's ca-certificates roots. */
#include "testutil.h"
#include "trust.h"
#include "tlsverify.h"
#include "base64.h"

#define CA "/usr/share/ca-certificates/mozilla/"
#define G2 CA "DigiCert_Global_Root_G2.crt"        /* RSA 2048, until 2038-01-15T12:00:00Z */
#define G3 CA "DigiCert_Global_Root_G3.crt"        /* EC P-384 */
#define MS_RSA CA "Microsoft_RSA_Root_Certificate_Authority_2017.crt"

/* 2030-01-01T00:00:00Z */
#define T2030 1893456000ll

static uint8_t *pem_to_der(const char *pem, size_t *ret_len)
{
	const char *b = strstr(pem, "-----BEGIN CERTIFICATE-----");
	const char *e = strstr(pem, "-----END CERTIFICATE-----");
	assert_non_null(b);
	assert_non_null(e);
	b += strlen("-----BEGIN CERTIFICATE-----");
	uint8_t *der = malloc(pf_base64_decoded_max((size_t)(e - b)));
	assert_non_null(der);
	assert_int_equal(pf_base64_decode(b, (size_t)(e - b), der, pf_base64_decoded_max((size_t)(e - b)), ret_len),
			 PF_OK);
	return der;
}

static uint8_t *read_der(const char *path, size_t *ret_len)
{
	size_t n;
	char *pem = test_read_file(path, &n);
	uint8_t *der = pem_to_der(pem, ret_len);
	free(pem);
	return der;
}

/* The oracle: BearSSL's own decoder of the packaged library. */
typedef struct {
	uint8_t dn[1024];
	size_t len;
} dn_buf;

static void dn_append(void *ctx, const void *data, size_t len)
{
	dn_buf *d = ctx;
	assert_true(d->len + len <= sizeof(d->dn));
	memcpy(d->dn + d->len, data, len);
	d->len += len;
}

static void check_against_decoder(const char *path)
{
	size_t len;
	uint8_t *der = read_der(path, &len);
	pf_trust t = { 0 };
	assert_int_equal(pf_trust_add_der(&t, der, len), PF_OK);
	assert_int_equal(t.n, 1);

	br_x509_decoder_context dc;
	dn_buf dn = { .len = 0 };
	br_x509_decoder_init(&dc, dn_append, &dn);
	br_x509_decoder_push(&dc, der, len);
	const br_x509_pkey *pk = br_x509_decoder_get_pkey(&dc);
	assert_non_null(pk);
	assert_true(br_x509_decoder_isCA(&dc));

	const br_x509_trust_anchor *ta = &t.items[0];
	assert_int_equal(ta->flags, BR_X509_TA_CA);
	assert_int_equal(ta->dn.len, dn.len);
	assert_memory_equal(ta->dn.data, dn.dn, dn.len);
	assert_int_equal(ta->pkey.key_type, pk->key_type);
	if (pk->key_type == BR_KEYTYPE_RSA) {
		assert_int_equal(ta->pkey.key.rsa.nlen, pk->key.rsa.nlen);
		assert_memory_equal(ta->pkey.key.rsa.n, pk->key.rsa.n, pk->key.rsa.nlen);
		assert_int_equal(ta->pkey.key.rsa.elen, pk->key.rsa.elen);
		assert_memory_equal(ta->pkey.key.rsa.e, pk->key.rsa.e, pk->key.rsa.elen);
	} else {
		assert_int_equal(ta->pkey.key.ec.curve, pk->key.ec.curve);
		assert_int_equal(ta->pkey.key.ec.qlen, pk->key.ec.qlen);
		assert_memory_equal(ta->pkey.key.ec.q, pk->key.ec.q, pk->key.ec.qlen);
	}
	pf_trust_free(&t);
	free(der);
}

static void test_anchor_rsa(void **state)
{
	(void)state;
	check_against_decoder(G2);
	check_against_decoder(MS_RSA);
}

static void test_anchor_ec(void **state)
{
	(void)state;
	check_against_decoder(G3);
	check_against_decoder(CA "Microsoft_ECC_Root_Certificate_Authority_2017.crt");
}

static void test_files(void **state)
{
	(void)state;
	size_t n1, n2, added;
	char *a = test_read_file(G2, &n1), *b = test_read_file(G3, &n2);
	/* a bundle of two PEM blocks with text around them and another block type between */
	const char *key = "\n-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
	char *bundle = malloc(n1 + n2 + strlen(key) + 16);
	sprintf(bundle, "roots:\n%s%s%s", a, key, b);
	pf_trust t = { 0 };
	assert_int_equal(pf_trust_add_file(&t, bundle, strlen(bundle), &added), PF_OK);
	assert_int_equal(added, 2);
	/* DER as is */
	size_t dlen;
	uint8_t *der = pem_to_der(a, &dlen);
	assert_int_equal(pf_trust_add_file(&t, der, dlen, &added), PF_OK);
	assert_int_equal(added, 1);
	assert_int_equal(t.n, 3);
	/* DER with a byte more or less */
	assert_int_equal(pf_trust_add_file(&t, der, dlen - 1, &added), PF_ERR_INVALID);
	uint8_t *longer = malloc(dlen + 1);
	memcpy(longer, der, dlen);
	longer[dlen] = 0;
	assert_int_equal(pf_trust_add_file(&t, longer, dlen + 1, &added), PF_ERR_INVALID);
	/* broken and empty PEM, text */
	const char *broken = "-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n";
	assert_int_not_equal(pf_trust_add_file(&t, broken, strlen(broken), &added), PF_OK);
	assert_int_equal(pf_trust_add_file(&t, key, strlen(key), &added), PF_ERR_NOT_FOUND);
	const char *unterminated = "-----BEGIN CERTIFICATE-----\nMIIB";
	assert_int_equal(pf_trust_add_file(&t, unterminated, strlen(unterminated), &added), PF_ERR_TRUNCATED);
	assert_int_equal(pf_trust_add_file(&t, "hello", 5, &added), PF_ERR_INVALID);
	assert_int_equal(t.n, 3);
	pf_trust_free(&t);
	free(longer);
	free(der);
	free(bundle);
	free(a);
	free(b);
}

/* Runs the wrapped minimal engine over a one-certificate chain, as the SSL engine would. */
static unsigned run_chain(pf_tls_x509 *x, const pf_trust *t, const char *name, int64_t now, const uint8_t *der,
			  size_t len)
{
	br_ssl_client_context cc;
	br_ssl_client_init_full(&cc, &x->minimal, t->items, t->n);
	pf_tls_x509_wrap(x, &cc.eng);
	pf_tls_x509_set_time(x, now);
	const br_x509_class **vt = &x->vtable;
	(*vt)->start_chain(vt, name);
	(*vt)->start_cert(vt, (uint32_t)len);
	(*vt)->append(vt, der, len);
	(*vt)->end_cert(vt);
	return (*vt)->end_chain(vt);
}

static void test_verify_errors(void **state)
{
	(void)state;
	static pf_tls_x509 x;
	char why[256];
	size_t glen, mlen;
	uint8_t *g2 = read_der(G2, &glen), *ms = read_der(MS_RSA, &mlen);
	pf_trust only_ms = { 0 }, only_g2 = { 0 };
	assert_int_equal(pf_trust_add_der(&only_ms, ms, mlen), PF_OK);
	assert_int_equal(pf_trust_add_der(&only_g2, g2, glen), PF_OK);

	/* a chain from a root we do not trust: untrusted, naming the issuer as OpenSSL prints it */
	assert_int_equal(run_chain(&x, &only_ms, NULL, T2030, g2, glen), BR_ERR_X509_NOT_TRUSTED);
	assert_int_equal(pf_tls_explain(BR_ERR_X509_NOT_TRUSTED, &x, T2030, "RTC", why, sizeof(why)),
			 PF_TLS_FAIL_UNTRUSTED);
	assert_non_null(strstr(why, "issuer CN=DigiCert Global Root G2,OU=www.digicert.com,O=DigiCert Inc,C=US"));

	/* trusted and in date */
	assert_int_equal(run_chain(&x, &only_g2, NULL, T2030, g2, glen), 0);

	/* after notAfter */
	int64_t t2040 = 2208988800ll;
	assert_int_equal(run_chain(&x, &only_g2, NULL, t2040, g2, glen), BR_ERR_X509_EXPIRED);
	assert_int_equal(pf_tls_explain(BR_ERR_X509_EXPIRED, &x, t2040, "NTP time.windows.com", why, sizeof(why)),
			 PF_TLS_FAIL_OTHER);
	assert_string_equal(why, "certificate expired: not after 2038-01-15T12:00:00Z, time 2040-01-01T00:00:00Z "
				 "(NTP time.windows.com)");
	/* before notBefore (2013-08-01) */
	assert_int_equal(run_chain(&x, &only_g2, NULL, 1262304000ll, g2, glen), BR_ERR_X509_EXPIRED);
	(void)pf_tls_explain(BR_ERR_X509_EXPIRED, &x, 1262304000ll, "RTC", why, sizeof(why));
	assert_non_null(strstr(why, "certificate not yet valid: not before 2013-08-01T12:00:00Z"));

	/* another host name */
	assert_int_equal(run_chain(&x, &only_g2, "login.live.com", T2030, g2, glen), BR_ERR_X509_BAD_SERVER_NAME);
	(void)pf_tls_explain(BR_ERR_X509_BAD_SERVER_NAME, &x, T2030, "RTC", why, sizeof(why));
	assert_string_equal(why, "wrong host name: certificate is for CN=DigiCert Global Root G2,OU=www.digicert.com,"
				 "O=DigiCert Inc,C=US");

	pf_trust_free(&only_ms);
	pf_trust_free(&only_g2);
	free(g2);
	free(ms);
}

static void test_explain_protocol(void **state)
{
	(void)state;
	static pf_tls_x509 x; /* no chain seen */
	char why[256];
	assert_int_equal(pf_tls_explain(BR_ERR_RECV_FATAL_ALERT + 40, &x, 0, "RTC", why, sizeof(why)), PF_TLS_FAIL_OTHER);
	assert_string_equal(why, "alert from the server: 40 handshake_failure (no shared cipher suite or other "
				 "handshake failure)");
	(void)pf_tls_explain(BR_ERR_RECV_FATAL_ALERT + 70, &x, 0, "RTC", why, sizeof(why));
	assert_non_null(strstr(why, "protocol_version"));
	(void)pf_tls_explain(BR_ERR_BAD_VERSION, &x, 0, "RTC", why, sizeof(why));
	assert_non_null(strstr(why, "protocol version"));
	(void)pf_tls_explain(BR_ERR_X509_NOT_TRUSTED, &x, 0, "RTC", why, sizeof(why));
	assert_string_equal(why, "not from a trusted root (server certificate not readable)");
	(void)pf_tls_explain(999, &x, 0, "RTC", why, sizeof(why));
	assert_string_equal(why, "handshake failed (BearSSL error 999)");
	assert_null(pf_tls_alert_name(7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anchor_rsa),     cmocka_unit_test(test_anchor_ec),
		cmocka_unit_test(test_files),          cmocka_unit_test(test_verify_errors),
		cmocka_unit_test(test_explain_protocol),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
