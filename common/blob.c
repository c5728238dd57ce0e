/* Azure Blob Storage upload of a report: container URL and SAS, Put Blob request, error code (docs/upload.md). */
#include "blob.h"
#include "fmt.h"
#include "str.h"

const char *pf_upload_state_str(pf_upload_state s)
{
	static const char *const names[] = { "none", "uploading", "uploaded", "failed", "skipped" };
	return (unsigned)s < PF_ARRAY_SIZE(names) ? names[s] : "none";
}

/* The value of one query parameter (name=), or a NULL span. */
static pf_span query_value(const char *q, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = q; p && *p;) {
		const char *end = memchr(p, '&', strlen(p));
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > n && p[n] == '=' && pf_span_eq_cstr_nocase((pf_span){ p, n }, name))
			return (pf_span){ p + n + 1, len - n - 1 };
		p = end ? end + 1 : NULL;
	}
	return (pf_span){ NULL, 0 };
}

pf_status pf_blob_container_parse(const void *text, size_t len, pf_blob_container *ret)
{
	pf_span s = pf_span_trim((pf_span){ text, len });
	const char *q = s.len ? memchr(s.p, '?', s.len) : NULL;
	if (!q)
		return PF_ERR_INVALID;
	size_t qlen = s.len - (size_t)(q - s.p) - 1;
	if (qlen == 0)
		return PF_ERR_INVALID;
	if (qlen > PF_BLOB_SAS_MAX)
		return PF_ERR_TOO_BIG;
	pf_blob_container *c = pf_malloc(sizeof(*c));
	if (!c)
		return PF_ERR_NOMEM;
	pf_status st = pf_url_parse((pf_span){ s.p, (size_t)(q - s.p) }, &c->url);
	if (st == PF_OK) {
		memcpy(c->sas, q + 1, qlen);
		c->sas[qlen] = '\0';
		/* The container is the path: at least one segment; a trailing slash goes. */
		size_t t = strlen(c->url.target);
		while (t > 1 && c->url.target[t - 1] == '/')
			c->url.target[--t] = '\0';
		pf_span sig = query_value(c->sas, "sig");
		if (t < 2 || !sig.p || !sig.len || memchr(c->sas, '#', qlen) || memchr(c->sas, ' ', qlen))
			st = PF_ERR_INVALID;
	}
	if (st == PF_OK) {
		pf_copy_printable(c->perms, sizeof(c->perms), query_value(c->sas, "sp"));
		pf_copy_printable(c->expiry, sizeof(c->expiry), query_value(c->sas, "se"));
		*ret = *c;
	}
	pf_wipe(c, sizeof(*c));
	pf_free(c);
	return st;
}

bool pf_blob_sas_broad(const pf_blob_container *c, char *ret, size_t cap)
{
	size_t n = 0;
	for (const char *p = c->perms; *p && cap; p++)
		if (!memchr("cwa", *p, 3) && n + 1 < cap)
			ret[n++] = *p;
	if (cap)
		ret[n < cap ? n : cap - 1] = '\0';
	return n > 0;
}

size_t pf_blob_masked_url(const pf_blob_container *c, const char *blob, char *out, size_t cap)
{
	char masked[PF_BLOB_SAS_MAX + 8];
	size_t m = 0;
	for (const char *p = c->sas; p && *p;) {
		const char *end = memchr(p, '&', strlen(p));
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool sig = len >= 4 && pf_span_eq_cstr_nocase((pf_span){ p, 4 }, "sig=");
		m += pf_snprintf(masked + PF_MIN(m, sizeof(masked) - 1), sizeof(masked) - PF_MIN(m, sizeof(masked) - 1),
				 "%s%.*s", m ? "&" : "", sig ? 7 : (int)len, sig ? "sig=***" : p);
		p = end ? end + 1 : NULL;
	}
	char port[8] = "";
	if (c->url.port != (c->url.https ? 443 : 80))
		pf_snprintf(port, sizeof(port), ":%u", (unsigned)c->url.port);
	return pf_snprintf(out, cap, "%s://%s%s%s%s%s?%s", c->url.https ? "https" : "http", c->url.host, port,
			   c->url.target, blob ? "/" : "", blob ? blob : "", masked);
}

size_t pf_blob_put_request(const pf_blob_container *c, const char *blob, size_t body_len, char *out, size_t cap)
{
	char enc[512];
	if (pf_percent_encode(pf_span_of(blob), false, enc, sizeof(enc)) >= sizeof(enc))
		enc[0] = '\0';
	char port[8] = "";
	if (c->url.port != (c->url.https ? 443 : 80))
		pf_snprintf(port, sizeof(port), ":%u", (unsigned)c->url.port);
	return pf_snprintf(out, cap,
			   "PUT %s/%s?%s HTTP/1.1\r\nHost: %s%s\r\nx-ms-blob-type: BlockBlob\r\nx-ms-version: " PF_BLOB_VERSION
			   "\r\nContent-Type: application/json\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
			   c->url.target, enc, c->sas, c->url.host, port, body_len);
}

void pf_blob_error_code(const void *buf, size_t head_len, const void *body, size_t body_len, char *out, size_t cap)
{
	pf_span v;
	if (cap)
		out[0] = '\0';
	if (buf && pf_http_header(buf, head_len, "x-ms-error-code", &v) && v.len) {
		pf_copy_printable(out, cap, pf_span_trim(v));
		return;
	}
	/* <Error><Code>AuthenticationFailed</Code><Message>...: the first <Code> element. */
	const char *b = body;
	for (size_t i = 0; b && i + 6 <= body_len; i++)
		if (memcmp(b + i, "<Code>", 6) == 0) {
			size_t start = i + 6, end = start;
			while (end < body_len && b[end] != '<')
				end++;
			pf_copy_printable(out, cap, pf_span_trim((pf_span){ b + start, end - start }));
			return;
		}
}
