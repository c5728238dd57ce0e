/* Command-line parsing: program name, options, quotes and errors. */
#include "testutil.h"
#include "args.h"

static pf_status parse(const char *s, pf_args *a, char *err)
{
	return pf_args_parse(s, strlen(s), a, err, 200);
}

static void test_good(void **state)
{
	(void)state;
	pf_args a;
	char err[200];
	assert_int_equal(parse("", &a, err), PF_OK);
	assert_string_equal(a.config_path, "");
	assert_false(a.offline);
	assert_int_equal(parse("preflight.efi -c \\cfg\\x.ini --offline --after shutdown", &a, err), PF_OK);
	assert_string_equal(a.config_path, "\\cfg\\x.ini");
	assert_true(a.offline);
	assert_true(a.has_after);
	assert_int_equal(a.after, PF_AFTER_SHUTDOWN);
	assert_int_equal(parse("  --after   Boot-Windows ", &a, err), PF_OK);
	assert_int_equal(a.after, PF_AFTER_BOOT_WINDOWS);
	assert_int_equal(parse("fs0:\\preflight.efi -c \"\\my dir\\p.ini\"", &a, err), PF_OK);
	assert_string_equal(a.config_path, "\\my dir\\p.ini");
	assert_int_equal(a.repeat, 0);
	assert_int_equal(parse("x.efi --repeat 3", &a, err), PF_OK);
	assert_int_equal(a.repeat, 3);
}

static void test_bad(void **state)
{
	(void)state;
	pf_args a = { .offline = true };
	char err[200];
	assert_int_equal(parse("x.efi -c", &a, err), PF_ERR_INVALID);
	assert_non_null(strstr(err, "-c needs a file name"));
	assert_int_equal(parse("x.efi --after sleep", &a, err), PF_ERR_INVALID);
	assert_int_equal(parse("x.efi --bogus", &a, err), PF_ERR_INVALID);
	assert_non_null(strstr(err, "--bogus"));
	assert_int_equal(parse("x.efi --repeat 0", &a, err), PF_ERR_INVALID);
	assert_non_null(strstr(err, "--repeat takes a count from 1 to 20"));
	assert_int_equal(parse("x.efi --repeat 21", &a, err), PF_ERR_INVALID);
	assert_int_equal(parse("x.efi --repeat", &a, err), PF_ERR_INVALID);
	assert_int_equal(parse("x.efi --repeat 2x", &a, err), PF_ERR_INVALID);
	/* ret_args is left alone on failure. */
	assert_true(a.offline);
}

static void test_apply(void **state)
{
	(void)state;
	pf_config c = { .network_enabled = true, .graph_enabled = true, .after_action = PF_AFTER_PROMPT };
	pf_args a = { .offline = true, .has_after = true, .after = PF_AFTER_REBOOT, .repeat = 4 };
	pf_args_apply(&a, &c);
	assert_int_equal(c.debug_repeat, 4);
	assert_false(c.network_enabled);
	assert_false(c.graph_enabled);
	assert_true(c.offline);
	assert_int_equal(c.after_action, PF_AFTER_REBOOT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_apply),
	};
	return cmocka_run_group_tests_name("args", tests, NULL, NULL);
}
