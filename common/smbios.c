/* SMBIOS entry points and structure table: bounds-checked at every step, because firmware tables lie. */
#include "smbios.h"
#include "fmt.h"
#include "str.h"

#define HDR_LEN 4
#define TYPE_BIOS 0
#define TYPE_SYSTEM 1
#define TYPE_BASEBOARD 2
#define TYPE_CHASSIS 3
#define TYPE_END 127

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static bool sum_zero(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s == 0;
}

pf_status pf_smbios_parse_entry(const void *buf, size_t len, pf_smbios_entry *ret)
{
	const uint8_t *p = buf;
	pf_smbios_entry e = { 0 };

	if (!p)
		return PF_ERR_INVALID;
	if (len >= 0x18 && memcmp(p, "_SM3_", 5) == 0) {
		uint8_t ep_len = p[6];
		if (ep_len < 0x18 || ep_len > len)
			return PF_ERR_TRUNCATED;
		if (!sum_zero(p, ep_len))
			return PF_ERR_INVALID;
		e.is3 = true;
		e.major = p[7];
		e.minor = p[8];
		e.table_len = rd32(p + 0x0C);
		e.table_addr = rd64(p + 0x10);
	} else if (len >= 0x1F && memcmp(p, "_SM_", 4) == 0) {
		/* Length 0x1E is a known firmware mistake for 2.1 entry points; the checksum decides. */
		uint8_t ep_len = p[5];
		if (ep_len < 0x1E || ep_len > len)
			return PF_ERR_TRUNCATED;
		if (!sum_zero(p, ep_len))
			return PF_ERR_INVALID;
		if (memcmp(p + 0x10, "_DMI_", 5) != 0 || !sum_zero(p + 0x10, 0x0F))
			return PF_ERR_INVALID;
		e.major = p[6];
		e.minor = p[7];
		e.table_len = rd16(p + 0x16);
		e.table_addr = rd32(p + 0x18);
		e.n_structs = rd16(p + 0x1C);
	} else {
		return PF_ERR_INVALID;
	}
	*ret = e;
	return PF_OK;
}

/* One structure: its formatted area and the string-set that follows, both inside the table. */
typedef struct {
	const uint8_t *p;
	uint8_t type, len;
	const uint8_t *strings;
	size_t strings_len; /* up to and excluding the double NUL */
} structure;

static bool field_u8(const structure *s, uint8_t off, uint8_t *ret)
{
	if (off >= s->len)
		return false;
	*ret = s->p[off];
	return true;
}

/* String n (1-based) of a structure: NULL for index 0, an index past the set, or a field beyond
 * the formatted area (older SMBIOS versions have shorter structures). */
static pf_status field_str(const structure *s, uint8_t off, char **dst)
{
	uint8_t idx;
	if (!field_u8(s, off, &idx) || idx == 0)
		return PF_OK;
	size_t i = 0;
	for (uint8_t n = 1; i < s->strings_len; n++) {
		size_t start = i;
		while (i < s->strings_len && s->strings[i])
			i++;
		if (n == idx) {
			char *c = pf_strndup((const char *)s->strings + start, i - start);
			if (!c)
				return PF_ERR_NOMEM;
			pf_free(*dst);
			*dst = c;
			return PF_OK;
		}
		i++; /* the NUL */
	}
	return PF_OK;
}

void pf_smbios_uuid_str(const uint8_t r[16], char out[37])
{
	pf_snprintf(out, 37, "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
	            r[3], r[2], r[1], r[0], r[5], r[4], r[7], r[6], r[8], r[9], r[10], r[11], r[12], r[13], r[14],
	            r[15]);
}

