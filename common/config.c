/* preflight.ini keys as a table (section, key, type, limits, field) with contract defaults and checks. */
#include "config.h"
#include "buf.h"
#include "endpoint.h"
#include "proxy.h"
#include "fmt.h"
#include "ini.h"

typedef enum { T_BOOL, T_U32, T_STR, T_PATH, T_URL, T_ENDPOINTS, T_SERVICES, T_AFTER, T_HOSTPORT, T_BOOL_WORD } key_type;

typedef struct {
	const char *section;
	const char *key;
	key_type type;
	size_t offset;
	uint32_t min, max;  /* T_U32 */
	const char *def;    /* default as the file would say it; NULL for an empty string key */
} key_def;

#define F(field) offsetof(pf_config, field)
static const key_def keys[] = {
	{ "network", "enabled", T_BOOL, F(network_enabled), 0, 0, "true" },
	{ "network", "timeout_ms", T_U32, F(network_timeout_ms), 100, 600000, "5000" },
	{ "network", "dhcp_timeout_ms", T_U32, F(dhcp_timeout_ms), 500, 600000, "15000" },
	{ "network", "dhcp_first_offer", T_BOOL, F(dhcp_first_offer), 0, 0, "true" },
	/* How long the 802.1X probe listens for an authenticator, alongside DHCP; 0 sends no EAPOL-Start. */
	{ "network", "dot1x_timeout_ms", T_U32, F(dot1x_timeout_ms), 0, 60000, "3000" },
	/* How long IPv6 autoconfiguration may take (alongside DHCP); 0 leaves IPv6 alone. */
	{ "network", "ipv6_wait_ms", T_U32, F(ipv6_wait_ms), 0, 60000, "5000" },
	{ "network", "endpoints", T_ENDPOINTS, F(network_endpoints), 0, 0, NULL },
	{ "network", "extra_endpoints", T_ENDPOINTS, F(network_extra_endpoints), 0, 0, NULL },
	{ "network", "required_services", T_SERVICES, F(network_required_services), 0, 0, NULL },
	/* A proxy the site configures Windows with by hand (WinHTTP), checked instead of the direct path. */
	{ "network", "proxy", T_HOSTPORT, F(network_proxy), 0, 0, NULL },
	/* WPAD as OOBE does it (wpad), or no discovery (off); a PAC file the site gives Windows by hand. */
	{ "network", "proxy_discovery", T_BOOL_WORD, F(network_wpad), 0, 0, "wpad" },
	{ "network", "pac_url", T_URL, F(network_pac_url), 0, 0, NULL },
	{ "network", "max_clock_skew_s", T_U32, F(max_clock_skew_s), 0, 31622400, "300" },
	{ "records", "dir", T_PATH, F(records_dir), 0, 0, "\\preflight\\records" },
	{ "graph", "enabled", T_BOOL, F(graph_enabled), 0, 0, "false" },
	{ "graph", "endpoint", T_URL, F(graph_endpoint), 0, 0, "https://graph.microsoft.com" },
	{ "graph", "login_endpoint", T_URL, F(graph_login_endpoint), 0, 0, "https://login.microsoftonline.com" },
	{ "graph", "tenant", T_STR, F(graph_tenant), 0, 0, NULL },
	{ "graph", "client_id", T_STR, F(graph_client_id), 0, 0, NULL },
	{ "graph", "token_file", T_PATH, F(graph_token_file), 0, 0, NULL },
	{ "graph", "expected_user", T_STR, F(graph_expected_user), 0, 0, NULL },
	{ "graph", "user_timeout_ms", T_U32, F(graph_user_timeout_ms), 1000, 600000, "30000" },
	{ "identity", "allow_virtual_machine", T_BOOL, F(allow_virtual_machine), 0, 0, "false" },
	{ "identity", "require_tpm", T_BOOL, F(require_tpm), 0, 0, "true" },
	{ "identity", "require_secure_boot", T_BOOL, F(require_secure_boot), 0, 0, "false" },
	{ "identity", "require_2023_secure_boot_keys", T_BOOL, F(require_2023_secure_boot_keys), 0, 0, "false" },
	{ "windows", "require_installed", T_BOOL, F(require_installed_windows), 0, 0, "false" },
	{ "report", "dir", T_PATH, F(report_dir), 0, 0, "\\preflight\\reports" },
	/* A secret (its SAS signature): T_STR, so that no message ever repeats the value. */
	{ "report", "upload_url", T_STR, F(report_upload_url), 0, 0, NULL },
	{ "report", "upload_sas_file", T_PATH, F(report_upload_sas_file), 0, 0, NULL },
	{ "after", "action", T_AFTER, F(after_action), 0, 0, "prompt" },
	{ "debug", "repeat", T_U32, F(debug_repeat), 1, PF_REPEAT_MAX, "1" },
};
#undef F

