/* The boot manager judged against stores built from the test CAs in tests/data/bootmgr, and the WIN-* findings. */
#include "testutil.h"
#include "bootmgr.h"

#define BM "tests/data/bootmgr/"

typedef struct {
	uint8_t *p;
	size_t n;
} blob;

static void put(blob *b, const void *d, size_t n)
{
	b->p = realloc(b->p, b->n + n + 1);
	assert_non_null(b->p);
	memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void put_le32(blob *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	put(b, x, 4);
}

/* EFI_CERT_X509_GUID and EFI_CERT_SHA256_GUID in EFI_GUID byte order; a zero owner. */
static const uint8_t guid_x509[16] = { 0xa1, 0x59, 0xc0, 0xa5, 0xe4, 0x94, 0xa7, 0x4a,
				       0x87, 0xb5, 0xab, 0x15, 0x5c, 0x2b, 0xf0, 0x72 };
static const uint8_t guid_sha256[16] = { 0x26, 0x16, 0xc4, 0xc1, 0x4c, 0x50, 0x92, 0x40,
					 0xac, 0xa9, 0x41, 0xf9, 0x36, 0x93, 0x43, 0x28 };
static const uint8_t owner[16] = { 0 };
/* EFI_CERT_X509_SHA256_GUID 3bd2a492-96c0-4079-b420-fcf98ef103ed (UEFI 2.10 section 32.4.1). */
static const uint8_t guid_x509_sha256[16] = { 0x92, 0xa4, 0xd2, 0x3b, 0xc0, 0x96, 0x79, 0x40,
					      0xb4, 0x20, 0xfc, 0xf9, 0x8e, 0xf1, 0x03, 0xed };

static void put_cert(blob *b, const char *file)
{
	size_t n;
	char *der = test_read_file(file, &n);
	put(b, guid_x509, 16);
	put_le32(b, (uint32_t)(28 + 16 + n));
	put_le32(b, 0);
	put_le32(b, (uint32_t)(16 + n));
	put(b, owner, 16);
	put(b, der, n);
	free(der);
}

static void put_hash(blob *b, const uint8_t h[32])
{
	put(b, guid_sha256, 16);
	put_le32(b, 28 + 48);
	put_le32(b, 0);
	put_le32(b, 48);
	put(b, owner, 16);
	put(b, h, 32);
}

/* An X509_SHA256 entry: the TBS hash, then an EFI_TIME (zero: revoked whatever the signing time). */
static void put_tbs(blob *b, const uint8_t h[32], uint16_t year, uint8_t month, uint8_t day)
{
	uint8_t t[16] = { (uint8_t)year, (uint8_t)(year >> 8), month, day };
	put(b, guid_x509_sha256, 16);
	put_le32(b, 28 + 64);
	put_le32(b, 0);
	put_le32(b, 64);
	put(b, owner, 16);
	put(b, h, 32);
	put(b, t, 16);
}

static void unhex(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

/* The Authenticode hash of a file as expected.txt gives it (pehash.py). */
static void expected_hash(const char *file, uint8_t h[32])
{
	size_t n;
	char *text = test_read_file(BM "expected.txt", &n);
	char *at = strstr(text, file);
	assert_non_null(at);
	unhex(at + strlen(file) + 1, h, 32);
	free(text);
}

/* The TBSCertificate hash of a test certificate as make.sh cut it from the DER ("# tbs FILE HEX"). */
static void expected_tbs(const char *file, uint8_t h[32])
{
	size_t n;
	char key[64];
	char *text = test_read_file(BM "expected.txt", &n);
	snprintf(key, sizeof(key), "# tbs %s ", file);
	char *at = strstr(text, key);
	assert_non_null(at);
	unhex(at + strlen(key), h, 32);
	free(text);
}

/* A user-mode device with the given db and dbx contents. */
static void stores(pf_secboot *sb, blob *db, blob *dbx)
{
	pf_secboot_init(sb);
	sb->read = true;
	sb->secure_boot = PF_YES;
	sb->setup_mode = PF_NO;
	sb->lists[PF_SB_PK].present = PF_YES;
	sb->lists[PF_SB_KEK].present = PF_YES;
	sb->lists[PF_SB_DB].present = PF_YES;
	sb->lists[PF_SB_DBX].present = dbx->n ? PF_YES : PF_NO;
	assert_int_equal(pf_sb_parse_list(db->p, db->n, &sb->lists[PF_SB_DB]), PF_OK);
	assert_int_equal(pf_sb_parse_list(dbx->p, dbx->n, &sb->lists[PF_SB_DBX]), PF_OK);
	assert_null(sb->lists[PF_SB_DB].error);
	free(db->p);
	free(dbx->p);
	*db = (blob){ 0 };
	*dbx = (blob){ 0 };
}

/* The test CA plays Microsoft's: it is known by its role as the thumbprint table would know the real one. */
static void plays(pf_secboot *sb, pf_sb_store s, size_t i, const char *role)
{
	assert_true(i < sb->lists[s].n_certs);
	sb->lists[s].certs[i].known = pf_sb_known_by_role(role);
}

static const pf_time today = { 2026, 12, 7, 12, 0, 0, 0, true };

typedef struct {
	pf_bootmgr bm;
	pf_findings f;
	pf_config cfg;
} result;

/* The CPU the judged device runs (0: unknown, no architecture finding). */
static uint16_t host_machine;

static void judge(const char *file, const pf_secboot *sb, result *r)
{
	char path[128];
	size_t len;
	snprintf(path, sizeof(path), BM "%s", file);
	char *img = test_read_file(path, &len);
	memset(r, 0, sizeof(*r));
	assert_int_equal(pf_config_defaults(&r->cfg), PF_OK);
	pf_bootmgr_init(&r->bm);
	r->bm.host_machine = host_machine;
	assert_int_equal(pf_bootmgr_judge(img, len, sb, &r->bm), PF_OK);
	pf_bootmgr_check(&r->bm, sb, &r->cfg, &today, &r->f);
	free(img);
}

static const pf_finding *find(const result *r, pf_code code)
{
	for (size_t i = 0; i < r->f.n; i++)
		if (r->f.items[i].code == code)
			return &r->f.items[i];
	return NULL;
}

static size_t errors(const result *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->f.n; i++)
		n += r->f.items[i].severity == PF_SEV_ERROR;
	return n;
}

static void done(result *r, pf_secboot *sb)
{
	pf_bootmgr_free(&r->bm);
	pf_findings_free(&r->f);
	pf_config_free(&r->cfg);
	pf_secboot_free(sb);
}

static void test_trusted_2023(void **state)
{
	(void)state;
	blob db = { 0 }, dbx = { 0 };
	pf_secboot sb;
	result r;
	put_cert(&db, BM "ca-pca2011.der");
	put_cert(&db, BM "ca-uefi2023.der");
	stores(&sb, &db, &dbx);
	plays(&sb, PF_SB_DB, 0, "pca-2011");
	plays(&sb, PF_SB_DB, 1, "windows-2023");
	judge("bootmgr-2023.efi", &sb, &r);
	assert_int_equal(r.bm.verdict, PF_BM_TRUSTED);
	assert_string_equal(r.bm.ca, "Preflight Test Windows UEFI CA 2023");
	assert_string_equal(r.bm.ca_role, "windows-2023");
	assert_string_equal(r.bm.signer_subject, "CN=Preflight Test Windows (UEFI CA 2023),O=Preflight Test,C=US");
	assert_true(r.bm.signature_verifies);
	assert_string_equal(r.bm.pe_hash, r.bm.signed_hash);
	assert_true(r.bm.version_valid);
	assert_int_equal(r.bm.version.file[2], 26100);
	assert_string_equal(r.bm.release->name, "Windows 11 24H2 or 25H2");
	assert_int_equal(r.f.n, 0);
	done(&r, &sb);
}

/* Trusted through PCA 2011 only: a warning; 22631's servicing ended 2026-11-10. */
static void test_2011_only(void **state)
{
	(void)state;
	blob db = { 0 }, dbx = { 0 };
	pf_secboot sb;
	result r;
	put_cert(&db, BM "ca-pca2011.der");
	stores(&sb, &db, &dbx);
	plays(&sb, PF_SB_DB, 0, "pca-2011");
	judge("bootmgr-2011.efi", &sb, &r);
	assert_int_equal(r.bm.verdict, PF_BM_TRUSTED);
	const pf_finding *fd = find(&r, PF_WIN_BOOTMGR_2011_ONLY);
	assert_non_null(fd);
	assert_int_equal(fd->severity, PF_SEV_WARN);
	assert_non_null(strstr(fd->detail, "db lacks Windows UEFI CA 2023"));
	fd = find(&r, PF_WIN_BUILD_OUT_OF_SERVICING);
	assert_non_null(fd);
	assert_non_null(strstr(fd->detail, "2026-11-10"));
	assert_int_equal(errors(&r), 0);
	done(&r, &sb);
}

/* PCA 2011 in dbx (the CVE-2023-24932 revocation): refused. */
static void test_2011_revoked(void **state)
{
	(void)state;
	blob db = { 0 }, dbx = { 0 };
	pf_secboot sb;
	result r;
	put_cert(&db, BM "ca-pca2011.der");
	put_cert(&db, BM "ca-uefi2023.der");
	put_cert(&dbx, BM "ca-pca2011.der");
	stores(&sb, &db, &dbx);
	judge("bootmgr-2011.efi", &sb, &r);
	assert_int_equal(r.bm.verdict, PF_BM_REVOKED_CERT);
	const pf_finding *fd = find(&r, PF_WIN_BOOTMGR_REFUSED);
	assert_non_null(fd);
	assert_int_equal(fd->severity, PF_SEV_ERROR);
	assert_string_equal(fd->message, "Windows will not start once Secure Boot is on.");
	assert_non_null(strstr(fd->detail, "Preflight Test Windows Production PCA 2011"));
	done(&r, &sb);
}

/* Its hash in dbx: refused, even though db trusts the signer. */
static void test_hash_revoked(void **state)
{
	(void)state;
	blob db = { 0 }, dbx = { 0 };
	pf_secboot sb;
	result r;
	uint8_t h[32];
	expected_hash("bootmgr-2023.efi", h);
	put_cert(&db, BM "ca-uefi2023.der");
	put_hash(&dbx, h);
	stores(&sb, &db, &dbx);
	judge("bootmgr-2023.efi", &sb, &r);
	assert_int_equal(r.bm.verdict, PF_BM_REVOKED_HASH);
	assert_non_null(find(&r, PF_WIN_BOOTMGR_REFUSED));
	done(&r, &sb);
}

/* Signed by the 2023 CA, which db lacks. */
static void test_db_lacks_ca(void **state)
{
	(void)state;
	blob db = { 0 }, dbx = { 0 };
	pf_secboot sb;
	result r;
	put_cert(&db, BM "ca-pca2011.der");
	stores(&sb, &db, &dbx);
	judge("bootmgr-2023.efi", &sb, &r);
	assert_int_equal(r.bm.verdict, PF_BM_NOT_IN_DB);
	const pf_finding *fd = find(&r, PF_WIN_DB_LACKS_SIGNER_CA);
	assert_non_null(fd);
	assert_int_equal(fd->severity, PF_SEV_ERROR);
	assert_non_null(strstr(fd->message, "Preflight Test Windows UEFI CA 2023"));
	assert_null(find(&r, PF_WIN_BOOTMGR_REFUSED));
	done(&r, &sb);
}

/* A signer nobody trusts; a file changed after signing; a signature cut off. */
static void test_unknown_tampered_truncated(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		pf_bm_verdict v;
		pf_code code;
	} cases[] = {
		{ "bootmgr-other.efi", PF_BM_NOT_IN_DB, PF_WIN_DB_LACKS_SIGNER_CA },
		{ "bootmgr-tampered.efi", PF_BM_TAMPERED, PF_WIN_BOOTMGR_REFUSED },
		{ "bootmgr-truncated.efi", PF_BM_DAMAGED, PF_WIN_BOOTMGR_REFUSED },
		{ "bootmgr-unsigned.efi", PF_BM_UNSIGNED, PF_WIN_BOOTMGR_REFUSED },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		blob db = { 0 }, dbx = { 0 };
		pf_secboot sb;
		result r;
		put_cert(&db, BM "ca-pca2011.der");
		put_cert(&db, BM "ca-uefi2023.der");
		stores(&sb, &db, &dbx);
		judge(cases[i].file, &sb, &r);
		assert_int_equal(r.bm.verdict, cases[i].v);
		assert_non_null(find(&r, cases[i].code));
		done(&r, &sb);
	}
}

