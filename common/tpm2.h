/* TPM 2.0 commands marshalled for EFI_TCG2_PROTOCOL.SubmitCommand, and strict parsers of their responses. */
#ifndef PF_TPM2_H
#define PF_TPM2_H

#include "pf.h"
#include "der.h"
#include "digest.h"

/*
 * Everything on the wire is big-endian (TPM 2.0 Part 1, "Marshaling"). A command is a 10-byte header
 * (tag u16, commandSize u32, commandCode u32), handles, an authorization area when the tag is
 * TPM_ST_SESSIONS, then parameters; a response is tag u16, responseSize u32, responseCode u32, then
 * (on success) handles, parameterSize u32 when the tag is TPM_ST_SESSIONS, parameters, auth area.
 */
#define PF_TPM2_HEADER_SIZE 10
/* Large enough for every response parsed here (TPM2B_MAX_NV_BUFFER is at most 2048 on PC TPMs). */
#define PF_TPM2_RSP_MAX 4096

#define PF_TPM2_ST_RSP_COMMAND 0x00C4 /* TPM 1.2 response tag, also used by 2.0 for TPM_RC_BAD_TAG */
#define PF_TPM2_ST_NO_SESSIONS 0x8001
#define PF_TPM2_ST_SESSIONS 0x8002

#define PF_TPM2_CC_NV_READ 0x0000014E
#define PF_TPM2_CC_NV_READ_PUBLIC 0x00000169
#define PF_TPM2_CC_READ_PUBLIC 0x00000173
#define PF_TPM2_CC_GET_CAPABILITY 0x0000017A

#define PF_TPM2_CAP_PCRS 0x00000005
#define PF_TPM2_CAP_TPM_PROPERTIES 0x00000006

#define PF_TPM2_PT_FAMILY_INDICATOR 0x100   /* "2.0\0" as a big-endian u32 */
#define PF_TPM2_PT_REVISION 0x102           /* specification revision * 100 */
#define PF_TPM2_PT_MANUFACTURER 0x105       /* four ASCII characters, e.g. "IFX\0", "INTC" */
#define PF_TPM2_PT_VENDOR_STRING_1 0x106
#define PF_TPM2_PT_FIRMWARE_VERSION_1 0x10B
#define PF_TPM2_PT_FIRMWARE_VERSION_2 0x10C
#define PF_TPM2_PT_NV_BUFFER_MAX 0x12C      /* largest TPM2B_MAX_NV_BUFFER NV_Read returns */

#define PF_TPM2_RH_OWNER 0x40000001
#define PF_TPM2_RS_PW 0x40000009            /* the password "session" */

/* TCG EK Credential Profile: low-range EK certificate indices and the usual persistent EK handles. */
#define PF_TPM2_NV_EK_CERT_RSA 0x01C00002
#define PF_TPM2_NV_EK_CERT_ECC 0x01C0000A
#define PF_TPM2_EK_HANDLE_RSA 0x81010001
#define PF_TPM2_EK_HANDLE_ECC 0x81010002

/* TPMA_NV bits that decide how an index can be read. */
#define PF_TPMA_NV_PPREAD (1u << 16)
#define PF_TPMA_NV_OWNERREAD (1u << 17)
#define PF_TPMA_NV_AUTHREAD (1u << 18)
#define PF_TPMA_NV_POLICYREAD (1u << 19)
#define PF_TPMA_NV_READLOCKED (1u << 28)
#define PF_TPMA_NV_WRITTEN (1u << 29)

/* TPM_ALG_ID values used here (TCG Algorithm Registry). */
#define PF_TPM2_ALG_RSA 0x0001
#define PF_TPM2_ALG_SHA1 0x0004
#define PF_TPM2_ALG_KEYEDHASH 0x0008
#define PF_TPM2_ALG_SHA256 0x000B
#define PF_TPM2_ALG_SHA384 0x000C
#define PF_TPM2_ALG_SHA512 0x000D
#define PF_TPM2_ALG_NULL 0x0010
#define PF_TPM2_ALG_SM3_256 0x0012
#define PF_TPM2_ALG_ECC 0x0023
#define PF_TPM2_ALG_SYMCIPHER 0x0025

