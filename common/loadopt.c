/* Boot#### load options and device path nodes (UEFI 2.10 sections 3.1.3 and 10.3), lengths checked. */
#include "loadopt.h"
#include "str.h"
#include "utf.h"

#define NODE_MEDIA 4
#define MEDIA_HD 1
#define MEDIA_FILE 4
#define NODE_END 0x7f
#define HD_NODE_LEN 42

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* UCS-2 units from p (n bytes, an even count taken) up to a NUL, as UTF-8. */
static char *ucs2_text(const uint8_t *p, size_t n, size_t *ret_bytes)
{
	size_t units = 0;
	while (2 * units + 1 < n && le16(p + 2 * units) != 0)
		units++;
	uint16_t *tmp = pf_malloc((units + 1) * sizeof(uint16_t));
	if (!tmp)
		return NULL;
	for (size_t i = 0; i < units; i++)
		tmp[i] = le16(p + 2 * i);
	char *s = pf_ucs2_to_utf8(tmp, units);
	pf_free(tmp);
	if (ret_bytes)
		*ret_bytes = 2 * units;
	return s;
}

/* Walks nodes until End; calls out for the HD and file nodes it finds. */
static pf_status walk(const uint8_t *p, size_t len, pf_load_option *o, bool want_file)
{
	size_t off = 0;
	while (off + 4 <= len) {
		uint8_t type = p[off], sub = p[off + 1];
		size_t n = le16(p + off + 2);
		if (n < 4 || n > len - off)
			return PF_ERR_INVALID;
		if (type == NODE_END)
			return PF_OK;
		if (type == NODE_MEDIA && sub == MEDIA_HD && n >= HD_NODE_LEN && !o->has_hd) {
			o->has_hd = true;
			o->partition = le32(p + off + 4);
			memcpy(o->signature, p + off + 24, 16);
		} else if (want_file && type == NODE_MEDIA && sub == MEDIA_FILE && !o->file) {
			o->file = ucs2_text(p + off + 4, n - 4, NULL);
			if (!o->file)
				return PF_ERR_NOMEM;
		}
		off += n;
	}
	return PF_ERR_TRUNCATED; /* no End node */
}

pf_status pf_load_option_parse(const void *buf, size_t len, pf_load_option *ret_opt)
{
	const uint8_t *p = buf;
	pf_load_option o = { 0 };
	if (len < 6)
		return PF_ERR_TRUNCATED;
	o.attributes = le32(p);
	size_t dp_len = le16(p + 4), desc_bytes;
	o.description = ucs2_text(p + 6, len - 6, &desc_bytes);
	if (!o.description)
		return PF_ERR_NOMEM;
	size_t dp = 6 + desc_bytes + 2; /* past the NUL */
	pf_status s = PF_ERR_TRUNCATED;
	if (dp <= len && dp_len <= len - dp)
		s = walk(p + dp, dp_len, &o, true);
	if (s != PF_OK) {
		pf_load_option_free(&o);
		return s;
	}
	*ret_opt = o;
	return PF_OK;
}

void pf_load_option_free(pf_load_option *opt)
{
	pf_free(opt->description);
	pf_free(opt->file);
	*opt = (pf_load_option){ 0 };
}

bool pf_devpath_hd(const void *dp, size_t len, uint32_t *ret_partition, uint8_t ret_signature[16])
{
	pf_load_option o = { 0 };
	if (walk(dp, len, &o, false) != PF_OK || !o.has_hd)
		return false;
	*ret_partition = o.partition;
	memcpy(ret_signature, o.signature, 16);
	return true;
}

bool pf_load_option_is_bootmgfw(const pf_load_option *opt, const uint8_t signature[16])
{
	static const char name[] = "\\efi\\microsoft\\boot\\bootmgfw.efi";
	if (!opt->has_hd || !opt->file || memcmp(opt->signature, signature, 16) != 0)
		return false;
	return pf_span_eq_cstr_nocase(pf_span_of(opt->file), name);
}
