/* INI reader and preflight.ini keys: syntax, encodings, every key's validation, line numbers. */
#include "testutil.h"
#include "config.h"
#include "ini.h"

static pf_config cfg;
static pf_diags diags;

static int setup(void **state)
{
	(void)state;
	assert_int_equal(pf_config_defaults(&cfg), PF_OK);
	diags = (pf_diags){ 0 };
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pf_config_free(&cfg);
	pf_diags_free(&diags);
	return 0;
}

static void parse(const char *text) { assert_int_equal(pf_config_parse(&cfg, text, strlen(text), &diags), PF_OK); }

static bool has_diag(unsigned line, const char *part)
{
	for (size_t i = 0; i < diags.n; i++)
		if (diags.items[i].line == line && strstr(diags.items[i].message, part))
			return true;
	return false;
}

static void test_defaults(void **state)
{
	(void)state;
	assert_true(cfg.network_enabled);
	assert_int_equal(cfg.network_timeout_ms, 5000);
	assert_int_equal(cfg.dhcp_timeout_ms, 15000);
	assert_true(cfg.dhcp_first_offer);
	assert_int_equal(cfg.dot1x_timeout_ms, 3000);
	assert_int_equal(cfg.ipv6_wait_ms, 5000);
	assert_null(cfg.network_endpoints);
	assert_null(cfg.network_extra_endpoints);
	assert_int_equal(cfg.max_clock_skew_s, 300);
	assert_true(cfg.network_wpad);
	assert_null(cfg.network_pac_url);
	assert_null(cfg.network_proxy);
	assert_int_equal(cfg.network_required_services, 0);
	assert_string_equal(cfg.records_dir, "\\preflight\\records");
	assert_false(cfg.graph_enabled);
	assert_string_equal(cfg.graph_endpoint, "https://graph.microsoft.com");
	assert_string_equal(cfg.graph_login_endpoint, "https://login.microsoftonline.com");
	assert_null(cfg.graph_tenant);
	assert_false(cfg.allow_virtual_machine);
	assert_true(cfg.require_tpm);
	assert_false(cfg.require_secure_boot);
	assert_false(cfg.require_2023_secure_boot_keys);
	assert_string_equal(cfg.report_dir, "\\preflight\\reports");
	assert_int_equal(cfg.after_action, PF_AFTER_PROMPT);
}

static void test_every_key(void **state)
{
	(void)state;
	parse("# comment\n; other comment\n"
	      "[Network]\nEnabled = no\ntimeout_ms=2500\n dhcp_timeout_ms = 9000 \ndhcp_first_offer = false\ndot1x_timeout_ms = 0\n"
	      "ipv6_wait_ms = 0\n"
	      "endpoints = https:ztd.dds.microsoft.com, dns:example.org, ntp:time.example:123\nextra_endpoints=tcp:a.example:8443\n"
	      "max_clock_skew_s = 60\nrequired_services = store, m365\nproxy = Proxy.Contoso.test:3128\n"
	      "proxy_discovery = OFF\npac_url = http://wpad.contoso.test/proxy.pac\n"
	      "[records]\ndir = /usb/recs\n"
	      "[graph]\nenabled = true\nendpoint = http://10.0.0.1:8080\nlogin_endpoint = https://login.test\n"
	      "tenant = contoso.onmicrosoft.com\nclient_id = 1234\ntoken_file = \\preflight\\token.txt\nexpected_user = bob@contoso.com\n"
	      "[identity]\nallow_virtual_machine = YES\nrequire_tpm = 0\nrequire_secure_boot = on\n"
	      "require_2023_secure_boot_keys = true\n"
	      "[report]\ndir = \"\\preflight\\out dir\"\n"
	      "[after]\naction = Boot-Windows\n");
	assert_int_equal(diags.n, 0);
	assert_false(cfg.network_enabled);
	assert_int_equal(cfg.network_timeout_ms, 2500);
	assert_int_equal(cfg.dhcp_timeout_ms, 9000);
	assert_false(cfg.dhcp_first_offer);
	assert_int_equal(cfg.dot1x_timeout_ms, 0);
	assert_int_equal(cfg.ipv6_wait_ms, 0);
	assert_string_equal(cfg.network_endpoints, "https:ztd.dds.microsoft.com, dns:example.org, ntp:time.example:123");
	assert_string_equal(cfg.network_extra_endpoints, "tcp:a.example:8443");
	assert_int_equal(cfg.max_clock_skew_s, 60);
	assert_int_equal(__builtin_popcount(cfg.network_required_services), 2);
	assert_string_equal(cfg.network_proxy, "Proxy.Contoso.test:3128");
	assert_false(cfg.network_wpad);
	assert_string_equal(cfg.network_pac_url, "http://wpad.contoso.test/proxy.pac");
	assert_string_equal(cfg.records_dir, "\\usb\\recs");
	assert_true(cfg.graph_enabled);
	assert_string_equal(cfg.graph_endpoint, "http://10.0.0.1:8080");
	assert_string_equal(cfg.graph_tenant, "contoso.onmicrosoft.com");
	assert_string_equal(cfg.graph_token_file, "\\preflight\\token.txt");
	assert_string_equal(cfg.graph_expected_user, "bob@contoso.com");
	assert_true(cfg.allow_virtual_machine);
	assert_false(cfg.require_tpm);
	assert_true(cfg.require_secure_boot);
	assert_true(cfg.require_2023_secure_boot_keys);
	assert_string_equal(cfg.report_dir, "\\preflight\\out dir");
	assert_int_equal(cfg.after_action, PF_AFTER_BOOT_WINDOWS);
}

