/* The identity rules over real machines' SMBIOS strings (tests/data/dmi: a sample of linuxhw/DMI), against hand labels. */
#include "testutil.h"
#include "idcheck.h"
#include "match.h"
#include "str.h"

#define DMI "tests/data/dmi/"

/* The sample's columns, in the order scripts/dmi-sample writes them (checked against the header). */
enum { C_REPORT, C_FORM, C_BIOS_VENDOR, C_BIOS_VERSION, C_SYS_MANUFACTURER, C_SYS_PRODUCT, C_SYS_VERSION, C_SYS_FAMILY,
       C_SYS_SKU, C_BOARD_MANUFACTURER, C_BOARD_PRODUCT, C_BOARD_VERSION, C_CHASSIS_MANUFACTURER, C_CHASSIS_TYPE, C__N };
static const char *const columns[C__N] = { "report", "form", "bios_vendor", "bios_version", "sys_manufacturer",
	"sys_product", "sys_version", "sys_family", "sys_sku", "board_manufacturer", "board_product", "board_version",
	"chassis_manufacturer", "chassis_type" };

/* A table of tab-separated lines; '#' lines and blank lines skipped. Fields point into the buffer. */
typedef struct {
	char *buf;
	char ***lines;
	size_t n;
} tsv;

static tsv tsv_read(const char *path, size_t want_fields)
{
	tsv t = { 0 };
	size_t len;
	t.buf = test_read_file(path, &len);
	size_t cap = 0;
	for (char *p = t.buf, *nl; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (*p == '#' || *p == '\0')
			continue;
		char **fields = calloc(want_fields, sizeof(*fields));
		assert_non_null(fields);
		size_t k = 0;
		for (char *q = p;; k++) {
			char *tab = strchr(q, '\t');
			if (k < want_fields)
				fields[k] = q;
			if (!tab)
				break;
			*tab = '\0';
			q = tab + 1;
		}
		if (k + 1 != want_fields)
			fail_msg("%s: line with %zu fields, expected %zu: \"%s\"", path, k + 1, want_fields, p);
		if (t.n == cap) {
			cap = cap ? cap * 2 : 1024;
			t.lines = realloc(t.lines, cap * sizeof(*t.lines));
			assert_non_null(t.lines);
		}
		t.lines[t.n++] = fields;
	}
	return t;
}

static void tsv_free(tsv *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->lines[i]);
	free(t->lines);
	free(t->buf);
}

static tsv corpus;

static int load_corpus(void **state)
{
	(void)state;
	corpus = tsv_read(DMI "systems.tsv", C__N);
	assert_true(corpus.n > 1);
	for (size_t c = 0; c < C__N; c++)
		if (strcmp(corpus.lines[0][c], columns[c]))
			fail_msg("systems.tsv column %zu is \"%s\", expected \"%s\"", c, corpus.lines[0][c], columns[c]);
	printf("corpus: %zu systems\n", corpus.n - 1);
	return 0;
}

static int free_corpus(void **state)
{
	(void)state;
	tsv_free(&corpus);
	return 0;
}

/* Surrounding white space off, in a static buffer of the caller's. */
static const char *trimmed(const char *s, char *out, size_t cap)
{
	pf_span t = pf_span_trim(pf_span_of(s));
	size_t n = t.len < cap - 1 ? t.len : cap - 1;
	memcpy(out, t.p, n);
	out[n] = '\0';
	return out;
}

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

static void test_virtual_machines(void **state)
{
	(void)state;
	tsv labels = tsv_read(DMI "labels-vm.tsv", 2);
	assert_true(labels.n > 0);
	size_t hits = 0, false_hits = 0, missed = 0, labelled_seen = 0;
	for (size_t i = 1; i < corpus.n; i++) {
		char **r = corpus.lines[i];
		const char *want = NULL;
		for (size_t k = 0; k < labels.n; k++)
			if (!strcmp(labels.lines[k][0], r[C_REPORT]))
				want = labels.lines[k][1];
		labelled_seen += want != NULL;
		pf_identity id;
		pf_identity_init(&id);
		id.bios_vendor = dup_or_null(r[C_BIOS_VENDOR]);
		id.bios_version = dup_or_null(r[C_BIOS_VERSION]);
		id.manufacturer = dup_or_null(r[C_SYS_MANUFACTURER]);
		id.product = dup_or_null(r[C_SYS_PRODUCT]);
		id.version = dup_or_null(r[C_SYS_VERSION]);
		id.family = dup_or_null(r[C_SYS_FAMILY]);
		id.sku = dup_or_null(r[C_SYS_SKU]);
		id.baseboard_manufacturer = dup_or_null(r[C_BOARD_MANUFACTURER]);
		id.baseboard_product = dup_or_null(r[C_BOARD_PRODUCT]);
		id.baseboard_version = dup_or_null(r[C_BOARD_VERSION]);
		id.smbios_version = strdup("2.8");
		pf_detect_virtual_machine(&id);
		bool hit = id.virtual_machine == PF_YES;
		if (hit) {
			hits++;
			printf("vm hit: %s %s / %s / %s: %s%s\n", r[C_REPORT], r[C_SYS_MANUFACTURER], r[C_SYS_PRODUCT],
			       r[C_BIOS_VENDOR], id.virtual_machine_reason, want ? "" : "  <- FALSE HIT");
		}
		if (hit && !want)
			false_hits++;
		if (!hit && want) {
			missed++;
			printf("vm MISSED: %s (%s) %s / %s / %s\n", r[C_REPORT], want, r[C_SYS_MANUFACTURER], r[C_SYS_PRODUCT],
			       r[C_BIOS_VENDOR]);
		}
		pf_identity_free(&id);
	}
	printf("vm: %zu systems, %zu hits, %zu labelled virtual machines, %zu false hits, %zu missed\n", corpus.n - 1,
	       hits, labels.n, false_hits, missed);
	if (labelled_seen != labels.n)
		fail_msg("labels-vm.tsv names %zu reports, %zu of them are in systems.tsv", labels.n, labelled_seen);
	assert_int_equal(false_hits, 0);
	assert_int_equal(missed, 0);
	tsv_free(&labels);
}