/* An unsigned file admitted by its hash in db; the signer's own certificate in db admits it too. */
static void test_db_hash_and_leaf(void **state)
{
	(void)state;
	blob db = { 0 }, dbx = { 0 };
	pf_secboot sb;
	result r;
	uint8_t h[32];
	expected_hash("bootmgr-unsigned.efi", h);
	put_hash(&db, h);
	put_cert(&db, BM "signer-other.der");
	stores(&sb, &db, &dbx);
	judge("bootmgr-unsigned.efi", &sb, &r);
	assert_int_equal(r.bm.verdict, PF_BM_TRUSTED);
	assert_null(find(&r, PF_WIN_BOOTMGR_REFUSED));
	/* 19045: Windows 10 22H2, servicing ended 2025-10-14. */
	assert_non_null(find(&r, PF_WIN_BUILD_OUT_OF_SERVICING));
	pf_bootmgr_free(&r.bm);
	pf_findings_free(&r.f);
	pf_config_free(&r.cfg);
	judge("bootmgr-other.efi", &sb, &r);
	assert_int_equal(r.bm.verdict, PF_BM_TRUSTED);
	done(&r, &sb);
}

/* Setup mode enforces nothing: no verdict, no signature finding; dbx's boot manager SVN entry is read. */
static void test_setup_mode_and_svn(void **state)
{
	(void)state;
	blob db = { 0 }, dbx = { 0 };
	pf_secboot sb;
	result r;
	/* SVN 2.0 and 7.3 (minor, then major, little-endian): the highest is reported. */
	uint8_t svn[32] = { 0x01, 0x61, 0x2B, 0x13, 0x9D, 0xD5, 0x59, 0x88, 0x43, 0xAB, 0x1C, 0x18, 0x5C, 0x3C, 0xB2, 0xEB, 0x92,
			    0x00, 0x00, 0x02, 0x00 };
	put_cert(&db, BM "ca-pca2011.der");
	put_hash(&dbx, svn);
	svn[17] = 0x03;
	svn[19] = 0x07;
	put_hash(&dbx, svn);
	svn[1] = 0x62; /* another application's GUID: not the boot manager's */
	svn[19] = 0x09;
	put_hash(&dbx, svn);
	stores(&sb, &db, &dbx);
	sb.setup_mode = PF_YES;
	judge("bootmgr-other.efi", &sb, &r);
	assert_int_equal(r.bm.verdict, PF_BM_UNKNOWN);
	assert_int_equal(r.f.n, 0);
	assert_string_equal(r.bm.dbx_svn, "7.3");
	done(&r, &sb);
}

