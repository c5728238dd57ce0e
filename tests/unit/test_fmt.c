/* The formatter and string helpers against libc's snprintf and friends. */
#include "testutil.h"
#include "buf.h"
#include "fmt.h"
#include "str.h"

#define CHECK(...)                                                        \
	do {                                                              \
		char a[128], b[128];                                      \
		size_t na = pf_snprintf(a, sizeof(a), __VA_ARGS__);       \
		int nb = snprintf(b, sizeof(b), __VA_ARGS__);             \
		assert_string_equal(a, b);                                \
		assert_int_equal(na, (size_t)nb);                         \
	} while (0)

static void test_against_libc(void **state)
{
	(void)state;
	CHECK("plain");
	CHECK("%s|%5s|%-5s|%.2s|%.*s", "abc", "ab", "ab", "abc", 3, "abcdef");
	CHECK("%d %i %d %d", 0, -1, 2147483647, (int)-2147483647 - 1);
	CHECK("%u %x %X %08x %-6x|", 42u, 0xbeefu, 0xbeefu, 0x1fu, 0xau);
	CHECK("%ld %lu %lld %llu %zu", -5L, 5UL, -9223372036854775807LL - 1, 18446744073709551615ULL, (size_t)77);
	CHECK("%02x:%02x %04d %-4d| %05d", 1, 255, 7, 7, -42);
	CHECK("%hhu %hu %hhd", (unsigned char)44, (unsigned short)7000, (signed char)-56);
	CHECK("%c%c%%", 'a', 'b');
	CHECK("%*d|%-*d|", 5, 3, 4, 2);
	CHECK("%p %p|%20p|%-20p|%p", (void *)0x1234, (void *)~(uintptr_t)0, (void *)0xab, (void *)0xab, (void *)0);
	CHECK("%04ld +%06ld %07ld %02lx %lx-%lx", 2026L, 12345L, -12345L, 7UL, 1UL, 0xffUL);
}

static void test_truncation(void **state)
{
	(void)state;
	char small[5];
	size_t n = pf_snprintf(small, sizeof(small), "%s", "abcdefgh");
	assert_int_equal(n, 8);
	assert_string_equal(small, "abcd");
	assert_int_equal(pf_snprintf(NULL, 0, "%d", 12345), 5);
	/* A lone % at the end must not read past the terminator. */
	char t[8];
	const char *lone = "ab%";
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	pf_snprintf(t, sizeof(t), lone, 0);
#pragma GCC diagnostic pop
	assert_string_equal(t, "ab");
}

static void test_buf(void **state)
{
	(void)state;
	pf_buf b = { 0 };
	for (int i = 0; i < 1000; i++)
		pf_buf_printf(&b, "%d,", i);
	assert_false(b.oom);
	assert_int_equal(b.len, strlen(b.p));
	assert_memory_equal(b.p, "0,1,2,", 6);
	size_t len;
	char *s = pf_buf_steal(&b, &len);
	assert_non_null(s);
	assert_int_equal(len, strlen(s));
	assert_null(b.p);
	free(s);
	char *e = pf_buf_steal(&b, &len);
	assert_string_equal(e, "");
	assert_int_equal(len, 0);
	free(e);
}

static void test_str(void **state)
{
	(void)state;
	pf_span t = pf_span_trim(pf_span_of("  \t hello world \r\n"));
	assert_int_equal(t.len, 11);
	assert_memory_equal(t.p, "hello world", 11);
	assert_true(pf_span_eq_cstr_nocase(pf_span_of("Default String"), "default string"));
	assert_false(pf_span_eq_cstr_nocase(pf_span_of("Default"), "default string"));
	assert_true(pf_span_contains_nocase(pf_span_of("Standard PC (Q35 + ICH9, 2009)"), "q35"));
	assert_false(pf_span_contains_nocase(pf_span_of("ab"), "abc"));
	uint64_t v;
	assert_true(pf_parse_u64(pf_span_of("4294967295"), UINT32_MAX, &v));
	assert_int_equal(v, 4294967295u);
	assert_false(pf_parse_u64(pf_span_of("4294967296"), UINT32_MAX, &v));
	assert_false(pf_parse_u64(pf_span_of("12a"), UINT32_MAX, &v));
	assert_false(pf_parse_u64(pf_span_of(""), UINT32_MAX, &v));
	bool bv;
	assert_true(pf_parse_bool(pf_span_of("YES"), &bv));
	assert_true(bv);
	assert_true(pf_parse_bool(pf_span_of("off"), &bv));
	assert_false(bv);
	assert_false(pf_parse_bool(pf_span_of("maybe"), &bv));
	const char *strs[] = { "", "a", "abc", "abd", "ab", "\xff" };
	for (size_t i = 0; i < 6; i++)
		for (size_t j = 0; j < 6; j++) {
			int x = pf_strcmp(strs[i], strs[j]), y = strcmp(strs[i], strs[j]);
			assert_true((x < 0) == (y < 0) && (x > 0) == (y > 0));
		}
	char dst[4];
	assert_int_equal(pf_strlcpy(dst, "abcdef", sizeof(dst)), 3);
	assert_string_equal(dst, "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_libc),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_str),
	};
	return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}
