/* The installed Windows Boot Manager judged as the firmware would: Authenticode hash, signer chain, db and dbx. */
#include "bootmgr.h"
#include "buf.h"
#include "fmt.h"
#include "str.h"

/* dbx's SVN entries are EFI_CERT_SHA256 entries that are no hash: 0x01, then the application's GUID
 * (Windows Boot Manager: 9d132b61-59d5-4388-ab1c-185c3cb2eb92, in EFI_GUID byte order), then the minor
 * and the major version as little-endian 16-bit numbers, then zeros (docs/secure-boot.md). */
static const uint8_t svn_bootmgr_prefix[17] = { 0x01, 0x61, 0x2B, 0x13, 0x9D, 0xD5, 0x59, 0x88, 0x43,
						0xAB, 0x1C, 0x18, 0x5C, 0x3C, 0xB2, 0xEB, 0x92 };

const char *pf_bm_verdict_str(pf_bm_verdict v)
{
	static const char *const names[] = { "unknown", "trusted", "unsigned", "damaged", "tampered", "not-in-db",
					     "revoked-hash", "revoked-cert", "revoked-svn" };
	return (unsigned)v < PF_ARRAY_SIZE(names) ? names[v] : "unknown";
}

bool pf_bootmgr_refused(const pf_bootmgr *bm)
{
	return bm->found && bm->verdict != PF_BM_UNKNOWN && bm->verdict != PF_BM_TRUSTED;
}

void pf_bootmgr_init(pf_bootmgr *bm)
{
	*bm = (pf_bootmgr){ .boot_entry = -1, .boot_order_pos = -1, .pe_status = PF_ERR_NOT_FOUND,
			    .sig_status = PF_ERR_NOT_FOUND };
}

void pf_bootmgr_free(pf_bootmgr *bm)
{
	pf_free(bm->disk);
	pf_free(bm->partition);
	pf_free(bm->path);
	pf_free(bm->boot_description);
	pf_free(bm->signer_subject);
	pf_free(bm->signer_issuer);
	pf_free(bm->ca);
	pf_free(bm->verdict_detail);
	for (size_t i = 0; i < bm->n_sigs; i++) {
		pf_free(bm->sigs[i].signer_subject);
		pf_free(bm->sigs[i].ca);
		pf_free(bm->sigs[i].detail);
	}
	pf_bootmgr_init(bm);
}

static bool has_hash(const pf_sb_list *l, const uint8_t h[32])
{
	for (size_t i = 0; i < l->n_sha256; i++)
		if (memcmp(l->sha256[i], h, 32) == 0)
			return true;
	return false;
}

static void set_verdict(pf_bootmgr *bm, pf_bm_verdict v, const char *fmt, ...) PF_PRINTF(3, 4);
static void set_verdict(pf_bootmgr *bm, pf_bm_verdict v, const char *fmt, ...)
{
	pf_buf b = { 0 };
	va_list ap;
	va_start(ap, fmt);
	pf_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	bm->verdict = v;
	pf_free(bm->verdict_detail);
	bm->verdict_detail = pf_buf_steal(&b, NULL);
}

/*
 * The verdict from db, dbx and the signatures, in the firmware's order (edk2 DxeImageVerificationHandler):
 * the file's hash in dbx; any signature revoked; a certificate table that does not end at its last
 * entry; the file's hash in db; no signature; any signature admitted; else the signature that got
 * furthest says why not.
 */
static pf_status judge_stores(pf_bootmgr *bm, const pf_secboot *sb, const uint8_t hash[32], const pf_bm_signature *decided)
{
	const pf_sb_list *db = &sb->lists[PF_SB_DB], *dbx = &sb->lists[PF_SB_DBX];
	if (has_hash(dbx, hash)) {
		set_verdict(bm, PF_BM_REVOKED_HASH, "its Authenticode hash %s is in dbx", bm->pe_hash);
		return PF_OK;
	}
	if (decided && decided->verdict == PF_BM_REVOKED_CERT) {
		set_verdict(bm, PF_BM_REVOKED_CERT, "%s", decided->detail);
		return PF_OK;
	}
	if (bm->sig_status != PF_ERR_NOT_FOUND && !bm->cert_table_ok) {
		set_verdict(bm, PF_BM_DAMAGED, "its certificate table does not end with a whole WIN_CERTIFICATE entry");
		return PF_OK;
	}
	if (has_hash(db, hash)) {
		set_verdict(bm, PF_BM_TRUSTED, "its Authenticode hash is in db");
		return PF_OK;
	}
	if (bm->sig_status == PF_ERR_NOT_FOUND) {
		set_verdict(bm, PF_BM_UNSIGNED, "the file carries no Authenticode signature and its hash is not in db");
		return PF_OK;
	}
	if (!decided) {
		set_verdict(bm, PF_BM_DAMAGED, "its signature cannot be read: %s", pf_status_str(bm->sig_status));
		return PF_OK;
	}
	set_verdict(bm, decided->verdict, "%s", decided->detail ? decided->detail : "");
	return PF_OK;
}