/* The strings the placeholder rule is asked about: what an Autopilot record's manufacturer and
 * model are compared with, and the board's. */
static const int placeholder_fields[] = { C_SYS_MANUFACTURER, C_SYS_PRODUCT, C_BOARD_MANUFACTURER, C_BOARD_PRODUCT };

static bool labelled(const tsv *labels, const char *s)
{
	for (size_t k = 0; k < labels->n; k++)
		if (!strcmp(labels->lines[k][0], s))
			return true;
	return false;
}

static void test_placeholders(void **state)
{
	(void)state;
	tsv labels = tsv_read(DMI "labels-placeholder.txt", 1);
	assert_true(labels.n > 0);
	bool *seen = calloc(labels.n, sizeof(*seen));
	assert_non_null(seen);
	size_t hits = 0, strings_checked = 0, false_hits = 0, missed = 0;
	for (size_t i = 1; i < corpus.n; i++)
		for (size_t f = 0; f < PF_ARRAY_SIZE(placeholder_fields); f++) {
			char t[256];
			const char *raw = corpus.lines[i][placeholder_fields[f]];
			const char *s = trimmed(raw, t, sizeof(t));
			if (!*s)
				continue; /* blank: missing, not a placeholder */
			strings_checked++;
			bool want = labelled(&labels, s);
			for (size_t k = 0; k < labels.n; k++)
				if (!strcmp(labels.lines[k][0], s))
					seen[k] = true;
			bool hit = pf_serial_is_placeholder(raw);
			hits += hit;
			if (hit)
				printf("placeholder hit: %s %s \"%s\"%s\n", corpus.lines[i][C_REPORT], columns[placeholder_fields[f]],
				       s, want ? "" : "  <- FALSE HIT");
			if (hit && !want)
				false_hits++;
			if (!hit && want) {
				missed++;
				printf("placeholder MISSED: %s %s \"%s\"\n", corpus.lines[i][C_REPORT], columns[placeholder_fields[f]], s);
			}
		}
	size_t unseen = 0;
	for (size_t k = 0; k < labels.n; k++)
		if (!seen[k]) {
			unseen++;
			printf("placeholder label not in the corpus: \"%s\"\n", labels.lines[k][0]);
		}
	printf("placeholder: %zu strings checked, %zu hits, %zu labelled strings, %zu false hits, %zu missed\n",
	       strings_checked, hits, labels.n, false_hits, missed);
	free(seen);
	tsv_free(&labels);
	assert_int_equal(unseen, 0);
	assert_int_equal(false_hits, 0);
	assert_int_equal(missed, 0);
}

/* Manufacturer spellings: every labelled vendor's spellings meet in one normal form, no two labelled
 * vendors meet, and no unlabelled spelling meets a labelled vendor. */
