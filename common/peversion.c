/* The version resource of a PE image: resource directory walk to RT_VERSION and its VS_FIXEDFILEINFO. */
#include "pe.h"

#define RT_VERSION 16
#define DIR_HEADER 16
#define DIR_ENTRY 8
#define SUBDIR_FLAG 0x80000000u
#define FIXED_SIGNATURE 0xFEEF04BDu
#define FIXED_SIZE 52

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * In the directory at dir (an offset within the resource block rs of rs_len bytes), the entry with
 * this ID, or the first entry when id is 0 (names and languages: any will do). ret_off gets the
 * entry's OffsetToData, high bit included.
 */
static pf_status dir_find(const uint8_t *rs, size_t rs_len, uint32_t dir, uint32_t id, uint32_t *ret_off)
{
	if (dir > rs_len || rs_len - dir < DIR_HEADER)
		return PF_ERR_TRUNCATED;
	size_t n = (size_t)le16(rs + dir + 12) + le16(rs + dir + 14);
	if (n > (rs_len - dir - DIR_HEADER) / DIR_ENTRY)
		return PF_ERR_TRUNCATED;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *e = rs + dir + DIR_HEADER + i * DIR_ENTRY;
		uint32_t name = le32(e);
		if (id == 0 || name == id) {
			*ret_off = le32(e + 4);
			return PF_OK;
		}
	}
	return PF_ERR_NOT_FOUND;
}

/* The "VS_VERSION_INFO" key in UTF-16LE with its terminator. */
static bool key_is_version_info(const uint8_t *k)
{
	static const char key[] = "VS_VERSION_INFO";
	for (size_t i = 0; i < sizeof(key); i++)
		if (k[2 * i] != (uint8_t)key[i] || k[2 * i + 1] != 0)
			return false;
	return true;
}

pf_status pf_pe_version_read(const void *buf, size_t len, const pf_pe *pe, pf_pe_version *ret_version)
{
	const uint8_t *p = buf;
	size_t rs_off;

	if (!pe->rsrc_rva || !pe->rsrc_size)
		return PF_ERR_NOT_FOUND;
	pf_status st = pf_pe_rva_to_off(pe, len, pe->rsrc_rva, pe->rsrc_size, &rs_off);
	if (st != PF_OK)
		return st == PF_ERR_NOT_FOUND ? PF_ERR_TRUNCATED : st;
	const uint8_t *rs = p + rs_off;
	size_t rs_len = pe->rsrc_size;

	/* Type, name, language: three levels, each a subdirectory but the last, which is a data entry.
	 * Walking exactly three levels is what keeps a directory that points at itself from looping. */
	uint32_t at = 0;
	for (int level = 0; level < 3; level++) {
		st = dir_find(rs, rs_len, at, level == 0 ? RT_VERSION : 0, &at);
		if (st != PF_OK)
			return st;
		bool subdir = at & SUBDIR_FLAG;
		if (subdir != (level < 2))
			return PF_ERR_INVALID;
		at &= ~SUBDIR_FLAG;
	}
	if (at > rs_len || rs_len - at < 16)
		return PF_ERR_TRUNCATED;
	uint32_t data_rva = le32(rs + at), data_size = le32(rs + at + 4);
	size_t vi;
	st = pf_pe_rva_to_off(pe, len, data_rva, data_size, &vi);
	if (st != PF_OK)
		return st == PF_ERR_NOT_FOUND ? PF_ERR_TRUNCATED : st;

	/* VS_VERSIONINFO: wLength, wValueLength, wType, the key, padding to 32 bits, then the fixed info. */
	const size_t fixed_at = 40;
	if (data_size < fixed_at + FIXED_SIZE)
		return PF_ERR_TRUNCATED;
	const uint8_t *v = p + vi;
	if (le16(v) > data_size || le16(v) < fixed_at + FIXED_SIZE || le16(v + 2) < FIXED_SIZE)
		return PF_ERR_INVALID;
	if (!key_is_version_info(v + 6))
		return PF_ERR_INVALID;
	const uint8_t *f = v + fixed_at;
	if (le32(f) != FIXED_SIGNATURE)
		return PF_ERR_INVALID;
	uint32_t fms = le32(f + 8), fls = le32(f + 12), pms = le32(f + 16), pls = le32(f + 20);
	*ret_version = (pf_pe_version){
		.file = { (uint16_t)(fms >> 16), (uint16_t)fms, (uint16_t)(fls >> 16), (uint16_t)fls },
		.product = { (uint16_t)(pms >> 16), (uint16_t)pms, (uint16_t)(pls >> 16), (uint16_t)pls },
	};
	return PF_OK;
}
