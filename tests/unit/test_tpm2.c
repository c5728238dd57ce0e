/* TPM 2.0 command bytes, response parsing (good, short, oversized, lying, error), names, and the NV read flow. */
#include "testutil.h"
#include "der.h"
#include "str.h"
#include "tpm2.h"

/* ---- building responses by hand, independently of the code under test ---- */

typedef struct {
	uint8_t b[8192];
	size_t n;
} rbuf;

static void r8(rbuf *r, uint8_t v)
{
	assert_true(r->n < sizeof(r->b));
	r->b[r->n++] = v;
}

static void r16(rbuf *r, uint16_t v)
{
	r8(r, (uint8_t)(v >> 8));
	r8(r, (uint8_t)v);
}

static void r32(rbuf *r, uint32_t v)
{
	r16(r, (uint16_t)(v >> 16));
	r16(r, (uint16_t)v);
}

static void rbytes(rbuf *r, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		r8(r, ((const uint8_t *)p)[i]);
}

static void r2b(rbuf *r, const void *p, uint16_t n)
{
	r16(r, n);
	rbytes(r, p, n);
}

static rbuf rsp_start(uint16_t tag, uint32_t rc)
{
	rbuf r = { .n = 0 };
	r16(&r, tag);
	r32(&r, 0);
	r32(&r, rc);
	return r;
}

/* Writes responseSize = bytes so far. */
static void rsp_end(rbuf *r)
{
	uint32_t n = (uint32_t)r->n;
	r->b[2] = (uint8_t)(n >> 24), r->b[3] = (uint8_t)(n >> 16), r->b[4] = (uint8_t)(n >> 8), r->b[5] = (uint8_t)n;
}

static rbuf err_rsp(uint32_t rc)
{
	rbuf r = rsp_start(PF_TPM2_ST_NO_SESSIONS, rc);
	rsp_end(&r);
	return r;
}

static rbuf props_rsp(const pf_tpm2_prop *p, uint32_t n)
{
	rbuf r = rsp_start(PF_TPM2_ST_NO_SESSIONS, 0);
	r8(&r, 0); /* moreData */
	r32(&r, PF_TPM2_CAP_TPM_PROPERTIES);
	r32(&r, n);
	for (uint32_t i = 0; i < n; i++) {
		r32(&r, p[i].property);
		r32(&r, p[i].value);
	}
	rsp_end(&r);
	return r;
}

static rbuf nvpub_rsp(uint32_t index, uint32_t attributes, uint16_t size)
{
	rbuf r = rsp_start(PF_TPM2_ST_NO_SESSIONS, 0);
	r16(&r, 4 + 2 + 4 + 2 + 2);
	r32(&r, index);
	r16(&r, PF_TPM2_ALG_SHA256);
	r32(&r, attributes);
	r16(&r, 0); /* authPolicy */
	r16(&r, size);
	uint8_t name[34] = { 0x00, 0x0B };
	r2b(&r, name, sizeof(name));
	rsp_end(&r);
	return r;
}

static rbuf nvread_rsp(const void *data, uint16_t n)
{
	rbuf r = rsp_start(PF_TPM2_ST_SESSIONS, 0);
	r32(&r, 2u + n); /* parameterSize */
	r2b(&r, data, n);
	r16(&r, 0); /* nonceTPM */
	r8(&r, 1);  /* sessionAttributes: continueSession */
	r16(&r, 0); /* hmac */
	rsp_end(&r);
	return r;
}

/* The TCG default EK templates: RSA 2048 / NIST P-256, AES-128-CFB, policy of 32 bytes. */
static rbuf rsa_area(const uint8_t *mod, uint16_t n, uint32_t exponent)
{
	rbuf a = { .n = 0 };
	r16(&a, PF_TPM2_ALG_RSA);
	r16(&a, PF_TPM2_ALG_SHA256);
	r32(&a, 0x000300B2);
	uint8_t policy[32];
	memset(policy, 0x83, sizeof(policy));
	r2b(&a, policy, sizeof(policy));
	r16(&a, 0x0006), r16(&a, 128), r16(&a, 0x0043); /* AES 128 CFB */
	r16(&a, PF_TPM2_ALG_NULL);                      /* scheme */
	r16(&a, 2048);
	r32(&a, exponent);
	r2b(&a, mod, n);
	return a;
}

static rbuf ecc_area(const uint8_t *x, const uint8_t *y, uint16_t n)
{
	rbuf a = { .n = 0 };
	r16(&a, PF_TPM2_ALG_ECC);
	r16(&a, PF_TPM2_ALG_SHA256);
	r32(&a, 0x000300B2);
	r16(&a, 0);
	r16(&a, 0x0006), r16(&a, 128), r16(&a, 0x0043);
	r16(&a, PF_TPM2_ALG_NULL); /* scheme */
	r16(&a, 0x0003);           /* NIST P-256 */
	r16(&a, PF_TPM2_ALG_NULL); /* kdf */
	r2b(&a, x, n);
	r2b(&a, y, n);
	return a;
}

static rbuf readpub_rsp(const rbuf *area)
{
	rbuf r = rsp_start(PF_TPM2_ST_NO_SESSIONS, 0);
	r2b(&r, area->b, (uint16_t)area->n);
	uint8_t name[34] = { 0x00, 0x0B, 1 };
	r2b(&r, name, sizeof(name));
	r2b(&r, name, sizeof(name));
	rsp_end(&r);
	return r;
}

/* Every proper prefix of a good response must fail without reading past it (exact-size copies). */
typedef pf_status (*parse_fn)(const uint8_t *p, size_t n, uint32_t *rc);

static void all_prefixes_fail(const rbuf *r, parse_fn parse)
{
	for (size_t n = 0; n < r->n; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, r->b, n);
		uint32_t rc = 0xdead;
		assert_int_not_equal(parse(copy, n, &rc), PF_OK);
		assert_int_equal(rc, 0);
		free(copy);
	}
}

/* ---- commands ---- */

