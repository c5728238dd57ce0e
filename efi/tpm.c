/* TPM facts through EFI_TCG2_PROTOCOL: presence, 2.0 or 1.2, vendor, firmware, EK certificate and key digest. */
#include <efi.h>
#include <efilib.h>
#include "clock.h"
#include "der.h"
#include "fmt.h"
#include "gather.h"
#include "log.h"
#include "proto.h"
#include "str.h"
#include "tpm2.h"

/*
 * Bounding the TPM.
 *
 * SubmitCommand is synchronous and boot services have no threads, so a command cannot be abandoned
 * from the outside: the only way out of the firmware's busy-wait would be unwinding through its frames
 * from a timer notify function, and those frames are not ours to skip. OVMF's timer interrupt handler
 * (OvmfPkg/Library/NestedInterruptTplLib) keeps state across the RestoreTPL() that dispatches notify
 * functions; leaving it set stops every later timer event, and with it the network phase. Firmware
 * that raises the TPL inside SubmitCommand would have the rest of its function skipped too.
 *
 * So a TPM that never answers costs one command's firmware timeout, and that bound is the firmware's.
 * In edk2's dTPM library (SecurityPkg/Library/Tpm2DeviceLibDTpm/Tpm2Tis.c, TIS/FIFO; Tpm2Ptp.c, CRB)
 * (same in edk2-stable202211, Debian's OVMF) it is TIS_TIMEOUT_MAX / PTP_TIMEOUT_MAX = 90 s for the
 * response, then a cancel and TIMEOUT_B = 2 s more for whatever answer that brings, else
 * EFI_DEVICE_ERROR, which Tcg2Dxe's SubmitCommand passes on. Those loops count only their 30 us
 * delays, not the register reads between them, so wall time is a little longer: about 92 s for the
 * first wait under QEMU/TCG (tests/qemu scenario tpm-never-answers). Vendor firmware sets its own bound.
 *
 * What the app bounds is everything after that one command: it times each SubmitCommand with the TSC
 * clock, and a command slower than TPM_CALL_LIMIT_MS or a transport failure marks the TPM dead; it gets
 * no further command in this run (Windows' driver resets the interface when it starts). A slow answer
 * that did arrive is still used. TPM_PHASE_LIMIT_MS caps the sum of commands that each came back in
 * time. No timer event is needed for that, and no event is left behind.
 */
#define TPM_CALL_LIMIT_MS 3000
#define TPM_PHASE_LIMIT_MS 10000

static EFI_GUID tcg2_guid = PF_TCG2_PROTOCOL_GUID;
static EFI_GUID tcg_guid = PF_TCG_PROTOCOL_GUID;

typedef struct {
	PF_TCG2_PROTOCOL *tcg2;
	bool dead;                /* a command was too slow or the transport failed: send nothing more */
	EFI_STATUS dead_err;      /* why it is dead: what gather_tpm() returns */
	uint64_t deadline_ms;
	EFI_STATUS last_err;      /* the last transport status, for messages */
} tpm_link;

static pf_status tpm_kill(tpm_link *l, EFI_STATUS err)
{
	l->dead = true;
	l->dead_err = err;
	l->last_err = err;
	return pf_from_efi(err);
}

/* pf_tpm2_submit_fn over EFI_TCG2_PROTOCOL.SubmitCommand, bounded as described above. */
static pf_status tpm_submit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *rsp, size_t rsp_cap,
			    size_t *ret_rsp_len)
{
	tpm_link *l = ctx;

	if (l->dead) {
		l->last_err = l->dead_err; /* for why(): this command was not sent */
		return pf_from_efi(l->dead_err);
	}
	uint64_t start = clock_ms();
	if (start >= l->deadline_ms)
		return tpm_kill(l, log_error_status(EFI_TIMEOUT,
						    "TPM: phase limit of %u ms reached; no further TPM commands are sent",
						    TPM_PHASE_LIMIT_MS));
	EFI_STATUS err = l->tcg2->SubmitCommand(l->tcg2, (UINT32)cmd_len, (UINT8 *)cmd, (UINT32)rsp_cap, rsp);
	uint64_t took = clock_ms() - start;
	l->last_err = err;
	/* The transport itself failed (edk2: no response within its 90 s, or the interface not ready):
	 * the next command would most likely wait as long again. */
	if (err == EFI_DEVICE_ERROR || err == EFI_TIMEOUT)
		return tpm_kill(l, log_error_status(err,
						    "TPM: SubmitCommand failed after %llu ms; no further TPM commands are sent",
						    (unsigned long long)took));
	if (took > TPM_CALL_LIMIT_MS) {
		/* An answer this late is still an answer; the TPM just gets nothing more. */
		log_error_status(EFI_TIMEOUT,
				 "TPM: a command took %llu ms (limit %u ms), returning %s; no further TPM commands are sent",
				 (unsigned long long)took, TPM_CALL_LIMIT_MS, efi_status_str(err));
		l->dead = true;
		l->dead_err = EFI_TIMEOUT;
	}
	if (EFI_ERROR(err))
		return pf_from_efi(err);
	*ret_rsp_len = rsp_cap; /* the parsers read responseSize from the header */
	return PF_OK;
}

