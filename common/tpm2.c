/* TPM 2.0 command marshalling and strict response parsing for the TPM facts Preflight reports. */
#include "tpm2.h"
#include "der.h"
#include "fmt.h"

/* ---- marshalling ---- */

typedef struct {
	uint8_t *p;
	size_t cap;
	size_t len; /* may run past cap: the command then does not fit */
} wr;

static void put_u8(wr *w, uint8_t v)
{
	if (w->len < w->cap)
		w->p[w->len] = v;
	w->len++;
}

static void put_u16(wr *w, uint16_t v)
{
	put_u8(w, (uint8_t)(v >> 8));
	put_u8(w, (uint8_t)v);
}

static void put_u32(wr *w, uint32_t v)
{
	put_u16(w, (uint16_t)(v >> 16));
	put_u16(w, (uint16_t)v);
}

static wr cmd_begin(uint8_t *buf, size_t cap, uint16_t tag, uint32_t cc)
{
	wr w = { buf, buf ? cap : 0, 0 };
	put_u16(&w, tag);
	put_u32(&w, 0); /* commandSize, patched by cmd_end() */
	put_u32(&w, cc);
	return w;
}

static size_t cmd_end(wr *w)
{
	if (w->len > w->cap)
		return 0;
	size_t n = w->len;
	w->len = 2;
	put_u32(w, (uint32_t)n);
	return n;
}

size_t pf_tpm2_cmd_get_capability(uint8_t *buf, size_t cap, uint32_t capability, uint32_t property, uint32_t count)
{
	wr w = cmd_begin(buf, cap, PF_TPM2_ST_NO_SESSIONS, PF_TPM2_CC_GET_CAPABILITY);
	put_u32(&w, capability);
	put_u32(&w, property);
	put_u32(&w, count);
	return cmd_end(&w);
}

size_t pf_tpm2_cmd_nv_read_public(uint8_t *buf, size_t cap, uint32_t nv_index)
{
	wr w = cmd_begin(buf, cap, PF_TPM2_ST_NO_SESSIONS, PF_TPM2_CC_NV_READ_PUBLIC);
	put_u32(&w, nv_index);
	return cmd_end(&w);
}

size_t pf_tpm2_cmd_nv_read(uint8_t *buf, size_t cap, uint32_t auth_handle, uint32_t nv_index, uint16_t size,
			   uint16_t offset)
{
	wr w = cmd_begin(buf, cap, PF_TPM2_ST_SESSIONS, PF_TPM2_CC_NV_READ);
	put_u32(&w, auth_handle);
	put_u32(&w, nv_index);
	/* authorizationSize, then TPMS_AUTH_COMMAND: handle, empty nonce, attributes, empty password. */
	put_u32(&w, 4 + 2 + 1 + 2);
	put_u32(&w, PF_TPM2_RS_PW);
	put_u16(&w, 0);
	put_u8(&w, 0);
	put_u16(&w, 0);
	put_u16(&w, size);
	put_u16(&w, offset);
	return cmd_end(&w);
}

size_t pf_tpm2_cmd_read_public(uint8_t *buf, size_t cap, uint32_t handle)
{
	wr w = cmd_begin(buf, cap, PF_TPM2_ST_NO_SESSIONS, PF_TPM2_CC_READ_PUBLIC);
	put_u32(&w, handle);
	return cmd_end(&w);
}

/* ---- unmarshalling ---- */

/* A bounded reader: running past the end sets bad and yields zeros, so callers check once. */
typedef struct {
	const uint8_t *p;
	size_t left;
	bool bad;
} rd;

static const uint8_t *get_bytes(rd *r, size_t n)
{
	if (r->bad || n > r->left) {
		r->bad = true;
		return NULL;
	}
	const uint8_t *q = r->p;
	r->p += n;
	r->left -= n;
	return q;
}

static uint8_t get_u8(rd *r)
{
	const uint8_t *q = get_bytes(r, 1);
	return q ? q[0] : 0;
}

static uint16_t get_u16(rd *r)
{
	const uint8_t *q = get_bytes(r, 2);
	return q ? (uint16_t)(q[0] << 8 | q[1]) : 0;
}

static uint32_t get_u32(rd *r)
{
	const uint8_t *q = get_bytes(r, 4);
	return q ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3] : 0;
}

/* A TPM2B: u16 size, then that many bytes. */
static const uint8_t *get_2b(rd *r, size_t *ret_len)
{
	uint16_t n = get_u16(r);
	const uint8_t *q = get_bytes(r, n);
	*ret_len = q ? n : 0;
	return q;
}

