/* WPAD: DHCP option text and the DNS devolution candidates. */
#include "testutil.h"
#include "wpad.h"

static void test_option_text(void **state)
{
	(void)state;
	char out[64];
	pf_dhcp_option_text("http://192.168.77.1/wpad.dat\0", 29, out, sizeof(out));
	assert_string_equal(out, "http://192.168.77.1/wpad.dat");
	pf_dhcp_option_text("contoso.test \t", 14, out, sizeof(out));
	assert_string_equal(out, "contoso.test");
	pf_dhcp_option_text("a\x01" "b", 3, out, sizeof(out));
	assert_string_equal(out, "a?b");
	pf_dhcp_option_text("", 0, out, sizeof(out));
	assert_string_equal(out, "");
	pf_dhcp_option_text("abcdefgh", 8, out, 4);
	assert_string_equal(out, "abc");
}

static void test_candidates(void **state)
{
	(void)state;
	char c[PF_WPAD_MAX_CANDIDATES][PF_HOST_MAX + 1];
	size_t n = pf_wpad_candidates("Eu.Corp.Contoso.com", c, PF_WPAD_MAX_CANDIDATES);
	assert_int_equal(n, 3);
	assert_string_equal(c[0], "wpad.eu.corp.contoso.com");
	assert_string_equal(c[1], "wpad.corp.contoso.com");
	assert_string_equal(c[2], "wpad.contoso.com");
	assert_int_equal(pf_wpad_candidates("contoso.test.", c, PF_WPAD_MAX_CANDIDATES), 1);
	assert_string_equal(c[0], "wpad.contoso.test");
	/* Never the bare top-level domain, nothing for a one-label or invalid domain. */
	assert_int_equal(pf_wpad_candidates("corp", c, PF_WPAD_MAX_CANDIDATES), 0);
	assert_int_equal(pf_wpad_candidates("", c, PF_WPAD_MAX_CANDIDATES), 0);
	assert_int_equal(pf_wpad_candidates("bad..domain", c, PF_WPAD_MAX_CANDIDATES), 0);
	assert_int_equal(pf_wpad_candidates("-x.com", c, PF_WPAD_MAX_CANDIDATES), 0);
	/* The count is capped. */
	assert_int_equal(pf_wpad_candidates("a.b.c.d.e.f", c, 2), 2);
	assert_string_equal(c[1], "wpad.b.c.d.e.f");
	/* A 250-character domain: candidates over 253 characters are skipped, shorter ones kept. */
	char big[251];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (size_t i = 60; i < 250; i += 61)
		big[i] = '.';
	n = pf_wpad_candidates(big, c, PF_WPAD_MAX_CANDIDATES);
	assert_true(n >= 1);
	for (size_t i = 0; i < n; i++)
		assert_true(strlen(c[i]) <= PF_HOST_MAX);
	assert_true(strlen(c[0]) < 5 + 250);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_option_text),
		cmocka_unit_test(test_candidates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
