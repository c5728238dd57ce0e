/* PE reader, Authenticode hash and PKCS#7 signer against tests/data/bootmgr/expected.txt (pehash.py, osslsigncode, openssl). */
#include "testutil.h"
#include "authenticode.h"
#include "fmt.h"
#include "pe.h"
#include "str.h"

#define BM "tests/data/bootmgr/"

/* One line of expected.txt: file, Authenticode hash, signed digest, signer SHA-1 and SHA-256, version, SVN
 * (as make.sh gave it to mkpe.py; "-": none). */
typedef struct {
	char file[64], hash[65], signed_digest[65], sha1[41], sha256[65], version[32], svn[16];
} expected;

static bool expected_for(const char *file, expected *ret)
{
	size_t n;
	char *text = test_read_file(BM "expected.txt", &n);
	bool found = false;
	for (char *line = strtok(text, "\n"); line && !found; line = strtok(NULL, "\n")) {
		expected e = { 0 };
		if (line[0] == '#')
			continue;
		int k = sscanf(line, "%63s %64s %64s %40s %64s %31s %15s", e.file, e.hash, e.signed_digest, e.sha1, e.sha256,
		               e.version, e.svn);
		assert_int_equal(k, 7);
		if (strcmp(e.file, file) == 0) {
			*ret = e;
			found = true;
		}
	}
	free(text);
	return found;
}

static void hex(const uint8_t *d, size_t n, char *out)
{
	pf_hex(d, n, out, 2 * n + 1);
}

/* Hash, version and (when signed) signer of one image, each against the reference. */
static void check_image(const char *name)
{
	char path[128];
	expected e;
	assert_true(expected_for(name, &e));
	snprintf(path, sizeof(path), BM "%s", name);
	size_t len;
	uint8_t *img = (uint8_t *)test_read_file(path, &len);

	static pf_pe pe;
	assert_int_equal(pf_pe_parse(img, len, &pe), PF_OK);
	uint8_t h[32];
	char hx[65];
	assert_int_equal(pf_pe_authenticode_sha256(img, len, &pe, h), PF_OK);
	hex(h, 32, hx);
	assert_string_equal(hx, e.hash);

	pf_pe_version v;
	char vs[32];
	assert_int_equal(pf_pe_version_read(img, len, &pe, &v), PF_OK);
	snprintf(vs, sizeof(vs), "%u.%u.%u.%u", v.file[0], v.file[1], v.file[2], v.file[3]);
	assert_string_equal(vs, e.version);
	snprintf(vs, sizeof(vs), "%u.%u.%u.%u", v.product[0], v.product[1], v.product[2], v.product[3]);
	assert_string_equal(vs, e.version);

	uint32_t svn;
	pf_status s = pf_pe_bootmgr_svn(img, len, &pe, &svn);
	if (strcmp(e.svn, "-") == 0) {
		assert_int_equal(s, PF_ERR_NOT_FOUND);
	} else {
		assert_int_equal(s, PF_OK);
		snprintf(vs, sizeof(vs), "%u.%u", (unsigned)(svn >> 16), (unsigned)(svn & 0xFFFF));
		assert_string_equal(vs, e.svn);
	}

	static pf_authenticode ac;
	s = pf_authenticode_parse(img + pe.cert_off, pe.cert_size, &ac);
	if (strcmp(e.signed_digest, "-") == 0) {
		assert_int_equal(pe.cert_size, 0);
		assert_int_equal(s, PF_ERR_NOT_FOUND);
	} else {
		assert_int_equal(s, PF_OK);
		assert_int_equal(ac.n_signatures, strcmp(name, "bootmgr-dual.efi") == 0 ? 2 : 1);
		assert_true(ac.digest_is_sha256);
		hex(ac.digest, ac.digest_len, hx);
		assert_string_equal(hx, e.signed_digest);
		assert_true(ac.signer >= 0);
		hex(ac.certs[ac.signer].sha1, 20, hx);
		assert_string_equal(hx, e.sha1);
		hex(ac.certs[ac.signer].sha256, 32, hx);
		assert_string_equal(hx, e.sha256);
		assert_int_equal(pf_authenticode_verify_signer(&ac), PF_OK);
	}
	free(img);
}

