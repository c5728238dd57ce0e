/* Signature lists from Microsoft's real certificates, damaged lists, the Secure Boot findings and report. */
#include "testutil.h"
#include "report.h"
#include "secboot.h"

#define MS "tests/data/microsoft-secureboot/"
#define SBT "tests/data/secureboot-test/"
#define GUID_X509 "a5c059a1-94e4-4aa7-87b5-ab155c2bf072"
#define GUID_SHA256 "c1c41626-504c-4092-aca9-41f936934328"
#define GUID_SHA1 "826ca512-cf10-4ac9-b187-be01496631bd"
#define GUID_X509_SHA256 "3bd2a492-96c0-4079-b420-fcf98ef103ed" /* UEFI 2.10 32.4.1, edk2 ImageAuthentication.h */
#define GUID_X509_SHA384 "7076876e-80c2-4ee6-aad2-28b349a6865b"
#define GUID_RSA2048 "3c5766e8-269c-4e34-aa14-ed776e85b3b6"
#define OWNER_MS "77fa9abd-0359-4d32-bd60-28f4e78f784b"

/* A growing byte string: the test's variable content. */
typedef struct {
	uint8_t *p;
	size_t n;
} blob;

static void put(blob *b, const void *d, size_t n)
{
	b->p = realloc(b->p, b->n + n + 1);
	assert_non_null(b->p);
	if (n)
		memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void put_le32(blob *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	put(b, x, 4);
}

/* EFI_GUID layout: the first three fields little-endian, the last eight bytes in order. */
static void put_guid(blob *b, const char *text)
{
	unsigned a, c, d, e[8];
	assert_int_equal(sscanf(text, "%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x", &a, &c, &d, &e[0], &e[1], &e[2], &e[3],
	                        &e[4], &e[5], &e[6], &e[7]), 11);
	put_le32(b, a);
	uint8_t x[12] = { (uint8_t)c, (uint8_t)(c >> 8), (uint8_t)d, (uint8_t)(d >> 8) };
	for (int i = 0; i < 8; i++)
		x[4 + i] = (uint8_t)e[i];
	put(b, x, 12);
}

/* A list header with the sizes as given (they may lie), then body bytes of 0xAB. */
static void put_raw(blob *b, const char *type, uint32_t list_size, uint32_t header_size, uint32_t sig_size, size_t body)
{
	put_guid(b, type);
	put_le32(b, list_size);
	put_le32(b, header_size);
	put_le32(b, sig_size);
	for (size_t i = 0; i < body; i++)
		put(b, "\xAB", 1);
}

/* One X509 list holding the certificate in file, as cert-to-efi-sig-list writes it. */
static void put_cert(blob *b, const char *file, const char *owner)
{
	size_t n;
	char *der = test_read_file(file, &n);
	put_guid(b, GUID_X509);
	put_le32(b, (uint32_t)(28 + 16 + n));
	put_le32(b, 0);
	put_le32(b, (uint32_t)(16 + n));
	put_guid(b, owner);
	put(b, der, n);
	free(der);
}

/* count entries of data_size bytes each, with a distinct owner GUID. */
static void put_hashes(blob *b, const char *type, size_t count, uint32_t data_size)
{
	put_guid(b, type);
	put_le32(b, (uint32_t)(28 + count * (16 + data_size)));
	put_le32(b, 0);
	put_le32(b, 16 + data_size);
	for (size_t i = 0; i < count; i++) {
		put_guid(b, OWNER_MS);
		for (uint32_t k = 0; k < data_size; k++)
			put(b, (uint8_t[]){ (uint8_t)(i + k) }, 1);
	}
}

static void parse_blob(blob *b, pf_sb_list *l)
{
	memset(l, 0, sizeof(*l));
	/* An exact-size copy: ASan catches any read past the variable. */
	uint8_t *copy = malloc(b->n ? b->n : 1);
	if (b->n)
		memcpy(copy, b->p, b->n);
	assert_int_equal(pf_sb_parse_list(copy, b->n, l), PF_OK);
	l->present = PF_YES;
	free(copy);
	free(b->p);
	*b = (blob){ 0 };
}

/* Expected values from `openssl x509 -inform der -noout -subject -issuer -nameopt RFC2253 -startdate -enddate
 * -fingerprint -sha1` and `-fingerprint -sha256` (OpenSSL 3.0.19), lower-cased without colons. */
static const struct {
	const char *file, *subject, *issuer, *subject_cn, *issuer_cn, *not_before, *not_after, *sha1, *sha256, *role;
} ms[] = {
	{ MS "miccorkekca2011_2011-06-24.der",
	  "CN=Microsoft Corporation KEK CA 2011,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US",
	  "CN=Microsoft Corporation Third Party Marketplace Root,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US",
	  "Microsoft Corporation KEK CA 2011", "Microsoft Corporation Third Party Marketplace Root", "2011-06-24T20:41:29Z",
	  "2026-06-24T20:51:29Z", "31590bfd89c9d74ed087dfac66334b3931254b30",
	  "a1117f516a32cefcba3f2d1ace10a87972fd6bbe8fe0d0b996e09e65d802a503", "kek-2011" },
	{ MS "microsoft-corporation-kek-2k-ca-2023.der", "CN=Microsoft Corporation KEK 2K CA 2023,O=Microsoft Corporation,C=US",
	  "CN=Microsoft RSA Devices Root CA 2021,O=Microsoft Corporation,C=US", "Microsoft Corporation KEK 2K CA 2023",
	  "Microsoft RSA Devices Root CA 2021", "2023-03-02T20:21:35Z", "2038-03-02T20:31:35Z",
	  "459ab6fb5e284d272d5e3e6abc8ed663829d632b", "3cd3f0309edae228767a976dd40d9f4affc4fbd5218f2e8cc3c9dd97e8ac6f9d",
	  "kek-2023" },
	{ MS "micwinpropca2011_2011-10-19.der",
	  "CN=Microsoft Windows Production PCA 2011,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US",
	  "CN=Microsoft Root Certificate Authority 2010,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US",
	  "Microsoft Windows Production PCA 2011", "Microsoft Root Certificate Authority 2010", "2011-10-19T18:41:42Z",
	  "2026-10-19T18:51:42Z", "580a6f4cc4e4b669b9ebdc1b2b3e087b80d0678d",
	  "e8e95f0733a55e8bad7be0a1413ee23c51fcea64b3c8fa6a786935fddcc71961", "pca-2011" },
	{ MS "windows-uefi-ca-2023.der", "CN=Windows UEFI CA 2023,O=Microsoft Corporation,C=US",
	  "CN=Microsoft Root Certificate Authority 2010,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US",
	  "Windows UEFI CA 2023", "Microsoft Root Certificate Authority 2010", "2023-06-13T18:58:29Z", "2035-06-13T19:08:29Z",
	  "45a0fa32604773c82433c3b7d59e7466b3ac0c67", "076f1fea90ac29155ebf77c17682f75f1fdd1be196da302dc8461e350a9ae330",
	  "windows-2023" },
	{ MS "miccoruefca2011_2011-06-27.der",
	  "CN=Microsoft Corporation UEFI CA 2011,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US",
	  "CN=Microsoft Corporation Third Party Marketplace Root,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US",
	  "Microsoft Corporation UEFI CA 2011", "Microsoft Corporation Third Party Marketplace Root", "2011-06-27T21:22:45Z",
	  "2026-06-27T21:32:45Z", "46def63b5ce61cf8ba0de2e6639c1019d0ed14f3",
	  "48e99b991f57fc52f76149599bff0a58c47154229b9f8d603ac40d3500248507", "uefi-2011" },
	{ MS "microsoft-uefi-ca-2023.der", "CN=Microsoft UEFI CA 2023,O=Microsoft Corporation,C=US",
	  "CN=Microsoft RSA Devices Root CA 2021,O=Microsoft Corporation,C=US", "Microsoft UEFI CA 2023",
	  "Microsoft RSA Devices Root CA 2021", "2023-06-13T19:21:47Z", "2038-06-13T19:31:47Z",
	  "b5eeb4a6706048073f0ed296e7f580a790b59eaa", "f6124e34125bee3fe6d79a574eaa7b91c0e7bd9d929c1a321178efd611dad901",
	  "uefi-2023" },
	{ MS "microsoft-option-rom-uefi-ca-2023.der", "CN=Microsoft Option ROM UEFI CA 2023,O=Microsoft Corporation,C=US",
	  "CN=Microsoft RSA Devices Root CA 2021,O=Microsoft Corporation,C=US", "Microsoft Option ROM UEFI CA 2023",
	  "Microsoft RSA Devices Root CA 2021", "2023-10-26T19:02:20Z", "2038-10-26T19:12:20Z",
	  "3fb39e2b8bd183bf9e4594e72183ca60afcd4277", "e5be3e64c6e66a281457ecdece0d6d0787577aad2a3a0144262c10c14ba8d8f1",
	  "oprom-2023" },
};

static void test_microsoft_certificates(void **state)
{
	(void)state;
	blob b = { 0 };
	pf_sb_list l;
	char t[32];

	for (size_t i = 0; i < PF_ARRAY_SIZE(ms); i++)
		put_cert(&b, ms[i].file, OWNER_MS);
	parse_blob(&b, &l);
	assert_null(l.error);
	assert_int_equal(l.n_lists, PF_ARRAY_SIZE(ms));
	assert_int_equal(l.n_certs, PF_ARRAY_SIZE(ms));
	for (size_t i = 0; i < PF_ARRAY_SIZE(ms); i++) {
		const pf_sb_cert *c = &l.certs[i];
		assert_false(c->parse_error);
		assert_string_equal(c->subject, ms[i].subject);
		assert_string_equal(c->issuer, ms[i].issuer);
		assert_string_equal(c->subject_cn, ms[i].subject_cn);
		assert_string_equal(c->issuer_cn, ms[i].issuer_cn);
		assert_true(c->dates_valid);
		pf_x509_time_str(&c->not_before, t, sizeof(t));
		assert_string_equal(t, ms[i].not_before);
		pf_x509_time_str(&c->not_after, t, sizeof(t));
		assert_string_equal(t, ms[i].not_after);
		assert_string_equal(c->sha1, ms[i].sha1);
		assert_string_equal(c->sha256, ms[i].sha256);
		assert_string_equal(c->owner, OWNER_MS);
		assert_non_null(c->known);
		assert_string_equal(c->known->role, ms[i].role);
		assert_string_equal(c->known->cn, ms[i].subject_cn);
		/* The table's expiry is the certificate's own notAfter. */
		pf_x509_time_str(&c->known->not_after, t, sizeof(t));
		assert_string_equal(t, ms[i].not_after);
		assert_null(c->lookalike);
	}
	size_t n;
	pf_sb_known_table(&n);
	assert_int_equal(n, PF_ARRAY_SIZE(ms));
	pf_sb_list_free(&l);
}

static void test_names_and_lookalike(void **state)
{
	(void)state;
	blob b = { 0 };
	pf_sb_list l;

	put_cert(&b, SBT "two-cns-utf8.der", "00112233-4455-6677-8899-aabbccddeeff");
	put_cert(&b, SBT "lookalike-windows-uefi-ca-2023.der", OWNER_MS);
	parse_blob(&b, &l);
	assert_null(l.error);
	assert_int_equal(l.n_certs, 2);
	/* openssl x509 -nameopt RFC2253 escapes UTF-8 bytes; the CN is the last one, unescaped. */
	assert_string_equal(l.certs[0].subject, "CN=Caf\\C3\\A9 Key,O=Contoso,CN=Z\\C3\\BCrich Root");
	assert_string_equal(l.certs[0].subject_cn, "Caf\xC3\xA9 Key");
	assert_string_equal(l.certs[0].issuer_cn, "Caf\xC3\xA9 Key");
	assert_string_equal(l.certs[0].owner, "00112233-4455-6677-8899-aabbccddeeff");
	assert_string_equal(l.certs[0].sha1, "a4e409dc46b4ca723d8f162683b380e3f1e11f52");
	assert_null(l.certs[0].known);
	assert_null(l.certs[0].lookalike);

	assert_string_equal(l.certs[1].subject, "CN=Windows UEFI CA 2023,O=Contoso Test,C=US");
	assert_string_equal(l.certs[1].sha256, "43ab27231774778f1b60f0527f49829281ac048c18634d9305e7b01f4c647858");
	assert_null(l.certs[1].known);
	assert_non_null(l.certs[1].lookalike);
	assert_string_equal(l.certs[1].lookalike->role, "windows-2023");
	pf_sb_list_free(&l);
}

static void test_hash_lists(void **state)
{
	(void)state;
	blob b = { 0 };
	pf_sb_list l;

	put_hashes(&b, GUID_SHA256, 5, 32);
	put_hashes(&b, GUID_SHA1, 2, 20);
	put_hashes(&b, GUID_X509_SHA256, 1, 48);
	put_hashes(&b, GUID_X509_SHA384, 1, 64);
	put_hashes(&b, GUID_RSA2048, 3, 256);
	/* An unknown type with a SignatureHeader: skipped, entries counted. */
	put_raw(&b, "01234567-89ab-cdef-0123-456789abcdef", 28 + 8 + 2 * 24, 8, 24, 8 + 2 * 24);
	put_hashes(&b, GUID_SHA256, 1, 32);
	parse_blob(&b, &l);
	assert_null(l.error);
	assert_int_equal(l.n_lists, 7);
	assert_int_equal(l.n_sha256, 6);
	assert_int_equal(l.n_other_hashes, 4);
	assert_int_equal(l.n_tbs, 1);
	assert_int_equal(l.n_unknown, 5);
	assert_int_equal(l.n_certs, 0);
	pf_sb_list_free(&l);

	/* An empty variable is no list and no damage. */
	parse_blob(&b, &l);
	assert_int_equal(l.n_lists, 0);
	assert_null(l.error);
	pf_sb_list_free(&l);
}

static void test_damaged_lists(void **state)
{
	(void)state;
	static const struct {
		uint32_t list_size, header_size, sig_size;
		size_t body;
		const char *type;
		const char *error;
	} cases[] = {
		{ 9, 0, 48, 0, GUID_SHA256, "list 2 at byte 76: SignatureListSize 9 below the 28-byte header" },
		{ 28 + 48 * 2, 0, 48, 48, GUID_SHA256, "list 2 at byte 76: SignatureListSize 124 runs past the end (76 bytes left)" },
		{ 28 + 48, 60, 48, 48, GUID_SHA256, "list 2 at byte 76: SignatureHeaderSize 60 runs past SignatureListSize 76" },
		{ 28 + 48, 0, 0, 48, GUID_SHA256, "list 2 at byte 76: SignatureSize 0 leaves no room after the 16-byte owner GUID" },
		{ 28 + 48, 0, 16, 48, GUID_SHA256, "SignatureSize 16 leaves no room" },
		{ 28 + 48, 0, 7, 48, GUID_SHA256, "SignatureSize 7 leaves no room" },
		{ 28 + 50, 0, 48, 50, GUID_SHA256, "50 bytes of signatures are not a whole number of 48-byte entries" },
		{ 28, 0, 48, 0, GUID_SHA256, "0 bytes of signatures are not a whole number of 48-byte entries" },
		{ 28 + 36, 0, 36, 36, GUID_SHA256, "SHA256 entries hold 20 bytes, the type needs 32" },
		{ 0xFFFFFFFF, 0xFFFFFFF0, 0xFFFFFFFF, 48, GUID_SHA256, "SignatureListSize 4294967295 runs past the end" },
		{ 28 + 48, 0xFFFFFFFF, 48, 48, GUID_SHA256, "SignatureHeaderSize 4294967295 runs past" },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		blob b = { 0 };
		pf_sb_list l;
		put_hashes(&b, GUID_SHA256, 1, 32); /* a good list first: it must be kept */
		put_raw(&b, cases[i].type, cases[i].list_size, cases[i].header_size, cases[i].sig_size, cases[i].body);
		parse_blob(&b, &l);
		if (!l.error || !strstr(l.error, cases[i].error))
			fail_msg("case %zu: error \"%s\", want \"%s\"", i, l.error ? l.error : "(none)", cases[i].error);
		assert_int_equal(l.n_lists, 1);
		assert_int_equal(l.n_sha256, 1);
		pf_sb_list_free(&l);
	}

	/* A tail too short for a header. */
	blob b = { 0 };
	pf_sb_list l;
	put_cert(&b, MS "windows-uefi-ca-2023.der", OWNER_MS);
	size_t first = b.n;
	put(&b, "0123456789", 10);
	parse_blob(&b, &l);
	char want[100];
	snprintf(want, sizeof(want), "list 2 at byte %zu: 10 bytes left, a list header needs 28", first);
	assert_string_equal(l.error, want);
	assert_int_equal(l.n_certs, 1);
	assert_non_null(l.certs[0].known);
	pf_sb_list_free(&l);

	/* A certificate whose DER does not parse: kept, marked, hashed. */
	put_raw(&b, GUID_X509, 28 + 16 + 40, 0, 16 + 40, 16 + 40);
	parse_blob(&b, &l);
	assert_null(l.error);
	assert_int_equal(l.n_certs, 1);
	assert_true(l.certs[0].parse_error);
	assert_null(l.certs[0].subject);
	assert_null(l.certs[0].subject_cn);
	assert_false(l.certs[0].dates_valid);
	assert_int_equal(strlen(l.certs[0].sha256), 64);
	assert_int_equal(strlen(l.certs[0].sha1), 40);
	assert_string_equal(l.certs[0].owner, "abababab-abab-abab-abab-abababababab");
	pf_sb_list_free(&l);

	/* A certificate cut short by a list size that still fits the variable. */
	size_t n;
	char *der = test_read_file(MS "windows-uefi-ca-2023.der", &n);
	put_guid(&b, GUID_X509);
	put_le32(&b, (uint32_t)(28 + 16 + n / 2));
	put_le32(&b, 0);
	put_le32(&b, (uint32_t)(16 + n / 2));
	put_guid(&b, OWNER_MS);
	put(&b, der, n / 2);
	free(der);
	parse_blob(&b, &l);
	assert_null(l.error);
	assert_true(l.certs[0].parse_error);
	assert_null(l.certs[0].known);
	pf_sb_list_free(&l);
}

/* ---- findings ---- */

static const pf_finding *find(const pf_findings *f, pf_code code)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->items[i].code == code)
			return &f->items[i];
	return NULL;
}

