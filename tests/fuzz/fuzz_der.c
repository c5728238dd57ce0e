/* libFuzzer target: the DER walker and the X.509 fields, names above all, on arbitrary input. */
#include "fuzzutil.h"
#include "der.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;

	char *issuer = NULL, *subject = NULL;
	if (pf_x509_names(buf, size, &issuer, &subject) == PF_OK) {
		pf_free(issuer);
		pf_free(subject);
	}

	pf_x509_cert c;
	if (pf_x509_parse(buf, size, &c) == PF_OK) {
		pf_x509_key k;
		char t[32];
		(void)pf_x509_spki_key(&c.spki, &k);
		pf_x509_time_str(&c.not_before, t, sizeof(t));
		pf_x509_time_str(&c.not_after, t, sizeof(t));
	}

	/* The input as one element: a Name, a key, a time, an OID, whatever it parses as. */
	pf_der d;
	size_t n;
	if (pf_der_read(buf, size, &d) == PF_OK) {
		char *s = NULL;
		pf_x509_key k;
		pf_x509_time t;
		char oid[80];
		if (pf_x509_name_str(&d, &s) == PF_OK)
			pf_free(s);
		if (pf_x509_name_cn(&d, &s) == PF_OK)
			pf_free(s);
		(void)pf_x509_spki_key(&d, &k);
		(void)pf_x509_time_parse(&d, &t);
		(void)pf_der_oid_str(d.val, d.len, oid, sizeof(oid), &n);
		(void)pf_der_check(buf, size, PF_DER_MAX_DEPTH, &n);
	}
	uint8_t out[64];
	if (size >= 2)
		(void)pf_der_rsa_public_key(buf, size / 2, buf + size / 2, size - size / 2, out, sizeof(out));

	pf_free(buf);
	return 0;
}
