/* The registration file of an unregistered device: when it is written, its row, and that the records reader reads it back. */
#include "testutil.h"
#include "recfile.h"
#include "register.h"

static pf_run make_run(const char *serial, const char *maker, const char *model)
{
	pf_run run = { .tool_version = "t", .started_valid = true,
		       .started = { .year = 2026, .month = 12, .day = 3, .hour = 10, .minute = 5, .second = 7 } };
	pf_identity_init(&run.identity);
	run.identity.serial = serial ? strdup(serial) : NULL;
	run.identity.manufacturer = maker ? strdup(maker) : NULL;
	run.identity.product = model ? strdup(model) : NULL;
	return run;
}

static void free_run(pf_run *run)
{
	pf_identity_free(&run->identity);
	pf_findings_free(&run->findings);
}

static void test_wanted(void **state)
{
	(void)state;
	pf_run run = make_run("SN-1", "Contoso", "Book 14");
	assert_false(pf_register_wanted(&run));
	assert_non_null(pf_finding_add(&run.findings, PF_REC_NOT_FOUND, "no record"));
	assert_true(pf_register_wanted(&run));
	/* A placeholder serial cannot be registered by serial. */
	assert_non_null(pf_finding_add(&run.findings, PF_ID_SERIAL_PLACEHOLDER, "placeholder"));
	assert_false(pf_register_wanted(&run));
	free_run(&run);
	run = make_run("   ", "Contoso", "Book 14");
	assert_non_null(pf_finding_add(&run.findings, PF_REC_NOT_FOUND, "no record"));
	assert_false(pf_register_wanted(&run));
	free_run(&run);
}

static void test_row_and_name(void **state)
{
	(void)state;
	pf_run run = make_run(" SN 7/1 ", "Contoso, Ltd. ", "Book \"14\"");
	pf_buf row = { 0 };
	pf_register_row(&run, &row);
	assert_string_equal(row.p, "SN 7/1,,,\"Contoso, Ltd.\",\"Book \"\"14\"\"\"\n");
	char name[160];
	pf_register_name(&run, name, sizeof(name));
	assert_string_equal(name, "SN_7_1-register.csv");
	pf_buf_free(&row);
	free_run(&run);
}

typedef struct {
	char serial[64], maker[64], model[64];
	size_t n;
} got;

static bool on_record(void *ctx, const pf_record_view *v)
{
	got *g = ctx;
	g->n++;
	snprintf(g->serial, sizeof(g->serial), "%.*s", (int)v->serial.len, v->serial.p);
	snprintf(g->maker, sizeof(g->maker), "%.*s", (int)v->manufacturer.len, v->manufacturer.p);
	snprintf(g->model, sizeof(g->model), "%.*s", (int)v->model.len, v->model.p);
	return true;
}

/* Preflight's own records reader takes the file back: copied into records\, it is a record source. */
static void test_read_back(void **state)
{
	(void)state;
	pf_run a = make_run("SN-A", "Contoso, Ltd.", "Book \"14\""), b = make_run("SN-B", "Fabrikam", "Tab 2");
	pf_buf file = { 0 };
	pf_buf_puts(&file, PF_REGISTER_HEADER);
	pf_register_row(&a, &file);
	pf_register_row(&b, &file);
	got g = { 0 };
	pf_recfile *f = pf_recfile_new(PF_RECFILE_CSV, "SN-A", on_record, &g);
	assert_non_null(f);
	assert_int_equal(pf_recfile_feed(f, file.p, file.len), PF_OK);
	assert_int_equal(pf_recfile_finish(f), PF_OK);
	assert_int_equal(pf_recfile_count(f), 2);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.serial, "SN-A");
	assert_string_equal(g.maker, "Contoso, Ltd.");
	assert_string_equal(g.model, "Book \"14\"");
	pf_recfile_free(f);
	/* The cart list: a serial already listed is found, another is not (a prefix is not a match). */
	assert_true(pf_register_listed(&a, file.p, file.len));
	assert_true(pf_register_listed(&b, file.p, file.len));
	pf_run c = make_run("SN-", "x", "y");
	assert_false(pf_register_listed(&c, file.p, file.len));
	assert_false(pf_register_listed(&c, "", 0));
	pf_buf_free(&file);
	free_run(&a);
	free_run(&b);
	free_run(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wanted),
		cmocka_unit_test(test_row_and_name),
		cmocka_unit_test(test_read_back),
	};
	return cmocka_run_group_tests_name("register", tests, NULL, NULL);
}