static void store(pf_secboot *sb, pf_sb_store s, const char *const *files)
{
	blob b = { 0 };
	for (size_t i = 0; files[i]; i++)
		put_cert(&b, files[i], OWNER_MS);
	if (s == PF_SB_DBX)
		put_hashes(&b, GUID_SHA256, 3, 32);
	pf_sb_list_free(&sb->lists[s]);
	parse_blob(&b, &sb->lists[s]);
}

static const char *const pk[] = { SBT "two-cns-utf8.der", NULL };
static const char *const kek_2011[] = { MS "miccorkekca2011_2011-06-24.der", NULL };
static const char *const db_2011[] = { MS "micwinpropca2011_2011-10-19.der", MS "miccoruefca2011_2011-06-27.der", NULL };
static const char *const kek_2023[] = { MS "miccorkekca2011_2011-06-24.der", MS "microsoft-corporation-kek-2k-ca-2023.der", NULL };
static const char *const db_2023[] = { MS "micwinpropca2011_2011-10-19.der", MS "miccoruefca2011_2011-06-27.der",
	                               MS "windows-uefi-ca-2023.der", MS "microsoft-uefi-ca-2023.der",
	                               MS "microsoft-option-rom-uefi-ca-2023.der", NULL };
static const char *const none[] = { NULL };