/* Why a TPM exchange failed, for messages: the TPM's response code by name, else the transport's. */
static const char *why(const tpm_link *l, pf_status s, uint32_t rc, char *buf, size_t cap)
{
	if (rc)
		return pf_tpm2_rc_str(rc, buf, cap);
	if (EFI_ERROR(l->last_err))
		return efi_status_str(l->last_err);
	pf_snprintf(buf, cap, "malformed response (%s)", pf_status_str(s));
	return buf;
}

/* TPM_CAP_TPM_PROPERTIES from first, up to cap entries. */
static pf_status tpm_properties(tpm_link *l, uint32_t first, pf_tpm2_prop *props, size_t cap, size_t *ret_n,
				uint32_t *ret_rc)
{
	uint8_t cmd[32];
	_cleanup_free_ uint8_t *rsp = pf_malloc(PF_TPM2_RSP_MAX);
	size_t cmd_len = pf_tpm2_cmd_get_capability(cmd, sizeof(cmd), PF_TPM2_CAP_TPM_PROPERTIES, first, (uint32_t)cap);
	size_t rsp_len = 0;

	*ret_rc = 0;
	if (!rsp)
		return PF_ERR_NOMEM;
	/* Keep the output block below MaxResponseSize: edk2 refuses larger ones. */
	pf_status s = tpm_submit(l, cmd, cmd_len, rsp, 1024, &rsp_len);
	if (s != PF_OK)
		return s;
	return pf_tpm2_parse_properties(rsp, rsp_len, props, cap, ret_n, ret_rc);
}

/* Version, manufacturer, firmware; returns TPM_PT_NV_BUFFER_MAX (0 when unknown). */
static uint32_t tpm_identity(tpm_link *l, const PF_TCG2_BOOT_SERVICE_CAPABILITY *cap, pf_tpm *t)
{
	pf_tpm2_prop props[16];
	size_t n = 0;
	uint32_t rc, v, v2, nv_max = 0;
	char name[64], text[48];

	pf_status s = tpm_properties(l, PF_TPM2_PT_FAMILY_INDICATOR, props, PF_ARRAY_SIZE(props), &n, &rc);
	if (s == PF_OK) {
		if (pf_tpm2_prop_get(props, n, PF_TPM2_PT_FAMILY_INDICATOR, &v) && v == 0x322E3000) /* "2.0\0" */
			t->version = pf_strdup("2.0");
		if (pf_tpm2_prop_get(props, n, PF_TPM2_PT_MANUFACTURER, &v)) {
			pf_tpm2_manufacturer_str(v, text);
			t->manufacturer = pf_strdup(text);
		}
		if (pf_tpm2_prop_get(props, n, PF_TPM2_PT_FIRMWARE_VERSION_1, &v) &&
		    pf_tpm2_prop_get(props, n, PF_TPM2_PT_FIRMWARE_VERSION_2, &v2)) {
			pf_tpm2_firmware_str(v, v2, text, sizeof(text));
			t->firmware_version = pf_strdup(text);
		}
		if (tpm_properties(l, PF_TPM2_PT_NV_BUFFER_MAX, props, 1, &n, &rc) == PF_OK &&
		    !pf_tpm2_prop_get(props, n, PF_TPM2_PT_NV_BUFFER_MAX, &nv_max))
			nv_max = 0;
	} else if (rc && (rc & 0xFFFFF000u) == 0 && !(rc & 0x180)) {
		/* A TPM 1.2 answers a TPM 2.0 command with a 1.2 error code (no format bits). */
		t->version = pf_strdup("1.2");
	} else {
		log_warn("TPM: GetCapability(properties) failed: %s", why(l, s, rc, name, sizeof(name)));
	}
	if (!t->version) {
		/* The firmware keeps a TCG 2.0 event log only for a TPM 2.0; a 1.2 gets only the 1.2 format. */
		if (cap->SupportedEventLogs & 0x2)
			t->version = pf_strdup("2.0");
		else if (cap->SupportedEventLogs & 0x1)
			t->version = pf_strdup("1.2");
	}
	if (!t->manufacturer && cap->ManufacturerID) {
		/* edk2 copies the TPM's big-endian property bytes as they are, so the vendor's first letter
		 * sits in the low byte; take whichever order starts with a letter. */
		v = cap->ManufacturerID;
		if ((v >> 24) < 'A' && (v & 0xFF) >= 'A')
			v = __builtin_bswap32(v);
		pf_tpm2_manufacturer_str(v, text);
		t->manufacturer = pf_strdup(text);
	}
	return nv_max;
}