static void test_unsigned(void **state) { (void)state; check_image("bootmgr-unsigned.efi"); }
static void test_2011(void **state) { (void)state; check_image("bootmgr-2011.efi"); }
static void test_2023(void **state) { (void)state; check_image("bootmgr-2023.efi"); }
static void test_dual(void **state) { (void)state; check_image("bootmgr-dual.efi"); }
static void test_nested(void **state) { (void)state; check_image("bootmgr-nested.efi"); }

/* The certificate table walk: whole entries only, each padded to 8 bytes, the table ending after the last. */
static void test_wincert_walk(void **state)
{
	(void)state;
	/* Two entries of 9 and 8 bytes (the first padded to 16), then variants cut or padded wrongly. */
	uint8_t t[32] = { 9, 0, 0, 0, 0, 0, 2, 0, 0xAA };
	t[16] = 9;
	t[20] = 0;
	t[21] = 2;
	t[22] = 2;
	static const struct {
		size_t len;
		int entries;
		pf_status end;
	} cases[] = {
		{ 16, 1, PF_ERR_NOT_FOUND }, /* one entry and its padding */
		{ 9, 0, PF_ERR_INVALID },    /* its padding missing */
		{ 32, 2, PF_ERR_NOT_FOUND }, /* two */
		{ 24, 1, PF_ERR_INVALID },   /* the second cut short */
		{ 8, 0, PF_ERR_INVALID },    /* a header alone */
		{ 0, 0, PF_ERR_NOT_FOUND },  /* nothing at all */
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		pf_wincert_iter it = pf_wincert_iter_init(t, cases[i].len);
		pf_wincert w;
		pf_status s;
		int n = 0;
		while ((s = pf_wincert_next(&it, &w)) == PF_OK) {
			assert_int_equal(w.type, 2);
			assert_int_equal(w.len, 1);
			n++;
		}
		assert_int_equal(n, cases[i].entries);
		assert_int_equal(s, cases[i].end);
	}
	/* dwLength 0 would never advance: refused. */
	uint8_t z[16] = { 0 };
	pf_wincert_iter it = pf_wincert_iter_init(z, sizeof(z));
	pf_wincert w;
	assert_int_equal(pf_wincert_next(&it, &w), PF_ERR_INVALID);
}
static void test_other(void **state) { (void)state; check_image("bootmgr-other.efi"); }
static void test_arm64(void **state) { (void)state; check_image("bootmgr-arm64.efi"); }

/* The tampered image: its own hash differs from the one signed, and the signature itself still verifies. */
static void test_tampered(void **state)
{
	(void)state;
	check_image("bootmgr-tampered.efi");
	expected e;
	assert_true(expected_for("bootmgr-tampered.efi", &e));
	assert_string_not_equal(e.hash, e.signed_digest);
}

/* Names and chain from the signature, against openssl's RFC 2253 lines in expected.txt. */
static void test_signer_names(void **state)
{
	(void)state;
	size_t len;
	uint8_t *img = (uint8_t *)test_read_file(BM "bootmgr-2011.efi", &len);
	static pf_pe pe;
	static pf_authenticode ac;
	assert_int_equal(pf_pe_parse(img, len, &pe), PF_OK);
	assert_int_equal(pf_authenticode_parse(img + pe.cert_off, pe.cert_size, &ac), PF_OK);
	assert_int_equal(ac.n_certs, 2);
	int chain[4];
	assert_int_equal(pf_authenticode_chain(&ac, chain, 4), 2);
	assert_int_equal(chain[0], ac.signer);
	char *subj, *iss;
	assert_int_equal(pf_x509_name_str(&ac.certs[chain[0]].x.subject, &subj), PF_OK);
	assert_int_equal(pf_x509_name_str(&ac.certs[chain[0]].x.issuer, &iss), PF_OK);
	assert_string_equal(subj, "CN=Preflight Test Windows (PCA 2011),O=Preflight Test,C=US");
	assert_string_equal(iss, "CN=Preflight Test Windows Production PCA 2011,O=Preflight Test,C=US");
	pf_free(subj);
	pf_free(iss);
	/* The CA in the signature signed the signer; the signer did not sign itself. */
	assert_int_equal(pf_authenticode_verify_cert(&ac.certs[chain[0]], &ac.certs[chain[1]].x.spki), PF_OK);
	assert_int_equal(pf_authenticode_verify_cert(&ac.certs[chain[0]], &ac.certs[chain[0]].x.spki), PF_ERR_INVALID);
	free(img);
}