static void user_mode(pf_secboot *sb, const char *const *kek, const char *const *db)
{
	pf_secboot_init(sb);
	sb->read = true;
	sb->secure_boot = PF_YES;
	sb->setup_mode = PF_NO;
	sb->audit_mode = PF_NO;
	sb->deployed_mode = PF_NO;
	sb->started_by = PF_SB_START_SHIM;
	store(sb, PF_SB_PK, pk);
	store(sb, PF_SB_KEK, kek);
	store(sb, PF_SB_DB, db);
	store(sb, PF_SB_DBX, none);
}

static const pf_time dec2026 = { 2026, 12, 2, 12, 0, 0, 0, true };
static const pf_time jan2025 = { 2025, 1, 1, 0, 0, 0, 0, false };

static void test_findings_2011_only(void **state)
{
	(void)state;
	pf_config c;
	pf_secboot sb;
	pf_findings f = { 0 };
	assert_int_equal(pf_config_defaults(&c), PF_OK);
	user_mode(&sb, kek_2011, db_2011);

	pf_secboot_check(&sb, &c, &dec2026, PF_SB_TIME_NETWORK, &f);
	assert_int_equal(f.n, 4);
	assert_int_equal(find(&f, PF_SB_KEK_2023_MISSING)->severity, PF_SEV_WARN);
	assert_string_equal(find(&f, PF_SB_KEK_2023_MISSING)->detail, "KEK holds: Microsoft Corporation KEK CA 2011");
	assert_int_equal(find(&f, PF_SB_DB_WINDOWS_2023_MISSING)->severity, PF_SEV_WARN);
	assert_int_equal(find(&f, PF_SB_DB_UEFI_2023_MISSING)->severity, PF_SEV_INFO);
	const pf_finding *e = find(&f, PF_SB_CERT_EXPIRED);
	assert_int_equal(e->severity, PF_SEV_INFO);
	assert_int_equal(e->step, PF_STEP_ESP_DEVICE);
	assert_string_equal(e->detail, "KEK: Microsoft Corporation KEK CA 2011 (2026-06-24T20:51:29Z); "
	                               "db: Microsoft Windows Production PCA 2011 (2026-10-19T18:51:42Z); "
	                               "db: Microsoft Corporation UEFI CA 2011 (2026-06-27T21:32:45Z); "
	                               "judged against network time 2026-12-02T12:00:00Z");
	assert_int_equal(pf_findings_tally(&f).verdict, PF_VERDICT_WARN);
	pf_findings_free(&f);

	/* The config makes the missing 2023 CAs stop the deployment. */
	c.require_2023_secure_boot_keys = true;
	pf_secboot_check(&sb, &c, &dec2026, PF_SB_TIME_RTC, &f);
	assert_int_equal(find(&f, PF_SB_KEK_2023_MISSING)->severity, PF_SEV_ERROR);
	assert_int_equal(find(&f, PF_SB_DB_WINDOWS_2023_MISSING)->severity, PF_SEV_ERROR);
	assert_int_equal(find(&f, PF_SB_DB_UEFI_2023_MISSING)->severity, PF_SEV_INFO);
	assert_non_null(strstr(find(&f, PF_SB_CERT_EXPIRED)->detail, "judged against the RTC 2026-12-02T12:00:00Z"));
	pf_findings_free(&f);

	/* Before the expiry dates, or with no clock at all, nothing has expired. */
	pf_secboot_check(&sb, &c, &jan2025, PF_SB_TIME_RTC, &f);
	assert_null(find(&f, PF_SB_CERT_EXPIRED));
	pf_findings_free(&f);
	pf_secboot_check(&sb, &c, &dec2026, PF_SB_TIME_NONE, &f);
	assert_null(find(&f, PF_SB_CERT_EXPIRED));
	assert_int_equal(f.n, 3);
	pf_findings_free(&f);

	pf_secboot_free(&sb);
	pf_config_free(&c);
}