static void test_problems_have_lines(void **state)
{
	(void)state;
	parse("[network]\n"                 /* 1 */
	      "timeout_ms = soon\n"         /* 2 bad number */
	      "timout_ms = 5\n"             /* 3 unknown key, suggestion */
	      "just words\n"                /* 4 malformed */
	      "[nosuch]\n"                  /* 5 unknown section */
	      "key = value\n"               /* 6 ignored silently (section reported) */
	      "[after\n"                    /* 7 malformed header */
	      "[after]\n"                   /* 8 */
	      "action = explode\n"          /* 9 bad value */
	      " = value\n"                  /* 10 no key */
	      "[network]\n"                 /* 11 */
	      "timeout_ms = 99\n"           /* 12 below the minimum */
	      "endpoints = ftp:x.example\n" /* 13 bad kind */
	      "extra_endpoints = tcp:x.example:0\n" /* 14 bad port */
	      "[records]\ndir = records\n"  /* 16 relative path */
	      "[graph]\nendpoint = graph.microsoft.com\n" /* 18 not a URL */
	      "[network]\nrequired_services = store, stores\n" /* 20 unknown service */
	      "proxy = https://proxy:443\n"                   /* 21 not an http proxy */
	      "proxy_discovery = auto\n");                    /* 22 neither wpad nor off */
	assert_true(has_diag(2, "not a whole number"));
	assert_true(has_diag(3, "did you mean 'timeout_ms'"));
	assert_true(has_diag(4, "malformed"));
	assert_true(has_diag(5, "unknown section [nosuch]"));
	assert_true(has_diag(7, "malformed"));
	assert_true(has_diag(9, "is not prompt"));
	assert_true(has_diag(10, "key missing"));
	assert_true(has_diag(12, "from 100 to"));
	assert_true(has_diag(13, "kind dns, tcp"));
	assert_true(has_diag(14, "port must be 1..65535"));
	assert_true(has_diag(16, "path from the stick's root"));
	assert_true(has_diag(18, "URL"));
	assert_true(has_diag(20, "'stores' is not a service id"));
	assert_true(has_diag(21, "only an http:// proxy"));
	assert_true(has_diag(22, "is not wpad or off"));
	assert_int_equal(diags.n, 15);
	assert_int_equal(cfg.network_required_services, 0);
	/* Bad values leave the defaults in place. */
	assert_int_equal(cfg.network_timeout_ms, 5000);
	assert_int_equal(cfg.after_action, PF_AFTER_PROMPT);
	assert_null(cfg.network_endpoints);
	assert_string_equal(cfg.records_dir, "\\preflight\\records");
}

static void test_line_endings_and_bom(void **state)
{
	(void)state;
	parse("\xEF\xBB\xBF[after]\r\naction = reboot\r\n\r[identity]\rrequire_tpm = false\rjunk\n");
	assert_int_equal(cfg.after_action, PF_AFTER_REBOOT);
	assert_false(cfg.require_tpm);
	assert_true(has_diag(6, "malformed")); /* CRLF, then a lone CR, each count as one line end */
	assert_int_equal(diags.n, 1);
}

static void test_utf16(void **state)
{
	(void)state;
	const char *text = "[after]\r\naction = shutdown\r\n[identity]\r\nnope = 1\r\n";
	size_t n = strlen(text);
	uint8_t le[256], be[256];
	le[0] = 0xFF, le[1] = 0xFE, be[0] = 0xFE, be[1] = 0xFF;
	for (size_t i = 0; i < n; i++) {
		le[2 + 2 * i] = (uint8_t)text[i], le[3 + 2 * i] = 0;
		be[2 + 2 * i] = 0, be[3 + 2 * i] = (uint8_t)text[i];
	}
	assert_int_equal(pf_config_parse(&cfg, le, 2 + 2 * n, &diags), PF_OK);
	assert_int_equal(cfg.after_action, PF_AFTER_SHUTDOWN);
	assert_true(has_diag(4, "unknown key 'nope'"));
	cfg.after_action = PF_AFTER_PROMPT;
	assert_int_equal(pf_config_parse(&cfg, be, 2 + 2 * n, &diags), PF_OK);
	assert_int_equal(cfg.after_action, PF_AFTER_SHUTDOWN);
}

