/* The installed Windows Boot Manager judged as the firmware would: Authenticode hash, signer chain, db and dbx. */
#include "bootmgr.h"
#include "authenticode.h"
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
					     "revoked-hash", "revoked-cert" };
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
	pf_bootmgr_init(bm);
}

static bool has_hash(const pf_sb_list *l, const uint8_t h[32])
{
	for (size_t i = 0; i < l->n_sha256; i++)
		if (memcmp(l->sha256[i], h, 32) == 0)
			return true;
	return false;
}

/*
 * The certificate of l that admits the signature: one of the chain's own certificates, or the issuer of
 * its top certificate (same subject as the top's issuer, and the top's signature verifies with its
 * key), as OpenSSL's partial-chain verification in edk2's Pkcs7Verify accepts. -1 when none.
 */
static int store_admits(const pf_sb_list *l, const pf_authenticode *ac, const int *chain, size_t n)
{
	if (n == 0)
		return -1;
	const pf_ac_cert *top = &ac->certs[chain[n - 1]];
	for (size_t i = 0; i < l->n_certs; i++) {
		const pf_sb_cert *c = &l->certs[i];
		for (size_t k = 0; k < n; k++)
			if (c->der_len == ac->certs[chain[k]].len && memcmp(c->der, ac->certs[chain[k]].der, c->der_len) == 0)
				return (int)i;
		pf_x509_cert x;
		if (pf_x509_parse(c->der, c->der_len, &x) != PF_OK)
			continue;
		if (x.subject.tlv_len == top->x.issuer.tlv_len &&
		    memcmp(x.subject.tlv, top->x.issuer.tlv, x.subject.tlv_len) == 0 &&
		    pf_authenticode_verify_cert(top, &x.spki) == PF_OK)
			return (int)i;
	}
	return -1;
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

/* Signer names, thumbprints and the CA the name of the chain's top issuer claims. */
static pf_status signer_fields(pf_bootmgr *bm, const pf_authenticode *ac, const int *chain, size_t n)
{
	pf_hex(ac->digest, PF_MIN(ac->digest_len, (size_t)32), bm->signed_hash, sizeof(bm->signed_hash));
	if (n == 0)
		return PF_OK;
	const pf_ac_cert *s = &ac->certs[chain[0]];
	pf_hex(s->sha1, 20, bm->signer_sha1, sizeof(bm->signer_sha1));
	pf_hex(s->sha256, 32, bm->signer_sha256, sizeof(bm->signer_sha256));
	if (pf_x509_name_str(&s->x.subject, &bm->signer_subject) == PF_ERR_NOMEM ||
	    pf_x509_name_str(&s->x.issuer, &bm->signer_issuer) == PF_ERR_NOMEM)
		return PF_ERR_NOMEM;
	/* The CA db must hold: a Microsoft CA the signature itself carries (by thumbprint), else the issuer
	 * its chain ends at (by name: it is not in the signature to be sure of). */
	for (size_t k = 0; k < n; k++) {
		const pf_sb_known *known = pf_sb_known_by_sha1(ac->certs[chain[k]].sha1);
		if (known) {
			bm->ca = pf_strdup(known->cn);
			bm->ca_role = known->role;
			return bm->ca ? PF_OK : PF_ERR_NOMEM;
		}
	}
	char *cn = NULL;
	pf_status st = pf_x509_name_cn(&ac->certs[chain[n - 1]].x.issuer, &cn);
	if (st == PF_ERR_NOMEM)
		return st;
	bm->ca = cn;
	const pf_sb_known *k = pf_sb_known_by_cn(cn);
	bm->ca_role = k ? k->role : NULL;
	return PF_OK;
}

/* The verdict from db and dbx, in the firmware's order: dbx first, then db. */
static pf_status judge_stores(pf_bootmgr *bm, const pf_secboot *sb, const uint8_t hash[32], const pf_authenticode *ac,
			      const int *chain, size_t n)
{
	const pf_sb_list *db = &sb->lists[PF_SB_DB], *dbx = &sb->lists[PF_SB_DBX];
	if (!sb->read || db->present == PF_UNKNOWN || sb->setup_mode == PF_YES || sb->lists[PF_SB_PK].present == PF_NO) {
		bm->verdict = PF_BM_UNKNOWN;
		return PF_OK;
	}
	if (has_hash(dbx, hash)) {
		set_verdict(bm, PF_BM_REVOKED_HASH, "its Authenticode hash %s is in dbx", bm->pe_hash);
		return PF_OK;
	}
	int x = ac ? store_admits(dbx, ac, chain, n) : -1;
	if (x >= 0) {
		set_verdict(bm, PF_BM_REVOKED_CERT, "dbx holds \"%s\" (SHA-1 %s), which its signature chains to",
			    pf_sb_cert_name(&dbx->certs[x]), dbx->certs[x].sha1);
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
	if (bm->sig_status != PF_OK) {
		set_verdict(bm, PF_BM_DAMAGED, "its signature cannot be read: %s", pf_status_str(bm->sig_status));
		return PF_OK;
	}
	if (!ac->digest_is_sha256 || memcmp(ac->digest, hash, 32) != 0) {
		set_verdict(bm, PF_BM_TAMPERED, "the file's Authenticode hash %s differs from the signed one %s", bm->pe_hash,
			    bm->signed_hash);
		return PF_OK;
	}
	if (!bm->signature_verifies) {
		set_verdict(bm, PF_BM_TAMPERED, "the signer's signature does not verify");
		return PF_OK;
	}
	x = store_admits(db, ac, chain, n);
	if (x < 0) {
		set_verdict(bm, PF_BM_NOT_IN_DB, "no db certificate is in its chain or issued it (chain issued by \"%s\")",
			    bm->ca ? bm->ca : "?");
		return PF_OK;
	}
	const pf_sb_cert *c = &db->certs[x];
	char *name = pf_strdup(pf_sb_cert_name(c));
	if (!name)
		return PF_ERR_NOMEM;
	pf_free(bm->ca);
	bm->ca = name;
	/* The thumbprint decides which Microsoft CA it is; a name alone does not. */
	bm->ca_role = c->known ? c->known->role : NULL;
	set_verdict(bm, PF_BM_TRUSTED, "db holds \"%s\" (SHA-1 %s)", bm->ca, c->sha1);
	return PF_OK;
}

pf_status pf_bootmgr_judge(const void *img, size_t len, const pf_secboot *sb, pf_bootmgr *bm)
{
	const uint8_t *p = img;
	pf_pe *pe _cleanup_free_ = pf_malloc(sizeof(*pe));
	pf_authenticode *ac _cleanup_free_ = pf_malloc(sizeof(*ac));
	if (!pe || !ac)
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

	bm->pe_status = pf_pe_parse(img, len, pe);
	if (bm->pe_status != PF_OK) {
		set_verdict(bm, PF_BM_DAMAGED, "the file is not a readable PE image: %s", pf_status_str(bm->pe_status));
		return PF_OK;
	}
	uint8_t hash[32];
	bm->pe_status = pf_pe_authenticode_sha256(img, len, pe, hash);
	if (bm->pe_status != PF_OK) {
		set_verdict(bm, PF_BM_DAMAGED, "its sections overlap the certificate table");
		return PF_OK;
	}
	pf_hex(hash, sizeof(hash), bm->pe_hash, sizeof(bm->pe_hash));
	bm->version_valid = pf_pe_version_read(img, len, pe, &bm->version) == PF_OK;
	if (bm->version_valid)
		bm->release = pf_win_release_by_build(bm->version.file[2]);

	int chain[PF_AC_MAX_CERTS];
	size_t n = 0;
	bm->sig_status = pe->cert_size ? pf_authenticode_parse(p + pe->cert_off, pe->cert_size, ac) : PF_ERR_NOT_FOUND;
	if (bm->sig_status == PF_ERR_NOMEM)
		return PF_ERR_NOMEM;
	if (bm->sig_status == PF_OK) {
		n = pf_authenticode_chain(ac, chain, PF_ARRAY_SIZE(chain));
		bm->signature_verifies = pf_authenticode_verify_signer(ac) == PF_OK;
		pf_status st = signer_fields(bm, ac, chain, n);
		if (st != PF_OK)
			return st;
	}
	return judge_stores(bm, sb, hash, bm->sig_status == PF_OK ? ac : NULL, chain, n);
}