static void test_findings_2023_set(void **state)
{
	(void)state;
	pf_config c;
	pf_secboot sb;
	pf_findings f = { 0 };
	assert_int_equal(pf_config_defaults(&c), PF_OK);
	c.require_2023_secure_boot_keys = true;
	user_mode(&sb, kek_2023, db_2023);
	pf_secboot_check(&sb, &c, &jan2025, PF_SB_TIME_RTC, &f);
	assert_int_equal(f.n, 0);
	/* Expiry of the 2011 CAs is still reported, for information. */
	pf_secboot_check(&sb, &c, &dec2026, PF_SB_TIME_NETWORK, &f);
	assert_int_equal(f.n, 1);
	assert_non_null(find(&f, PF_SB_CERT_EXPIRED));
	assert_int_equal(pf_findings_tally(&f).verdict, PF_VERDICT_GO);
	pf_findings_free(&f);
	pf_secboot_free(&sb);
	pf_config_free(&c);
}

/* A Secured-core or Arm PC's db: Windows' CAs only, Microsoft's third-party CA of neither generation. */
static const char *const db_windows_only[] = { MS "micwinpropca2011_2011-10-19.der", MS "windows-uefi-ca-2023.der", NULL };
static const char *const db_uefi_2023_only[] = { MS "windows-uefi-ca-2023.der", MS "microsoft-uefi-ca-2023.der", NULL };