static bool stores_known(const pf_secboot *sb)
{
	return sb->read && sb->lists[PF_SB_DB].present != PF_UNKNOWN && sb->setup_mode != PF_YES &&
	       sb->lists[PF_SB_PK].present != PF_NO;
}

pf_status pf_bootmgr_judge(const void *img, size_t len, const pf_secboot *sb, pf_bootmgr *bm)
{
	const uint8_t *p = img;
	pf_pe *pe _cleanup_free_ = pf_malloc(sizeof(*pe));
	if (!pe)
		return PF_ERR_NOMEM;

	bm->found = true;
	bm->size = len;
	/* Updates add entries with higher SVNs beside the old ones: the highest one counts. */
	const pf_sb_list *dbx = &sb->lists[PF_SB_DBX];
	uint32_t best = 0;
	bool have = false;
	for (size_t i = 0; i < dbx->n_sha256; i++) {
		const uint8_t *e = dbx->sha256[i];
		if (memcmp(e, svn_bootmgr_prefix, sizeof(svn_bootmgr_prefix)) != 0)
			continue;
		uint32_t v = (uint32_t)(e[19] | e[20] << 8) << 16 | (uint32_t)(e[17] | e[18] << 8);
		if (!have || v > best)
			best = v;
		have = true;
	}
	if (have)
		pf_snprintf(bm->dbx_svn, sizeof(bm->dbx_svn), "%u.%u", (unsigned)(best >> 16), (unsigned)(best & 0xFFFF));
	uint32_t own = 0;

	bm->pe_status = pf_pe_parse(img, len, pe);
	if (bm->pe_status != PF_OK) {
		set_verdict(bm, PF_BM_DAMAGED, "the file is not a readable PE image: %s", pf_status_str(bm->pe_status));
		return PF_OK;
	}
	bm->machine = pe->machine;
	uint8_t hash[32];
	bm->pe_status = pf_pe_authenticode_sha256(img, len, pe, hash);
	if (bm->pe_status != PF_OK) {
		set_verdict(bm, PF_BM_DAMAGED, "its sections overlap the certificate table");
		return PF_OK;
	}
	pf_hex(hash, sizeof(hash), bm->pe_hash, sizeof(bm->pe_hash));
	bm->version_valid = pf_pe_version_read(img, len, pe, &bm->version) == PF_OK;
	bool own_valid = pf_pe_bootmgr_svn(img, len, pe, &own) == PF_OK;
	if (own_valid)
		pf_snprintf(bm->svn, sizeof(bm->svn), "%u.%u", (unsigned)(own >> 16), (unsigned)(own & 0xFFFF));
	if (bm->version_valid)
		bm->release = pf_win_release_by_build(bm->version.file[2]);

	const pf_secboot *known = stores_known(sb) ? sb : NULL;
	const pf_bm_signature *decided = NULL;
	if (pe->cert_size) {
		pf_status st = pf_bootmgr_signatures(p + pe->cert_off, pe->cert_size, hash, known, bm, &decided);
		if (st != PF_OK)
			return st;
	}
	if (!known) {
		bm->verdict = PF_BM_UNKNOWN;
		return PF_OK;
	}
	pf_status st = judge_stores(bm, sb, hash, decided);
	/* KB5025885: the firmware starts it, then the boot manager compares its own SVN with dbx's entry
	 * and stops when its own is lower (major, then minor). Without the resource nothing is judged. */
	if (st == PF_OK && bm->verdict == PF_BM_TRUSTED && have && own_valid && own < best)
		set_verdict(bm, PF_BM_REVOKED_SVN, "its SVN %s is below the boot manager SVN %s in dbx: it stops itself (%s)",
			    bm->svn, bm->dbx_svn, bm->verdict_detail ? bm->verdict_detail : "");
	return st;
}