static void test_empty_and_binary(void **state)
{
	(void)state;
	parse("");
	assert_int_equal(diags.n, 0);
	const uint8_t junk[] = { 0x00, 0x01, 0x02, '\n', '=', '\n', 0xFF, 0xFF, 0xFF };
	assert_int_equal(pf_config_parse(&cfg, junk, sizeof(junk), &diags), PF_OK);
	assert_true(diags.n >= 2);
}

static void test_paths_and_sections(void **state)
{
	(void)state;
	parse("[records]\ndir =\n"                  /* 2: empty path with a default */
	      "[report]\ndir = \\EFI\\BOOT\n"        /* 4: outside \preflight\ */
	      "dir = \\preflight\\reports\\cart7\n" /* 5: fine */
	      "[records\n"                           /* 6: broken header */
	      "dir = \\elsewhere\n");              /* 7: belongs to no section, never to [report] */
	assert_true(has_diag(2, "must not be empty"));
	assert_true(has_diag(4, "below \\preflight\\"));
	assert_true(has_diag(6, "malformed"));
	assert_true(has_diag(7, "outside any [section]"));
	assert_int_equal(diags.n, 4);
	assert_string_equal(cfg.records_dir, "\\preflight\\records");
	assert_string_equal(cfg.report_dir, "\\preflight\\reports\\cart7");
	/* An empty text key without a default means "none". */
	parse("[graph]\ntoken_file =\n");
	assert_int_equal(diags.n, 4);
}

static void test_utf16_without_bom(void **state)
{
	(void)state;
	const char *text = "[after]\r\naction = reboot\r\n";
	size_t n = strlen(text);
	uint8_t le[128];
	for (size_t i = 0; i < n; i++)
		le[2 * i] = (uint8_t)text[i], le[2 * i + 1] = 0;
	assert_int_equal(pf_config_parse(&cfg, le, 2 * n, &diags), PF_OK);
	assert_int_equal(diags.n, 0);
	assert_int_equal(cfg.after_action, PF_AFTER_REBOOT);
}

static void test_set(void **state)
{
	(void)state;
	char *err = NULL;
	assert_int_equal(pf_config_set(&cfg, "after.action", pf_span_of("shutdown"), &err), PF_OK);
	assert_int_equal(cfg.after_action, PF_AFTER_SHUTDOWN);
	assert_int_equal(pf_config_set(&cfg, "network.bogus", pf_span_of("1"), &err), PF_ERR_INVALID);
	assert_non_null(strstr(err, "unknown key"));
	free(err);
	err = NULL;
	assert_int_equal(pf_config_set(&cfg, "network.timeout_ms", pf_span_of("-1"), &err), PF_ERR_INVALID);
	assert_non_null(err);
	free(err);
	assert_string_equal(pf_after_str(PF_AFTER_BOOT_WINDOWS), "boot-windows");
	/* debug.repeat: 1 by default, 1..20 accepted. */
	assert_int_equal(cfg.debug_repeat, 1);
	assert_int_equal(pf_config_set(&cfg, "debug.repeat", pf_span_of("3"), &err), PF_OK);
	assert_int_equal(cfg.debug_repeat, 3);
	err = NULL;
	assert_int_equal(pf_config_set(&cfg, "debug.repeat", pf_span_of("21"), &err), PF_ERR_INVALID);
	assert_non_null(err);
	free(err);
	assert_int_equal(cfg.debug_repeat, 3);
}

/* The INI reader on its own: what each callback sees. */
static char seen[1024];
static void on_sec(void *ctx, unsigned line, pf_span s)
{
	(void)ctx;
	snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "S%u[%.*s]", line, (int)s.len, s.p);
}
static pf_status on_kv(void *ctx, unsigned line, pf_span s, pf_span k, pf_span v)
{
	(void)ctx;
	snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "P%u<%.*s|%.*s|%.*s>", line, (int)s.len, s.p,
	         (int)k.len, k.p, (int)v.len, v.p);
	return PF_OK;
}
static void on_err(void *ctx, unsigned line, const char *r)
{
	(void)ctx;
	(void)r;
	snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "E%u", line);
}

static void test_ini_reader(void **state)
{
	(void)state;
	static const pf_ini_handler h = { on_sec, on_kv, on_err };
	const char *text = "top = 1\n[ a b ]\nk = v = w\nq = \"  spaced  \"\n# x = y\nz =\n[]\n";
	seen[0] = 0;
	assert_int_equal(pf_ini_parse(text, strlen(text), &h, NULL), PF_OK);
	assert_string_equal(seen, "P1<|top|1>S2[a b]P3<a b|k|v = w>P4<a b|q|  spaced  >P6<a b|z|>E7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_problems_have_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_endings_and_bom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf16, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_binary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths_and_sections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf16_without_bom, setup, teardown),
		cmocka_unit_test(test_ini_reader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