/* The reader ran short, or bytes are left over where the structure should have ended. */
static pf_status rd_end(const rd *r)
{
	if (r->bad)
		return PF_ERR_TRUNCATED;
	return r->left ? PF_ERR_INVALID : PF_OK;
}

static bool rc_is_handle(uint32_t rc)
{
	/* Format 1 (bit 7) with error number 0x0B, whatever handle/parameter number bits 8-11 and the
	 * P bit hold. */
	return rc <= 0xFFF && (rc & 0x80) && (rc & 0x3F) == (PF_TPM2_RC_HANDLE & 0x3F);
}

/*
 * Checks the 10-byte header shared by every response; on PF_OK the reader covers the body, bounded
 * by responseSize. *ret_rc is always written (0 when no header could be read).
 */
static pf_status rsp_begin(const void *rsp, size_t len, uint16_t want_tag, rd *ret_body, uint32_t *ret_rc)
{
	rd r = { rsp, rsp ? len : 0, false };
	*ret_rc = 0;
	uint16_t tag = get_u16(&r);
	uint32_t size = get_u32(&r);
	uint32_t rc = get_u32(&r);
	if (r.bad)
		return PF_ERR_TRUNCATED;
	if (size < PF_TPM2_HEADER_SIZE)
		return PF_ERR_INVALID;
	if (size > len)
		return PF_ERR_TRUNCATED;
	if (rc != 0) {
		if (tag != PF_TPM2_ST_NO_SESSIONS && tag != PF_TPM2_ST_SESSIONS && tag != PF_TPM2_ST_RSP_COMMAND)
			return PF_ERR_INVALID;
		*ret_rc = rc;
		return rc_is_handle(rc) || rc == PF_TPM2_RC_NV_UNINITIALIZED ? PF_ERR_NOT_FOUND : PF_ERR_INVALID;
	}
	if (tag != want_tag)
		return PF_ERR_INVALID;
	r.left = size - PF_TPM2_HEADER_SIZE;
	*ret_body = r;
	return PF_OK;
}

/* GetCapability's moreData and TPMS_CAPABILITY_DATA.capability. */
static pf_status cap_begin(const void *rsp, size_t len, uint32_t want_cap, rd *ret_body, uint32_t *ret_rc)
{
	rd r;
	pf_status s = rsp_begin(rsp, len, PF_TPM2_ST_NO_SESSIONS, &r, ret_rc);
	if (s != PF_OK)
		return s;
	uint8_t more = get_u8(&r);
	uint32_t capability = get_u32(&r);
	if (r.bad)
		return PF_ERR_TRUNCATED;
	if (more > 1 || capability != want_cap)
		return PF_ERR_INVALID;
	*ret_body = r;
	return PF_OK;
}

pf_status pf_tpm2_parse_properties(const void *rsp, size_t len, pf_tpm2_prop *out, size_t cap, size_t *ret_n,
				   uint32_t *ret_rc)
{
	rd r;
	pf_status s = cap_begin(rsp, len, PF_TPM2_CAP_TPM_PROPERTIES, &r, ret_rc);
	if (s != PF_OK)
		return s;
	uint32_t count = get_u32(&r);
	if (r.bad || count > r.left / 8)
		return PF_ERR_TRUNCATED;
	if (r.left != (size_t)count * 8)
		return PF_ERR_INVALID;
	if (count > cap)
		return PF_ERR_TOO_BIG;
	for (uint32_t i = 0; i < count; i++) {
		out[i].property = get_u32(&r);
		out[i].value = get_u32(&r);
	}
	*ret_n = count;
	return PF_OK;
}

bool pf_tpm2_prop_get(const pf_tpm2_prop *props, size_t n, uint32_t property, uint32_t *ret_value)
{
	for (size_t i = 0; i < n; i++)
		if (props[i].property == property) {
			*ret_value = props[i].value;
			return true;
		}
	return false;
}

pf_status pf_tpm2_parse_pcrs(const void *rsp, size_t len, pf_tpm2_pcr_bank *out, size_t cap, size_t *ret_n,
			     uint32_t *ret_rc)
{
	rd r;
	pf_status s = cap_begin(rsp, len, PF_TPM2_CAP_PCRS, &r, ret_rc);
	if (s != PF_OK)
		return s;
	uint32_t count = get_u32(&r);
	/* Each TPMS_PCR_SELECTION takes at least 3 bytes; check the count before walking. */
	if (r.bad || count > r.left / 3)
		return PF_ERR_TRUNCATED;
	rd check = r;
	for (uint32_t i = 0; i < count; i++) {
		get_u16(&check);
		get_bytes(&check, get_u8(&check));
	}
	s = rd_end(&check);
	if (s != PF_OK)
		return s;
	if (count > cap)
		return PF_ERR_TOO_BIG;
	for (uint32_t i = 0; i < count; i++) {
		out[i].hash_alg = get_u16(&r);
		uint8_t n = get_u8(&r);
		const uint8_t *sel = get_bytes(&r, n);
		out[i].pcr_mask = 0;
		out[i].active = false;
		for (uint8_t j = 0; j < n; j++) {
			if (j < 4)
				out[i].pcr_mask |= (uint32_t)sel[j] << (8 * j);
			if (sel[j])
				out[i].active = true;
		}
	}
	*ret_n = count;
	return PF_OK;
}