static void test_findings_third_party_ca(void **state)
{
	(void)state;
	pf_config c;
	pf_secboot sb;
	pf_findings f = { 0 };
	assert_int_equal(pf_config_defaults(&c), PF_OK);
	user_mode(&sb, kek_2023, db_windows_only);
	pf_secboot_check(&sb, &c, &jan2025, PF_SB_TIME_RTC, &f);
	assert_int_equal(f.n, 1);
	const pf_finding *t = find(&f, PF_SB_DB_THIRD_PARTY_CA_MISSING);
	assert_non_null(t);
	assert_int_equal(t->severity, PF_SEV_INFO);
	assert_int_equal(t->step, PF_STEP_ESP_DEVICE);
	assert_string_equal(t->message, "db trusts neither \"Microsoft Corporation UEFI CA 2011\" nor "
	                                "\"Microsoft UEFI CA 2023\" (Microsoft's third-party CA).");
	assert_string_equal(t->detail, "db holds: Microsoft Windows Production PCA 2011; Windows UEFI CA 2023");
	/* Not SB-DB-UEFI-2023-MISSING: that one is about a db that has the 2011 third-party CA. */
	assert_null(find(&f, PF_SB_DB_UEFI_2023_MISSING));
	assert_int_equal(pf_findings_tally(&f).verdict, PF_VERDICT_GO);
	pf_findings_free(&f);

	/* Either generation of the third-party CA is enough. */
	pf_secboot_free(&sb);
	user_mode(&sb, kek_2023, db_uefi_2023_only);
	pf_secboot_check(&sb, &c, &jan2025, PF_SB_TIME_RTC, &f);
	assert_null(find(&f, PF_SB_DB_THIRD_PARTY_CA_MISSING));
	pf_findings_free(&f);
	pf_secboot_free(&sb);
	user_mode(&sb, kek_2011, db_2011);
	pf_secboot_check(&sb, &c, &jan2025, PF_SB_TIME_RTC, &f);
	assert_null(find(&f, PF_SB_DB_THIRD_PARTY_CA_MISSING));
	pf_findings_free(&f);

	/* In setup mode any key can still be enrolled: nothing is said about db. */
	pf_secboot_free(&sb);
	user_mode(&sb, kek_2023, db_windows_only);
	sb.setup_mode = PF_YES;
	pf_secboot_check(&sb, &c, &jan2025, PF_SB_TIME_RTC, &f);
	assert_null(find(&f, PF_SB_DB_THIRD_PARTY_CA_MISSING));
	pf_findings_free(&f);
	/* An empty db (present, no certificate) trusts no third-party CA either. */
	pf_secboot_free(&sb);
	user_mode(&sb, kek_2023, none);
	pf_secboot_check(&sb, &c, &jan2025, PF_SB_TIME_RTC, &f);
	assert_string_equal(find(&f, PF_SB_DB_THIRD_PARTY_CA_MISSING)->detail, "db holds no certificate");
	pf_findings_free(&f);

	pf_secboot_free(&sb);
	pf_config_free(&c);
}