/* Response codes the callers test for; pf_tpm2_rc_str() names all of them. */
#define PF_TPM2_RC_SUCCESS 0x000
#define PF_TPM2_RC_BAD_TAG 0x01E
#define PF_TPM2_RC_INITIALIZE 0x100
#define PF_TPM2_RC_NV_AUTHORIZATION 0x149
#define PF_TPM2_RC_NV_UNINITIALIZED 0x14A
#define PF_TPM2_RC_HANDLE 0x08B             /* format 1: add PF_TPM2_RC_N(n) for handle n */
#define PF_TPM2_RC_YIELDED 0x908
#define PF_TPM2_RC_TESTING 0x90A
#define PF_TPM2_RC_RETRY 0x922
#define PF_TPM2_RC_N(n) ((uint32_t)(n) << 8)
#define PF_TPM2_RC_P 0x040                  /* format 1: the number is a parameter's */

/* The EFI TCG2 protocol's HashAlgorithmBitmap / ActivePcrBanks bits (TCG PC Client EFI Protocol). */
#define PF_TCG2_BANK_SHA1 0x01
#define PF_TCG2_BANK_SHA256 0x02
#define PF_TCG2_BANK_SHA384 0x04
#define PF_TCG2_BANK_SHA512 0x08
#define PF_TCG2_BANK_SM3_256 0x10

/*
 * Command builders write a complete command into buf and return its size, or 0 when cap is too
 * small (nothing useful is written then).
 */
size_t pf_tpm2_cmd_get_capability(uint8_t *buf, size_t cap, uint32_t capability, uint32_t property, uint32_t count);
size_t pf_tpm2_cmd_nv_read_public(uint8_t *buf, size_t cap, uint32_t nv_index);
/*
 * TPM2_NV_Read with one password session and an empty password. auth_handle is nv_index itself for
 * an index with TPMA_NV_AUTHREAD (how the EK certificate indices are meant to be read, no owner
 * needed), or PF_TPM2_RH_OWNER for TPMA_NV_OWNERREAD, which works only while the owner password is
 * empty.
 */
size_t pf_tpm2_cmd_nv_read(uint8_t *buf, size_t cap, uint32_t auth_handle, uint32_t nv_index, uint16_t size,
			   uint16_t offset);
size_t pf_tpm2_cmd_read_public(uint8_t *buf, size_t cap, uint32_t handle);

/*
 * Response parsers. Common rules: responseSize must be >= 10 and <= len (bytes past responseSize are
 * ignored, since SubmitCommand hands back the whole output buffer); with responseCode 0 the tag must
 * be the one the command implies and the body must fill responseSize exactly.
 *
 * Results: PF_OK only for responseCode 0 and a well-formed body. A TPM error gives PF_ERR_NOT_FOUND
 * when it says the handle or index is not there (TPM_RC_HANDLE for any handle number, and
 * TPM_RC_NV_UNINITIALIZED: defined but never written), else PF_ERR_INVALID. A malformed response
 * gives PF_ERR_TRUNCATED or PF_ERR_INVALID.
 *
 * ret_rc is the exception to "outputs only on success": it is always written, with the TPM's
 * responseCode, or 0 when no header could be read. So rc != 0 means "the TPM said no" (print it with
 * pf_tpm2_rc_str()) and rc == 0 with a failure means "the response was malformed".
 *
 * Pointers returned point into rsp and live as long as it does.
 */

typedef struct {
	uint32_t property;
	uint32_t value;
} pf_tpm2_prop;

/* A TPM_CAP_TPM_PROPERTIES answer (TPMI_YES_NO moreData, TPMS_CAPABILITY_DATA). More entries than
 * cap give PF_ERR_TOO_BIG: ask for at most cap properties. */
PF_MUST_CHECK pf_status pf_tpm2_parse_properties(const void *rsp, size_t len, pf_tpm2_prop *out, size_t cap,
						 size_t *ret_n, uint32_t *ret_rc);