/* Two WIN_CERTIFICATEs (PCA 2011, then 2023): one admitted by db is enough; the 2023 one speaks. */
static void test_dual_any_admits(void **state)
{
	(void)state;
	blob db = { 0 }, dbx = { 0 };
	pf_secboot sb;
	result r;
	put_cert(&db, BM "ca-uefi2023.der");
	stores(&sb, &db, &dbx);
	plays(&sb, PF_SB_DB, 0, "windows-2023");
	judge("bootmgr-dual.efi", &sb, &r);
	assert_int_equal(r.bm.verdict, PF_BM_TRUSTED);
	assert_true(r.bm.cert_table_ok);
	assert_int_equal(r.bm.n_sigs, 2);
	assert_int_equal(r.bm.n_sigs_seen, 2);
	assert_false(r.bm.sigs[0].nested);
	assert_false(r.bm.sigs[1].nested);
	assert_int_equal(r.bm.sigs[0].verdict, PF_BM_NOT_IN_DB);
	assert_int_equal(r.bm.sigs[1].verdict, PF_BM_TRUSTED);
	assert_string_equal(r.bm.sigs[0].signer_subject, "CN=Preflight Test Windows (PCA 2011),O=Preflight Test,C=US");
	assert_string_equal(r.bm.signer_subject, "CN=Preflight Test Windows (UEFI CA 2023),O=Preflight Test,C=US");
	assert_string_equal(r.bm.ca_role, "windows-2023");
	assert_true(r.bm.signature_verifies);
	assert_int_equal(r.f.n, 0);
	done(&r, &sb);

	/* db with PCA 2011 only: the first signature admits it, and the warning about PCA 2011 stands. */
	put_cert(&db, BM "ca-pca2011.der");
	stores(&sb, &db, &dbx);
	plays(&sb, PF_SB_DB, 0, "pca-2011");
	judge("bootmgr-dual.efi", &sb, &r);
	assert_int_equal(r.bm.verdict, PF_BM_TRUSTED);
	assert_string_equal(r.bm.ca_role, "pca-2011");
	assert_non_null(find(&r, PF_WIN_BOOTMGR_2011_ONLY));
	done(&r, &sb);
}

