/* Every Authenticode signature of the boot manager judged against db and dbx, then together as the firmware does. */
#include "bootmgr.h"
#include "authenticode.h"
#include "buf.h"
#include "fmt.h"
#include "str.h"

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

/* dbx's EFI_CERT_X509_SHA256 entry for this certificate's TBSCertificate, NULL when none. */
static const pf_sb_tbs_hash *tbs_in(const pf_sb_list *dbx, const pf_ac_cert *c)
{
	uint8_t h[32];
	pf_authenticode_tbs_sha256(c, h);
	for (size_t i = 0; i < dbx->n_tbs; i++)
		if (memcmp(dbx->tbs[i].tbs_sha256, h, 32) == 0)
			return &dbx->tbs[i];
	return NULL;
}

static pf_status set_detail(pf_bm_signature *sig, pf_bm_verdict v, const char *fmt, ...) PF_PRINTF(3, 4);
static pf_status set_detail(pf_bm_signature *sig, pf_bm_verdict v, const char *fmt, ...)
{
	pf_buf b = { 0 };
	va_list ap;
	va_start(ap, fmt);
	pf_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	sig->verdict = v;
	pf_free(sig->detail);
	sig->detail = pf_buf_steal(&b, NULL);
	return sig->detail ? PF_OK : PF_ERR_NOMEM;
}

/* A TBS hash entry refuses whatever was signed, except (edk2's PassTimestampCheck) a signature whose
 * RFC 3161 timestamp by a TSA in dbt predates a non-zero revocation time: not judged here, said so. */
static pf_status tbs_revoked(pf_bm_signature *sig, const pf_authenticode *ac, const pf_ac_cert *c, const pf_sb_tbs_hash *t)
{
	char name[160] = "?", when[32] = "any time";
	char *cn = NULL;
	if (pf_x509_name_cn(&c->x.subject, &cn) == PF_ERR_NOMEM)
		return PF_ERR_NOMEM;
	if (cn)
		pf_snprintf(name, sizeof(name), "%s", cn);
	pf_free(cn);
	if (!t->always)
		pf_snprintf(when, sizeof(when), "%04u-%02u-%02u %02u:%02u:%02u", t->revoked.year, t->revoked.month, t->revoked.day,
			    t->revoked.hour, t->revoked.minute, t->revoked.second);
	return set_detail(sig, PF_BM_REVOKED_CERT, "dbx holds the TBS hash of \"%s\" (X509_SHA256, revoked %s)%s", name, when,
			  !t->always && ac->has_timestamp ?
				  "; its timestamp is not judged: one before that time by a TSA in dbt would admit it" :
				  "");
}

/* The signature's own CA for the report: a Microsoft CA it carries (by thumbprint), else its top issuer's CN. */
static pf_status chain_ca(pf_bm_signature *sig, const pf_authenticode *ac, const int *chain, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const pf_sb_known *known = pf_sb_known_by_sha1(ac->certs[chain[k]].sha1);
		if (known) {
			sig->ca = pf_strdup(known->cn);
			sig->ca_role = known->role;
			return sig->ca ? PF_OK : PF_ERR_NOMEM;
		}
	}
	if (n == 0)
		return PF_OK;
	pf_status st = pf_x509_name_cn(&ac->certs[chain[n - 1]].x.issuer, &sig->ca);
	if (st == PF_ERR_NOMEM)
		return st;
	const pf_sb_known *k = sig->ca ? pf_sb_known_by_cn(sig->ca) : NULL;
	sig->ca_role = k ? k->role : NULL;
	return PF_OK;
}

/*
 * One signature against the stores, in edk2's order (IsForbiddenByDbx, then IsAllowedByDb): a dbx
 * certificate in or above its chain, or the TBS hash of any certificate it carries in dbx, revokes it;
 * then it must be readable, sign this file's hash, verify, and chain to a db certificate whose own TBS
 * hash dbx does not hold.
 */