/* Looks property up among n parsed entries. */
bool pf_tpm2_prop_get(const pf_tpm2_prop *props, size_t n, uint32_t property, uint32_t *ret_value);

typedef struct {
	uint16_t hash_alg;  /* PF_TPM2_ALG_SHA256, ... */
	uint32_t pcr_mask;  /* PCRs 0-31 allocated in this bank */
	bool active;        /* at least one PCR allocated */
} pf_tpm2_pcr_bank;

/* A TPM_CAP_PCRS answer (TPML_PCR_SELECTION): the banks the TPM implements and which are allocated. */
PF_MUST_CHECK pf_status pf_tpm2_parse_pcrs(const void *rsp, size_t len, pf_tpm2_pcr_bank *out, size_t cap,
					   size_t *ret_n, uint32_t *ret_rc);

/* TPM2B_NV_PUBLIC (nvIndex, nameAlg, attributes, authPolicy, dataSize) and TPM2B_NAME. */
PF_MUST_CHECK pf_status pf_tpm2_parse_nv_read_public(const void *rsp, size_t len, uint16_t *ret_data_size,
						     uint32_t *ret_attributes, uint32_t *ret_rc);
/* parameterSize, TPM2B_MAX_NV_BUFFER, then the password session's response (nonce, attributes, hmac). */
PF_MUST_CHECK pf_status pf_tpm2_parse_nv_read(const void *rsp, size_t len, const uint8_t **ret_data,
					      uint16_t *ret_size, uint32_t *ret_rc);

/* A TPMT_PUBLIC, as far as telling keys apart needs. */
typedef struct {
	uint16_t type;              /* PF_TPM2_ALG_RSA, _ECC, _KEYEDHASH, _SYMCIPHER */
	uint16_t name_alg;
	uint32_t object_attributes; /* TPMA_OBJECT */
	const uint8_t *area;        /* the TPMT_PUBLIC bytes (inside TPM2B_PUBLIC, without its size) */
	size_t area_len;
	uint16_t key_bits;          /* RSA */
	uint32_t exponent;          /* RSA; the structure's 0 ("default") is reported as 65537 */
	uint16_t curve;             /* ECC: TPM_ECC_CURVE, 3 = NIST P-256 */
	const uint8_t *unique;      /* RSA modulus, ECC x, or the KEYEDHASH/SYMCIPHER digest */
	size_t unique_len;
	const uint8_t *unique_y;    /* ECC y; NULL otherwise */
	size_t unique_y_len;
} pf_tpm2_public;

/* A bare TPMT_PUBLIC filling exactly len bytes. */
PF_MUST_CHECK pf_status pf_tpm2_parse_public_area(const void *area, size_t len, pf_tpm2_public *ret_pub);
/* TPM2_ReadPublic: TPM2B_PUBLIC, TPM2B_NAME name, TPM2B_NAME qualifiedName. */
PF_MUST_CHECK pf_status pf_tpm2_parse_read_public(const void *rsp, size_t len, pf_tpm2_public *ret_pub,
						  uint32_t *ret_rc);

/*
 * Digests of an EK public key. Which bytes Windows hashes for its EK "PublicKeyHash" is not
 * documented, so three candidates are offered, each named for what it covers:
 *   _area:    SHA-256 over the TPMT_PUBLIC bytes (the TPM's own encoding; name_alg digest input).
 *   _unique:  SHA-256 over the RSA modulus, or over ECC x || y (raw big-endian, no encoding).
 *   _rsa_der: SHA-256 over the DER RSAPublicKey SEQUENCE { modulus, exponent } (PKCS #1). Third
 *             parties report that this matches (Get-TpmEndorsementKeyInfo -Hash Sha256).PublicKeyHash;
 *             not verified here. PF_ERR_UNSUPPORTED for non-RSA keys.
 */