/* edk2 refuses an image when any of its signatures is revoked, even though another is admitted. */
static void test_dual_one_revoked(void **state)
{
	(void)state;
	blob db = { 0 }, dbx = { 0 };
	pf_secboot sb;
	result r;
	put_cert(&db, BM "ca-pca2011.der");
	put_cert(&db, BM "ca-uefi2023.der");
	put_cert(&dbx, BM "ca-pca2011.der");
	stores(&sb, &db, &dbx);
	judge("bootmgr-dual.efi", &sb, &r);
	assert_int_equal(r.bm.verdict, PF_BM_REVOKED_CERT);
	assert_int_equal(r.bm.sigs[0].verdict, PF_BM_REVOKED_CERT);
	assert_int_equal(r.bm.sigs[1].verdict, PF_BM_TRUSTED);
	assert_string_equal(r.bm.signer_subject, "CN=Preflight Test Windows (PCA 2011),O=Preflight Test,C=US");
	const pf_finding *fd = find(&r, PF_WIN_BOOTMGR_REFUSED);
	assert_non_null(fd);
	assert_non_null(strstr(fd->detail, "Preflight Test Windows Production PCA 2011"));
	done(&r, &sb);
}

/* A nested signature (osslsigncode -nest) is read and reported, but the firmware never looks at it. */
static void test_nested_not_counted(void **state)
{
	(void)state;
	blob db = { 0 }, dbx = { 0 };
	pf_secboot sb;
	result r;
	put_cert(&db, BM "ca-uefi2023.der");
	stores(&sb, &db, &dbx);
	judge("bootmgr-nested.efi", &sb, &r);
	assert_int_equal(r.bm.n_sigs, 2);
	assert_false(r.bm.sigs[0].nested);
	assert_true(r.bm.sigs[1].nested);
	assert_string_equal(r.bm.sigs[1].signer_subject, "CN=Preflight Test Windows (UEFI CA 2023),O=Preflight Test,C=US");
	/* Alone it would be admitted; as a nested one it does not count. */
	assert_int_equal(r.bm.sigs[1].verdict, PF_BM_TRUSTED);
	assert_int_equal(r.bm.verdict, PF_BM_NOT_IN_DB);
	assert_non_null(find(&r, PF_WIN_DB_LACKS_SIGNER_CA));
	done(&r, &sb);

	/* Nor does a revoked nested signature refuse it. */
	put_cert(&db, BM "ca-pca2011.der");
	put_cert(&dbx, BM "ca-uefi2023.der");
	stores(&sb, &db, &dbx);
	judge("bootmgr-nested.efi", &sb, &r);
	assert_int_equal(r.bm.sigs[1].verdict, PF_BM_REVOKED_CERT);
	assert_int_equal(r.bm.verdict, PF_BM_TRUSTED);
	done(&r, &sb);
}

