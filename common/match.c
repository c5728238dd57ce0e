/* Tolerant comparison of record fields with SMBIOS values; the tolerance is data, listed here. */
#include "match.h"

bool pf_serial_eq(pf_span a, pf_span b)
{
	return pf_span_eq_nocase(pf_span_trim(a), pf_span_trim(b));
}

/* Legal-form words dropped from the end of a manufacturer name, longest first per family. */
static const char *const legal_suffixes[] = {
	"corporation", "incorporated", "limited", "company", "corp", "inc", "ltd", "llc", "gmbh", "co kg", "ag",
	"sa", "s a", "bv", "b v", "nv", "plc", "srl", "spa", "kk", "co", "pty", "oy", "ab", "as",
};

/* Names one vendor goes by, after normalisation; the first entry is the canonical form. Checked
 * against the spellings of real machines' tables (tests/data/dmi/labels-vendor.tsv), firmware typos
 * included ("Gigabyte Tecohnology", "MICRO-STAR INTERANTIONAL"). HP Inc. and Hewlett Packard
 * Enterprise are different companies since 2015, as are Fujitsu and Fujitsu Siemens, Sony and VAIO,
 * Toshiba and Semp Toshiba; Toshiba's PC business became Dynabook. */
#define PF_MAX_ALIASES 6
static const char *const aliases[][PF_MAX_ALIASES] = {
	{ "hp", "hewlett packard", "hewleet packard", "ewlett packard", NULL },
	{ "hpe", "hewlett packard enterprise", NULL },
	{ "dell", "dell computer", "dell emc", "dellinc", NULL },
	{ "fujitsu", "fujitsu client computing", NULL },
	{ "dynabook", "toshiba", NULL },
	{ "asus", "asustek computer", "asustek", "asustek computer in", "asustekcomputer", NULL },
	{ "msi", "micro star international", "micro star", "micro star int'l", "micro star intl", NULL },
	{ "msi", "micro star interantional", "micro star interantonal", NULL },
	{ "gigabyte", "gigabyte technology", "gigabyte tecohnology", NULL },
	{ "samsung", "samsung electronics", NULL },
	{ "panasonic", "panasonic connect", NULL },
	{ "intel", "intel r client systems", "intel r", NULL },
};

static bool ends_with_word(const char *s, size_t len, const char *w, size_t *ret_cut)
{
	size_t n = strlen(w);
	if (len < n + 1 || s[len - n - 1] != ' ')
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[len - n + i] != w[i])
			return false;
	*ret_cut = len - n - 1;
	return true;
}

void pf_vendor_normalise(pf_span s, char *out, size_t cap)
{
	size_t o = 0;
	bool space = true; /* drops leading spaces */
	if (cap == 0)
		return;
	for (size_t i = 0; i < s.len && o + 1 < cap; i++) {
		char c = pf_tolower(s.p[i]);
		/* Punctuation and hyphens separate words like spaces do. */
		if (pf_isspace(c) || c == '.' || c == ',' || c == '(' || c == ')' || c == '-' || c == '&') {
			if (!space)
				out[o++] = ' ';
			space = true;
			continue;
		}
		out[o++] = c;
		space = false;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	/* Strip legal suffixes repeatedly: "Co., Ltd." is two of them. */
	for (bool again = true; again;) {
		again = false;
		for (size_t i = 0; i < PF_ARRAY_SIZE(legal_suffixes); i++) {
			size_t cut;
			if (ends_with_word(out, o, legal_suffixes[i], &cut)) {
				o = cut;
				out[o] = '\0';
				again = true;
			}
		}
	}
	for (size_t i = 0; i < PF_ARRAY_SIZE(aliases); i++)
		for (size_t k = 1; k < PF_MAX_ALIASES && aliases[i][k]; k++)
			if (!pf_strcmp(out, aliases[i][k])) {
				pf_strlcpy(out, aliases[i][0], cap);
				return;
			}
}

bool pf_vendor_eq(pf_span a, pf_span b)
{
	char na[128], nb[128];
	pf_vendor_normalise(a, na, sizeof(na));
	pf_vendor_normalise(b, nb, sizeof(nb));
	return na[0] && !pf_strcmp(na, nb);
}

bool pf_loose_eq(pf_span a, pf_span b)
{
	pf_span x = pf_span_trim(a), y = pf_span_trim(b);
	size_t i = 0, k = 0;
	while (i < x.len && k < y.len) {
		if (pf_isspace(x.p[i]) && pf_isspace(y.p[k])) {
			while (i < x.len && pf_isspace(x.p[i]))
				i++;
			while (k < y.len && pf_isspace(y.p[k]))
				k++;
			continue;
		}
		if (pf_tolower(x.p[i]) != pf_tolower(y.p[k]))
			return false;
		i++;
		k++;
	}
	return i == x.len && k == y.len && x.len > 0;
}

static bool loose_eq(pf_span a, const char *b)
{
	return b && pf_loose_eq(a, pf_span_of(b));
}

const char *pf_model_match(pf_span model, const pf_identity *id)
{
	if (loose_eq(model, id->product))
		return "product";
	if (loose_eq(model, id->version))
		return "version";
	if (loose_eq(model, id->family))
		return "family";
	return NULL;
}