static void test_cmd_get_capability(void **state)
{
	(void)state;
	const uint8_t want[] = { 0x80, 0x01, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x01, 0x7A, 0x00, 0x00, 0x00,
				 0x06, 0x00, 0x00, 0x01, 0x05, 0x00, 0x00, 0x00, 0x08 };
	uint8_t buf[64];
	assert_int_equal(pf_tpm2_cmd_get_capability(buf, sizeof(buf), PF_TPM2_CAP_TPM_PROPERTIES,
						    PF_TPM2_PT_MANUFACTURER, 8), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(pf_tpm2_cmd_get_capability(buf, sizeof(want), 6, 0x105, 8), sizeof(want));
	assert_int_equal(pf_tpm2_cmd_get_capability(buf, sizeof(want) - 1, 6, 0x105, 8), 0);
	assert_int_equal(pf_tpm2_cmd_get_capability(NULL, 100, 6, 0x105, 8), 0);
}

static void test_cmd_nv(void **state)
{
	(void)state;
	uint8_t buf[64];
	const uint8_t pub[] = { 0x80, 0x01, 0x00, 0x00, 0x00, 0x0E, 0x00, 0x00, 0x01, 0x69, 0x01, 0xC0, 0x00, 0x02 };
	assert_int_equal(pf_tpm2_cmd_nv_read_public(buf, sizeof(buf), PF_TPM2_NV_EK_CERT_RSA), sizeof(pub));
	assert_memory_equal(buf, pub, sizeof(pub));
	assert_int_equal(pf_tpm2_cmd_nv_read_public(buf, 13, PF_TPM2_NV_EK_CERT_RSA), 0);

	/* The EK certificate index authorizes its own read (TPMA_NV_AUTHREAD), empty password. */
	const uint8_t by_index[] = {
		0x80, 0x02, 0x00, 0x00, 0x00, 0x23, 0x00, 0x00, 0x01, 0x4E, /* header, TPM_ST_SESSIONS */
		0x01, 0xC0, 0x00, 0x0A,                                     /* authHandle = the index */
		0x01, 0xC0, 0x00, 0x0A,                                     /* nvIndex */
		0x00, 0x00, 0x00, 0x09,                                     /* authorizationSize */
		0x40, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00,       /* TPM_RS_PW, nonce, attrs, hmac */
		0x04, 0x00, 0x02, 0x00,                                     /* size 1024, offset 512 */
	};
	assert_int_equal(pf_tpm2_cmd_nv_read(buf, sizeof(buf), PF_TPM2_NV_EK_CERT_ECC, PF_TPM2_NV_EK_CERT_ECC, 1024, 512),
			 sizeof(by_index));
	assert_memory_equal(buf, by_index, sizeof(by_index));
	/* The owner variant differs only in authHandle. */
	uint8_t by_owner[sizeof(by_index)];
	memcpy(by_owner, by_index, sizeof(by_index));
	memcpy(by_owner + 10, "\x40\x00\x00\x01", 4);
	assert_int_equal(pf_tpm2_cmd_nv_read(buf, sizeof(buf), PF_TPM2_RH_OWNER, PF_TPM2_NV_EK_CERT_ECC, 1024, 512),
			 sizeof(by_owner));
	assert_memory_equal(buf, by_owner, sizeof(by_owner));
	assert_int_equal(pf_tpm2_cmd_nv_read(buf, sizeof(by_index) - 1, PF_TPM2_RH_OWNER, 1, 2, 3), 0);
}

static void test_cmd_read_public(void **state)
{
	(void)state;
	uint8_t buf[16];
	const uint8_t want[] = { 0x80, 0x01, 0x00, 0x00, 0x00, 0x0E, 0x00, 0x00, 0x01, 0x73, 0x81, 0x01, 0x00, 0x01 };
	assert_int_equal(pf_tpm2_cmd_read_public(buf, sizeof(buf), PF_TPM2_EK_HANDLE_RSA), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

/* ---- properties ---- */

static pf_status parse_props_1(const uint8_t *p, size_t n, uint32_t *rc)
{
	pf_tpm2_prop out[8];
	size_t k;
	return pf_tpm2_parse_properties(p, n, out, PF_ARRAY_SIZE(out), &k, rc);
}

static void test_properties(void **state)
{
	(void)state;
	const pf_tpm2_prop in[] = {
		{ PF_TPM2_PT_FAMILY_INDICATOR, 0x322E3000 },
		{ PF_TPM2_PT_MANUFACTURER, 0x49465800 },
		{ PF_TPM2_PT_FIRMWARE_VERSION_1, 0x00070055 },
		{ PF_TPM2_PT_FIRMWARE_VERSION_2, 0x00110000 },
	};
	rbuf r = props_rsp(in, 4);
	pf_tpm2_prop out[8];
	size_t n = 99;
	uint32_t rc = 0xdead, v;
	assert_int_equal(pf_tpm2_parse_properties(r.b, r.n, out, 8, &n, &rc), PF_OK);
	assert_int_equal(rc, 0);
	assert_int_equal(n, 4);
	assert_memory_equal(out, in, sizeof(in));
	assert_true(pf_tpm2_prop_get(out, n, PF_TPM2_PT_MANUFACTURER, &v));
	assert_int_equal(v, 0x49465800);
	assert_false(pf_tpm2_prop_get(out, n, PF_TPM2_PT_NV_BUFFER_MAX, &v));

	/* Oversized: SubmitCommand hands back its whole buffer; bytes past responseSize are ignored. */
	rbuf big = r;
	memset(big.b + big.n, 0xEE, 100);
	assert_int_equal(pf_tpm2_parse_properties(big.b, big.n + 100, out, 8, &n, &rc), PF_OK);

	/* Short: every prefix. */
	all_prefixes_fail(&r, parse_props_1);

	/* More entries than room: refused, outputs untouched. */
	n = 99;
	assert_int_equal(pf_tpm2_parse_properties(r.b, r.n, out, 3, &n, &rc), PF_ERR_TOO_BIG);
	assert_int_equal(n, 99);
	assert_int_equal(pf_tpm2_parse_properties(props_rsp(NULL, 0).b, 19, out, 0, &n, &rc), PF_OK);
	assert_int_equal(n, 0);

	/* responseSize larger than what arrived, smaller than a header, or leaving bytes unexplained. */
	rbuf bad = r;
	bad.b[5]++;
	assert_int_equal(pf_tpm2_parse_properties(bad.b, r.n, out, 8, &n, &rc), PF_ERR_TRUNCATED);
	bad.b[5] += 3;
	bad.b[bad.n++] = 0, bad.b[bad.n++] = 0, bad.b[bad.n++] = 0, bad.b[bad.n++] = 0;
	assert_int_equal(pf_tpm2_parse_properties(bad.b, bad.n, out, 8, &n, &rc), PF_ERR_INVALID);
	bad = r;
	bad.b[2] = bad.b[3] = bad.b[4] = 0, bad.b[5] = 9;
	assert_int_equal(pf_tpm2_parse_properties(bad.b, bad.n, out, 8, &n, &rc), PF_ERR_INVALID);
	bad = r;
	bad.b[2] = 0x80; /* a size no buffer has */
	assert_int_equal(pf_tpm2_parse_properties(bad.b, bad.n, out, 8, &n, &rc), PF_ERR_TRUNCATED);

	/* A count that lies, a wrong capability, a moreData that is no TPMI_YES_NO, a wrong tag. */
	bad = r;
	bad.b[18] = 5;
	assert_int_equal(pf_tpm2_parse_properties(bad.b, bad.n, out, 8, &n, &rc), PF_ERR_TRUNCATED);
	bad.b[18] = 3;
	assert_int_equal(pf_tpm2_parse_properties(bad.b, bad.n, out, 8, &n, &rc), PF_ERR_INVALID);
	bad.b[14] = 0x07;
	bad.b[18] = 4;
	assert_int_equal(pf_tpm2_parse_properties(bad.b, bad.n, out, 8, &n, &rc), PF_ERR_INVALID);
	bad = r;
	bad.b[10] = 2;
	assert_int_equal(pf_tpm2_parse_properties(bad.b, bad.n, out, 8, &n, &rc), PF_ERR_INVALID);
	bad = r;
	bad.b[1] = 0x02;
	assert_int_equal(pf_tpm2_parse_properties(bad.b, bad.n, out, 8, &n, &rc), PF_ERR_INVALID);
	assert_int_equal(rc, 0);
	bad.b[0] = 0xFF, bad.b[9] = 0x01;
	assert_int_equal(pf_tpm2_parse_properties(bad.b, bad.n, out, 8, &n, &rc), PF_ERR_INVALID);
	assert_int_equal(rc, 0);

	/* Errors: the code comes back for the message. */
	rbuf e = err_rsp(0x0143);
	assert_int_equal(pf_tpm2_parse_properties(e.b, e.n, out, 8, &n, &rc), PF_ERR_INVALID);
	assert_int_equal(rc, 0x143);
	/* A TPM 1.2 answering a 2.0 command: TPM_TAG_RSP_COMMAND with TPM_BADTAG. */
	rbuf e12 = rsp_start(PF_TPM2_ST_RSP_COMMAND, PF_TPM2_RC_BAD_TAG);
	rsp_end(&e12);
	assert_int_equal(pf_tpm2_parse_properties(e12.b, e12.n, out, 8, &n, &rc), PF_ERR_INVALID);
	assert_int_equal(rc, 0x1E);
}

static pf_status parse_pcrs_1(const uint8_t *p, size_t n, uint32_t *rc)
{
	pf_tpm2_pcr_bank out[8];
	size_t k;
	return pf_tpm2_parse_pcrs(p, n, out, PF_ARRAY_SIZE(out), &k, rc);
}

static void test_pcrs(void **state)
{
	(void)state;
	rbuf r = rsp_start(PF_TPM2_ST_NO_SESSIONS, 0);
	r8(&r, 0);
	r32(&r, PF_TPM2_CAP_PCRS);
	r32(&r, 3);
	r16(&r, PF_TPM2_ALG_SHA1), r8(&r, 3), r8(&r, 0), r8(&r, 0), r8(&r, 0);
	r16(&r, PF_TPM2_ALG_SHA256), r8(&r, 3), r8(&r, 0xFF), r8(&r, 0xFF), r8(&r, 0xFF);
	r16(&r, PF_TPM2_ALG_SHA384), r8(&r, 5), r8(&r, 0), r8(&r, 0), r8(&r, 0), r8(&r, 0), r8(&r, 1);
	rsp_end(&r);
	pf_tpm2_pcr_bank b[4];
	size_t n;
	uint32_t rc;
	assert_int_equal(pf_tpm2_parse_pcrs(r.b, r.n, b, 4, &n, &rc), PF_OK);
	assert_int_equal(n, 3);
	assert_int_equal(b[0].hash_alg, PF_TPM2_ALG_SHA1);
	assert_false(b[0].active);
	assert_int_equal(b[1].pcr_mask, 0xFFFFFF);
	assert_true(b[1].active);
	assert_int_equal(b[2].pcr_mask, 0); /* PCR 32 lies past the mask but still counts */
	assert_true(b[2].active);
	assert_int_equal(pf_tpm2_parse_pcrs(r.b, r.n, b, 2, &n, &rc), PF_ERR_TOO_BIG);
	all_prefixes_fail(&r, parse_pcrs_1);
	rbuf bad = r;
	bad.b[21] = 4; /* first sizeofSelect claims a byte too many */
	assert_int_not_equal(pf_tpm2_parse_pcrs(bad.b, bad.n, b, 4, &n, &rc), PF_OK);
	bad = r;
	bad.b[18] = 0xFF; /* count */
	assert_int_equal(pf_tpm2_parse_pcrs(bad.b, bad.n, b, 4, &n, &rc), PF_ERR_TRUNCATED);
	/* A properties answer is not a PCR answer. */
	rbuf p = props_rsp(NULL, 0);
	assert_int_equal(pf_tpm2_parse_pcrs(p.b, p.n, b, 4, &n, &rc), PF_ERR_INVALID);
}

/* ---- NV ---- */

static pf_status parse_nvpub_1(const uint8_t *p, size_t n, uint32_t *rc)
{
	uint16_t size;
	uint32_t attr;
	return pf_tpm2_parse_nv_read_public(p, n, &size, &attr, rc);
}

static pf_status parse_nvread_1(const uint8_t *p, size_t n, uint32_t *rc)
{
	const uint8_t *d;
	uint16_t size;
	return pf_tpm2_parse_nv_read(p, n, &d, &size, rc);
}

static void test_nv_read_public(void **state)
{
	(void)state;
	uint16_t size = 7;
	uint32_t attr = 7, rc;
	rbuf r = nvpub_rsp(PF_TPM2_NV_EK_CERT_RSA, 0x620F0001, 1234);
	assert_int_equal(pf_tpm2_parse_nv_read_public(r.b, r.n, &size, &attr, &rc), PF_OK);
	assert_int_equal(size, 1234);
	assert_int_equal(attr, 0x620F0001);
	all_prefixes_fail(&r, parse_nvpub_1);
	/* TPM2B_NV_PUBLIC's own size wrong in either direction. */
	rbuf bad = r;
	bad.b[11]++;
	assert_int_not_equal(pf_tpm2_parse_nv_read_public(bad.b, bad.n, &size, &attr, &rc), PF_OK);
	bad.b[11] -= 2;
	assert_int_not_equal(pf_tpm2_parse_nv_read_public(bad.b, bad.n, &size, &attr, &rc), PF_OK);
	/* The name's size lying. */
	bad = r;
	bad.b[bad.n - 34 - 1]++;
	assert_int_equal(pf_tpm2_parse_nv_read_public(bad.b, bad.n, &size, &attr, &rc), PF_ERR_TRUNCATED);
	/* No such index: TPM_RC_HANDLE for handle 1 (0x18B); other handle numbers and P too. */
	size = 7;
	rbuf e = err_rsp(0x18B);
	assert_int_equal(pf_tpm2_parse_nv_read_public(e.b, e.n, &size, &attr, &rc), PF_ERR_NOT_FOUND);
	assert_int_equal(rc, 0x18B);
	assert_int_equal(size, 7);
	e = err_rsp(0x28B);
	assert_int_equal(pf_tpm2_parse_nv_read_public(e.b, e.n, &size, &attr, &rc), PF_ERR_NOT_FOUND);
	e = err_rsp(0x1CB);
	assert_int_equal(pf_tpm2_parse_nv_read_public(e.b, e.n, &size, &attr, &rc), PF_ERR_NOT_FOUND);
	e = err_rsp(0x184); /* TPM_RC_VALUE: not "absent" */
	assert_int_equal(pf_tpm2_parse_nv_read_public(e.b, e.n, &size, &attr, &rc), PF_ERR_INVALID);
	e = err_rsp(0x90A); /* TESTING */
	assert_int_equal(pf_tpm2_parse_nv_read_public(e.b, e.n, &size, &attr, &rc), PF_ERR_INVALID);
	assert_true(pf_tpm2_rc_is_retry(rc));
	/* A success tag missing but code 0: malformed, rc 0. */
	rbuf wrong = r;
	wrong.b[1] = 0x02;
	assert_int_equal(pf_tpm2_parse_nv_read_public(wrong.b, wrong.n, &size, &attr, &rc), PF_ERR_INVALID);
	assert_int_equal(rc, 0);
}

static void test_nv_read(void **state)
{
	(void)state;
	const uint8_t *d = NULL;
	uint16_t size = 0;
	uint32_t rc;
	rbuf r = nvread_rsp("hello", 5);
	assert_int_equal(pf_tpm2_parse_nv_read(r.b, r.n, &d, &size, &rc), PF_OK);
	assert_int_equal(size, 5);
	assert_memory_equal(d, "hello", 5);
	assert_ptr_equal(d, r.b + 10 + 4 + 2);
	all_prefixes_fail(&r, parse_nvread_1);
	rbuf big = r;
	memset(big.b + big.n, 0, 64);
	assert_int_equal(pf_tpm2_parse_nv_read(big.b, big.n + 64, &d, &size, &rc), PF_OK);

	/* parameterSize larger than the rest, smaller than the TPM2B, or not matching it. */
	rbuf bad = r;
	bad.b[13] = 200;
	assert_int_equal(pf_tpm2_parse_nv_read(bad.b, bad.n, &d, &size, &rc), PF_ERR_TRUNCATED);
	bad.b[13] = 6;
	assert_int_equal(pf_tpm2_parse_nv_read(bad.b, bad.n, &d, &size, &rc), PF_ERR_TRUNCATED);
	bad.b[13] = 8; /* parameters end 1 byte after the TPM2B, and the auth area is one short */
	assert_int_not_equal(pf_tpm2_parse_nv_read(bad.b, bad.n, &d, &size, &rc), PF_OK);
	/* The TPM2B claiming more than parameterSize. */
	bad = r;
	bad.b[15] = 6;
	assert_int_equal(pf_tpm2_parse_nv_read(bad.b, bad.n, &d, &size, &rc), PF_ERR_TRUNCATED);
	/* Auth area with a byte too many inside responseSize. */
	bad = r;
	bad.b[bad.n++] = 0;
	rsp_end(&bad);
	assert_int_equal(pf_tpm2_parse_nv_read(bad.b, bad.n, &d, &size, &rc), PF_ERR_INVALID);
	/* Success without sessions is not an NV_Read answer. */
	bad = r;
	bad.b[1] = 0x01;
	assert_int_equal(pf_tpm2_parse_nv_read(bad.b, bad.n, &d, &size, &rc), PF_ERR_INVALID);
	/* Refused read, uninitialized index. */
	rbuf e = err_rsp(PF_TPM2_RC_NV_AUTHORIZATION);
	assert_int_equal(pf_tpm2_parse_nv_read(e.b, e.n, &d, &size, &rc), PF_ERR_INVALID);
	assert_int_equal(rc, 0x149);
	e = err_rsp(PF_TPM2_RC_NV_UNINITIALIZED);
	assert_int_equal(pf_tpm2_parse_nv_read(e.b, e.n, &d, &size, &rc), PF_ERR_NOT_FOUND);
	assert_int_equal(rc, 0x14A);
	/* Error responses may come with TPM_ST_SESSIONS too; the code is what counts. */
	rbuf es = rsp_start(PF_TPM2_ST_SESSIONS, 0x98E);
	rsp_end(&es);
	assert_int_equal(pf_tpm2_parse_nv_read(es.b, es.n, &d, &size, &rc), PF_ERR_INVALID);
	assert_int_equal(rc, 0x98E);
}

/* ---- ReadPublic ---- */

static pf_status parse_readpub_1(const uint8_t *p, size_t n, uint32_t *rc)
{
	pf_tpm2_public pub;
	return pf_tpm2_parse_read_public(p, n, &pub, rc);
}

static void test_read_public_rsa(void **state)
{
	(void)state;
	uint8_t mod[256];
	for (size_t i = 0; i < sizeof(mod); i++)
		mod[i] = (uint8_t)(i * 7 + 1);
	rbuf area = rsa_area(mod, sizeof(mod), 0);
	rbuf r = readpub_rsp(&area);
	pf_tpm2_public pub;
	uint32_t rc;
	assert_int_equal(pf_tpm2_parse_read_public(r.b, r.n, &pub, &rc), PF_OK);
	assert_int_equal(pub.type, PF_TPM2_ALG_RSA);
	assert_int_equal(pub.name_alg, PF_TPM2_ALG_SHA256);
	assert_int_equal(pub.object_attributes, 0x000300B2);
	assert_int_equal(pub.key_bits, 2048);
	assert_int_equal(pub.exponent, 65537);
	assert_int_equal(pub.unique_len, 256);
	assert_memory_equal(pub.unique, mod, 256);
	assert_null(pub.unique_y);
	assert_ptr_equal(pub.area, r.b + 12);
	assert_int_equal(pub.area_len, area.n);
	assert_memory_equal(pub.area, area.b, area.n);

	uint8_t d[PF_SHA256_SIZE], want[PF_SHA256_SIZE];
	pf_tpm2_public_sha256_area(&pub, d);
	pf_sha256(area.b, area.n, want);
	assert_memory_equal(d, want, sizeof(d));
	pf_tpm2_public_sha256_unique(&pub, d);
	pf_sha256(mod, sizeof(mod), want);
	assert_memory_equal(d, want, sizeof(d));

	all_prefixes_fail(&r, parse_readpub_1);
	/* Absent persistent EK. */
	rbuf e = err_rsp(0x18B);
	assert_int_equal(pf_tpm2_parse_read_public(e.b, e.n, &pub, &rc), PF_ERR_NOT_FOUND);
	/* TPM2B_PUBLIC's size one too large: the area then has a byte left over. */
	rbuf bad = r;
	bad.b[11]++;
	assert_int_not_equal(pf_tpm2_parse_read_public(bad.b, bad.n, &pub, &rc), PF_OK);
}

static void test_read_public_ecc_and_others(void **state)
{
	(void)state;
	uint8_t x[32], y[32];
	memset(x, 0x11, sizeof(x));
	memset(y, 0x22, sizeof(y));
	rbuf area = ecc_area(x, y, 32);
	rbuf r = readpub_rsp(&area);
	pf_tpm2_public pub;
	uint32_t rc;
	assert_int_equal(pf_tpm2_parse_read_public(r.b, r.n, &pub, &rc), PF_OK);
	assert_int_equal(pub.type, PF_TPM2_ALG_ECC);
	assert_int_equal(pub.curve, 3);
	assert_memory_equal(pub.unique, x, 32);
	assert_memory_equal(pub.unique_y, y, 32);
	uint8_t d[PF_SHA256_SIZE], want[PF_SHA256_SIZE], xy[64];
	memcpy(xy, x, 32);
	memcpy(xy + 32, y, 32);
	pf_tpm2_public_sha256_unique(&pub, d);
	pf_sha256(xy, sizeof(xy), want);
	assert_memory_equal(d, want, sizeof(d));
	assert_int_equal(pf_tpm2_public_sha256_rsa_der(&pub, d), PF_ERR_UNSUPPORTED);
	all_prefixes_fail(&r, parse_readpub_1);

	/* ECDAA carries hashAlg and count; a KDF scheme carries hashAlg. */
	rbuf a = { .n = 0 };
	r16(&a, PF_TPM2_ALG_ECC), r16(&a, PF_TPM2_ALG_SHA256), r32(&a, 0), r16(&a, 0);
	r16(&a, PF_TPM2_ALG_NULL);                 /* symmetric */
	r16(&a, 0x001A), r16(&a, 0x000B), r16(&a, 1); /* ECDAA, SHA256, count */
	r16(&a, 0x0010);                           /* BN P-256 */
	r16(&a, 0x0020), r16(&a, 0x000B);          /* KDF1_SP800_56A, SHA256 */
	r2b(&a, x, 32), r2b(&a, y, 32);
	assert_int_equal(pf_tpm2_parse_public_area(a.b, a.n, &pub), PF_OK);
	assert_int_equal(pub.curve, 0x10);
	/* An unknown scheme hides its details' size. */
	a.b[12] = 0x7F;
	assert_int_equal(pf_tpm2_parse_public_area(a.b, a.n, &pub), PF_ERR_INVALID);

	/* RSAES (no details), RSASSA (hashAlg). */
	uint8_t mod[4] = { 0xC0, 1, 2, 3 };
	rbuf rs = { .n = 0 };
	r16(&rs, PF_TPM2_ALG_RSA), r16(&rs, PF_TPM2_ALG_SHA1), r32(&rs, 0), r16(&rs, 0);
	r16(&rs, PF_TPM2_ALG_NULL), r16(&rs, 0x0015), r16(&rs, 1024), r32(&rs, 3), r2b(&rs, mod, 4);
	assert_int_equal(pf_tpm2_parse_public_area(rs.b, rs.n, &pub), PF_OK);
	assert_int_equal(pub.exponent, 3);
	rs.b[13] = 0x14; /* RSASSA wants a hashAlg the bytes do not have room for */
	assert_int_not_equal(pf_tpm2_parse_public_area(rs.b, rs.n, &pub), PF_OK);

	/* KEYEDHASH with XOR (hashAlg, kdf), SYMCIPHER with AES. */
	rbuf kh = { .n = 0 };
	r16(&kh, PF_TPM2_ALG_KEYEDHASH), r16(&kh, PF_TPM2_ALG_SHA256), r32(&kh, 0), r16(&kh, 0);
	r16(&kh, 0x000A), r16(&kh, 0x000B), r16(&kh, 0x0007), r2b(&kh, x, 32);
	assert_int_equal(pf_tpm2_parse_public_area(kh.b, kh.n, &pub), PF_OK);
	assert_int_equal(pub.unique_len, 32);
	rbuf sc = { .n = 0 };
	r16(&sc, PF_TPM2_ALG_SYMCIPHER), r16(&sc, PF_TPM2_ALG_SHA256), r32(&sc, 0), r16(&sc, 0);
	r16(&sc, 0x0006), r16(&sc, 256), r16(&sc, 0x0043), r2b(&sc, x, 32);
	assert_int_equal(pf_tpm2_parse_public_area(sc.b, sc.n, &pub), PF_OK);
	/* Unknown type; extra byte. */
	sc.b[1] = 0x99;
	assert_int_equal(pf_tpm2_parse_public_area(sc.b, sc.n, &pub), PF_ERR_UNSUPPORTED);
	sc.b[1] = 0x25;
	sc.b[sc.n++] = 0;
	assert_int_equal(pf_tpm2_parse_public_area(sc.b, sc.n, &pub), PF_ERR_INVALID);
}

/* The EK public against the certificate's key, and the PKCS #1 digest against openssl's. */
static void test_public_vs_certificate(void **state)
{
	(void)state;
	size_t len, exp_len;
	char *der = test_read_file("tests/unit/data/x509/ek_swtpm_like.der", &len);
	char *exp = test_read_file("tests/unit/data/x509/expected.txt", &exp_len);
	pf_x509_cert c;
	pf_x509_key k;
	assert_int_equal(pf_x509_parse(der, len, &c), PF_OK);
	assert_int_equal(pf_x509_spki_key(&c.spki, &k), PF_OK);
	assert_int_equal(k.n_len, 256);

	rbuf area = rsa_area(k.n, (uint16_t)k.n_len, 0);
	pf_tpm2_public pub;
	assert_int_equal(pf_tpm2_parse_public_area(area.b, area.n, &pub), PF_OK);
	assert_true(pf_tpm2_public_matches_key(&pub, &k));

	const char *tag = "== ek_swtpm_like.der\n";
	char *sect = strstr(exp, tag);
	assert_non_null(sect);
	char *line = strstr(sect, "RSAPublicKeySHA256=");
	assert_non_null(line);
	char want[PF_SHA256_HEX_SIZE];
	memcpy(want, line + strlen("RSAPublicKeySHA256="), 64);
	want[64] = '\0';
	uint8_t d[PF_SHA256_SIZE];
	char hex[PF_SHA256_HEX_SIZE];
	assert_int_equal(pf_tpm2_public_sha256_rsa_der(&pub, d), PF_OK);
	pf_hex(d, sizeof(d), hex, sizeof(hex));
	assert_string_equal(hex, want);

	/* A different modulus or exponent is a different key; so is an EC key. */
	rbuf other = rsa_area(k.n, (uint16_t)k.n_len, 3);
	assert_int_equal(pf_tpm2_parse_public_area(other.b, other.n, &pub), PF_OK);
	assert_false(pf_tpm2_public_matches_key(&pub, &k));
	uint8_t n2[256];
	memcpy(n2, k.n, 256);
	n2[255] ^= 1;
	other = rsa_area(n2, 256, 0);
	assert_int_equal(pf_tpm2_parse_public_area(other.b, other.n, &pub), PF_OK);
	assert_false(pf_tpm2_public_matches_key(&pub, &k));

	free(der);
	der = test_read_file("tests/unit/data/x509/ec_multi_rdn.der", &len);
	assert_int_equal(pf_x509_parse(der, len, &c), PF_OK);
	assert_int_equal(pf_x509_spki_key(&c.spki, &k), PF_OK);
	assert_false(pf_tpm2_public_matches_key(&pub, &k));
	rbuf ea = ecc_area(k.x, k.y, (uint16_t)k.xy_len);
	assert_int_equal(pf_tpm2_parse_public_area(ea.b, ea.n, &pub), PF_OK);
	assert_true(pf_tpm2_public_matches_key(&pub, &k));
	free(der);
	free(exp);
}

/* ---- names ---- */

static void test_rc_str(void **state)
{
	(void)state;
	static const struct {
		uint32_t rc;
		const char *s;
	} v[] = {
		{ 0x000, "TPM_RC_SUCCESS" },
		{ 0x100, "TPM_RC_INITIALIZE" },
		{ 0x101, "TPM_RC_FAILURE" },
		{ 0x143, "TPM_RC_COMMAND_CODE" },
		{ 0x144, "TPM_RC_AUTHSIZE" },
		{ 0x148, "TPM_RC_NV_LOCKED" },
		{ 0x149, "TPM_RC_NV_AUTHORIZATION" },
		{ 0x14A, "TPM_RC_NV_UNINITIALIZED" },
		{ 0x922, "TPM_RC_RETRY" },
		{ 0x90A, "TPM_RC_TESTING" },
		{ 0x908, "TPM_RC_YIELDED" },
		{ 0x909, "TPM_RC_CANCELED" },
		{ 0x923, "TPM_RC_NV_UNAVAILABLE" },
		{ 0x921, "TPM_RC_LOCKOUT" },
		{ 0x08B, "TPM_RC_HANDLE" },
		{ 0x18B, "TPM_RC_HANDLE (handle 1)" },
		{ 0x28B, "TPM_RC_HANDLE (handle 2)" },
		{ 0x1C4, "TPM_RC_VALUE (parameter 1)" },
		{ 0xFC4, "TPM_RC_VALUE (parameter 15)" },
		{ 0x2D5, "TPM_RC_SIZE (parameter 2)" },
		{ 0x98E, "TPM_RC_AUTH_FAIL (session 1)" },
		{ 0x9A2, "TPM_RC_BAD_AUTH (session 1)" },
		{ 0x0A2, "TPM_RC_BAD_AUTH" },
		{ 0x01E, "TPM_RC_BAD_TAG" },
		{ 0x003, "0x3 (TPM 1.2)" },
		{ 0x800, "0x800 (TPM 1.2)" },
		{ 0x500, "0x500 (vendor)" },
		{ 0x17F, "0x17f" },
		{ 0x09E, "0x9e" },
		{ 0x1000, "0x1000" },
		{ 0xFFFFFFFF, "0xffffffff" },
	};
	char buf[64];
	for (size_t i = 0; i < PF_ARRAY_SIZE(v); i++)
		assert_string_equal(pf_tpm2_rc_str(v[i].rc, buf, sizeof(buf)), v[i].s);
	char small[8];
	assert_string_equal(pf_tpm2_rc_str(0x18B, small, sizeof(small)), "TPM_RC_");
	assert_string_equal(pf_tpm2_rc_str(0x18B, NULL, 0), "");
	assert_true(pf_tpm2_rc_is_retry(0x922));
	assert_false(pf_tpm2_rc_is_retry(0x921));
}

static void test_strings(void **state)
{
	(void)state;
	static const struct {
		uint32_t v;
		const char *s;
	} m[] = {
		{ 0x49465800, "IFX" },  { 0x494E5443, "INTC" }, { 0x414D4400, "AMD" }, { 0x53544D20, "STM" },
		{ 0x4E544300, "NTC" },  { 0x4D534654, "MSFT" }, { 0x00000000, "" },    { 0x41014200, "A?B" },
		{ 0x20414220, " AB" },  { 0xFF414243, "?ABC" }, { 0x41002000, "A" },
	};
	char out[5];
	for (size_t i = 0; i < PF_ARRAY_SIZE(m); i++) {
		memset(out, 'x', sizeof(out));
		pf_tpm2_manufacturer_str(m[i].v, out);
		assert_string_equal(out, m[i].s);
	}
	char fw[32];
	assert_int_equal(pf_tpm2_firmware_str(0x00070055, 0x00110000, fw, sizeof(fw)), 9);
	assert_string_equal(fw, "7.85.17.0");
	assert_int_equal(pf_tpm2_firmware_str(0xFFFFFFFF, 0xFFFFFFFF, fw, sizeof(fw)), 23);
	assert_string_equal(fw, "65535.65535.65535.65535");
	assert_int_equal(pf_tpm2_firmware_str(0x00070055, 0x00110000, fw, 4), 9);
	assert_string_equal(fw, "7.8");

	assert_string_equal(pf_tpm2_alg_str(PF_TPM2_ALG_SHA256), "sha256");
	assert_string_equal(pf_tpm2_alg_str(PF_TPM2_ALG_SM3_256), "sm3_256");
	assert_null(pf_tpm2_alg_str(0x0027));
	char b[64];
	assert_int_equal(pf_tpm2_banks_str(PF_TCG2_BANK_SHA1 | PF_TCG2_BANK_SHA256, b, sizeof(b)), 11);
	assert_string_equal(b, "sha1,sha256");
	assert_int_equal(pf_tpm2_banks_str(0, b, sizeof(b)), 0);
	assert_string_equal(b, "");
	pf_tpm2_banks_str(0x1F, b, sizeof(b));
	assert_string_equal(b, "sha1,sha256,sha384,sha512,sm3_256");
	pf_tpm2_banks_str(0x22, b, sizeof(b));
	assert_string_equal(b, "sha256,0x20");
	char s4[6];
	assert_int_equal(pf_tpm2_banks_str(0x3, s4, sizeof(s4)), 11);
	assert_string_equal(s4, "sha1,");
}

/* ---- the NV read flow against a simulated TPM ---- */

typedef struct {
	uint32_t index;
	uint32_t attributes;
	const uint8_t *data;
	uint16_t size;
	uint16_t tpm_max;          /* the TPM's own NV buffer limit */
	bool refuse_index_auth;    /* answer index-authorized reads with TPM_RC_NV_AUTHORIZATION */
	int retries;               /* answer this many commands with TPM_RC_RETRY first */
	bool short_reads;          /* return one byte less than asked */
	bool fail_io;
	size_t max_cap;            /* the largest rsp_cap seen */
	int n_reads;
	uint32_t last_auth;
} fake_tpm;

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static pf_status fake_submit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *rsp, size_t rsp_cap,
			     size_t *ret_len)
{
	fake_tpm *t = ctx;
	rbuf r;
	if (t->fail_io)
		return PF_ERR_IO;
	t->max_cap = PF_MAX(t->max_cap, rsp_cap);
	assert_true(cmd_len >= 10);
	assert_int_equal(be32(cmd + 2), cmd_len);
	uint32_t cc = be32(cmd + 6);
	if (t->retries > 0) {
		t->retries--;
		r = err_rsp(PF_TPM2_RC_RETRY);
	} else if (cc == PF_TPM2_CC_NV_READ_PUBLIC) {
		assert_int_equal(cmd_len, 14);
		r = be32(cmd + 10) == t->index ? nvpub_rsp(t->index, t->attributes, t->size) : err_rsp(0x18B);
	} else if (cc == PF_TPM2_CC_NV_READ) {
		assert_int_equal(cmd_len, 35);
		assert_int_equal(be16(cmd), PF_TPM2_ST_SESSIONS);
		uint32_t auth = be32(cmd + 10), index = be32(cmd + 14);
		uint16_t size = be16(cmd + 31), off = be16(cmd + 33);
		t->last_auth = auth;
		t->n_reads++;
		assert_int_equal(be32(cmd + 18), 9);
		assert_int_equal(be32(cmd + 22), PF_TPM2_RS_PW);
		if (index != t->index)
			r = err_rsp(0x28B);
		else if (auth == index && t->refuse_index_auth)
			r = err_rsp(PF_TPM2_RC_NV_AUTHORIZATION);
		else if (size > t->tpm_max)
			r = err_rsp(0x1D5); /* TPM_RC_SIZE (parameter 1) */
		else if ((uint32_t)off + size > t->size)
			r = err_rsp(0x146); /* TPM_RC_NV_RANGE */
		else
			r = nvread_rsp(t->data + off, (uint16_t)(size - (t->short_reads ? 1 : 0)));
	} else {
		r = err_rsp(0x143);
	}
	assert_true(r.n <= rsp_cap);
	memcpy(rsp, r.b, r.n);
	*ret_len = r.n;
	return PF_OK;
}

static void test_nv_read_all(void **state)
{
	(void)state;
	size_t cert_len;
	char *cert = test_read_file("tests/unit/data/x509/ek_swtpm_like.der", &cert_len);
	const uint32_t ek_attrs = PF_TPMA_NV_PPREAD | PF_TPMA_NV_OWNERREAD | PF_TPMA_NV_AUTHREAD | PF_TPMA_NV_WRITTEN;
	fake_tpm t = { PF_TPM2_NV_EK_CERT_RSA, ek_attrs, (const uint8_t *)cert, (uint16_t)cert_len, 700 };
	uint8_t *data = NULL;
	size_t len = 0;
	uint32_t rc = 0xdead;

	/* Chunks of 200 bytes: ceil(755 / 200) reads, authorized by the index itself. */
	assert_int_equal(pf_tpm2_nv_read_all(fake_submit, &t, t.index, 200, 0, &data, &len, &rc), PF_OK);
	assert_int_equal(rc, 0);
	assert_int_equal(len, cert_len);
	assert_memory_equal(data, cert, len);
	assert_int_equal(t.n_reads, (int)((cert_len + 199) / 200));
	assert_int_equal(t.last_auth, t.index);
	char *issuer, *subject;
	assert_int_equal(pf_x509_names(data, len, &issuer, &subject), PF_OK);
	assert_string_equal(issuer, "CN=swtpm-localca");
	free(issuer);
	free(subject);
	free(data);

	/* max_chunk 0: the default 512 fits every TPM. */
	t.n_reads = 0;
	assert_int_equal(pf_tpm2_nv_read_all(fake_submit, &t, t.index, 0, 0, &data, &len, &rc), PF_OK);
	assert_int_equal(t.n_reads, 2);
	free(data);

	/* A chunk the TPM refuses (larger than its own limit) fails with its code. */
	data = NULL;
	assert_int_equal(pf_tpm2_nv_read_all(fake_submit, &t, t.index, 1024, 0, &data, &len, &rc), PF_ERR_INVALID);
	assert_int_equal(rc, 0x1D5);
	assert_null(data);

	/* OWNERREAD only: the owner authorizes. */
	t.attributes = PF_TPMA_NV_OWNERREAD | PF_TPMA_NV_WRITTEN;
	assert_int_equal(pf_tpm2_nv_read_all(fake_submit, &t, t.index, 512, 0, &data, &len, &rc), PF_OK);
	assert_int_equal(t.last_auth, PF_TPM2_RH_OWNER);
	free(data);

	/* The index refuses its own authorization: the owner is tried next. */
	t.attributes = ek_attrs;
	t.refuse_index_auth = true;
	t.n_reads = 0;
	assert_int_equal(pf_tpm2_nv_read_all(fake_submit, &t, t.index, 512, 0, &data, &len, &rc), PF_OK);
	assert_int_equal(rc, 0);
	assert_int_equal(t.n_reads, 3); /* refused, then two owner-authorized chunks */
	assert_int_equal(t.last_auth, PF_TPM2_RH_OWNER);
	free(data);
	/* ... but without OWNERREAD there is nothing else to try. */
	t.attributes = PF_TPMA_NV_AUTHREAD | PF_TPMA_NV_WRITTEN;
	assert_int_equal(pf_tpm2_nv_read_all(fake_submit, &t, t.index, 512, 0, &data, &len, &rc), PF_ERR_INVALID);
	assert_int_equal(rc, PF_TPM2_RC_NV_AUTHORIZATION);
	t.refuse_index_auth = false;

	/* Only PPREAD/POLICYREAD: not readable from here. */
	t.attributes = PF_TPMA_NV_PPREAD | PF_TPMA_NV_POLICYREAD | PF_TPMA_NV_WRITTEN;
	assert_int_equal(pf_tpm2_nv_read_all(fake_submit, &t, t.index, 512, 0, &data, &len, &rc), PF_ERR_UNSUPPORTED);
	/* Defined but never written; absent index (the ECC one here). */
	t.attributes = PF_TPMA_NV_AUTHREAD;
	assert_int_equal(pf_tpm2_nv_read_all(fake_submit, &t, t.index, 512, 0, &data, &len, &rc), PF_ERR_NOT_FOUND);
	assert_int_equal(rc, 0);
	t.attributes = ek_attrs;
	assert_int_equal(pf_tpm2_nv_read_all(fake_submit, &t, PF_TPM2_NV_EK_CERT_ECC, 512, 0, &data, &len, &rc),
			 PF_ERR_NOT_FOUND);
	assert_int_equal(rc, 0x18B);

	/* TPM_RC_RETRY twice is ridden out; forever is not. */
	t.retries = 2;
	assert_int_equal(pf_tpm2_nv_read_all(fake_submit, &t, t.index, 512, 0, &data, &len, &rc), PF_OK);
	free(data);
	t.retries = 1000;
	assert_int_equal(pf_tpm2_nv_read_all(fake_submit, &t, t.index, 512, 0, &data, &len, &rc), PF_ERR_INVALID);
	assert_int_equal(rc, PF_TPM2_RC_RETRY);
	t.retries = 0;

	/* A firmware with MaxResponseSize 300: buffers of at most 299, chunks of 299 - 21 = 278. */
	t.n_reads = 0;
	t.max_cap = 0;
	assert_int_equal(pf_tpm2_nv_read_all(fake_submit, &t, t.index, 512, 300, &data, &len, &rc), PF_OK);
	assert_int_equal(t.max_cap, 299);
	assert_int_equal(t.n_reads, (int)((cert_len + 277) / 278));
	assert_memory_equal(data, cert, cert_len);
	free(data);
	assert_int_equal(pf_tpm2_nv_read_all(fake_submit, &t, t.index, 512, 200, &data, &len, &rc), PF_ERR_UNSUPPORTED);

	/* A TPM returning less than asked; a transport that fails. */
	t.short_reads = true;
	assert_int_equal(pf_tpm2_nv_read_all(fake_submit, &t, t.index, 512, 0, &data, &len, &rc), PF_ERR_INVALID);
	t.short_reads = false;
	t.fail_io = true;
	assert_int_equal(pf_tpm2_nv_read_all(fake_submit, &t, t.index, 512, 0, &data, &len, &rc), PF_ERR_IO);
	free(cert);
}

/* A TPM that lies in the NV flow: scripted responses, one per command. */
typedef struct {
	rbuf rsp[4];
	size_t deliver[4]; /* bytes handed back (0: the whole response) */
	int n, next;
} script_tpm;

static pf_status script_submit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *rsp, size_t rsp_cap,
			       size_t *ret_len)
{
	script_tpm *t = ctx;
	(void)cmd;
	(void)cmd_len;
	assert_true(t->next < t->n);
	const rbuf *r = &t->rsp[t->next];
	size_t n = t->deliver[t->next] ? t->deliver[t->next] : r->n;
	t->next++;
	assert_true(n <= rsp_cap);
	memcpy(rsp, r->b, n);
	*ret_len = n;
	return PF_OK;
}

static void test_nv_read_all_lying_tpm(void **state)
{
	(void)state;
	static const uint8_t blob[40] = "0123456789abcdef0123456789abcdef01234567";
	const uint32_t attrs = PF_TPMA_NV_AUTHREAD | PF_TPMA_NV_WRITTEN;
	const uint32_t idx = PF_TPM2_NV_EK_CERT_RSA;
	uint8_t *data = NULL;
	size_t len = 0;
	uint32_t rc;

	/* More bytes than asked for. */
	script_tpm t = { .rsp = { nvpub_rsp(idx, attrs, 20), nvread_rsp(blob, 40) }, .n = 2 };
	assert_int_equal(pf_tpm2_nv_read_all(script_submit, &t, idx, 512, 0, &data, &len, &rc), PF_ERR_INVALID);
	assert_int_equal(rc, 0);
	assert_null(data);

	/* A responseSize beyond what arrived (oversized claim) is a short response. */
	t = (script_tpm){ .rsp = { nvpub_rsp(idx, attrs, 20), nvread_rsp(blob, 20) }, .deliver = { 0, 20 }, .n = 2 };
	assert_int_equal(pf_tpm2_nv_read_all(script_submit, &t, idx, 512, 0, &data, &len, &rc), PF_ERR_TRUNCATED);
	assert_int_equal(rc, 0);

	/* Fewer than 10 bytes: no header at all; rc stays 0 ("malformed", not "the TPM said no"). */
	t = (script_tpm){ .rsp = { nvpub_rsp(idx, attrs, 20) }, .deliver = { 6 }, .n = 1 };
	assert_int_equal(pf_tpm2_nv_read_all(script_submit, &t, idx, 512, 0, &data, &len, &rc), PF_ERR_TRUNCATED);
	assert_int_equal(rc, 0);

	/* An error code from NV_ReadPublic other than "no such index" is kept for the message. */
	t = (script_tpm){ .rsp = { err_rsp(0x101) }, .n = 1 }; /* TPM_RC_FAILURE */
	assert_int_equal(pf_tpm2_nv_read_all(script_submit, &t, idx, 512, 0, &data, &len, &rc), PF_ERR_INVALID);
	assert_int_equal(rc, 0x101);
	char name[64];
	assert_string_equal(pf_tpm2_rc_str(rc, name, sizeof(name)), "TPM_RC_FAILURE");

	/* Bytes after responseSize (SubmitCommand hands back the whole buffer) are ignored. */
	t = (script_tpm){ .rsp = { nvpub_rsp(idx, attrs, 20), nvread_rsp(blob, 20) }, .n = 2 };
	memset(t.rsp[1].b + t.rsp[1].n, 0xEE, 64);
	t.deliver[1] = t.rsp[1].n + 64;
	assert_int_equal(pf_tpm2_nv_read_all(script_submit, &t, idx, 512, 0, &data, &len, &rc), PF_OK);
	assert_int_equal(len, 20);
	assert_memory_equal(data, blob, 20);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmd_get_capability),
		cmocka_unit_test(test_cmd_nv),
		cmocka_unit_test(test_cmd_read_public),
		cmocka_unit_test(test_properties),
		cmocka_unit_test(test_pcrs),
		cmocka_unit_test(test_nv_read_public),
		cmocka_unit_test(test_nv_read),
		cmocka_unit_test(test_read_public_rsa),
		cmocka_unit_test(test_read_public_ecc_and_others),
		cmocka_unit_test(test_public_vs_certificate),
		cmocka_unit_test(test_rc_str),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_nv_read_all),
		cmocka_unit_test(test_nv_read_all_lying_tpm),
	};
	return cmocka_run_group_tests_name("tpm2", tests, NULL, NULL);
}