void pf_tpm2_public_sha256_area(const pf_tpm2_public *pub, uint8_t ret_digest[PF_SHA256_SIZE]);
void pf_tpm2_public_sha256_unique(const pf_tpm2_public *pub, uint8_t ret_digest[PF_SHA256_SIZE]);
PF_MUST_CHECK pf_status pf_tpm2_public_sha256_rsa_der(const pf_tpm2_public *pub, uint8_t ret_digest[PF_SHA256_SIZE]);

/* True when key (from the EK certificate's SubjectPublicKeyInfo) is this TPM key: same RSA modulus
 * and exponent, or same EC point (leading zero bytes aside). The curve is not compared. */
bool pf_tpm2_public_matches_key(const pf_tpm2_public *pub, const pf_x509_key *key);

/*
 * Names a response code into buf (cap > 0) and returns buf: "TPM_RC_NV_LOCKED",
 * "TPM_RC_HANDLE (handle 1)", "TPM_RC_VALUE (parameter 2)", "TPM_RC_AUTH_FAIL (session 1)";
 * TPM 1.2 codes as "0x%x (TPM 1.2)", vendor codes as "0x%x (vendor)", unknown codes as "0x%x".
 */
const char *pf_tpm2_rc_str(uint32_t rc, char *buf, size_t cap);
/* TPM_RC_RETRY, TPM_RC_TESTING, TPM_RC_YIELDED: the same command may simply be sent again. */
bool pf_tpm2_rc_is_retry(uint32_t rc);

/* The manufacturer property as its 4 ASCII characters, trailing NULs and spaces trimmed, other
 * non-printable bytes as '?'. out is always NUL-terminated. */
void pf_tpm2_manufacturer_str(uint32_t v, char out[5]);
/* "major.minor.build.rev" from FIRMWARE_VERSION_1 (major.minor) and _2 (build.rev), 16 bits each.
 * Returns the length the whole text has, as snprintf does. */
size_t pf_tpm2_firmware_str(uint32_t v1, uint32_t v2, char *out, size_t cap);
/* "sha1", "sha256", "sha384", "sha512", "sm3_256" (tpm2-tools' names); NULL for others. */
const char *pf_tpm2_alg_str(uint16_t alg);
/* A PF_TCG2_BANK_* bitmap as "sha1,sha256" (unknown bits as 0x.. hex; "" for none). Returns the
 * length the whole text has. */
size_t pf_tpm2_banks_str(uint32_t bitmap, char *out, size_t cap);

/*
 * The transport the firmware glue supplies: send cmd, receive up to rsp_cap bytes. It returns PF_OK
 * when a response arrived (whatever its responseCode), else why not.
 */
typedef pf_status (*pf_tpm2_submit_fn)(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *rsp,
				       size_t rsp_cap, size_t *ret_rsp_len);

/*
 * Reads a whole NV index: NV_ReadPublic for its size and attributes, then NV_Read in chunks of at
 * most max_chunk bytes (TPM_PT_NV_BUFFER_MAX; 0 picks a conservative 512).
 *
 * max_response is EFI_TCG2_BOOT_SERVICE_CAPABILITY.MaxResponseSize (0 if unknown): edk2's
 * SubmitCommand refuses an OutputParameterBlockSize above it (older builds even one equal to it),
 * so rsp_cap handed to submit stays below it, and chunks shrink to fit such a response.
 *
 * The index authorizes the read when it has TPMA_NV_AUTHREAD, else the owner with an empty password
 * when it has TPMA_NV_OWNERREAD; if the first read is refused and the other way is allowed, that is
 * tried too. TPM_RC_RETRY/TESTING/YIELDED are retried a few times. PF_ERR_NOT_FOUND when the index
 * is absent, not written, or empty; PF_ERR_UNSUPPORTED when neither read authorization applies or
 * max_response is too small to be usable. ret_rc as for the parsers (the last response code seen).
 * *ret_data is pool memory for the caller to free.
 */
PF_MUST_CHECK pf_status pf_tpm2_nv_read_all(pf_tpm2_submit_fn submit, void *ctx, uint32_t nv_index,
					    uint32_t max_chunk, uint32_t max_response, uint8_t **ret_data,
					    size_t *ret_len, uint32_t *ret_rc);

#endif
