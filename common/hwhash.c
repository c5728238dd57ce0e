/* Hardware hash decoding: validate the record walk first, then fill fields from tables of string and list records. */
#include "hwhash.h"
#include "le.h"
#include "base64.h"
#include "fmt.h"
#include "str.h"
#include "utf.h"

#define STR(field, type, name) { type, name, offsetof(pf_hwhash, field) }

/* Report order: identity first, then firmware and board, then the rest. */
const pf_hwhash_string_field pf_hwhash_string_fields[PF_HWHASH_N_STRING_FIELDS] = {
	STR(serial, PF_HWH_SERIAL, "serial"),
	STR(manufacturer, PF_HWH_MANUFACTURER, "manufacturer"),
	STR(product, PF_HWH_PRODUCT, "product"),
	STR(sku, PF_HWH_SKU, "sku"),
	STR(family, PF_HWH_FAMILY, "family"),
	STR(system_version, PF_HWH_SYSTEM_VERSION, "system_version"),
	STR(firmware_vendor, PF_HWH_FIRMWARE_VENDOR, "firmware_vendor"),
	STR(firmware_vendor2, PF_HWH_FIRMWARE_VENDOR2, "firmware_vendor2"),
	STR(board_product, PF_HWH_BOARD_PRODUCT, "board_product"),
	STR(board_version, PF_HWH_BOARD_VERSION, "board_version"),
	STR(tpm_version, PF_HWH_TPM_VERSION, "tpm_version"),
	STR(product_key_id, PF_HWH_PRODUCT_KEY_ID, "product_key_id"),
	STR(product_key_part, PF_HWH_PRODUCT_KEY_PART, "product_key_part"),
};

/* String records that repeat, one per disk. */
static const struct {
	uint8_t type;
	size_t offset;          /* of the first string */
	size_t count_offset;    /* of the size_t count */
} list_fields[] = {
	{ PF_HWH_DISK_SERIAL, offsetof(pf_hwhash, disk_serials), offsetof(pf_hwhash, n_disk_serials) },
	{ PF_HWH_DISK_SERIAL_KERNEL, offsetof(pf_hwhash, disk_serials_kernel), offsetof(pf_hwhash, n_disk_serials_kernel) },
};



bool pf_hwhash_has(const pf_hwhash *h, unsigned type)
{
	return type < 256 && (h->types[type / 64] >> (type % 64) & 1);
}

/* Checks the framing; NULL when every record lies inside [4, end) and end inside the blob. */
static const char *validate(const uint8_t *b, size_t len)
{
	if (len < 4)
		return "shorter than its 4-byte header";
	if (b[0] != 'O' || b[1] != 'A')
		return "no 'OA' signature";
	size_t end = pf_le16(b + 2);
	if (end > len)
		return "end of records lies past the end of the hash";
	if (end < 4)
		return "end of records lies inside the header";
	if (end == 4)
		return "no records";
	/* Each step moves on by at least 4 bytes, so the walk ends. */
	for (size_t off = 4; off < end;) {
		if (end - off < 4)
			return "record header cut by the end of records";
		size_t rlen = pf_le16(b + off + 2);
		if (rlen < 4)
			return "record shorter than its 4-byte header";
		if (rlen > end - off)
			return "record runs past the end of records";
		off += rlen;
	}
	return NULL;
}

/* A string payload into dst: up to the first NUL, trailing blanks dropped, invalid UTF-8 as U+FFFD,
 * cut at a character boundary to fit. Returns false when it was cut. */
static bool put_str(char *dst, const uint8_t *p, size_t n)
{
	size_t o = 0, i = 0;
	bool whole = true;

	for (size_t k = 0; k < n; k++)
		if (p[k] == 0) {
			n = k;
			break;
		}
	while (n > 0 && pf_isspace((char)p[n - 1]))
		n--;
	while (i < n) {
		size_t used;
		char tmp[4];
		uint32_t cp = pf_utf8_get(p + i, n - i, &used);
		size_t w = pf_utf8_put(tmp, cp);
		if (o + w > PF_HWHASH_STR_MAX - 1) {
			whole = false;
			break;
		}
		memcpy(dst + o, tmp, w);
		o += w;
		i += used;
	}
	dst[o] = '\0';
	return whole;
}

static void fill_uuid(pf_hwhash *h, const uint8_t *u)
{
	memcpy(h->uuid_raw, u, 16);
	/* SMBIOS keeps the first three fields little-endian; Windows prints them as numbers. */
	pf_snprintf(h->uuid, sizeof(h->uuid), "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
		    u[3], u[2], u[1], u[0], u[5], u[4], u[7], u[6], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
	h->has_uuid = true;
}

static void fill_nic(pf_hwhash *h, const uint8_t *r)
{
	if (h->n_nics == PF_HWHASH_MAX_NICS) {
		h->truncated = true;
		return;
	}
	pf_hwhash_nic *n = &h->nics[h->n_nics++];
	n->medium = r[4];
	memcpy(n->mac, r + 8, 6);
	pf_snprintf(n->mac_str, sizeof(n->mac_str), "%02x:%02x:%02x:%02x:%02x:%02x",
		    n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5]);
}