static pf_status read_system(const structure *s, pf_identity *id)
{
	pf_status st;
	if ((st = field_str(s, 0x04, &id->manufacturer)) || (st = field_str(s, 0x05, &id->product)) ||
	    (st = field_str(s, 0x06, &id->version)) || (st = field_str(s, 0x07, &id->serial)) ||
	    (st = field_str(s, 0x19, &id->sku)) || (st = field_str(s, 0x1A, &id->family)))
		return st;
	if (s->len >= 0x08 + 16) {
		const uint8_t *u = s->p + 0x08;
		bool all00 = true, allff = true;
		for (int i = 0; i < 16; i++) {
			all00 &= u[i] == 0x00;
			allff &= u[i] == 0xFF;
		}
		/* All-FF: "not present"; all-zero: "present but not set" (SMBIOS 7.2.1). Neither is an id. */
		if (!all00 && !allff) {
			char text[37];
			pf_smbios_uuid_str(u, text);
			char *c = pf_strdup(text);
			if (!c)
				return PF_ERR_NOMEM;
			pf_free(id->uuid);
			id->uuid = c;
			memcpy(id->uuid_raw, u, 16);
			id->has_uuid = true;
		}
	}
	return PF_OK;
}

static pf_status read_structure(const structure *s, pf_identity *id, bool seen[4])
{
	pf_status st = PF_OK;
	uint8_t v;

	if (s->type > TYPE_CHASSIS || seen[s->type])
		return PF_OK;
	seen[s->type] = true;
	switch (s->type) {
	case TYPE_BIOS:
		if ((st = field_str(s, 0x04, &id->bios_vendor)) == PF_OK)
			st = field_str(s, 0x05, &id->bios_version);
		break;
	case TYPE_SYSTEM:
		st = read_system(s, id);
		break;
	case TYPE_BASEBOARD:
		if ((st = field_str(s, 0x04, &id->baseboard_manufacturer)) || (st = field_str(s, 0x05, &id->baseboard_product)) ||
		    (st = field_str(s, 0x06, &id->baseboard_version)))
			break;
		st = field_str(s, 0x07, &id->baseboard_serial);
		break;
	case TYPE_CHASSIS:
		if (field_u8(s, 0x05, &v))
			id->chassis_type = v & 0x7F; /* bit 7 is the chassis lock */
		st = field_str(s, 0x07, &id->chassis_serial);
		break;
	}
	return st;
}

pf_status pf_smbios_parse_table(const void *buf, size_t len, const pf_smbios_entry *entry, pf_identity *id,
                                const char **ret_problem)
{
	const uint8_t *t = buf;
	size_t off = 0, count = 0;
	bool seen[4] = { false };
	const char *problem = NULL;

	if (!t || len == 0)
		return PF_ERR_INVALID;
	while (off < len) {
		structure s;
		if (len - off < HDR_LEN) {
			problem = "the table ends inside a structure header";
			break;
		}
		s.p = t + off;
		s.type = s.p[0];
		s.len = s.p[1];
		if (s.len < HDR_LEN) {
			problem = "a structure is shorter than its own header";
			break;
		}
		if (s.len > len - off) {
			problem = "a structure runs past the end of the table";
			break;
		}
		/* The string-set ends with two NULs; a structure without strings has just those two. */
		size_t i = off + s.len;
		s.strings = t + i;
		while (i + 1 < len && !(t[i] == 0 && t[i + 1] == 0))
			i++;
		if (i + 1 >= len) {
			problem = "a structure's strings have no end (missing double NUL)";
			break;
		}
		s.strings_len = (size_t)(t + i - s.strings);
		pf_status st = read_structure(&s, id, seen);
		if (st != PF_OK)
			return st;
		count++;
		off = i + 2;
		if (s.type == TYPE_END)
			break;
		if (entry && entry->n_structs && count >= entry->n_structs)
			break;
	}
	if (count == 0 && !problem)
		problem = "the table holds no structure";
	if (entry) {
		char v[16];
		pf_snprintf(v, sizeof(v), "%u.%u", entry->major, entry->minor);
		pf_free(id->smbios_version);
		pf_free(id->smbios_entry);
		id->smbios_version = pf_strdup(v);
		id->smbios_entry = pf_strdup(entry->is3 ? "_SM3_" : "_SM_");
		if (!id->smbios_version || !id->smbios_entry)
			return PF_ERR_NOMEM;
	}
	if (problem && ret_problem)
		*ret_problem = problem;
	return count ? PF_OK : PF_ERR_INVALID;
}