static pf_status judge_one(const pf_secboot *sb, const uint8_t hash[32], const pf_authenticode *ac, pf_bm_signature *sig)
{
	int chain[PF_AC_MAX_CERTS];
	size_t n = pf_authenticode_chain(ac, chain, PF_ARRAY_SIZE(chain));
	const pf_ac_cert *s = n ? &ac->certs[chain[0]] : NULL;
	if (s) {
		pf_hex(s->sha1, 20, sig->signer_sha1, sizeof(sig->signer_sha1));
		if (pf_x509_name_str(&s->x.subject, &sig->signer_subject) == PF_ERR_NOMEM)
			return PF_ERR_NOMEM;
	}
	pf_status st = chain_ca(sig, ac, chain, n);
	if (st != PF_OK || !sb)
		return st;

	const pf_sb_list *db = &sb->lists[PF_SB_DB], *dbx = &sb->lists[PF_SB_DBX];
	int x = store_admits(dbx, ac, chain, n);
	if (x >= 0)
		return set_detail(sig, PF_BM_REVOKED_CERT, "dbx holds \"%s\" (SHA-1 %s), which its signature chains to",
				  pf_sb_cert_name(&dbx->certs[x]), dbx->certs[x].sha1);
	for (size_t i = 0; i < ac->n_certs; i++) {
		const pf_sb_tbs_hash *t = tbs_in(dbx, &ac->certs[i]);
		if (t)
			return tbs_revoked(sig, ac, &ac->certs[i], t);
	}
	if (!ac->digest_is_sha256 || memcmp(ac->digest, hash, 32) != 0) {
		char h[65], signed_h[65];
		pf_hex(hash, 32, h, sizeof(h));
		pf_hex(ac->digest, PF_MIN(ac->digest_len, (size_t)32), signed_h, sizeof(signed_h));
		return set_detail(sig, PF_BM_TAMPERED, "the file's Authenticode hash %s differs from the signed one %s", h, signed_h);
	}
	if (pf_authenticode_verify_signer(ac) != PF_OK)
		return set_detail(sig, PF_BM_TAMPERED, "the signer's signature does not verify");
	x = store_admits(db, ac, chain, n);
	if (x < 0)
		return set_detail(sig, PF_BM_NOT_IN_DB, "no db certificate is in its chain or issued it (chain issued by \"%s\")",
				  sig->ca ? sig->ca : "?");
	const pf_sb_cert *c = &db->certs[x];
	pf_ac_cert dc;
	if (pf_authenticode_cert(c->der, c->der_len, &dc) == PF_OK) {
		const pf_sb_tbs_hash *t = tbs_in(dbx, &dc);
		if (t)
			return tbs_revoked(sig, ac, &dc, t);
	}
	char *name = pf_strdup(pf_sb_cert_name(c));
	if (!name)
		return PF_ERR_NOMEM;
	pf_free(sig->ca);
	sig->ca = name;
	/* The thumbprint decides which Microsoft CA it is; a name alone does not. */
	sig->ca_role = c->known ? c->known->role : NULL;
	return set_detail(sig, PF_BM_TRUSTED, "db holds \"%s\" (SHA-1 %s)", sig->ca, c->sha1);
}

/* Which signature speaks for the image: a revoking one, else an admitting one, else the one that got furthest. */
static int rank(pf_bm_verdict v)
{
	switch (v) {
	case PF_BM_REVOKED_CERT: return 5;
	case PF_BM_TRUSTED: return 4;
	case PF_BM_NOT_IN_DB: return 3;
	case PF_BM_TAMPERED: return 2;
	case PF_BM_DAMAGED: return 1;
	default: return 0;
	}
}

/* The deciding signature's fields in bm's single-signer fields (the report's signer_* keys). */
static pf_status fill_signer(pf_bootmgr *bm, const pf_authenticode *ac, const pf_bm_signature *sig)
{
	int chain[PF_AC_MAX_CERTS];
	size_t n = pf_authenticode_chain(ac, chain, PF_ARRAY_SIZE(chain));
	pf_free(bm->signer_subject);
	pf_free(bm->signer_issuer);
	pf_free(bm->ca);
	bm->signer_subject = bm->signer_issuer = bm->ca = NULL;
	bm->signer_sha1[0] = bm->signer_sha256[0] = '\0';
	pf_hex(ac->digest, PF_MIN(ac->digest_len, (size_t)32), bm->signed_hash, sizeof(bm->signed_hash));
	bm->signature_verifies = pf_authenticode_verify_signer(ac) == PF_OK;
	bm->ca_role = sig->ca_role;
	if (sig->ca && !(bm->ca = pf_strdup(sig->ca)))
		return PF_ERR_NOMEM;
	if (n == 0)
		return PF_OK;
	const pf_ac_cert *s = &ac->certs[chain[0]];
	pf_hex(s->sha1, 20, bm->signer_sha1, sizeof(bm->signer_sha1));
	pf_hex(s->sha256, 32, bm->signer_sha256, sizeof(bm->signer_sha256));
	if (pf_x509_name_str(&s->x.subject, &bm->signer_subject) == PF_ERR_NOMEM ||
	    pf_x509_name_str(&s->x.issuer, &bm->signer_issuer) == PF_ERR_NOMEM)
		return PF_ERR_NOMEM;
	return PF_OK;
}