pf_status pf_tpm2_parse_nv_read_public(const void *rsp, size_t len, uint16_t *ret_data_size, uint32_t *ret_attributes,
				       uint32_t *ret_rc)
{
	rd r;
	pf_status s = rsp_begin(rsp, len, PF_TPM2_ST_NO_SESSIONS, &r, ret_rc);
	if (s != PF_OK)
		return s;
	/* TPM2B_NV_PUBLIC: its size must cover TPMS_NV_PUBLIC exactly. */
	size_t pub_len;
	const uint8_t *pub = get_2b(&r, &pub_len);
	size_t name_len;
	get_2b(&r, &name_len);
	s = rd_end(&r);
	if (s != PF_OK)
		return s;
	rd p = { pub, pub_len, false };
	get_u32(&p); /* nvIndex */
	get_u16(&p); /* nameAlg */
	uint32_t attributes = get_u32(&p);
	size_t policy_len;
	get_2b(&p, &policy_len);
	uint16_t data_size = get_u16(&p);
	s = rd_end(&p);
	if (s != PF_OK)
		return s;
	*ret_data_size = data_size;
	*ret_attributes = attributes;
	return PF_OK;
}

pf_status pf_tpm2_parse_nv_read(const void *rsp, size_t len, const uint8_t **ret_data, uint16_t *ret_size,
				uint32_t *ret_rc)
{
	rd r;
	pf_status s = rsp_begin(rsp, len, PF_TPM2_ST_SESSIONS, &r, ret_rc);
	if (s != PF_OK)
		return s;
	uint32_t param_size = get_u32(&r);
	const uint8_t *params = get_bytes(&r, param_size);
	if (!params)
		return PF_ERR_TRUNCATED;
	/* The parameters are exactly one TPM2B_MAX_NV_BUFFER. */
	rd p = { params, param_size, false };
	size_t n;
	const uint8_t *data = get_2b(&p, &n);
	s = rd_end(&p);
	if (s != PF_OK)
		return s;
	/* One TPMS_AUTH_RESPONSE for the password session: nonceTPM, sessionAttributes, hmac. */
	size_t skip;
	get_2b(&r, &skip);
	get_u8(&r);
	get_2b(&r, &skip);
	s = rd_end(&r);
	if (s != PF_OK)
		return s;
	*ret_data = data;
	*ret_size = (uint16_t)n;
	return PF_OK;
}

/* TPMT_SYM_DEF_OBJECT: algorithm, and keyBits and mode unless it is TPM_ALG_NULL. */
static void skip_sym_def(rd *r)
{
	if (get_u16(r) != PF_TPM2_ALG_NULL) {
		get_u16(r);
		get_u16(r);
	}
}

/* TPMT_RSA_SCHEME / TPMT_ECC_SCHEME: the scheme decides how many detail bytes follow. */
static bool skip_asym_scheme(rd *r)
{
	switch (get_u16(r)) {
	case PF_TPM2_ALG_NULL:
	case 0x0015: /* RSAES: TPMS_EMPTY */
		return true;
	case 0x001A: /* ECDAA: hashAlg, count */
		get_u16(r);
		get_u16(r);
		return true;
	case 0x0014: /* RSASSA */
	case 0x0016: /* RSAPSS */
	case 0x0017: /* OAEP */
	case 0x0018: /* ECDSA */
	case 0x0019: /* ECDH */
	case 0x001B: /* SM2 */
	case 0x001C: /* ECSCHNORR */
	case 0x001D: /* ECMQV */
		get_u16(r);
		return true;
	default:
		return false;
	}
}

/* TPMT_KDF_SCHEME: NULL, or one of the KDFs with a hashAlg. */
static bool skip_kdf_scheme(rd *r)
{
	switch (get_u16(r)) {
	case PF_TPM2_ALG_NULL:
		return true;
	case 0x0007: /* MGF1 */
	case 0x0020: /* KDF1_SP800_56A */
	case 0x0021: /* KDF2 */
	case 0x0022: /* KDF1_SP800_108 */
		get_u16(r);
		return true;
	default:
		return false;
	}
}

