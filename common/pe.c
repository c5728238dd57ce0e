/* PE/COFF header and section reader and the Authenticode image hash, every offset checked against the file. */
#include "pe.h"
#include "digest.h"

#define OPT_MAGIC_PE32 0x10b
#define OPT_MAGIC_PE32PLUS 0x20b
#define SECTION_HEADER 40
#define DIR_RESOURCE 2
#define DIR_SECURITY 4

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* off + n <= len without overflow. */
static bool fits(size_t off, size_t n, size_t len) { return off <= len && n <= len - off; }

pf_status pf_pe_parse(const void *buf, size_t len, pf_pe *ret_pe)
{
	const uint8_t *p = buf;
	pf_pe pe = { 0 };

	if (len < 0x40)
		return PF_ERR_TRUNCATED;
	if (p[0] != 'M' || p[1] != 'Z')
		return PF_ERR_INVALID;
	size_t nt = le32(p + 0x3c);
	if (!fits(nt, 24, len))
		return PF_ERR_TRUNCATED;
	if (memcmp(p + nt, "PE\0\0", 4) != 0)
		return PF_ERR_INVALID;
	const uint8_t *coff = p + nt + 4;
	pe.machine = le16(coff);
	pe.n_sections = le16(coff + 2);
	size_t opt_size = le16(coff + 16), opt = nt + 24;
	if (pe.n_sections > PF_PE_MAX_SECTIONS)
		return PF_ERR_UNSUPPORTED;
	if (!fits(opt, opt_size, len))
		return PF_ERR_TRUNCATED;

	/* Offsets within the optional header of SizeOfHeaders, CheckSum, Subsystem, NumberOfRvaAndSizes,
	 * DataDirectory: PE32+ drops BaseOfData and widens four fields, moving the last two by 16. */
	if (opt_size < 2)
		return PF_ERR_INVALID;
	uint16_t magic = le16(p + opt);
	if (magic != OPT_MAGIC_PE32 && magic != OPT_MAGIC_PE32PLUS)
		return PF_ERR_INVALID;
	pe.pe32plus = magic == OPT_MAGIC_PE32PLUS;
	size_t n_dirs_at = pe.pe32plus ? 108 : 92, dirs_at = n_dirs_at + 4;
	if (opt_size < dirs_at)
		return PF_ERR_INVALID;
	pe.size_of_headers = le32(p + opt + 60);
	pe.checksum_off = opt + 64;
	pe.subsystem = le16(p + opt + 68);
	/* The count in the header is believed only as far as the optional header's own size reaches. */
	size_t n_dirs = PF_MIN((size_t)le32(p + opt + n_dirs_at), (opt_size - dirs_at) / 8);
	const uint8_t *dirs = p + opt + dirs_at;
	if (n_dirs > DIR_RESOURCE) {
		pe.rsrc_rva = le32(dirs + 8 * DIR_RESOURCE);
		pe.rsrc_size = le32(dirs + 8 * DIR_RESOURCE + 4);
	}
	if (n_dirs > DIR_SECURITY) {
		pe.secdir_off = opt + dirs_at + 8 * DIR_SECURITY;
		pe.cert_off = le32(dirs + 8 * DIR_SECURITY);
		pe.cert_size = le32(dirs + 8 * DIR_SECURITY + 4);
	}

	size_t sect = opt + opt_size, sect_end = sect + pe.n_sections * SECTION_HEADER;
	if (!fits(sect, pe.n_sections * SECTION_HEADER, len))
		return PF_ERR_TRUNCATED;
	/* The headers that get hashed must hold the section table and lie within the file. */
	if (pe.size_of_headers < sect_end)
		return PF_ERR_INVALID;
	if (pe.size_of_headers > len)
		return PF_ERR_TRUNCATED;
	for (size_t i = 0; i < pe.n_sections; i++) {
		const uint8_t *h = p + sect + i * SECTION_HEADER;
		pf_pe_section *s = &pe.sections[i];
		memcpy(s->name, h, 8);
		s->name[8] = '\0';
		s->vsize = le32(h + 8);
		s->vaddr = le32(h + 12);
		s->raw_size = le32(h + 16);
		s->raw_off = le32(h + 20);
		if (s->raw_size && !fits(s->raw_off, s->raw_size, len))
			return PF_ERR_TRUNCATED;
	}
	if (pe.cert_size && !fits(pe.cert_off, pe.cert_size, len))
		return PF_ERR_TRUNCATED;
	*ret_pe = pe;
	return PF_OK;
}

pf_status pf_pe_authenticode_sha256(const void *buf, size_t len, const pf_pe *pe, uint8_t ret_digest[32])
{
	const uint8_t *p = buf;
	br_sha256_context c;
	br_sha256_init(&c);

	/* Headers: up to CheckSum, past it up to the security entry, past that to SizeOfHeaders. */
	br_sha256_update(&c, p, pe->checksum_off);
	if (pe->secdir_off) {
		br_sha256_update(&c, p + pe->checksum_off + 4, pe->secdir_off - pe->checksum_off - 4);
		br_sha256_update(&c, p + pe->secdir_off + 8, pe->size_of_headers - pe->secdir_off - 8);
	} else {
		br_sha256_update(&c, p + pe->checksum_off + 4, pe->size_of_headers - pe->checksum_off - 4);
	}
	size_t hashed = pe->size_of_headers;

	/* Sections by file offset; a stable order among equal offsets, as edk2's insertion sort gives. */
	uint8_t order[PF_PE_MAX_SECTIONS];
	size_t n = 0;
	for (size_t i = 0; i < pe->n_sections; i++) {
		size_t j = n++;
		while (j > 0 && pe->sections[order[j - 1]].raw_off > pe->sections[i].raw_off) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = (uint8_t)i;
	}
	for (size_t k = 0; k < n; k++) {
		const pf_pe_section *s = &pe->sections[order[k]];
		if (s->raw_size == 0)
			continue;
		br_sha256_update(&c, p + s->raw_off, s->raw_size);
		hashed += s->raw_size;
	}

	/* What follows, except the certificate table (assumed last, as signing tools place it). Sections
	 * that overlap can make the sum exceed the file: edk2 then refuses the image. */
	if (len > hashed) {
		if (len < hashed + pe->cert_size)
			return PF_ERR_INVALID;
		br_sha256_update(&c, p + hashed, len - hashed - pe->cert_size);
	}
	br_sha256_out(&c, ret_digest);
	return PF_OK;
}

pf_status pf_pe_rva_to_off(const pf_pe *pe, size_t len, uint32_t rva, uint32_t size, size_t *ret_off)
{
	for (size_t i = 0; i < pe->n_sections; i++) {
		const pf_pe_section *s = &pe->sections[i];
		if (rva < s->vaddr)
			continue;
		uint32_t d = rva - s->vaddr;
		if (d > s->raw_size || size > s->raw_size - d)
			continue;
		size_t off = (size_t)s->raw_off + d;
		if (!fits(off, size, len))
			return PF_ERR_TRUNCATED;
		*ret_off = off;
		return PF_OK;
	}
	return PF_ERR_NOT_FOUND;
}