static void set_digest(pf_tpm *t, const uint8_t digest[PF_SHA256_SIZE])
{
	char hex[PF_SHA256_HEX_SIZE];
	pf_hex(digest, PF_SHA256_SIZE, hex, sizeof(hex));
	t->ek_pub_sha256 = pf_strdup(hex);
}

/* The EK certificate from NV (RSA index, then ECC): issuer, subject, and the key for the fallback digest. */
static void tpm_ek_certificate(tpm_link *l, uint32_t nv_max, uint16_t max_response, pf_tpm *t, uint8_t **ret_cert,
			       size_t *ret_len)
{
	/* TCG EK Credential Profile: the low-range RSA 2048 and ECC P-256 indices first, then the high
	 * range (RSA 2048, P-256, P-384, P-521, SM2, RSA 3072, RSA 4096), where swtpm keeps its P-384 one. */
	static const uint32_t indices[] = { PF_TPM2_NV_EK_CERT_RSA, PF_TPM2_NV_EK_CERT_ECC, 0x01C00012, 0x01C00014,
					    0x01C00016, 0x01C00018, 0x01C0001A, 0x01C0001C, 0x01C0001E };
	bool unknown = false;
	char name[64];

	for (size_t i = 0; i < PF_ARRAY_SIZE(indices); i++) {
		uint8_t *cert = NULL;
		size_t len = 0;
		uint32_t rc = 0;
		pf_status s = pf_tpm2_nv_read_all(tpm_submit, l, indices[i], nv_max, max_response, &cert, &len, &rc);
		if (s == PF_ERR_NOT_FOUND)
			continue;
		if (s != PF_OK) {
			log_warn("TPM: EK certificate index 0x%08x unreadable: %s", indices[i], why(l, s, rc, name, sizeof(name)));
			unknown = true;
			if (l->dead)
				break; /* every further index would only repeat the same message */
			continue;
		}
		t->ek_certificate = PF_YES;
		s = pf_x509_names(cert, len, &t->ek_issuer, &t->ek_subject);
		if (s != PF_OK)
			log_warn("TPM: EK certificate in 0x%08x (%u bytes) does not parse: %s", indices[i], (unsigned)len,
				 pf_status_str(s));
		*ret_cert = cert;
		*ret_len = len;
		return;
	}
	t->ek_certificate = unknown ? PF_UNKNOWN : PF_NO;
}

/* SHA-256 of the EK public key: the persistent EK when there is one, else the certificate's RSA key. */
static void tpm_ek_digest(tpm_link *l, const uint8_t *cert, size_t cert_len, pf_tpm *t)
{
	uint8_t cmd[32], digest[PF_SHA256_SIZE];
	_cleanup_free_ uint8_t *rsp = pf_malloc(PF_TPM2_RSP_MAX);
	size_t cmd_len = pf_tpm2_cmd_read_public(cmd, sizeof(cmd), PF_TPM2_EK_HANDLE_RSA);
	size_t rsp_len = 0;
	pf_x509_cert xc;
	pf_x509_key key;
	pf_tpm2_public pub;
	uint32_t rc = 0;
	char name[64];

	if (!rsp)
		return;
	bool have_key = cert && pf_x509_parse(cert, cert_len, &xc) == PF_OK && pf_x509_spki_key(&xc.spki, &key) == PF_OK;
	pf_status s = tpm_submit(l, cmd, cmd_len, rsp, 1024, &rsp_len);
	if (s == PF_OK)
		s = pf_tpm2_parse_read_public(rsp, rsp_len, &pub, &rc);
	if (s == PF_OK) {
		if (have_key && !pf_tpm2_public_matches_key(&pub, &key))
			log_warn("TPM: the persistent EK 0x%08x is not the key of the EK certificate", PF_TPM2_EK_HANDLE_RSA);
		if (pf_tpm2_public_sha256_rsa_der(&pub, digest) != PF_OK)
			pf_tpm2_public_sha256_unique(&pub, digest);
		set_digest(t, digest);
		return;
	}
	if (s != PF_ERR_NOT_FOUND)
		log_warn("TPM: ReadPublic(0x%08x) failed: %s", PF_TPM2_EK_HANDLE_RSA, why(l, s, rc, name, sizeof(name)));
	if (!have_key || key.type != PF_X509_KEY_RSA)
		return;
	uint8_t der[1100];
	size_t n = pf_der_rsa_public_key(key.n, key.n_len, key.e, key.e_len, der, sizeof(der));
	if (n == 0 || n > sizeof(der))
		return;
	pf_sha256(der, n, digest);
	set_digest(t, digest);
}