/* TPMT_KEYEDHASH_SCHEME: NULL, HMAC (hashAlg) or XOR (hashAlg, kdf). */
static bool skip_keyedhash_scheme(rd *r)
{
	switch (get_u16(r)) {
	case PF_TPM2_ALG_NULL:
		return true;
	case 0x0005: /* HMAC */
		get_u16(r);
		return true;
	case 0x000A: /* XOR */
		get_u16(r);
		get_u16(r);
		return true;
	default:
		return false;
	}
}

pf_status pf_tpm2_parse_public_area(const void *area, size_t len, pf_tpm2_public *ret_pub)
{
	rd r = { area, area ? len : 0, false };
	pf_tpm2_public pub = { 0 };
	pub.area = area;
	pub.area_len = len;
	pub.type = get_u16(&r);
	pub.name_alg = get_u16(&r);
	pub.object_attributes = get_u32(&r);
	size_t policy_len;
	get_2b(&r, &policy_len);
	/* An unknown scheme hides the length of what follows: stop there. */
	bool known = true;
	switch (pub.type) {
	case PF_TPM2_ALG_RSA:
		skip_sym_def(&r);
		if (!(known = skip_asym_scheme(&r)))
			break;
		pub.key_bits = get_u16(&r);
		pub.exponent = get_u32(&r);
		if (pub.exponent == 0)
			pub.exponent = 65537;
		pub.unique = get_2b(&r, &pub.unique_len);
		break;
	case PF_TPM2_ALG_ECC:
		skip_sym_def(&r);
		if (!(known = skip_asym_scheme(&r)))
			break;
		pub.curve = get_u16(&r);
		if (!(known = skip_kdf_scheme(&r)))
			break;
		pub.unique = get_2b(&r, &pub.unique_len);
		pub.unique_y = get_2b(&r, &pub.unique_y_len);
		break;
	case PF_TPM2_ALG_KEYEDHASH:
		if (!(known = skip_keyedhash_scheme(&r)))
			break;
		pub.unique = get_2b(&r, &pub.unique_len);
		break;
	case PF_TPM2_ALG_SYMCIPHER:
		skip_sym_def(&r);
		pub.unique = get_2b(&r, &pub.unique_len);
		break;
	default:
		known = false;
		break;
	}
	if (r.bad)
		return PF_ERR_TRUNCATED;
	if (!known)
		return pub.type == PF_TPM2_ALG_RSA || pub.type == PF_TPM2_ALG_ECC || pub.type == PF_TPM2_ALG_KEYEDHASH
			       ? PF_ERR_INVALID
			       : PF_ERR_UNSUPPORTED;
	if (r.left)
		return PF_ERR_INVALID;
	*ret_pub = pub;
	return PF_OK;
}

pf_status pf_tpm2_parse_read_public(const void *rsp, size_t len, pf_tpm2_public *ret_pub, uint32_t *ret_rc)
{
	rd r;
	pf_status s = rsp_begin(rsp, len, PF_TPM2_ST_NO_SESSIONS, &r, ret_rc);
	if (s != PF_OK)
		return s;
	size_t area_len, n;
	const uint8_t *area = get_2b(&r, &area_len);
	get_2b(&r, &n); /* name */
	get_2b(&r, &n); /* qualifiedName */
	s = rd_end(&r);
	if (s != PF_OK)
		return s;
	return pf_tpm2_parse_public_area(area, area_len, ret_pub);
}

void pf_tpm2_public_sha256_area(const pf_tpm2_public *pub, uint8_t ret_digest[PF_SHA256_SIZE])
{
	pf_sha256(pub->area, pub->area_len, ret_digest);
}

void pf_tpm2_public_sha256_unique(const pf_tpm2_public *pub, uint8_t ret_digest[PF_SHA256_SIZE])
{
	br_sha256_context c;
	br_sha256_init(&c);
	br_sha256_update(&c, pub->unique, pub->unique_len);
	if (pub->unique_y)
		br_sha256_update(&c, pub->unique_y, pub->unique_y_len);
	br_sha256_out(&c, ret_digest);
}