/* dbx's X509_SHA256 entries: the TBS hash of a certificate the signature carries, or of the db one. */
static void test_tbs_revoked(void **state)
{
	(void)state;
	static const struct {
		const char *file, *cert;
		uint16_t year;
		const char *when;
	} cases[] = {
		{ "bootmgr-2023.efi", "signer-2023.der", 0, "revoked any time" },
		{ "bootmgr-2023.efi", "signer-2023.der", 2024, "revoked 2024-05-01 00:00:00" },
		{ "bootmgr-2023.efi", "ca-uefi2023.der", 0, "Preflight Test Windows UEFI CA 2023" },
		{ "bootmgr-2011.efi", "ca-pca2011.der", 0, "Preflight Test Windows Production PCA 2011" },
		{ "bootmgr-dual.efi", "signer-2011.der", 0, "Preflight Test Windows (PCA 2011)" },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		blob db = { 0 }, dbx = { 0 };
		pf_secboot sb;
		result r;
		uint8_t h[32];
		expected_tbs(cases[i].cert, h);
		put_cert(&db, BM "ca-pca2011.der");
		put_cert(&db, BM "ca-uefi2023.der");
		put_tbs(&dbx, h, cases[i].year, cases[i].year ? 5 : 0, cases[i].year ? 1 : 0);
		stores(&sb, &db, &dbx);
		assert_int_equal(sb.lists[PF_SB_DBX].n_tbs, 1);
		assert_int_equal(sb.lists[PF_SB_DBX].tbs[0].always, cases[i].year == 0);
		judge(cases[i].file, &sb, &r);
		assert_int_equal(r.bm.verdict, PF_BM_REVOKED_CERT);
		assert_non_null(strstr(r.bm.verdict_detail, "TBS hash"));
		assert_non_null(strstr(r.bm.verdict_detail, cases[i].when));
		assert_non_null(find(&r, PF_WIN_BOOTMGR_REFUSED));
		done(&r, &sb);
	}
	/* Another certificate's TBS hash changes nothing. */
	blob db = { 0 }, dbx = { 0 };
	pf_secboot sb;
	result r;
	uint8_t h[32];
	expected_tbs("signer-other.der", h);
	put_cert(&db, BM "ca-uefi2023.der");
	put_tbs(&dbx, h, 0, 0, 0);
	stores(&sb, &db, &dbx);
	judge("bootmgr-2023.efi", &sb, &r);
	assert_int_equal(r.bm.verdict, PF_BM_TRUSTED);
	done(&r, &sb);
}