static const char *const after_names[] = {
	[PF_AFTER_PROMPT] = "prompt",
	[PF_AFTER_SHUTDOWN] = "shutdown",
	[PF_AFTER_REBOOT] = "reboot",
	[PF_AFTER_BOOT_WINDOWS] = "boot-windows",
};

const char *pf_after_str(pf_after a)
{
	return (unsigned)a < PF_ARRAY_SIZE(after_names) ? after_names[a] : "prompt";
}

void pf_diag_add(pf_diags *d, unsigned line, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	pf_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		pf_diag *n = pf_realloc(d->items, cap * sizeof(*n));
		if (!n)
			return; /* the message is lost, the run goes on */
		d->items = n;
		d->cap = cap;
	}
	char *m = pf_strdup(msg);
	if (!m)
		return;
	d->items[d->n++] = (pf_diag){ line, m };
}

void pf_diags_free(pf_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		pf_free(d->items[i].message);
	pf_free(d->items);
	*d = (pf_diags){ 0 };
}

/* The endpoint syntax is common/endpoint.c's; a throwaway list is parsed only for its verdict. */
static bool endpoints_valid(pf_span v, char *why, size_t cap)
{
	pf_endpoints list = { 0 };
	pf_status st = pf_endpoints_parse(v.p, v.len, &list, why, cap);
	pf_endpoints_free(&list);
	return st == PF_OK;
}

