/* The boot server's files for a network boot without a file system: the list of names, and a read-only volume of them in memory. */
#include "srvfiles.h"
#include "fmt.h"
#include "str.h"

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
	       c == '-';
}

static bool same_name(const char *a, const char *b)
{
	while (*a && pf_tolower(*a) == pf_tolower(*b)) {
		a++;
		b++;
	}
	return pf_tolower(*a) == pf_tolower(*b);
}

/* Checks one line (without its end) and writes the normalised name ('/' between parts); why when not. */
static bool check_name(const char *s, size_t n, char *out, const char **why)
{
	if (n >= PF_SRV_NAME_MAX) {
		*why = "the name is too long";
		return false;
	}
	size_t part = 0;
	for (size_t i = 0; i <= n; i++) {
		char c = i < n ? s[i] : '/';
		if (c == '/' || c == '\\') {
			if (part == 0) {
				*why = i == 0 ? "the name must be relative to the folder" : "an empty part in the name";
				return false;
			}
			if ((part == 1 && s[i - 1] == '.') || (part == 2 && s[i - 1] == '.' && s[i - 2] == '.')) {
				*why = "\".\" and \"..\" are not allowed";
				return false;
			}
			part = 0;
			out[i] = '/';
			continue;
		}
		if (!name_char(c)) {
			*why = "only letters, digits, '.', '_', '-' and '/' are allowed";
			return false;
		}
		out[i] = c;
		part++;
	}
	out[n] = '\0';
	return true;
}

void pf_srv_list_parse(const void *buf, size_t len, pf_srv_list *ret_list)
{
	const char *p = buf;
	pf_srv_list *l = ret_list;
	unsigned line = 0;

	l->n = 0;
	l->skipped = 0;
	l->bad_line = 0;
	l->bad_why[0] = '\0';
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(p + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - p) : len;
		pf_span s = pf_span_trim((pf_span){ p + off, end - off });
		off = nl ? end + 1 : len;
		line++;
		if (s.len == 0 || s.p[0] == '#')
			continue;
		char name[PF_SRV_NAME_MAX];
		const char *why = NULL;
		if (!check_name(s.p, s.len, name, &why))
			;
		else if (same_name(name, PF_SRV_CONFIG_NAME) || same_name(name, PF_SRV_LIST_NAME))
			continue; /* fetched anyway */
		else if (l->n == PF_SRV_MAX_FILES)
			why = "more files than Preflight fetches (64)";
		if (why) {
			if (!l->bad_line) {
				l->bad_line = line;
				pf_strlcpy(l->bad_why, why, sizeof(l->bad_why));
			}
			l->skipped++;
			continue;
		}
		memcpy(l->names[l->n++], name, strlen(name) + 1);
	}
}

pf_status pf_srv_sibling(const char *bootfile, const char *name, char *ret, size_t cap)
{
	size_t keep = 0;
	for (size_t i = 0; bootfile[i]; i++)
		if (bootfile[i] == '/' || bootfile[i] == '\\')
			keep = i + 1;
	size_t nlen = strlen(name);
	if (keep + nlen + 1 > cap)
		return PF_ERR_TOO_BIG;
	memcpy(ret, bootfile, keep);
	memcpy(ret + keep, name, nlen + 1);
	return PF_OK;
}

pf_status pf_memvol_add(pf_memvol *v, const char *name, uint8_t *data, size_t len)
{
	pf_memfile *f = &v->files[v->n];
	if (v->n == PF_SRV_MAX_FILES + 1 || strlen(name) + sizeof("preflight\\") > sizeof(f->path)) {
		pf_free(data);
		return v->n == PF_SRV_MAX_FILES + 1 ? PF_ERR_FULL : PF_ERR_TOO_BIG;
	}
	pf_snprintf(f->path, sizeof(f->path), "preflight\\%s", name);
	for (char *c = f->path; *c; c++)
		if (*c == '/')
			*c = '\\';
	f->data = data;
	f->len = len;
	v->n++;
	return PF_OK;
}

void pf_memvol_free(pf_memvol *v)
{
	for (size_t i = 0; i < v->n; i++)
		pf_free(v->files[i].data);
	v->n = 0;
}

/* path without its leading and trailing backslashes. */
static pf_span clean(const char *path)
{
	pf_span s = pf_span_of(path);
	while (s.len && s.p[0] == '\\') {
		s.p++;
		s.len--;
	}
	while (s.len && s.p[s.len - 1] == '\\')
		s.len--;
	return s;
}

/* The part of f below dir (dir "" is the root), or NULL when f is not below it. */
static const char *below(const char *f, pf_span dir)
{
	if (dir.len == 0)
		return f;
	for (size_t i = 0; i < dir.len; i++)
		if (!f[i] || pf_tolower(f[i]) != pf_tolower(dir.p[i]))
			return NULL;
	return f[dir.len] == '\\' ? f + dir.len + 1 : NULL;
}

pf_memvol_kind pf_memvol_find(const pf_memvol *v, const char *path, size_t *ret_idx)
{
	pf_span p = clean(path);
	if (p.len == 0)
		return PF_MEMVOL_DIR;
	for (size_t i = 0; i < v->n; i++) {
		const char *f = v->files[i].path;
		if (pf_span_eq_nocase(pf_span_of(f), p)) {
			*ret_idx = i;
			return PF_MEMVOL_FILE;
		}
	}
	for (size_t i = 0; i < v->n; i++)
		if (below(v->files[i].path, p))
			return PF_MEMVOL_DIR;
	return PF_MEMVOL_NONE;
}

/* Length of the first part of rest (up to a backslash or the end). */
static size_t first_part(const char *rest)
{
	size_t n = 0;
	while (rest[n] && rest[n] != '\\')
		n++;
	return n;
}

bool pf_memvol_entry(const pf_memvol *v, const char *dir, size_t k, char *ret_name, size_t cap, bool *ret_dir,
		     size_t *ret_size)
{
	pf_span d = clean(dir);
	size_t seen = 0;
	for (size_t i = 0; i < v->n; i++) {
		const char *rest = below(v->files[i].path, d);
		if (!rest)
			continue;
		size_t n = first_part(rest);
		bool earlier = false; /* the same name from an earlier file: a folder already counted */
		for (size_t j = 0; j < i && !earlier; j++) {
			const char *r2 = below(v->files[j].path, d);
			earlier = r2 && first_part(r2) == n && pf_span_eq_nocase((pf_span){ r2, n }, (pf_span){ rest, n });
		}
		if (earlier)
			continue;
		if (seen++ < k)
			continue;
		pf_copy_printable(ret_name, cap, (pf_span){ rest, n });
		*ret_dir = rest[n] == '\\';
		*ret_size = rest[n] ? 0 : v->files[i].len;
		return true;
	}
	return false;
}