pf_status pf_tpm2_public_sha256_rsa_der(const pf_tpm2_public *pub, uint8_t ret_digest[PF_SHA256_SIZE])
{
	if (pub->type != PF_TPM2_ALG_RSA)
		return PF_ERR_UNSUPPORTED;
	uint8_t e[4] = { (uint8_t)(pub->exponent >> 24), (uint8_t)(pub->exponent >> 16), (uint8_t)(pub->exponent >> 8),
			 (uint8_t)pub->exponent };
	size_t need = pf_der_rsa_public_key(pub->unique, pub->unique_len, e, sizeof(e), NULL, 0);
	if (need == 0)
		return PF_ERR_INVALID;
	_cleanup_free_ uint8_t *der = pf_malloc(need);
	if (!der)
		return PF_ERR_NOMEM;
	if (pf_der_rsa_public_key(pub->unique, pub->unique_len, e, sizeof(e), der, need) != need)
		return PF_ERR_INVALID;
	pf_sha256(der, need, ret_digest);
	return PF_OK;
}

/* Equal as unsigned big-endian numbers, whatever leading zero bytes either carries. */
static bool same_uint(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	while (an && a[0] == 0)
		a++, an--;
	while (bn && b[0] == 0)
		b++, bn--;
	return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

bool pf_tpm2_public_matches_key(const pf_tpm2_public *pub, const pf_x509_key *key)
{
	if (pub->type == PF_TPM2_ALG_RSA && key->type == PF_X509_KEY_RSA) {
		uint8_t e[4] = { (uint8_t)(pub->exponent >> 24), (uint8_t)(pub->exponent >> 16),
				 (uint8_t)(pub->exponent >> 8), (uint8_t)pub->exponent };
		return pub->unique_len > 0 && same_uint(pub->unique, pub->unique_len, key->n, key->n_len) &&
		       same_uint(e, sizeof(e), key->e, key->e_len);
	}
	if (pub->type == PF_TPM2_ALG_ECC && key->type == PF_X509_KEY_EC)
		return pub->unique_len > 0 && pub->unique_y_len > 0 &&
		       same_uint(pub->unique, pub->unique_len, key->x, key->xy_len) &&
		       same_uint(pub->unique_y, pub->unique_y_len, key->y, key->xy_len);
	return false;
}

/* ---- names ---- */

typedef struct {
	uint16_t code;
	const char *name;
} rc_name;

/* Format-0 codes (TPM_RC_VER1 + n) and warnings (TPM_RC_WARN + n) by full value; format-1 codes
 * by TPM_RC_FMT1 + error number. TPM 2.0 Library Part 2, "TPM_RC". */
static const rc_name rc_names[] = {
	{ 0x01E, "TPM_RC_BAD_TAG" },
	{ 0x100, "TPM_RC_INITIALIZE" },
	{ 0x101, "TPM_RC_FAILURE" },
	{ 0x103, "TPM_RC_SEQUENCE" },
	{ 0x10B, "TPM_RC_PRIVATE" },
	{ 0x119, "TPM_RC_HMAC" },
	{ 0x120, "TPM_RC_DISABLED" },
	{ 0x121, "TPM_RC_EXCLUSIVE" },
	{ 0x124, "TPM_RC_AUTH_TYPE" },
	{ 0x125, "TPM_RC_AUTH_MISSING" },
	{ 0x126, "TPM_RC_POLICY" },
	{ 0x127, "TPM_RC_PCR" },
	{ 0x128, "TPM_RC_PCR_CHANGED" },
	{ 0x12D, "TPM_RC_UPGRADE" },
	{ 0x12E, "TPM_RC_TOO_MANY_CONTEXTS" },
	{ 0x12F, "TPM_RC_AUTH_UNAVAILABLE" },
	{ 0x130, "TPM_RC_REBOOT" },
	{ 0x131, "TPM_RC_UNBALANCED" },
	{ 0x142, "TPM_RC_COMMAND_SIZE" },
	{ 0x143, "TPM_RC_COMMAND_CODE" },
	{ 0x144, "TPM_RC_AUTHSIZE" },
	{ 0x145, "TPM_RC_AUTH_CONTEXT" },
	{ 0x146, "TPM_RC_NV_RANGE" },
	{ 0x147, "TPM_RC_NV_SIZE" },
	{ 0x148, "TPM_RC_NV_LOCKED" },
	{ 0x149, "TPM_RC_NV_AUTHORIZATION" },
	{ 0x14A, "TPM_RC_NV_UNINITIALIZED" },
	{ 0x14B, "TPM_RC_NV_SPACE" },
	{ 0x14C, "TPM_RC_NV_DEFINED" },
	{ 0x150, "TPM_RC_BAD_CONTEXT" },
	{ 0x151, "TPM_RC_CPHASH" },
	{ 0x152, "TPM_RC_PARENT" },
	{ 0x153, "TPM_RC_NEEDS_TEST" },
	{ 0x154, "TPM_RC_NO_RESULT" },
	{ 0x155, "TPM_RC_SENSITIVE" },
	{ 0x081, "TPM_RC_ASYMMETRIC" },
	{ 0x082, "TPM_RC_ATTRIBUTES" },
	{ 0x083, "TPM_RC_HASH" },
	{ 0x084, "TPM_RC_VALUE" },
	{ 0x085, "TPM_RC_HIERARCHY" },
	{ 0x087, "TPM_RC_KEY_SIZE" },
	{ 0x088, "TPM_RC_MGF" },
	{ 0x089, "TPM_RC_MODE" },
	{ 0x08A, "TPM_RC_TYPE" },
	{ 0x08B, "TPM_RC_HANDLE" },
	{ 0x08C, "TPM_RC_KDF" },
	{ 0x08D, "TPM_RC_RANGE" },
	{ 0x08E, "TPM_RC_AUTH_FAIL" },
	{ 0x08F, "TPM_RC_NONCE" },
	{ 0x090, "TPM_RC_PP" },
	{ 0x092, "TPM_RC_SCHEME" },
	{ 0x095, "TPM_RC_SIZE" },
	{ 0x096, "TPM_RC_SYMMETRIC" },
	{ 0x097, "TPM_RC_TAG" },
	{ 0x098, "TPM_RC_SELECTOR" },
	{ 0x09A, "TPM_RC_INSUFFICIENT" },
	{ 0x09B, "TPM_RC_SIGNATURE" },
	{ 0x09C, "TPM_RC_KEY" },
	{ 0x09D, "TPM_RC_POLICY_FAIL" },
	{ 0x09F, "TPM_RC_INTEGRITY" },
	{ 0x0A0, "TPM_RC_TICKET" },
	{ 0x0A1, "TPM_RC_RESERVED_BITS" },
	{ 0x0A2, "TPM_RC_BAD_AUTH" },
	{ 0x0A3, "TPM_RC_EXPIRED" },
	{ 0x0A4, "TPM_RC_POLICY_CC" },
	{ 0x0A5, "TPM_RC_BINDING" },
	{ 0x0A6, "TPM_RC_CURVE" },
	{ 0x0A7, "TPM_RC_ECC_POINT" },
	{ 0x0A8, "TPM_RC_FW_LIMITED" },
	{ 0x0A9, "TPM_RC_SVN_LIMITED" },
	{ 0x901, "TPM_RC_CONTEXT_GAP" },
	{ 0x902, "TPM_RC_OBJECT_MEMORY" },
	{ 0x903, "TPM_RC_SESSION_MEMORY" },
	{ 0x904, "TPM_RC_MEMORY" },
	{ 0x905, "TPM_RC_SESSION_HANDLES" },
	{ 0x906, "TPM_RC_OBJECT_HANDLES" },
	{ 0x907, "TPM_RC_LOCALITY" },
	{ 0x908, "TPM_RC_YIELDED" },
	{ 0x909, "TPM_RC_CANCELED" },
	{ 0x90A, "TPM_RC_TESTING" },
	{ 0x910, "TPM_RC_REFERENCE_H0" },
	{ 0x911, "TPM_RC_REFERENCE_H1" },
	{ 0x912, "TPM_RC_REFERENCE_H2" },
	{ 0x913, "TPM_RC_REFERENCE_H3" },
	{ 0x914, "TPM_RC_REFERENCE_H4" },
	{ 0x915, "TPM_RC_REFERENCE_H5" },
	{ 0x916, "TPM_RC_REFERENCE_H6" },
	{ 0x918, "TPM_RC_REFERENCE_S0" },
	{ 0x919, "TPM_RC_REFERENCE_S1" },
	{ 0x91A, "TPM_RC_REFERENCE_S2" },
	{ 0x91B, "TPM_RC_REFERENCE_S3" },
	{ 0x91C, "TPM_RC_REFERENCE_S4" },
	{ 0x91D, "TPM_RC_REFERENCE_S5" },
	{ 0x91E, "TPM_RC_REFERENCE_S6" },
	{ 0x920, "TPM_RC_NV_RATE" },
	{ 0x921, "TPM_RC_LOCKOUT" },
	{ 0x922, "TPM_RC_RETRY" },
	{ 0x923, "TPM_RC_NV_UNAVAILABLE" },
	{ 0x97F, "TPM_RC_NOT_USED" },
};

static const char *rc_lookup(uint32_t code)
{
	for (size_t i = 0; i < PF_ARRAY_SIZE(rc_names); i++)
		if (rc_names[i].code == code)
			return rc_names[i].name;
	return NULL;
}

const char *pf_tpm2_rc_str(uint32_t rc, char *buf, size_t cap)
{
	if (!buf || cap == 0)
		return "";
	if (rc == 0) {
		pf_snprintf(buf, cap, "TPM_RC_SUCCESS");
		return buf;
	}
	/* Only the low 12 bits carry TPM meaning; anything above is not a TPM response code. */
	if (rc > 0xFFF) {
		pf_snprintf(buf, cap, "0x%x", rc);
		return buf;
	}
	if (rc & 0x80) {
		/* Format 1: error number in bits 0-5, P in bit 6, the number N in bits 8-11. */
		const char *name = rc_lookup(0x80 | (rc & 0x3F));
		unsigned n = (rc >> 8) & 0xF;
		const char *what = (rc & PF_TPM2_RC_P) ? "parameter" : (n & 8) ? "session" : "handle";
		if (!(rc & PF_TPM2_RC_P))
			n &= 7;
		if (!name)
			pf_snprintf(buf, cap, "0x%x", rc);
		else if (n)
			pf_snprintf(buf, cap, "%s (%s %u)", name, what, n);
		else
			pf_snprintf(buf, cap, "%s", name);
		return buf;
	}
	/* Format 0 without TPM_RC_VER1 is a TPM 1.2 code; bit 10 marks a vendor-defined code. */
	const char *name = rc_lookup(rc);
	if (name)
		pf_snprintf(buf, cap, "%s", name);
	else if (!(rc & 0x100))
		pf_snprintf(buf, cap, "0x%x (TPM 1.2)", rc);
	else if (rc & 0x400)
		pf_snprintf(buf, cap, "0x%x (vendor)", rc);
	else
		pf_snprintf(buf, cap, "0x%x", rc);
	return buf;
}

bool pf_tpm2_rc_is_retry(uint32_t rc)
{
	return rc == PF_TPM2_RC_RETRY || rc == PF_TPM2_RC_TESTING || rc == PF_TPM2_RC_YIELDED;
}

void pf_tpm2_manufacturer_str(uint32_t v, char out[5])
{
	char c[4] = { (char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v };
	size_t n = 4;
	while (n > 0 && (c[n - 1] == '\0' || c[n - 1] == ' '))
		n--;
	for (size_t i = 0; i < n; i++)
		out[i] = (c[i] >= 0x20 && c[i] < 0x7f) ? c[i] : '?';
	out[n] = '\0';
}

size_t pf_tpm2_firmware_str(uint32_t v1, uint32_t v2, char *out, size_t cap)
{
	return pf_snprintf(out, cap, "%u.%u.%u.%u", (unsigned)(v1 >> 16), (unsigned)(v1 & 0xFFFF), (unsigned)(v2 >> 16),
			   (unsigned)(v2 & 0xFFFF));
}

const char *pf_tpm2_alg_str(uint16_t alg)
{
	switch (alg) {
	case PF_TPM2_ALG_SHA1:
		return "sha1";
	case PF_TPM2_ALG_SHA256:
		return "sha256";
	case PF_TPM2_ALG_SHA384:
		return "sha384";
	case PF_TPM2_ALG_SHA512:
		return "sha512";
	case PF_TPM2_ALG_SM3_256:
		return "sm3_256";
	default:
		return NULL;
	}
}

size_t pf_tpm2_banks_str(uint32_t bitmap, char *out, size_t cap)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} banks[] = {
		{ PF_TCG2_BANK_SHA1, "sha1" },     { PF_TCG2_BANK_SHA256, "sha256" },   { PF_TCG2_BANK_SHA384, "sha384" },
		{ PF_TCG2_BANK_SHA512, "sha512" }, { PF_TCG2_BANK_SM3_256, "sm3_256" },
	};
	size_t n = 0;
	uint32_t rest = bitmap;
	if (cap)
		out[0] = '\0';
	for (size_t i = 0; i < PF_ARRAY_SIZE(banks); i++) {
		if (!(bitmap & banks[i].bit))
			continue;
		rest &= ~banks[i].bit;
		n += pf_snprintf(n < cap ? out + n : NULL, n < cap ? cap - n : 0, "%s%s", n ? "," : "", banks[i].name);
	}
	if (rest)
		n += pf_snprintf(n < cap ? out + n : NULL, n < cap ? cap - n : 0, "%s0x%x", n ? "," : "", rest);
	return n;
}