/* Checks and stores one value; on a bad value returns PF_ERR_INVALID with the reason in why. */
static pf_status set_value(pf_config *c, const key_def *k, pf_span v, char *why, size_t cap)
{
	void *field = (char *)c + k->offset;
	char *copy;
	bool b;
	uint64_t n;

	switch (k->type) {
	case T_BOOL:
		if (!pf_parse_bool(v, &b)) {
			pf_snprintf(why, cap, "'%.*s' is not true or false", (int)v.len, v.p);
			return PF_ERR_INVALID;
		}
		*(bool *)field = b;
		return PF_OK;
	case T_U32:
		if (!pf_parse_u64(v, UINT32_MAX, &n) || n < k->min || n > k->max) {
			pf_snprintf(why, cap, "'%.*s' is not a whole number from %u to %u", (int)v.len, v.p, k->min, k->max);
			return PF_ERR_INVALID;
		}
		*(uint32_t *)field = (uint32_t)n;
		return PF_OK;
	case T_BOOL_WORD: /* network.proxy_discovery: wpad or off */
		if (pf_span_eq_cstr_nocase(v, "wpad") || pf_span_eq_cstr_nocase(v, "off")) {
			*(bool *)field = pf_span_eq_cstr_nocase(v, "wpad");
			return PF_OK;
		}
		pf_snprintf(why, cap, "'%.*s' is not wpad or off", (int)v.len, v.p);
		return PF_ERR_INVALID;
	case T_SERVICES: {
		uint32_t mask;
		pf_status st = pf_services_parse(v.p, v.len, &mask, why, cap);
		if (st == PF_OK)
			*(uint32_t *)field = mask;
		return st;
	}
	case T_AFTER:
		for (size_t i = 0; i < PF_ARRAY_SIZE(after_names); i++)
			if (pf_span_eq_cstr_nocase(v, after_names[i])) {
				*(pf_after *)field = (pf_after)i;
				return PF_OK;
			}
		pf_snprintf(why, cap, "'%.*s' is not prompt, shutdown, reboot or boot-windows", (int)v.len, v.p);
		return PF_ERR_INVALID;
	case T_PATH:
		if (!v.len && k->def) {
			pf_snprintf(why, cap, "must not be empty");
			return PF_ERR_INVALID;
		}
		/* The contract: the application writes only below \preflight\ on the stick. */
		if (k->offset == offsetof(pf_config, report_dir) &&
		    !(pf_span_starts_nocase(v, "\\preflight\\") || pf_span_starts_nocase(v, "/preflight/") ||
		      pf_span_starts_nocase(v, "\\preflight/") || pf_span_starts_nocase(v, "/preflight\\"))) {
			pf_snprintf(why, cap, "'%.*s' must be a folder below \\preflight\\ (reports are only written there)",
			            (int)v.len, v.p);
			return PF_ERR_INVALID;
		}
		if (v.len && (v.p[0] != '\\' && v.p[0] != '/')) {
			pf_snprintf(why, cap, "'%.*s' must be a path from the stick's root, like \\preflight\\x", (int)v.len, v.p);
			return PF_ERR_INVALID;
		}
		if (v.len > 255 || pf_span_contains_nocase(v, "..")) {
			pf_snprintf(why, cap, "'%.*s' is too long or contains '..'", (int)v.len, v.p);
			return PF_ERR_INVALID;
		}
		break;
	case T_URL:
		if (!v.len && !k->def)
			break; /* a URL key without a default: empty means none */
		if (!pf_span_starts_nocase(v, "https://") && !pf_span_starts_nocase(v, "http://")) {
			pf_snprintf(why, cap, "'%.*s' is not an http:// or https:// URL", (int)v.len, v.p);
			return PF_ERR_INVALID;
		}
		break;
	case T_ENDPOINTS:
		if (v.len && !endpoints_valid(v, why, cap))
			return PF_ERR_INVALID;
		break;
	case T_HOSTPORT: {
		pf_hostport hp;
		if (v.len && pf_hostport_parse(v.p, v.len, &hp, why, cap) != PF_OK)
			return PF_ERR_INVALID;
		break;
	}
	case T_STR:
		break;
	}
	/* Strings: an empty value means "none" (NULL), as the contract's "empty" defaults. */
	copy = NULL;
	if (v.len && !(copy = pf_strndup(v.p, v.len)))
		return PF_ERR_NOMEM;
	if (k->type == T_PATH)
		for (char *q = copy; q && *q; q++)
			if (*q == '/')
				*q = '\\'; /* UEFI file paths use backslashes */
	pf_free(*(char **)field);
	*(char **)field = copy;
	return PF_OK;
}

static bool is_string(key_type t)
{
	return t == T_STR || t == T_PATH || t == T_URL || t == T_ENDPOINTS || t == T_HOSTPORT;
}

void pf_config_free(pf_config *c)
{
	for (size_t i = 0; i < PF_ARRAY_SIZE(keys); i++)
		if (is_string(keys[i].type)) {
			char **s = (char **)((char *)c + keys[i].offset);
			pf_free(*s);
			*s = NULL;
		}
}

pf_status pf_config_defaults(pf_config *c)
{
	char why[160];
	*c = (pf_config){ 0 };
	for (size_t i = 0; i < PF_ARRAY_SIZE(keys); i++) {
		pf_status st = set_value(c, &keys[i], pf_span_of(keys[i].def ? keys[i].def : ""), why, sizeof(why));
		if (st != PF_OK) {
			pf_config_free(c);
			return st;
		}
	}
	return PF_OK;
}

static const key_def *find_key(pf_span section, pf_span key)
{
	for (size_t i = 0; i < PF_ARRAY_SIZE(keys); i++)
		if (pf_span_eq_cstr_nocase(section, keys[i].section) && pf_span_eq_cstr_nocase(key, keys[i].key))
			return &keys[i];
	return NULL;
}

