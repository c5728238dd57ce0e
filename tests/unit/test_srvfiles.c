/* The boot server's file list (names checked, bad lines named), TFTP sibling names, and the in-memory volume's lookups. */
#include "testutil.h"
#include "srvfiles.h"

static void test_list(void **state)
{
	(void)state;
	const char *text = "# site files\r\nrecords/batch-1.csv\r\n\r\n  certs\\proxy-ca.der  \n"
			   "preflight.ini\nPREFLIGHT-FILES.TXT\n../etc/passwd\n/abs.csv\nrecords//x.csv\n"
			   "records/a b.csv\nrecords/./x.csv\nupload-sas.txt";
	pf_srv_list l;
	pf_srv_list_parse(text, strlen(text), &l);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.names[0], "records/batch-1.csv");
	assert_string_equal(l.names[1], "certs/proxy-ca.der");
	assert_string_equal(l.names[2], "upload-sas.txt"); /* the last line needs no newline */
	/* preflight.ini and the list are fetched anyway: neither counted nor skipped. */
	assert_int_equal(l.skipped, 5);
	assert_int_equal(l.bad_line, 7);
	assert_non_null(strstr(l.bad_why, ".."));

	pf_srv_list_parse("", 0, &l);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.bad_line, 0);
}

static void test_list_limits(void **state)
{
	(void)state;
	char big[PF_SRV_MAX_FILES * 12 + 300];
	size_t n = 0;
	for (int i = 0; i < PF_SRV_MAX_FILES + 2; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "r/%d.csv\n", i);
	char longname[PF_SRV_NAME_MAX + 2];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	n += (size_t)snprintf(big + n, sizeof(big) - n, "%s\n", longname);
	pf_srv_list l;
	pf_srv_list_parse(big, n, &l);
	assert_int_equal(l.n, PF_SRV_MAX_FILES);
	assert_int_equal(l.skipped, 3);
	assert_int_equal(l.bad_line, PF_SRV_MAX_FILES + 1);
	assert_string_equal(l.names[PF_SRV_MAX_FILES - 1], "r/63.csv");
	/* A NUL inside a line is not a name character: no cut-off name slips through. */
	pf_srv_list_parse("a.csv\0x\n", 8, &l);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.bad_line, 1);
}

static void test_sibling(void **state)
{
	(void)state;
	char out[32];
	assert_int_equal(pf_srv_sibling("preflight.efi", "preflight.ini", out, sizeof(out)), PF_OK);
	assert_string_equal(out, "preflight.ini");
	assert_int_equal(pf_srv_sibling("pf/x64/preflight.efi", "records/a.csv", out, sizeof(out)), PF_OK);
	assert_string_equal(out, "pf/x64/records/a.csv");
	assert_int_equal(pf_srv_sibling("pf\\preflight.efi", "a", out, sizeof(out)), PF_OK);
	assert_string_equal(out, "pf\\a");
	assert_int_equal(pf_srv_sibling("", "preflight.ini", out, sizeof(out)), PF_OK);
	assert_string_equal(out, "preflight.ini");
	assert_int_equal(pf_srv_sibling("a-long-folder-name/x.efi", "preflight.ini", out, sizeof(out)), PF_ERR_TOO_BIG);
}

static uint8_t *dup(const char *s)
{
	uint8_t *p = pf_malloc(strlen(s) + 1);
	assert_non_null(p);
	memcpy(p, s, strlen(s) + 1);
	return p;
}

static void test_volume(void **state)
{
	(void)state;
	pf_memvol v = { 0 };
	assert_int_equal(pf_memvol_add(&v, "preflight.ini", dup("[a]\n"), 4), PF_OK);
	assert_int_equal(pf_memvol_add(&v, "records/a.csv", dup("x,y\n"), 4), PF_OK);
	assert_int_equal(pf_memvol_add(&v, "records/b.json", dup("{}"), 2), PF_OK);
	assert_int_equal(pf_memvol_add(&v, "certs/ca.der", dup("D"), 1), PF_OK);
	size_t idx = 99;
	assert_int_equal(pf_memvol_find(&v, "\\preflight\\records\\A.CSV", &idx), PF_MEMVOL_FILE);
	assert_int_equal(idx, 1);
	assert_string_equal(v.files[idx].path, "preflight\\records\\a.csv");
	assert_int_equal(pf_memvol_find(&v, "\\preflight\\records\\", &idx), PF_MEMVOL_DIR);
	assert_int_equal(pf_memvol_find(&v, "", &idx), PF_MEMVOL_DIR);
	assert_int_equal(pf_memvol_find(&v, "\\preflight\\record", &idx), PF_MEMVOL_NONE);
	assert_int_equal(pf_memvol_find(&v, "\\preflight\\reports", &idx), PF_MEMVOL_NONE);
	assert_int_equal(pf_memvol_find(&v, "\\preflight\\preflight.ini\\x", &idx), PF_MEMVOL_NONE);

	/* \preflight lists its file and each folder once, in the order they came. */
	char name[64];
	bool dir;
	size_t size = 7;
	const char *want[] = { "preflight.ini", "records", "certs" };
	const bool want_dir[] = { false, true, true };
	for (size_t k = 0; k < 3; k++) {
		assert_true(pf_memvol_entry(&v, "\\preflight", k, name, sizeof(name), &dir, &size));
		assert_string_equal(name, want[k]);
		assert_int_equal(dir, want_dir[k]);
	}
	assert_false(pf_memvol_entry(&v, "\\preflight", 3, name, sizeof(name), &dir, &size));
	assert_true(pf_memvol_entry(&v, "\\preflight\\records", 1, name, sizeof(name), &dir, &size));
	assert_string_equal(name, "b.json");
	assert_false(dir);
	assert_int_equal(size, 2);
	assert_true(pf_memvol_entry(&v, "", 0, name, sizeof(name), &dir, &size));
	assert_string_equal(name, "preflight");
	assert_true(dir);
	assert_false(pf_memvol_entry(&v, "", 1, name, sizeof(name), &dir, &size));
	pf_memvol_free(&v);
	assert_int_equal(v.n, 0);
}

static void test_volume_full(void **state)
{
	(void)state;
	pf_memvol *v = calloc(1, sizeof(*v));
	assert_non_null(v);
	for (size_t i = 0; i < PF_SRV_MAX_FILES + 1; i++)
		assert_int_equal(pf_memvol_add(v, "r/a.csv", dup("1"), 1), PF_OK);
	assert_int_equal(pf_memvol_add(v, "r/b.csv", dup("1"), 1), PF_ERR_FULL); /* frees what it was given */
	pf_memvol_free(v);
	char longname[PF_SRV_NAME_MAX + 8];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(pf_memvol_add(v, longname, dup("1"), 1), PF_ERR_TOO_BIG);
	assert_int_equal(v->n, 0);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),	cmocka_unit_test(test_list_limits), cmocka_unit_test(test_sibling),
		cmocka_unit_test(test_volume), cmocka_unit_test(test_volume_full),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