/* ---- reading a whole NV index ---- */

#define NV_CHUNK_DEFAULT 512
/* An NV_Read response around its data: header, parameterSize, TPM2B size, password session. */
#define NV_READ_OVERHEAD (PF_TPM2_HEADER_SIZE + 4 + 2 + 5)
/* Smaller output buffers than this cannot even hold an NV_ReadPublic answer with a SHA-512 name. */
#define RSP_MIN 256
#define RETRIES 3

/* One command and its response; retries while the TPM answers with a "try again" warning. */
static pf_status transact(pf_tpm2_submit_fn submit, void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *rsp,
			  size_t rsp_cap, size_t *ret_len)
{
	for (int attempt = 0;; attempt++) {
		size_t n = 0;
		pf_status s = submit(ctx, cmd, cmd_len, rsp, rsp_cap, &n);
		if (s != PF_OK)
			return s;
		if (n > rsp_cap)
			return PF_ERR_INVALID;
		uint32_t rc = n >= PF_TPM2_HEADER_SIZE ? (uint32_t)rsp[6] << 24 | (uint32_t)rsp[7] << 16 |
								  (uint32_t)rsp[8] << 8 | rsp[9]
						       : 0;
		if (!pf_tpm2_rc_is_retry(rc) || attempt + 1 >= RETRIES) {
			*ret_len = n;
			return PF_OK;
		}
	}
}

