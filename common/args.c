/* Command-line parsing for runs from the UEFI Shell; arguments override the config file. */
#include "args.h"
#include "fmt.h"

/* Next word of the line into word (quotes removed); false at the end. */
static bool next_word(const char **p, const char *end, char *word, size_t cap, bool *ret_too_long)
{
	const char *s = *p;
	while (s < end && pf_isspace(*s))
		s++;
	if (s >= end)
		return false;
	size_t n = 0;
	bool quoted = false;
	*ret_too_long = false;
	while (s < end && (quoted || !pf_isspace(*s))) {
		if (*s == '"') {
			quoted = !quoted;
		} else if (n + 1 < cap) {
			word[n++] = *s;
		} else {
			*ret_too_long = true;
		}
		s++;
	}
	word[n] = '\0';
	*p = s;
	return true;
}

static bool parse_after(const char *w, pf_after *ret)
{
	static const struct {
		const char *name;
		pf_after value;
	} actions[] = {
		{ "prompt", PF_AFTER_PROMPT },
		{ "shutdown", PF_AFTER_SHUTDOWN },
		{ "reboot", PF_AFTER_REBOOT },
		{ "boot-windows", PF_AFTER_BOOT_WINDOWS },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(actions); i++)
		if (pf_span_eq_cstr_nocase(pf_span_of(w), actions[i].name)) {
			*ret = actions[i].value;
			return true;
		}
	return false;
}

pf_status pf_args_parse(const char *cmdline, size_t len, pf_args *ret_args, char *err, size_t err_cap)
{
	pf_args a = { 0 };
	const char *p = cmdline, *end = cmdline + len;
	char word[256];
	bool first = true, too_long;

	while (next_word(&p, end, word, sizeof(word), &too_long)) {
		if (too_long) {
			pf_snprintf(err, err_cap, "argument \"%.40s...\" is too long", word);
			return PF_ERR_INVALID;
		}
		bool is_option = word[0] == '-';
		if (first && !is_option) {
			first = false;
			continue; /* the program's own name */
		}
		first = false;
		if (!pf_strcmp(word, "-c") || !pf_strcmp(word, "--config")) {
			if (!next_word(&p, end, a.config_path, sizeof(a.config_path), &too_long) || too_long) {
				pf_snprintf(err, err_cap, "%s needs a file name", word);
				return PF_ERR_INVALID;
			}
		} else if (!pf_strcmp(word, "--offline")) {
			a.offline = true;
		} else if (!pf_strcmp(word, "--after")) {
			char action[32];
			if (!next_word(&p, end, action, sizeof(action), &too_long) || !parse_after(action, &a.after)) {
				pf_snprintf(err, err_cap, "--after takes shutdown, reboot, boot-windows or prompt");
				return PF_ERR_INVALID;
			}
			a.has_after = true;
		} else if (!pf_strcmp(word, "--repeat")) {
			char n[16];
			uint64_t v = 0;
			if (!next_word(&p, end, n, sizeof(n), &too_long) || too_long || !pf_parse_u64(pf_span_of(n), PF_REPEAT_MAX, &v) ||
			    v < 1 || v > PF_REPEAT_MAX) {
				pf_snprintf(err, err_cap, "--repeat takes a count from 1 to %d", PF_REPEAT_MAX);
				return PF_ERR_INVALID;
			}
			a.repeat = (uint32_t)v;
		} else {
			pf_snprintf(err, err_cap, "unknown argument \"%s\" (usage: preflight.efi [-c CONFIG] [--offline] [--after shutdown|reboot|boot-windows|prompt] [--repeat N])", word);
			return PF_ERR_INVALID;
		}
	}
	*ret_args = a;
	return PF_OK;
}

void pf_args_apply(const pf_args *a, pf_config *c)
{
	if (a->offline) {
		c->offline = true;
		c->network_enabled = false;
		c->graph_enabled = false;
	}
	if (a->has_after)
		c->after_action = a->after;
	if (a->repeat)
		c->debug_repeat = a->repeat;
}
