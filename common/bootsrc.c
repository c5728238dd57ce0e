/* Where this run was booted from (stick, HTTP boot's RAM disk, HTTP, PXE) and what that means for config and reports. */
#include "bootsrc.h"
#include "fmt.h"
#include "str.h"

/* UEFI 2.10 section 10.3: the generic node header and the node types this decision looks at. */
#define DP_HEADER 4
#define DP_TYPE_MESSAGING 0x03
#define DP_TYPE_MEDIA 0x04
#define DP_TYPE_END 0x7F
#define DP_SUB_END_ENTIRE 0xFF
#define DP_MSG_MAC 0x0B
#define DP_MSG_IPV4 0x0C
#define DP_MSG_IPV6 0x0D
#define DP_MSG_URI 0x18
#define DP_MEDIA_RAM_DISK 0x09

pf_status pf_boot_source_parse(const void *buf, size_t len, pf_boot_source *ret_src)
{
	const uint8_t *p = buf;
	pf_boot_source s = { .kind = PF_BOOT_LOCAL };
	bool net = false, uri = false, ram = false;
	size_t off = 0;

	for (;;) {
		if (len - off < DP_HEADER)
			return PF_ERR_TRUNCATED;
		uint8_t type = p[off], sub = p[off + 1];
		size_t n = (size_t)p[off + 2] | (size_t)p[off + 3] << 8;
		if (n < DP_HEADER)
			return PF_ERR_INVALID;
		if (n > len - off)
			return PF_ERR_TRUNCATED;
		if (type == DP_TYPE_END && sub == DP_SUB_END_ENTIRE)
			break;
		if (type == DP_TYPE_MESSAGING) {
			if (sub == DP_MSG_MAC || sub == DP_MSG_IPV4)
				net = true;
			/* MAC node: 32 bytes of address (an Ethernet one in the first 6), then the interface
			 * type; the network phase uses this adapter (the first such node names it). */
			if (sub == DP_MSG_MAC && !s.has_mac && n >= DP_HEADER + 6) {
				const uint8_t *a = p + off + DP_HEADER;
				pf_snprintf(s.mac, sizeof(s.mac), "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4],
					    a[5]);
				s.has_mac = true;
			}
			if (sub == DP_MSG_IPV6) {
				net = true;
				s.ipv6 = true;
			}
			if (sub == DP_MSG_URI) {
				uri = true;
				/* The URI is the node's payload, not NUL-terminated (some firmware adds one: stop there);
				 * an empty one is allowed. */
				const char *u = (const char *)p + off + DP_HEADER;
				size_t ulen = 0;
				while (ulen < n - DP_HEADER && u[ulen])
					ulen++;
				pf_copy_printable(s.uri, sizeof(s.uri), (pf_span){ u, ulen });
			}
		}
		if (type == DP_TYPE_MEDIA && sub == DP_MEDIA_RAM_DISK)
			ram = true;
		off += n;
	}
	s.kind = ram ? PF_BOOT_RAMDISK : uri ? PF_BOOT_HTTP : net ? PF_BOOT_PXE : PF_BOOT_LOCAL;
	*ret_src = s;
	return PF_OK;
}

static const char *const kind_names[PF_BOOT__COUNT] = {
	[PF_BOOT_LOCAL] = "stick or disk",
	[PF_BOOT_RAMDISK] = "HTTP boot RAM disk",
	[PF_BOOT_HTTP] = "HTTP boot",
	[PF_BOOT_PXE] = "PXE",
};

const char *pf_boot_kind_str(pf_boot_kind kind)
{
	return (unsigned)kind < PF_BOOT__COUNT ? kind_names[kind] : "unknown";
}

#define NOTHING_KEPT "Nothing of this run is kept: this page and its QR code are the record."