pf_status pf_tpm2_nv_read_all(pf_tpm2_submit_fn submit, void *ctx, uint32_t nv_index, uint32_t max_chunk,
			      uint32_t max_response, uint8_t **ret_data, size_t *ret_len, uint32_t *ret_rc)
{
	uint8_t cmd[64];
	size_t rsp_len, cmd_len;
	uint16_t data_size;
	uint32_t attributes;
	pf_status s;

	*ret_rc = 0;
	/* Output buffers stay below the firmware's MaxResponseSize; chunks fit such a response. */
	size_t rsp_cap = PF_TPM2_RSP_MAX;
	if (max_response)
		rsp_cap = PF_MIN(rsp_cap, (size_t)max_response - 1);
	if (rsp_cap < RSP_MIN)
		return PF_ERR_UNSUPPORTED;
	uint32_t chunk = max_chunk ? max_chunk : NV_CHUNK_DEFAULT;
	chunk = PF_MIN(chunk, (uint32_t)(rsp_cap - NV_READ_OVERHEAD));
	_cleanup_free_ uint8_t *rsp = pf_malloc(rsp_cap);
	if (!rsp)
		return PF_ERR_NOMEM;

	cmd_len = pf_tpm2_cmd_nv_read_public(cmd, sizeof(cmd), nv_index);
	s = transact(submit, ctx, cmd, cmd_len, rsp, rsp_cap, &rsp_len);
	if (s != PF_OK)
		return s;
	s = pf_tpm2_parse_nv_read_public(rsp, rsp_len, &data_size, &attributes, ret_rc);
	if (s != PF_OK)
		return s;
	if (!(attributes & PF_TPMA_NV_WRITTEN) || data_size == 0)
		return PF_ERR_NOT_FOUND;

	/* Authorization choices in order of preference; the EK certificate indices allow AUTHREAD. */
	uint32_t auths[2];
	size_t n_auths = 0;
	if (attributes & PF_TPMA_NV_AUTHREAD)
		auths[n_auths++] = nv_index;
	if (attributes & PF_TPMA_NV_OWNERREAD)
		auths[n_auths++] = PF_TPM2_RH_OWNER;
	if (n_auths == 0)
		return PF_ERR_UNSUPPORTED;

	_cleanup_free_ uint8_t *data = pf_malloc(data_size);
	if (!data)
		return PF_ERR_NOMEM;
	size_t a = 0;
	for (uint32_t off = 0; off < data_size;) {
		uint16_t want = (uint16_t)PF_MIN((uint32_t)(data_size - off), chunk);
		cmd_len = pf_tpm2_cmd_nv_read(cmd, sizeof(cmd), auths[a], nv_index, want, (uint16_t)off);
		s = transact(submit, ctx, cmd, cmd_len, rsp, rsp_cap, &rsp_len);
		if (s != PF_OK)
			return s;
		const uint8_t *got;
		uint16_t got_len;
		s = pf_tpm2_parse_nv_read(rsp, rsp_len, &got, &got_len, ret_rc);
		if (s != PF_OK) {
			/* Refused on the first chunk: the other authorization may still work. */
			if (*ret_rc != 0 && off == 0 && a + 1 < n_auths) {
				a++;
				continue;
			}
			return s;
		}
		if (got_len != want)
			return PF_ERR_INVALID;
		memcpy(data + off, got, got_len);
		off += got_len;
	}
	*ret_rc = 0;
	*ret_len = data_size;
	*ret_data = data;
	data = NULL;
	return PF_OK;
}