static void fill_disk(pf_hwhash *h, const uint8_t *r)
{
	if (h->n_disks == PF_HWHASH_MAX_DISKS) {
		h->truncated = true;
		return;
	}
	h->disks[h->n_disks++] = (pf_hwhash_disk){ .capacity = pf_le32(r + 4), .bus_type = r[12] };
}

static bool fill_string(pf_hwhash *h, uint8_t type, const uint8_t *pay, size_t n)
{
	char *base = (char *)h;

	for (size_t i = 0; i < PF_ARRAY_SIZE(pf_hwhash_string_fields); i++) {
		const pf_hwhash_string_field *f = &pf_hwhash_string_fields[i];
		if (f->type != type)
			continue;
		if (!pf_hwhash_has(h, type) && !put_str(base + f->offset, pay, n))
			h->truncated = true;
		return true;
	}
	for (size_t i = 0; i < PF_ARRAY_SIZE(list_fields); i++) {
		if (list_fields[i].type != type)
			continue;
		size_t *count = (size_t *)(void *)(base + list_fields[i].count_offset);
		if (*count == PF_HWHASH_MAX_DISKS) {
			h->truncated = true;
			return true;
		}
		if (!put_str(base + list_fields[i].offset + *count * PF_HWHASH_STR_MAX, pay, n))
			h->truncated = true;
		(*count)++;
		return true;
	}
	return false;
}

/* Bytes a fixed-layout record needs; shorter ones are skipped as if absent. */
static const struct {
	uint8_t type;
	uint8_t min_len;
} fixed_min[] = {
	{ PF_HWH_PROCESSOR, 5 },    /* arch at +4 */
	{ PF_HWH_DISK_INFO, 13 },   /* capacity at +4, bus type at +12 */
	{ PF_HWH_NIC, 14 },         /* medium at +4, MAC at +8 */
	{ PF_HWH_CHASSIS, 5 },      /* type at +4 (power role at +5 when present) */
	{ PF_HWH_OFFLINE_ID, 9 },   /* kind at +8 */
	{ PF_HWH_UUID, 20 },        /* 16 bytes at +4 */
};

/* One record r of rlen bytes (rlen >= 4, checked by validate). */
static void fill_record(pf_hwhash *h, const uint8_t *r, size_t rlen)
{
	uint8_t type = r[0];
	bool first = !pf_hwhash_has(h, type);

	for (size_t i = 0; i < PF_ARRAY_SIZE(fixed_min); i++)
		if (fixed_min[i].type == type && rlen < fixed_min[i].min_len)
			return;
	if (!fill_string(h, type, r + 4, rlen - 4)) {
		switch (type) {
		case PF_HWH_DISK_INFO:
			fill_disk(h, r);
			break;
		case PF_HWH_NIC:
			fill_nic(h, r);
			break;
		case PF_HWH_UUID:
			if (first)
				fill_uuid(h, r + 4);
			break;
		case PF_HWH_CHASSIS:
			if (first) {
				h->chassis_type = r[4];
				h->power_role = rlen >= 6 ? r[5] : -1;
			}
			break;
		case PF_HWH_PROCESSOR:
			if (first)
				h->processor_arch = r[4];
			break;
		case PF_HWH_OFFLINE_ID:
			if (first)
				h->offline_id_kind = r[8];
			break;
		case PF_HWH_TPM_EK_PUB:
			if (first) {
				h->ek_pub_len = rlen - 4;
				h->ek_pub_kept = PF_MIN(rlen - 4, sizeof(h->ek_pub));
				memcpy(h->ek_pub, r + 4, h->ek_pub_kept);
			}
			break;
		default:
			break;  /* unknown or not needed: skipped */
		}
	}
	h->types[type / 64] |= (uint64_t)1 << (type % 64);
}

pf_status pf_hwhash_decode(const void *blob, size_t len, pf_hwhash *ret, const char **ret_reason)
{
	const uint8_t *b = blob;
	const char *why = validate(b, len);

	if (why) {
		if (ret_reason)
			*ret_reason = why;
		return PF_ERR_INVALID;
	}
	memset(ret, 0, sizeof(*ret));
	ret->chassis_type = ret->power_role = ret->processor_arch = ret->offline_id_kind = -1;
	size_t end = pf_le16(b + 2);
	for (size_t off = 4; off < end; off += pf_le16(b + off + 2)) {
		fill_record(ret, b + off, pf_le16(b + off + 2));
		ret->n_records++;
	}
	return PF_OK;
}

pf_status pf_hwhash_decode_base64(const char *b64, size_t len, pf_hwhash *ret, const char **ret_reason)
{
	_cleanup_free_ uint8_t *bin = pf_malloc(PF_HWHASH_MAX);
	const char *why;
	size_t n;

	if (!bin) {
		why = "out of memory";
		if (ret_reason)
			*ret_reason = why;
		return PF_ERR_NOMEM;
	}
	pf_status st = pf_base64_decode(b64, len, bin, PF_HWHASH_MAX, &n);
	if (st == PF_ERR_TOO_BIG)
		why = "longer than 16384 bytes";
	else if (st != PF_OK)
		why = "not valid Base64";
	else
		return pf_hwhash_decode(bin, n, ret, ret_reason);
	if (ret_reason)
		*ret_reason = why;
	return st;
}