void pf_boot_plan_make(const pf_boot_source *src, bool has_fs, bool upload, pf_boot_plan *ret_plan)
{
	pf_boot_plan p = { .read_volume = has_fs, .write_reports = has_fs };
	const char *from = pf_boot_kind_str(src->kind);

	if (src->kind == PF_BOOT_LOCAL) {
		p.reports_persist = has_fs;
		p.nothing_kept = !has_fs;
		if (!has_fs) {
			pf_snprintf(p.notice, sizeof(p.notice), "The boot volume cannot be read: no configuration, records or "
				    "reports; the result page and its QR code are the record.");
			pf_strlcpy(p.page, NOTHING_KEPT, sizeof(p.page));
		}
		*ret_plan = p;
		return;
	}
	/* Over the network nothing written here survives the reset: only the upload can keep the report.
	 * A RAM disk gets the reports first and the upload sends that copy (efi/report_upload.c); without
	 * a file system the upload sends them from memory; without an upload, writing to a RAM disk would
	 * only fill it. */
	if (!has_fs && !src->server_files)
		upload = false; /* the defaults have no upload URL */
	p.write_reports = has_fs && upload;
	p.upload_memory = !has_fs && upload;
	p.nothing_kept = !upload;
	p.read_volume = has_fs || src->server_files;
	const char *at = src->uri[0] ? " from " : "";
	if (!has_fs && !src->server_files)
		pf_snprintf(p.notice, sizeof(p.notice), "Booted over the network (%s%s%s): no file system, so the settings "
			    "are the defaults and nothing of this run will be kept; the result page and its QR code are the record.",
			    from, at, src->uri);
	else if (!upload)
		pf_snprintf(p.notice, sizeof(p.notice), "Booted over the network (%s): no report.upload_url is set, so "
			    "nothing of this run will be kept; the result page and its QR code are the record.", from);
	else
		pf_snprintf(p.notice, sizeof(p.notice), "Booted over the network (%s): the report goes to the Azure Blob "
			    "container (report.upload_url); nothing stays on this PC.", from);
	pf_strlcpy(p.page, p.nothing_kept ? NOTHING_KEPT : "Network boot: the report is kept only in the Azure Blob container.",
		   sizeof(p.page));
	*ret_plan = p;
}

size_t pf_boot_pick_nic(const char *const *macs, const bool *usable, size_t n, const char *preferred, bool *ret_preferred)
{
	size_t first = n;
	*ret_preferred = false;
	for (size_t i = 0; i < n; i++) {
		if (!usable[i])
			continue;
		if (preferred && preferred[0] && pf_span_eq_nocase(pf_span_of(macs[i]), pf_span_of(preferred))) {
			*ret_preferred = true;
			return i;
		}
		if (first == n)
			first = i;
	}
	return first;
}

/* The index of the first of stop's characters in s, or strlen(s). */
static size_t span_until(const char *s, const char *stop)
{
	size_t i = 0;
	while (s[i] && !memchr(stop, s[i], strlen(stop)))
		i++;
	return i;
}

pf_status pf_boot_sibling_url(const char *uri, const char *name, char *ret, size_t cap)
{
	size_t colon = span_until(uri, ":/?#");
	if (colon == 0 || uri[colon] != ':' || uri[colon + 1] != '/' || uri[colon + 2] != '/')
		return PF_ERR_INVALID;
	const char *host = uri + colon + 3;
	size_t end = span_until(host, "?#"); /* the folder is in the path, never in the query */
	size_t hostlen = span_until(host, "/?#");
	if (hostlen == 0)
		return PF_ERR_INVALID;
	size_t keep = (size_t)(host - uri) + hostlen;
	for (size_t i = end; i > hostlen; i--)
		if (host[i - 1] == '/') {
			keep = (size_t)(host - uri) + i - 1;
			break;
		}
	size_t nlen = strlen(name);
	if (keep + 1 + nlen + 1 > cap)
		return PF_ERR_TOO_BIG;
	memcpy(ret, uri, keep);
	ret[keep] = '/';
	memcpy(ret + keep + 1, name, nlen + 1);
	return PF_OK;
}