/* A certificate table that does not end with a whole entry: the firmware refuses the image. */
static void test_table_not_whole(void **state)
{
	(void)state;
	blob db = { 0 }, dbx = { 0 };
	pf_secboot sb;
	pf_bootmgr bm;
	pf_pe pe;
	size_t len;
	char *img = test_read_file(BM "bootmgr-2023.efi", &len);
	assert_int_equal(pf_pe_parse(img, len, &pe), PF_OK);
	assert_int_equal(pe.cert_off + pe.cert_size, len);
	/* Eight zero bytes more in the table: an entry of length 0. */
	img = realloc(img, len + 8);
	assert_non_null(img);
	memset(img + len, 0, 8);
	uint32_t size = pe.cert_size + 8;
	memcpy(img + pe.secdir_off + 4, &size, 4);
	put_cert(&db, BM "ca-uefi2023.der");
	stores(&sb, &db, &dbx);
	pf_bootmgr_init(&bm);
	assert_int_equal(pf_bootmgr_judge(img, len + 8, &sb, &bm), PF_OK);
	assert_false(bm.cert_table_ok);
	assert_int_equal(bm.n_sigs, 1);
	assert_int_equal(bm.sigs[0].verdict, PF_BM_TRUSTED);
	assert_int_equal(bm.verdict, PF_BM_DAMAGED);
	assert_non_null(strstr(bm.verdict_detail, "certificate table"));
	pf_bootmgr_free(&bm);
	pf_secboot_free(&sb);
	free(img);
}

/* An arm64 boot manager on an x64 device (or the other way round) cannot start, whatever its signature. */
static void test_wrong_arch(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		uint16_t host;
		bool finding;
	} cases[] = {
		{ "bootmgr-arm64.efi", PF_PE_MACHINE_X64, true },  { "bootmgr-2023.efi", PF_PE_MACHINE_ARM64, true },
		{ "bootmgr-arm64.efi", PF_PE_MACHINE_ARM64, false }, { "bootmgr-2023.efi", PF_PE_MACHINE_X64, false },
		{ "bootmgr-arm64.efi", 0, false },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		blob db = { 0 }, dbx = { 0 };
		pf_secboot sb;
		result r;
		put_cert(&db, BM "ca-uefi2023.der");
		stores(&sb, &db, &dbx);
		host_machine = cases[i].host;
		judge(cases[i].file, &sb, &r);
		host_machine = 0;
		assert_int_equal(r.bm.verdict, PF_BM_TRUSTED);
		const pf_finding *fd = find(&r, PF_WIN_BOOTMGR_WRONG_ARCH);
		assert_int_equal(fd != NULL, cases[i].finding);
		if (fd) {
			assert_int_equal(fd->severity, PF_SEV_ERROR);
			assert_non_null(strstr(fd->message, cases[i].host == PF_PE_MACHINE_X64 ? "built for arm64, this device's processor runs x64" :
												  "built for x64, this device's processor runs arm64"));
		}
		done(&r, &sb);
	}
}

