/* The ledger scan: whole rows kept, a torn tail (any cut point of an append) found and cut, odd files kept. */
#include "testutil.h"
#include "ledger.h"
#include "report.h"

#define HDR PF_LEDGER_HEADER
#define ROW1 "2026-12-03T10:00:00Z,SN-1,Contoso,Book 14,GO,0,0,,\\preflight\\reports\\SN-1-20261203T100000.json\n"
/* A quoted field with a comma, a quote and a line break: none of them ends the row or adds a field. */
#define ROW2 "2026-12-03T10:05:00Z,\"SN,2\",\"Contoso \"\"Labs\"\"\",\"Book\n14\",NO-GO,2,1,ID-VIRTUAL-MACHINE REC-NOT-FOUND,\\preflight\\reports\\SN_2-20261203T100500.json\n"
#define ROW3 "2026-12-03T10:09:00Z,SN-3,Fabrikam,Tab 2,WARN,0,1,NET-NCSI-FAILED,\\preflight\\reports\\SN-3-20261203T100900.json\r\n"

static void scan(const char *s, size_t len, uint64_t want_keep, uint64_t want_rows)
{
	uint64_t keep = 99999, rows = 99999;
	pf_ledger_scan(s, len, &keep, &rows);
	assert_int_equal(keep, want_keep);
	assert_int_equal(rows, want_rows);
}

static void test_whole(void **state)
{
	(void)state;
	const char *s = HDR ROW1 ROW2 ROW3;
	scan(s, strlen(s), strlen(s), 3);
	scan(HDR, strlen(HDR), strlen(HDR), 0);
	scan("", 0, 0, 0);
}

/* Every cut point of every append: the scan keeps exactly the rows written whole before the cut. */
static void test_every_cut_point(void **state)
{
	(void)state;
	const char *rows[] = { ROW1, ROW2, ROW3 };
	char file[2048] = HDR;
	size_t ends[4] = { strlen(HDR) };
	for (int i = 0; i < 3; i++) {
		strcat(file, rows[i]);
		ends[i + 1] = strlen(file);
	}
	size_t total = strlen(file);
	for (size_t cut = 0; cut <= total; cut++) {
		uint64_t keep, nrows, want = 0, want_rows = 0;
		for (int i = 0; i < 4; i++)
			if (ends[i] <= cut) {
				want = ends[i];
				want_rows = (uint64_t)i;
			}
		pf_ledger_scan(file, cut, &keep, &nrows);
		if (keep != want || nrows != want_rows)
			fail_msg("cut at %zu: kept %llu (rows %llu), expected %zu (rows %llu)", cut,
				 (unsigned long long)keep, (unsigned long long)nrows, (size_t)want,
				 (unsigned long long)want_rows);
	}
}

/* A FAT cluster allocated but never written reads as zeros: such a row is not whole, even with its line end. */
static void test_zeros(void **state)
{
	(void)state;
	char file[1024];
	size_t n = (size_t)snprintf(file, sizeof(file), "%s%s", HDR, ROW1);
	memset(file + n, 0, 60);
	scan(file, n + 60, n, 1);
	/* Zeros in the middle of the last row, which then ends normally. */
	n = (size_t)snprintf(file, sizeof(file), "%s%s%s", HDR, ROW1, ROW3);
	file[n - 20] = 0;
	scan(file, n, strlen(HDR ROW1), 1);
}

/* An older version's torn row followed by whole rows stays; only the tail after the last whole row goes. */
static void test_old_torn_row_kept(void **state)
{
	(void)state;
	const char *s = HDR ROW1 "2026-12-03T10:01:00Z,SN-9,Cont\n" ROW3 "2026-12-03T10:11:00Z,\"SN";
	scan(s, strlen(s), strlen(HDR ROW1 "2026-12-03T10:01:00Z,SN-9,Cont\n" ROW3), 2);
	/* A torn quoted field with a line break after it must not swallow the rows that follow. */
	const char *q = HDR "2026-12-03T10:01:00Z,\"SN\n" ROW1;
	scan(q, strlen(q), strlen(q), 1);
}

static void test_not_ours_and_torn_header(void **state)
{
	(void)state;
	/* Not this tool's header: kept whole, never cut. */
	const char *other = "Serial;Verdict\nX;GO\nY;";
	scan(other, strlen(other), strlen(other), 0);
	/* The header itself cut short: nothing whole, the header is written again. */
	scan(HDR, 20, 0, 0);
	/* A header row of zeros (size written, data never): not ours, kept, appended to on a fresh line. */
	char z[16] = { 0 };
	scan(z, sizeof(z), sizeof(z), 0);
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(pf_ledger_state_name(PF_LEDGER_REPAIRED), "repaired");
	assert_string_equal(pf_ledger_state_name(PF_LEDGER_UNUSABLE), "unusable");
	assert_string_equal(pf_ledger_state_name((pf_ledger_state)42), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole),
		cmocka_unit_test(test_every_cut_point),
		cmocka_unit_test(test_zeros),
		cmocka_unit_test(test_old_torn_row_kept),
		cmocka_unit_test(test_not_ours_and_torn_header),
		cmocka_unit_test(test_state_names),
	};
	return cmocka_run_group_tests_name("ledger", tests, NULL, NULL);
}