/* Reads and judges one signature into the next slot (counted only when the slots are full). */
static pf_status one(const uint8_t *p, size_t len, bool nested, const uint8_t hash[32], const pf_secboot *sb, pf_bootmgr *bm,
		     pf_authenticode *ac, pf_bm_signature **ret_sig)
{
	bm->n_sigs_seen++;
	*ret_sig = NULL;
	pf_status st = pf_authenticode_parse_pkcs7(p, len, ac);
	if (st == PF_ERR_NOMEM || bm->n_sigs == PF_BM_MAX_SIGNATURES)
		return st == PF_ERR_NOMEM ? st : PF_OK;
	pf_bm_signature *sig = &bm->sigs[bm->n_sigs++];
	*sig = (pf_bm_signature){ .nested = nested, .status = st };
	*ret_sig = sig;
	if (st != PF_OK)
		return sb ? set_detail(sig, PF_BM_DAMAGED, "its signature cannot be read: %s", pf_status_str(st)) : PF_OK;
	return judge_one(sb, hash, ac, sig);
}

pf_status pf_bootmgr_signatures(const void *table, size_t len, const uint8_t hash[32], const pf_secboot *sb,
				pf_bootmgr *bm, const pf_bm_signature **ret_decided)
{
	pf_authenticode *ac _cleanup_free_ = pf_malloc(sizeof(*ac));
	pf_authenticode *inner _cleanup_free_ = pf_malloc(sizeof(*inner));
	if (!ac || !inner)
		return PF_ERR_NOMEM;
	const pf_bm_signature *decided = NULL;
	pf_wincert_iter it = pf_wincert_iter_init(table, len);
	pf_wincert w;
	pf_status st;
	bm->sig_status = PF_ERR_NOT_FOUND;
	while ((st = pf_wincert_next(&it, &w)) == PF_OK) {
		if (!pf_wincert_is_pkcs7(&w))
			continue;
		pf_bm_signature *sig;
		pf_status s = one(w.data, w.len, false, hash, sb, bm, ac, &sig);
		if (s != PF_OK)
			return s;
		if (!sig)
			continue;
		/* sig_status: PF_OK once any signature reads, else the first one's problem. */
		if (bm->sig_status != PF_OK)
			bm->sig_status = bm->sig_status == PF_ERR_NOT_FOUND || sig->status == PF_OK ? sig->status : bm->sig_status;
		if (sig->status == PF_OK && (!decided || rank(sig->verdict) > rank(decided->verdict))) {
			decided = sig;
			s = fill_signer(bm, ac, sig);
			if (s != PF_OK)
				return s;
		} else if (!decided && rank(sig->verdict) > 0) {
			decided = sig;
		}
		if (sig->status != PF_OK || !ac->nested.tlv_len)
			continue;
		/* The nested SET holds ContentInfos; the firmware never reads them: reported, not counted. */
		pf_der_iter ni = pf_der_children(&ac->nested);
		pf_der ci;
		while ((s = pf_der_next(&ni, &ci)) == PF_OK) {
			pf_bm_signature *n;
			s = one(ci.tlv, ci.tlv_len, true, hash, sb, bm, inner, &n);
			if (s != PF_OK)
				return s;
		}
		if (s == PF_ERR_NOMEM)
			return s;
	}
	bm->cert_table_ok = st == PF_ERR_NOT_FOUND;
	*ret_decided = decided;
	return PF_OK;
}

const char *pf_pe_machine_name(uint16_t machine, char buf[8])
{
	static const struct {
		uint16_t machine;
		const char *name;
	} names[] = { { PF_PE_MACHINE_X64, "x64" }, { PF_PE_MACHINE_ARM64, "arm64" }, { PF_PE_MACHINE_I386, "x86" }, { 0x01C4, "arm" } };
	for (size_t i = 0; i < PF_ARRAY_SIZE(names); i++)
		if (names[i].machine == machine)
			return names[i].name;
	pf_snprintf(buf, 8, "0x%04x", (unsigned)machine);
	return buf;
}
