/* Resources of a PE image: the directory walk, RT_VERSION's VS_FIXEDFILEINFO, the boot manager's SVN (RT_RCDATA). */
#include "pe.h"
#include "le.h"

#define RT_VERSION 16
#define RT_RCDATA 10
#define DIR_HEADER 16
#define DIR_ENTRY 8
#define SUBDIR_FLAG 0x80000000u
#define FIXED_SIGNATURE 0xFEEF04BDu
#define FIXED_SIZE 52


/* A named entry's IMAGE_RESOURCE_DIR_STRING_U (a length, then UTF-16LE) equals name, ASCII letters in
 * any case (Windows finds named resources case-insensitively). */
static bool name_is(const uint8_t *rs, size_t rs_len, uint32_t at, const char *name)
{
	size_t n = strlen(name);
	if (at > rs_len || rs_len - at < 2 || pf_le16(rs + at) != n || (rs_len - at - 2) / 2 < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint16_t c = pf_le16(rs + at + 2 + 2 * i);
		if (c >= 'a' && c <= 'z')
			c = (uint16_t)(c - 'a' + 'A');
		char w = name[i] >= 'a' && name[i] <= 'z' ? (char)(name[i] - 'a' + 'A') : name[i];
		if (c != (uint8_t)w)
			return false;
	}
	return true;
}

/*
 * In the directory at dir (an offset within the resource block rs of rs_len bytes), the entry with
 * this ID, or with this name when name is set, or the first entry when both are unset (names and
 * languages: any will do). ret_off gets the entry's OffsetToData, high bit included.
 */
static pf_status dir_find(const uint8_t *rs, size_t rs_len, uint32_t dir, uint32_t id, const char *name, uint32_t *ret_off)
{
	if (dir > rs_len || rs_len - dir < DIR_HEADER)
		return PF_ERR_TRUNCATED;
	size_t n = (size_t)pf_le16(rs + dir + 12) + pf_le16(rs + dir + 14);
	if (n > (rs_len - dir - DIR_HEADER) / DIR_ENTRY)
		return PF_ERR_TRUNCATED;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *e = rs + dir + DIR_HEADER + i * DIR_ENTRY;
		uint32_t key = pf_le32(e);
		bool match = name ? (key & SUBDIR_FLAG) && name_is(rs, rs_len, key & ~SUBDIR_FLAG, name) :
				    id == 0 || key == id;
		if (match) {
			*ret_off = pf_le32(e + 4);
			return PF_OK;
		}
	}
	return PF_ERR_NOT_FOUND;
}

/*
 * The data of the resource of this type and name (NULL: the first name), first language: its file
 * offset and size, checked to lie within a section. Type, name, language are three levels, each a
 * subdirectory but the last, which is a data entry; walking exactly three levels is what keeps a
 * directory that points at itself from looping.
 */
static pf_status resource_find(const uint8_t *p, size_t len, const pf_pe *pe, uint32_t type, const char *name,
			       size_t *ret_off, uint32_t *ret_size)
{
	size_t rs_off;
	if (!pe->rsrc_rva || !pe->rsrc_size)
		return PF_ERR_NOT_FOUND;
	pf_status st = pf_pe_rva_to_off(pe, len, pe->rsrc_rva, pe->rsrc_size, &rs_off);
	if (st != PF_OK)
		return st == PF_ERR_NOT_FOUND ? PF_ERR_TRUNCATED : st;
	const uint8_t *rs = p + rs_off;
	size_t rs_len = pe->rsrc_size;
	uint32_t at = 0;
	for (int level = 0; level < 3; level++) {
		st = dir_find(rs, rs_len, at, level == 0 ? type : 0, level == 1 ? name : NULL, &at);
		if (st != PF_OK)
			return st;
		bool subdir = at & SUBDIR_FLAG;
		if (subdir != (level < 2))
			return PF_ERR_INVALID;
		at &= ~SUBDIR_FLAG;
	}
	if (at > rs_len || rs_len - at < 16)
		return PF_ERR_TRUNCATED;
	uint32_t data_rva = pf_le32(rs + at), data_size = pf_le32(rs + at + 4);
	st = pf_pe_rva_to_off(pe, len, data_rva, data_size, ret_off);
	if (st != PF_OK)
		return st == PF_ERR_NOT_FOUND ? PF_ERR_TRUNCATED : st;
	*ret_size = data_size;
	return PF_OK;
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
	size_t vi;
	uint32_t data_size;
	pf_status st = resource_find(p, len, pe, RT_VERSION, NULL, &vi, &data_size);
	if (st != PF_OK)
		return st;

	/* VS_VERSIONINFO: wLength, wValueLength, wType, the key, padding to 32 bits, then the fixed info. */
	const size_t fixed_at = 40;
	if (data_size < fixed_at + FIXED_SIZE)
		return PF_ERR_TRUNCATED;
	const uint8_t *v = p + vi;
	if (pf_le16(v) > data_size || pf_le16(v) < fixed_at + FIXED_SIZE || pf_le16(v + 2) < FIXED_SIZE)
		return PF_ERR_INVALID;
	if (!key_is_version_info(v + 6))
		return PF_ERR_INVALID;
	const uint8_t *f = v + fixed_at;
	if (pf_le32(f) != FIXED_SIGNATURE)
		return PF_ERR_INVALID;
	uint32_t fms = pf_le32(f + 8), fls = pf_le32(f + 12), pms = pf_le32(f + 16), pls = pf_le32(f + 20);
	*ret_version = (pf_pe_version){
		.file = { (uint16_t)(fms >> 16), (uint16_t)fms, (uint16_t)(fls >> 16), (uint16_t)fls },
		.product = { (uint16_t)(pms >> 16), (uint16_t)pms, (uint16_t)(pls >> 16), (uint16_t)pls },
	};
	return PF_OK;
}

pf_status pf_pe_bootmgr_svn(const void *buf, size_t len, const pf_pe *pe, uint32_t *ret_svn)
{
	size_t off;
	uint32_t size;
	pf_status st = resource_find(buf, len, pe, RT_RCDATA, "BOOTMGRSECURITYVERSIONNUMBER", &off, &size);
	if (st != PF_OK)
		return st;
	if (size < 4)
		return PF_ERR_INVALID;
	/* A DWORD: the minor version in the low word, the major in the high word (both little-endian). */
	*ret_svn = pf_le32((const uint8_t *)buf + off);
	return PF_OK;
}