/* Truncated file: the security directory runs past the end; never read beyond. */
static void test_truncated(void **state)
{
	(void)state;
	size_t len;
	uint8_t *img = (uint8_t *)test_read_file(BM "bootmgr-truncated.efi", &len);
	static pf_pe pe;
	assert_int_equal(pf_pe_parse(img, len, &pe), PF_ERR_TRUNCATED);
	free(img);
}

/* Every prefix of a signed image parses or fails cleanly (ASan watches the reads). */
static void test_prefixes(void **state)
{
	(void)state;
	size_t len;
	uint8_t *img = (uint8_t *)test_read_file(BM "bootmgr-2011.efi", &len);
	static pf_pe pe;
	static pf_authenticode ac;
	size_t ok = 0;
	for (size_t n = 0; n <= len; n++) {
		uint8_t *cut = malloc(n ? n : 1);
		memcpy(cut, img, n);
		if (pf_pe_parse(cut, n, &pe) == PF_OK) {
			ok++;
			uint8_t h[32];
			pf_pe_version v;
			(void)!pf_pe_authenticode_sha256(cut, n, &pe, h);
			(void)!pf_pe_version_read(cut, n, &pe, &v);
			(void)!pf_authenticode_parse(cut + pe.cert_off, pe.cert_size, &ac);
		}
		free(cut);
	}
	assert_int_equal(ok, 1); /* only the whole file holds its certificate table */
	free(img);
}

/* Damaged headers: each is refused with the right status. */
static void test_bad_headers(void **state)
{
	(void)state;
	size_t len;
	uint8_t *img = (uint8_t *)test_read_file(BM "bootmgr-unsigned.efi", &len);
	static pf_pe pe;
	img[0] = 'X';
	assert_int_equal(pf_pe_parse(img, len, &pe), PF_ERR_INVALID);
	img[0] = 'M';
	img[0x3c] = 0xF0; /* e_lfanew past the end */
	img[0x3d] = 0xFF;
	assert_int_equal(pf_pe_parse(img, len, &pe), PF_ERR_TRUNCATED);
	img[0x3c] = 0x80;
	img[0x3d] = 0;
	img[0x80 + 6] = 97; /* 97 sections */
	assert_int_equal(pf_pe_parse(img, len, &pe), PF_ERR_UNSUPPORTED);
	img[0x80 + 6] = 3;
	assert_int_equal(pf_pe_parse(img, len, &pe), PF_OK);
	/* A resource directory whose version entry points at itself as a subdirectory: refused, no loop. */
	size_t rs;
	assert_int_equal(pf_pe_rva_to_off(&pe, len, pe.rsrc_rva, 16, &rs), PF_OK);
	img[rs + 16 + 4] = 0; /* the type entry now points at the root, flagged as subdirectory */
	pf_pe_version v;
	assert_int_equal(pf_pe_version_read(img, len, &pe, &v), PF_ERR_INVALID);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unsigned),   cmocka_unit_test(test_2011),        cmocka_unit_test(test_2023),
		cmocka_unit_test(test_other),      cmocka_unit_test(test_arm64),       cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_signer_names), cmocka_unit_test(test_truncated), cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_dual),       cmocka_unit_test(test_nested),      cmocka_unit_test(test_wincert_walk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