static void tpm_show(const pf_tpm *t, const PF_TCG2_BOOT_SERVICE_CAPABILITY *cap)
{
	char banks[64], active[64];
	pf_tpm2_banks_str(cap->HashAlgorithmBitmap, banks, sizeof(banks));
	pf_tpm2_banks_str(cap->ActivePcrBanks, active, sizeof(active));
	con_printf("TPM %s, manufacturer %s, firmware %s; PCR banks %s (active %s)\n", t->version ? t->version : "?",
		   t->manufacturer ? t->manufacturer : "?", t->firmware_version ? t->firmware_version : "?", banks,
		   active);
	if (!t->version || pf_strcmp(t->version, "2.0") != 0)
		return;
	if (t->ek_certificate == PF_YES)
		con_printf("  EK certificate: subject %s; issuer %s\n", t->ek_subject ? t->ek_subject : "?",
			   t->ek_issuer ? t->ek_issuer : "?");
	else
		con_printf("  EK certificate: %s\n", t->ek_certificate == PF_NO ? "none in NV" : "unreadable");
}

EFI_STATUS gather_tpm(pf_identity *id)
{
	pf_tpm *t = &id->tpm;
	PF_TCG2_BOOT_SERVICE_CAPABILITY cap = { .Size = sizeof(cap) };
	tpm_link l = { 0 };
	uint8_t *cert = NULL;
	size_t cert_len = 0;
	void *tcg = NULL;
	EFI_STATUS err;

	con_progress("Reading the TPM...\n");
	err = BS->LocateProtocol(&tcg2_guid, NULL, (void **)&l.tcg2);
	if (err == EFI_NOT_FOUND) {
		/* Only the TCG 1.2 protocol: a TPM 1.2, which Autopilot cannot use. */
		bool v12 = !EFI_ERROR(BS->LocateProtocol(&tcg_guid, NULL, &tcg));
		t->present = v12 ? PF_YES : PF_NO;
		t->version = v12 ? pf_strdup("1.2") : NULL;
		con_printf(v12 ? "TPM 1.2 (TCG protocol only)\n" : "No TPM: the firmware offers no TCG2 protocol.\n");
		return EFI_SUCCESS;
	}
	if (EFI_ERROR(err))
		return log_error_status(err, "TPM: cannot locate the TCG2 protocol");
	err = l.tcg2->GetCapability(l.tcg2, &cap);
	if (EFI_ERROR(err))
		return log_error_status(err, "TPM: TCG2 GetCapability failed");
	if (!cap.TPMPresentFlag) {
		t->present = PF_NO;
		con_printf("No TPM: the TCG2 protocol reports none present (disabled in firmware setup?).\n");
		return EFI_SUCCESS;
	}
	t->present = PF_YES;

	l.deadline_ms = clock_ms() + TPM_PHASE_LIMIT_MS;

	uint32_t nv_max = tpm_identity(&l, &cap, t);
	if (!l.dead && t->version && pf_strcmp(t->version, "2.0") == 0) {
		tpm_ek_certificate(&l, nv_max, cap.MaxResponseSize, t, &cert, &cert_len);
		tpm_ek_digest(&l, cert, cert_len, t);
	}
	pf_free(cert);
	/* The banks come from the firmware's capability structure, not from the TPM: known even when it hangs. */
	char banks[64];
	pf_tpm2_banks_str(cap.HashAlgorithmBitmap, banks, sizeof(banks));
	t->pcr_banks = pf_strdup(banks);
	pf_tpm2_banks_str(cap.ActivePcrBanks, banks, sizeof(banks));
	t->active_pcr_banks = pf_strdup(banks);
	tpm_show(t, &cap);
	/* What stopped the TPM exchange, as seen (already logged in tpm_submit()). */
	return l.dead ? l.dead_err : EFI_SUCCESS;
}
