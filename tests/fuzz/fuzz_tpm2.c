/* libFuzzer target: every TPM 2.0 response parser, and the NV read flow fed with input-made responses. */
#include "fuzzutil.h"
#include "tpm2.h"

/* The flow's responses: the input read as records of a big-endian u16 length and that many bytes. */
typedef struct {
	const uint8_t *p;
	size_t left;
} feed;

static pf_status feed_submit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *rsp, size_t rsp_cap,
			     size_t *ret_len)
{
	feed *f = ctx;
	(void)cmd;
	(void)cmd_len;
	if (f->left < 2)
		return PF_ERR_IO;
	size_t n = (size_t)f->p[0] << 8 | f->p[1];
	f->p += 2, f->left -= 2;
	n = PF_MIN(n, f->left);
	n = PF_MIN(n, rsp_cap);
	memcpy(rsp, f->p, n);
	f->p += n, f->left -= n;
	*ret_len = n;
	return PF_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t rc;
	char name[64];

	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;

	pf_tpm2_prop props[16];
	pf_tpm2_pcr_bank banks[16];
	size_t n;
	if (pf_tpm2_parse_properties(buf, size, props, PF_ARRAY_SIZE(props), &n, &rc) == PF_OK) {
		uint32_t v;
		pf_tpm2_prop_get(props, n, PF_TPM2_PT_MANUFACTURER, &v);
	}
	pf_tpm2_rc_str(rc, name, sizeof(name));
	(void)pf_tpm2_parse_pcrs(buf, size, banks, PF_ARRAY_SIZE(banks), &n, &rc);

	uint16_t data_size;
	uint32_t attributes;
	(void)pf_tpm2_parse_nv_read_public(buf, size, &data_size, &attributes, &rc);

	const uint8_t *nv;
	uint16_t nv_len;
	if (pf_tpm2_parse_nv_read(buf, size, &nv, &nv_len, &rc) == PF_OK && nv_len) {
		volatile uint8_t sink = nv[0] ^ nv[nv_len - 1];
		(void)sink;
	}

	pf_tpm2_public pub;
	uint8_t digest[PF_SHA256_SIZE];
	if (pf_tpm2_parse_read_public(buf, size, &pub, &rc) == PF_OK) {
		pf_tpm2_public_sha256_area(&pub, digest);
		pf_tpm2_public_sha256_unique(&pub, digest);
		(void)pf_tpm2_public_sha256_rsa_der(&pub, digest);
	}
	if (pf_tpm2_parse_public_area(buf, size, &pub) == PF_OK) {
		pf_tpm2_public_sha256_unique(&pub, digest);
		(void)pf_tpm2_public_sha256_rsa_der(&pub, digest);
	}

	if (size >= 4) {
		uint32_t v = (uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3];
		char m[5], fw[32], banks_s[96];
		pf_tpm2_rc_str(v, name, sizeof(name));
		pf_tpm2_manufacturer_str(v, m);
		pf_tpm2_firmware_str(v, ~v, fw, sizeof(fw));
		pf_tpm2_banks_str(v, banks_s, sizeof(banks_s));
	}

	feed f = { buf, size };
	uint8_t *out = NULL;
	size_t out_len;
	uint32_t chunk = size ? buf[0] * 8u : 0, max_response = size > 1 ? buf[1] * 32u : 0;
	if (pf_tpm2_nv_read_all(feed_submit, &f, PF_TPM2_NV_EK_CERT_RSA, chunk, max_response, &out, &out_len, &rc) ==
	    PF_OK)
		pf_free(out);

	pf_free(buf);
	return 0;
}