static bool section_known(pf_span section)
{
	for (size_t i = 0; i < PF_ARRAY_SIZE(keys); i++)
		if (pf_span_eq_cstr_nocase(section, keys[i].section))
			return true;
	return false;
}

/* Edit distance of two short ASCII strings, case-insensitive, capped: for "did you mean". */
static size_t distance(pf_span a, const char *b)
{
	size_t bl = strlen(b), row[40];
	if (a.len >= 39 || bl >= 39)
		return 99;
	for (size_t j = 0; j <= bl; j++)
		row[j] = j;
	for (size_t i = 1; i <= a.len; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= bl; j++) {
			size_t up = row[j];
			size_t cost = pf_tolower(a.p[i - 1]) == pf_tolower(b[j - 1]) ? 0 : 1;
			row[j] = PF_MIN(PF_MIN(row[j] + 1, row[j - 1] + 1), diag + cost);
			diag = up;
		}
	}
	return row[bl];
}

typedef struct {
	pf_config *c;
	pf_diags *d;
} parse_ctx;

static void on_section(void *ctx, unsigned line, pf_span section)
{
	parse_ctx *p = ctx;
	if (!section_known(section))
		pf_diag_add(p->d, line, "unknown section [%.*s]: its keys are ignored", (int)section.len, section.p);
}

static pf_status on_pair(void *ctx, unsigned line, pf_span section, pf_span key, pf_span value)
{
	parse_ctx *p = ctx;
	char why[200];

	if (!section_known(section)) {
		if (section.len == 0)
			pf_diag_add(p->d, line, "key '%.*s' is outside any [section]", (int)key.len, key.p);
		return PF_OK; /* the section header was reported */
	}
	const key_def *k = find_key(section, key);
	if (!k) {
		const char *best = NULL;
		size_t best_d = 3;
		for (size_t i = 0; i < PF_ARRAY_SIZE(keys); i++) {
			size_t dist;
			if (pf_span_eq_cstr_nocase(section, keys[i].section) && (dist = distance(key, keys[i].key)) < best_d) {
				best_d = dist;
				best = keys[i].key;
			}
		}
		if (best)
			pf_diag_add(p->d, line, "unknown key '%.*s' in [%.*s] (did you mean '%s'?)", (int)key.len, key.p,
			            (int)section.len, section.p, best);
		else
			pf_diag_add(p->d, line, "unknown key '%.*s' in [%.*s]", (int)key.len, key.p, (int)section.len,
			            section.p);
		return PF_OK;
	}
	pf_status st = set_value(p->c, k, value, why, sizeof(why));
	if (st == PF_ERR_INVALID)
		pf_diag_add(p->d, line, "%s.%s: %s; the previous value (at first the default) stays", k->section, k->key, why);
	return st;
}

static void on_error(void *ctx, unsigned line, const char *reason)
{
	parse_ctx *p = ctx;
	pf_diag_add(p->d, line, "malformed line: %s", reason);
}

pf_status pf_config_parse(pf_config *c, const void *buf, size_t len, pf_diags *diags)
{
	parse_ctx p = { c, diags };
	static const pf_ini_handler h = { on_section, on_pair, on_error };
	return pf_ini_parse(buf, len, &h, &p);
}

pf_status pf_config_set(pf_config *c, const char *section_key, pf_span value, char **ret_error)
{
	char why[200];
	pf_span sk = pf_span_of(section_key);
	const char *dot = memchr(sk.p, '.', sk.len);
	const key_def *k = dot ? find_key((pf_span){ sk.p, (size_t)(dot - sk.p) },
	                                  (pf_span){ dot + 1, sk.len - (size_t)(dot + 1 - sk.p) })
	                       : NULL;
	if (!k) {
		pf_snprintf(why, sizeof(why), "unknown key '%s'", section_key);
	} else {
		pf_status st = set_value(c, k, value, why, sizeof(why));
		if (st != PF_ERR_INVALID)
			return st;
	}
	if (ret_error)
		*ret_error = pf_strdup(why);
	return PF_ERR_INVALID;
}