/* The boot manager's own SVN against dbx's: below it, Windows Boot Manager stops itself (KB5025885). */
static void test_svn_judged(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		uint8_t major, minor;
		pf_bm_verdict v;
		const char *own;
	} cases[] = {
		{ "bootmgr-2011.efi", 7, 0, PF_BM_REVOKED_SVN, "3.0" }, { "bootmgr-2023.efi", 7, 0, PF_BM_TRUSTED, "7.0" },
		{ "bootmgr-2023.efi", 7, 1, PF_BM_REVOKED_SVN, "7.0" }, { "bootmgr-2023.efi", 6, 9, PF_BM_TRUSTED, "7.0" },
		{ "bootmgr-other.efi", 7, 0, PF_BM_TRUSTED, "" }, /* no SVN resource: not judged */
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		blob db = { 0 }, dbx = { 0 };
		pf_secboot sb;
		result r;
		uint8_t svn[32] = { 0x01, 0x61, 0x2B, 0x13, 0x9D, 0xD5, 0x59, 0x88, 0x43, 0xAB, 0x1C, 0x18, 0x5C, 0x3C, 0xB2, 0xEB, 0x92,
				    cases[i].minor, 0x00, cases[i].major, 0x00 };
		put_cert(&db, BM "ca-pca2011.der");
		put_cert(&db, BM "ca-uefi2023.der");
		put_cert(&db, BM "ca-other.der");
		put_hash(&dbx, svn);
		stores(&sb, &db, &dbx);
		judge(cases[i].file, &sb, &r);
		assert_int_equal(r.bm.verdict, cases[i].v);
		assert_string_equal(r.bm.svn, cases[i].own);
		if (cases[i].v == PF_BM_REVOKED_SVN) {
			const pf_finding *fd = find(&r, PF_WIN_BOOTMGR_REFUSED);
			assert_non_null(fd);
			assert_non_null(strstr(fd->detail, "below the boot manager SVN"));
			assert_true(pf_bootmgr_refused(&r.bm));
		}
		done(&r, &sb);
	}
}

/* A real Microsoft signature: Debian's shim, signed by Microsoft Corporation UEFI CA 2011 (shim-signed, which
 * scripts/deps installs), against db holding Microsoft's real CA certificates (tests/data/microsoft-secureboot). */
#define SHIM_SIGNED "/usr/lib/shim/shimx64.efi.signed"
#define MS "tests/data/microsoft-secureboot/"
static void judge_path(const char *path, const pf_secboot *sb, result *r)
{
	size_t len;
	char *img = test_read_file(path, &len);
	memset(r, 0, sizeof(*r));
	assert_int_equal(pf_config_defaults(&r->cfg), PF_OK);
	pf_bootmgr_init(&r->bm);
	assert_int_equal(pf_bootmgr_judge(img, len, sb, &r->bm), PF_OK);
	pf_bootmgr_check(&r->bm, sb, &r->cfg, &today, &r->f);
	free(img);
}

