/* PE/COFF images (boot managers on an ESP): headers, sections, security directory, Authenticode hash, version. */
#ifndef PF_PE_H
#define PF_PE_H

#include "pf.h"

/* The PE/COFF specification allows at most 96 sections; the loader in edk2 refuses more. */
#define PF_PE_MAX_SECTIONS 96

#define PF_PE_MACHINE_I386 0x014c
#define PF_PE_MACHINE_X64 0x8664
#define PF_PE_MACHINE_ARM64 0xaa64

typedef struct {
	char name[9];             /* NUL-terminated, as stored (8 bytes at most) */
	uint32_t vaddr;           /* VirtualAddress (RVA) */
	uint32_t vsize;           /* VirtualSize */
	uint32_t raw_off;         /* PointerToRawData */
	uint32_t raw_size;        /* SizeOfRawData */
} pf_pe_section;

typedef struct {
	uint16_t machine;
	bool pe32plus;            /* optional header magic 0x20b (else 0x10b) */
	uint16_t subsystem;       /* 10: EFI application */
	uint32_t size_of_headers; /* SizeOfHeaders, checked to lie within the file */
	size_t checksum_off;      /* file offset of the optional header's CheckSum */
	size_t secdir_off;        /* file offset of data directory entry 4; 0 when the directory is that short */
	uint32_t cert_off;        /* security directory: a file offset (not an RVA), 0 when unsigned */
	uint32_t cert_size;
	uint32_t rsrc_rva;        /* resource directory (entry 2), 0 when absent */
	uint32_t rsrc_size;
	size_t n_sections;
	pf_pe_section sections[PF_PE_MAX_SECTIONS];
} pf_pe;

/*
 * Reads the DOS stub's e_lfanew, the COFF and optional headers, the data directory and the section
 * table of an image in buf. Every offset and size from the data is checked against len: the section
 * table, SizeOfHeaders, each section's raw data and the security directory must lie within the file
 * (PF_ERR_TRUNCATED otherwise), and the certificate table must start at or after the last section's
 * data. PF_ERR_INVALID for a missing signature or a malformed header, PF_ERR_UNSUPPORTED for more
 * than 96 sections.
 */
PF_MUST_CHECK pf_status pf_pe_parse(const void *buf, size_t len, pf_pe *ret_pe);

/*
 * The Authenticode image hash (SHA-256) as UEFI firmware computes it (edk2's DxeImageVerificationLib,
 * after the Authenticode PE specification): the headers without CheckSum and without the security
 * directory entry, each section with raw data in order of its file offset, then the bytes after the
 * sections minus the certificate table. pe is pf_pe_parse()'s result for the same buffer.
 */
PF_MUST_CHECK pf_status pf_pe_authenticode_sha256(const void *buf, size_t len, const pf_pe *pe, uint8_t ret_digest[32]);

/* File offset of the size bytes at rva, when they lie within one section's raw data. */
PF_MUST_CHECK pf_status pf_pe_rva_to_off(const pf_pe *pe, size_t len, uint32_t rva, uint32_t size, size_t *ret_off);

/* VS_FIXEDFILEINFO's two versions, each as four 16-bit parts (10.0.26100.1 is { 10, 0, 26100, 1 }). */
typedef struct {
	uint16_t file[4];
	uint16_t product[4];
} pf_pe_version;

/*
 * The version resource: resource type 16 (RT_VERSION), the first name and language under it, its
 * VS_VERSIONINFO block and the VS_FIXEDFILEINFO in it (signature 0xFEEF04BD). PF_ERR_NOT_FOUND
 * when the image has no version resource; PF_ERR_INVALID or PF_ERR_TRUNCATED when the directory or
 * the block is damaged (loops in the directory are cut off by a depth limit).
 */
PF_MUST_CHECK pf_status pf_pe_version_read(const void *buf, size_t len, const pf_pe *pe, pf_pe_version *ret_version);

/*
 * Windows Boot Manager's own security version number: the RT_RCDATA resource named
 * BOOTMGRSECURITYVERSIONNUMBER (first language), a 32-bit value, major in the high 16 bits, minor in
 * the low (docs/secure-boot.md, "The SVN entry"). PF_ERR_NOT_FOUND when the image has none.
 */
PF_MUST_CHECK pf_status pf_pe_bootmgr_svn(const void *buf, size_t len, const pf_pe *pe, uint32_t *ret_svn);

#endif