static void test_vendors(void **state)
{
	(void)state;
	tsv labels = tsv_read(DMI "labels-vendor.tsv", 2);
	assert_true(labels.n > 0);
	char (*norm)[128] = calloc(labels.n, sizeof(*norm));
	bool *seen = calloc(labels.n, sizeof(*seen));
	assert_non_null(norm);
	assert_non_null(seen);
	size_t failures = 0;
	for (size_t k = 0; k < labels.n; k++)
		pf_vendor_normalise(pf_span_of(labels.lines[k][0]), norm[k], sizeof(norm[k]));
	for (size_t a = 0; a < labels.n; a++)
		for (size_t b = a + 1; b < labels.n; b++) {
			bool same_vendor = !strcmp(labels.lines[a][1], labels.lines[b][1]);
			bool meet = pf_vendor_eq(pf_span_of(labels.lines[a][0]), pf_span_of(labels.lines[b][0]));
			if (same_vendor != meet) {
				failures++;
				printf("vendor: \"%s\" (%s, \"%s\") and \"%s\" (%s, \"%s\") %s\n", labels.lines[a][0], labels.lines[a][1],
				       norm[a], labels.lines[b][0], labels.lines[b][1], norm[b],
				       same_vendor ? "are one vendor but do not meet" : "are different vendors but meet");
			}
		}
	/* Every manufacturer spelling of the corpus against the labelled ones. */
	static const int fields[] = { C_SYS_MANUFACTURER, C_BOARD_MANUFACTURER, C_CHASSIS_MANUFACTURER };
	size_t spellings = 0, unlabelled_meets = 0;
	for (size_t i = 1; i < corpus.n; i++)
		for (size_t f = 0; f < PF_ARRAY_SIZE(fields); f++) {
			char t[256], n[128];
			const char *s = trimmed(corpus.lines[i][fields[f]], t, sizeof(t));
			if (!*s)
				continue;
			spellings++;
			pf_vendor_normalise(pf_span_of(s), n, sizeof(n));
			bool is_labelled = false;
			for (size_t k = 0; k < labels.n; k++)
				if (!strcmp(labels.lines[k][0], s)) {
					seen[k] = true;
					is_labelled = true;
				}
			if (is_labelled || !n[0])
				continue;
			for (size_t k = 0; k < labels.n; k++)
				if (!strcmp(norm[k], n)) {
					unlabelled_meets++;
					printf("vendor: unlabelled \"%s\" (%s %s) meets %s (\"%s\" -> \"%s\")\n", s,
					       corpus.lines[i][C_REPORT], columns[fields[f]], labels.lines[k][1], labels.lines[k][0], n);
					break;
				}
		}
	size_t unseen = 0, vendors = 0;
	for (size_t k = 0; k < labels.n; k++) {
		if (!seen[k]) {
			unseen++;
			printf("vendor label not in the corpus: \"%s\"\n", labels.lines[k][0]);
		}
		bool first = true;
		for (size_t j = 0; j < k; j++)
			if (!strcmp(labels.lines[j][1], labels.lines[k][1]))
				first = false;
		if (first) {
			vendors++;
			printf("vendor %s: normal form \"%s\"\n", labels.lines[k][1], norm[k]);
		}
	}
	printf("vendor: %zu spellings in the corpus, %zu labelled spellings of %zu vendors, %zu wrong pairs, %zu unlabelled meets\n",
	       spellings, labels.n, vendors, failures, unlabelled_meets);
	free(norm);
	free(seen);
	tsv_free(&labels);
	assert_int_equal(unseen, 0);
	assert_int_equal(failures, 0);
	assert_int_equal(unlabelled_meets, 0);
}

/* Lenovo keeps the machine type in Product Name and the friendly name in Version: a record with
 * either matches, and which one is said. */
static void test_lenovo_models(void **state)
{
	(void)state;
	size_t lenovo = 0, by_version = 0;
	for (size_t i = 1; i < corpus.n; i++) {
		char **r = corpus.lines[i];
		char t[256];
		if (strcmp(trimmed(r[C_SYS_MANUFACTURER], t, sizeof(t)), "LENOVO"))
			continue;
		char pt[256], vt[256];
		const char *product = trimmed(r[C_SYS_PRODUCT], pt, sizeof(pt));
		const char *version = trimmed(r[C_SYS_VERSION], vt, sizeof(vt));
		if (!*product || !*version || !strcmp(product, version))
			continue;
		pf_identity id;
		pf_identity_init(&id);
		id.product = strdup(r[C_SYS_PRODUCT]);
		id.version = strdup(r[C_SYS_VERSION]);
		id.family = dup_or_null(r[C_SYS_FAMILY]);
		lenovo++;
		const char *m = pf_model_match(pf_span_of(product), &id);
		if (!m || strcmp(m, "product"))
			fail_msg("%s: model \"%s\" matched %s", r[C_REPORT], product, m ? m : "nothing");
		m = pf_model_match(pf_span_of(version), &id);
		if (!m)
			fail_msg("%s: model \"%s\" (SMBIOS version) matched nothing", r[C_REPORT], version);
		by_version += !strcmp(m, "version");
		pf_identity_free(&id);
	}
	printf("lenovo: %zu systems with product and version apart, %zu matched by version\n", lenovo, by_version);
	assert_true(lenovo > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virtual_machines),
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_vendors),
		cmocka_unit_test(test_lenovo_models),
	};
	return cmocka_run_group_tests(tests, load_corpus, free_corpus);
}