static void test_real_microsoft_signature(void **state)
{
	(void)state;
	blob db = { 0 }, dbx = { 0 };
	pf_secboot sb;
	result r;

	put_cert(&db, MS "micwinpropca2011_2011-10-19.der");
	put_cert(&db, MS "miccoruefca2011_2011-06-27.der");
	stores(&sb, &db, &dbx);
	judge_path(SHIM_SIGNED, &sb, &r);
	assert_int_equal(r.bm.verdict, PF_BM_TRUSTED);
	assert_true(r.bm.signature_verifies);
	assert_string_equal(r.bm.pe_hash, r.bm.signed_hash);
	assert_string_equal(r.bm.ca, "Microsoft Corporation UEFI CA 2011");
	assert_string_equal(r.bm.ca_role, "uefi-2011"); /* by the db certificate's thumbprint */
	assert_string_equal(r.bm.signer_subject,
			    "CN=Microsoft Windows UEFI Driver Publisher,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US");
	done(&r, &sb);

	/* A db with only the Windows CAs does not admit third-party code; the CA in dbx refuses it. */
	put_cert(&db, MS "micwinpropca2011_2011-10-19.der");
	put_cert(&db, MS "windows-uefi-ca-2023.der");
	stores(&sb, &db, &dbx);
	judge_path(SHIM_SIGNED, &sb, &r);
	assert_int_equal(r.bm.verdict, PF_BM_NOT_IN_DB);
	assert_string_equal(r.bm.ca, "Microsoft Corporation UEFI CA 2011");
	done(&r, &sb);
	put_cert(&db, MS "miccoruefca2011_2011-06-27.der");
	put_cert(&dbx, MS "miccoruefca2011_2011-06-27.der");
	stores(&sb, &db, &dbx);
	judge_path(SHIM_SIGNED, &sb, &r);
	assert_int_equal(r.bm.verdict, PF_BM_REVOKED_CERT);
	done(&r, &sb);
}

static void test_not_found(void **state)
{
	(void)state;
	pf_secboot sb;
	pf_secboot_init(&sb);
	for (int req = 0; req < 2; req++) {
		result r = { 0 };
		assert_int_equal(pf_config_defaults(&r.cfg), PF_OK);
		r.cfg.require_installed_windows = req;
		pf_bootmgr_init(&r.bm);
		r.bm.n_esps = 2;
		pf_bootmgr_check(&r.bm, &sb, &r.cfg, &today, &r.f);
		const pf_finding *fd = find(&r, PF_WIN_NOT_FOUND);
		assert_non_null(fd);
		assert_int_equal(fd->severity, req ? PF_SEV_ERROR : PF_SEV_INFO);
		assert_non_null(strstr(fd->detail, "2 EFI System Partitions"));
		done(&r, &sb);
	}
}

/* Builds: before 19041 unsupported, a serviced one silent, one newer than the table silent. */
static void test_builds(void **state)
{
	(void)state;
	static const struct {
		uint16_t build;
		int code; /* -1: no finding */
	} cases[] = {
		{ 17763, PF_WIN_BUILD_UNSUPPORTED }, { 19041, PF_WIN_BUILD_OUT_OF_SERVICING },
		{ 22000, PF_WIN_BUILD_OUT_OF_SERVICING }, { 22621, PF_WIN_BUILD_OUT_OF_SERVICING },
		{ 26100, -1 }, { 26200, -1 }, { 28000, -1 },
	};
	pf_secboot sb;
	pf_secboot_init(&sb);
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		result r = { 0 };
		assert_int_equal(pf_config_defaults(&r.cfg), PF_OK);
		pf_bootmgr_init(&r.bm);
		r.bm.found = true;
		r.bm.version_valid = true;
		r.bm.version = (pf_pe_version){ { 10, 0, cases[i].build, 1 }, { 10, 0, cases[i].build, 1 } };
		r.bm.release = pf_win_release_by_build(cases[i].build);
		pf_bootmgr_check(&r.bm, &sb, &r.cfg, &today, &r.f);
		if (cases[i].code < 0)
			assert_int_equal(r.f.n, 0);
		else
			assert_non_null(find(&r, (pf_code)cases[i].code));
		done(&r, &sb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trusted_2023),     cmocka_unit_test(test_2011_only),
		cmocka_unit_test(test_2011_revoked),     cmocka_unit_test(test_hash_revoked),
		cmocka_unit_test(test_db_lacks_ca),      cmocka_unit_test(test_unknown_tampered_truncated),
		cmocka_unit_test(test_db_hash_and_leaf), cmocka_unit_test(test_setup_mode_and_svn),
		cmocka_unit_test(test_not_found),        cmocka_unit_test(test_builds),
		cmocka_unit_test(test_real_microsoft_signature),
		cmocka_unit_test(test_dual_any_admits),  cmocka_unit_test(test_dual_one_revoked),
		cmocka_unit_test(test_nested_not_counted), cmocka_unit_test(test_tbs_revoked),
		cmocka_unit_test(test_table_not_whole),  cmocka_unit_test(test_wrong_arch),
		cmocka_unit_test(test_svn_judged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