static void test_findings_setup_and_off(void **state)
{
	(void)state;
	pf_config c;
	pf_secboot sb;
	pf_findings f = { 0 };
	assert_int_equal(pf_config_defaults(&c), PF_OK);

	/* Setup mode: no PK, Secure Boot off; the KEK and db are not judged. */
	pf_secboot_init(&sb);
	sb.read = true;
	sb.secure_boot = PF_NO;
	sb.setup_mode = PF_YES;
	sb.lists[PF_SB_PK].present = PF_NO;
	sb.lists[PF_SB_KEK].present = PF_NO;
	sb.lists[PF_SB_DB].present = PF_NO;
	sb.lists[PF_SB_DBX].present = PF_NO;
	pf_secboot_check(&sb, &c, &dec2026, PF_SB_TIME_RTC, &f);
	assert_int_equal(f.n, 2);
	assert_int_equal(find(&f, PF_ID_SECURE_BOOT_OFF)->severity, PF_SEV_INFO);
	assert_int_equal(find(&f, PF_SB_SETUP_MODE)->severity, PF_SEV_WARN);
	assert_string_equal(find(&f, PF_SB_SETUP_MODE)->detail, "SetupMode=1, PK absent");
	pf_findings_free(&f);

	c.require_secure_boot = true;
	pf_secboot_check(&sb, &c, &dec2026, PF_SB_TIME_RTC, &f);
	assert_int_equal(find(&f, PF_ID_SECURE_BOOT_OFF)->severity, PF_SEV_ERROR);
	assert_int_equal(find(&f, PF_SB_SETUP_MODE)->severity, PF_SEV_ERROR);
	pf_findings_free(&f);

	/* Keys enrolled but Secure Boot switched off: off, and the keys judged. */
	user_mode(&sb, kek_2023, db_2023);
	sb.secure_boot = PF_NO;
	c.require_secure_boot = false;
	pf_secboot_check(&sb, &c, &jan2025, PF_SB_TIME_RTC, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(find(&f, PF_ID_SECURE_BOOT_OFF)->severity, PF_SEV_INFO);
	pf_findings_free(&f);
	pf_secboot_free(&sb);

	/* Variables not read: only the SecureBoot flag speaks, as before. */
	pf_secboot_init(&sb);
	sb.secure_boot = PF_NO;
	pf_secboot_check(&sb, &c, &dec2026, PF_SB_TIME_RTC, &f);
	assert_int_equal(f.n, 1);
	assert_non_null(find(&f, PF_ID_SECURE_BOOT_OFF));
	pf_findings_free(&f);
	sb.secure_boot = PF_UNKNOWN;
	pf_secboot_check(&sb, &c, &dec2026, PF_SB_TIME_RTC, &f);
	assert_int_equal(f.n, 0);
	pf_config_free(&c);
}

static void test_findings_lookalike_and_damage(void **state)
{
	(void)state;
	pf_config c;
	pf_secboot sb;
	pf_findings f = { 0 };
	static const char *const db_fake[] = { MS "micwinpropca2011_2011-10-19.der", SBT "lookalike-windows-uefi-ca-2023.der", NULL };
	assert_int_equal(pf_config_defaults(&c), PF_OK);
	user_mode(&sb, kek_2023, db_fake);

	/* dbx with a lying list after one good one. */
	blob b = { 0 };
	put_hashes(&b, GUID_SHA256, 2, 32);
	put_raw(&b, GUID_SHA256, 5, 0, 48, 0);
	pf_sb_list_free(&sb.lists[PF_SB_DBX]);
	parse_blob(&b, &sb.lists[PF_SB_DBX]);

	pf_secboot_check(&sb, &c, &jan2025, PF_SB_TIME_RTC, &f);
	const pf_finding *l = find(&f, PF_SB_CERT_LOOKALIKE);
	assert_non_null(l);
	assert_int_equal(l->severity, PF_SEV_WARN);
	assert_string_equal(l->message, "db holds a certificate named \"Windows UEFI CA 2023\" that is not Microsoft's.");
	assert_non_null(strstr(l->detail, "da267c6f40a84a72c9ff115dd95437c61d5043fe"));
	/* The look-alike does not count as the real CA. */
	assert_non_null(find(&f, PF_SB_DB_WINDOWS_2023_MISSING));
	const pf_finding *d = find(&f, PF_SB_LIST_INVALID);
	assert_non_null(d);
	assert_string_equal(d->detail, "dbx: list 2 at byte 124: SignatureListSize 5 below the 28-byte header");
	assert_int_equal(sb.lists[PF_SB_DBX].n_sha256, 2);
	pf_findings_free(&f);
	pf_secboot_free(&sb);
	pf_config_free(&c);
}

/* ---- reports ---- */

static void test_report_secure_boot(void **state)
{
	(void)state;
	pf_run run;
	memset(&run, 0, sizeof(run));
	run.tool_version = "9.9";
	assert_int_equal(pf_config_defaults(&run.config), PF_OK);
	pf_identity_init(&run.identity);
	user_mode(&run.secboot, kek_2011, db_2023);
	run.sb_time_source = PF_SB_TIME_NETWORK;
	run.sb_time = dec2026;

	pf_buf b = { 0 };
	pf_report_json(&run, &b);
	assert_false(b.oom);
	const char *want[] = {
		"\"secure_boot\": {", "\"enabled\": true", "\"setup_mode\": false", "\"audit_mode\": false",
		"\"deployed_mode\": false", "\"started_by\": \"shim\"", "\"verified\": true", "\"time_source\": \"network\"",
		"\"time\": \"2026-12-02T12:00:00Z\"", "\"stores\": {", "\"PK\": {", "\"KEK\": {", "\"db\": {", "\"dbx\": {",
		"\"subject_cn\": \"Microsoft Corporation KEK CA 2011\"", "\"known\": \"kek-2011\"",
		"\"not_after\": \"2026-06-24T20:51:29Z\"", "\"not_before\": \"2011-06-24T20:41:29Z\"", "\"expired\": true",
		"\"expired\": false", "\"known\": null", "\"lookalike\": false", "\"sha256_hashes\": 3",
		"\"owner\": \"77fa9abd-0359-4d32-bd60-28f4e78f784b\"", "\"sha1\": \"31590bfd89c9d74ed087dfac66334b3931254b30\"",
		"\"issuer\": \"CN=Microsoft Corporation Third Party Marketplace Root,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US\"",
		"\"error\": null", "\"present\": true", "\"lists\": 5", "\"unknown_entries\": 0", "\"other_hashes\": 0",
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(want); i++)
		if (!strstr(b.p, want[i]))
			fail_msg("report lacks %s:\n%s", want[i], b.p);
	pf_buf_free(&b);

	pf_report_text(&run, &b);
	const char *text[] = {
		"Secure Boot: on, user mode; Preflight was started through shim (signature verified)\n",
		"Expiry judged against network time 2026-12-02T12:00:00Z",
		"  KEK            Microsoft Corporation KEK CA 2011, until 2026-06-24T20:51:29Z [Microsoft] [expired]\n",
		"                 Windows UEFI CA 2023, until 2035-06-13T19:08:29Z [Microsoft]\n",
		"  PK             Caf\xC3\xA9 Key, until 2036-11-29T20:35:57Z\n",
		"  dbx            3 SHA-256 hashes, 0 other hashes, 0 unknown entries\n",
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(text); i++)
		if (!strstr(b.p, text[i]))
			fail_msg("text report lacks %s:\n%s", text[i], b.p);
	pf_buf_free(&b);

	/* Not read: null, and no section in the text. */
	pf_secboot_free(&run.secboot);
	pf_report_json(&run, &b);
	assert_non_null(strstr(b.p, "\"secure_boot\": null"));
	pf_buf_free(&b);
	pf_report_text(&run, &b);
	assert_null(strstr(b.p, "Secure Boot:"));
	pf_buf_free(&b);

	pf_config_free(&run.config);
	pf_identity_free(&run.identity);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_microsoft_certificates),
		cmocka_unit_test(test_names_and_lookalike),
		cmocka_unit_test(test_hash_lists),
		cmocka_unit_test(test_damaged_lists),
		cmocka_unit_test(test_findings_2011_only),
		cmocka_unit_test(test_findings_2023_set),
		cmocka_unit_test(test_findings_third_party_ca),
		cmocka_unit_test(test_findings_setup_and_off),
		cmocka_unit_test(test_findings_lookalike_and_damage),
		cmocka_unit_test(test_report_secure_boot),
	};
	return cmocka_run_group_tests_name("siglist", tests, NULL, NULL);
}
