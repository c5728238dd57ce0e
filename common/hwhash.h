/* Decoding the Autopilot hardware hash ("4K hash"): the OA blob's records into plain, fixed-size fields. */
#ifndef PF_HWHASH_H
#define PF_HWHASH_H

#include "pf.h"

/* Largest binary hash pf_hwhash_decode_base64 accepts; real ones are about 3 KB. */
#define PF_HWHASH_MAX 16384
/* Bytes kept per string, NUL included; longer ones are cut at a character boundary. */
#define PF_HWHASH_STR_MAX 256
#define PF_HWHASH_MAX_DISKS 16
#define PF_HWHASH_MAX_NICS 16
/* TPM EK public bytes kept (an RSA-2048 key in any encoding fits). */
#define PF_HWHASH_EK_MAX 512

/* Record types (byte 0 of each record), as the community decoders name them. */
enum {
	PF_HWH_VERSIONS = 1,
	PF_HWH_PROCESSOR = 2,
	PF_HWH_DISK_INFO = 6,
	PF_HWH_DISK_SERIAL = 7,
	PF_HWH_NIC = 8,
	PF_HWH_CHASSIS = 10,
	PF_HWH_OFFLINE_ID = 11,
	PF_HWH_UUID = 12,
	PF_HWH_TPM_VERSION = 13,
	PF_HWH_SERIAL = 14,
	PF_HWH_FIRMWARE_VENDOR = 15,
	PF_HWH_MANUFACTURER = 16,
	PF_HWH_PRODUCT = 17,
	PF_HWH_SKU = 18,
	PF_HWH_FAMILY = 19,
	PF_HWH_FIRMWARE_VENDOR2 = 20,
	PF_HWH_BOARD_PRODUCT = 21,
	PF_HWH_BOARD_VERSION = 22,
	PF_HWH_SYSTEM_VERSION = 23,
	PF_HWH_PRODUCT_KEY_ID = 24,
	PF_HWH_TPM_EK_PUB = 25,
	PF_HWH_PRODUCT_KEY_PART = 26,
	PF_HWH_DISK_SERIAL_KERNEL = 28,
};

typedef struct {
	uint32_t capacity;      /* u32 at +4, as stored */
	uint8_t bus_type;       /* +12: 1 SCSI, 3 ATA, 8 RAID, 10 SAS, 11 SATA, 17 NVMe */
} pf_hwhash_disk;

typedef struct {
	uint8_t medium;         /* +4: 14 Ethernet, 9 native 802.11, 1 wireless LAN, 10 Bluetooth */
	uint8_t mac[6];         /* +8 */
	char mac_str[18];       /* "aa:bb:cc:dd:ee:ff" */
} pf_hwhash_nic;

/*
 * A decoded hash. Strings are NUL-terminated UTF-8: the record's bytes up to the first NUL, with
 * trailing white space removed and invalid UTF-8 replaced by U+FFFD; "" when the record is absent
 * (pf_hwhash_has tells absent from empty). When a type appears more than once, the first record
 * counts for single values; lists keep up to their capacity, in order. Integer fields are -1
 * when absent. Records too short for their fixed layout are skipped as if absent.
 */
typedef struct {
	size_t n_records;
	uint64_t types[4];      /* bit t set: a record of type t was present (see pf_hwhash_has) */
	bool truncated;         /* a string or list was longer than its room here and was cut */

	char tpm_version[PF_HWHASH_STR_MAX];        /* 13 */
	char serial[PF_HWHASH_STR_MAX];             /* 14 SMBIOS system serial */
	char firmware_vendor[PF_HWHASH_STR_MAX];    /* 15 */
	char manufacturer[PF_HWHASH_STR_MAX];       /* 16 */
	char product[PF_HWHASH_STR_MAX];            /* 17 */
	char sku[PF_HWHASH_STR_MAX];                /* 18 */
	char family[PF_HWHASH_STR_MAX];             /* 19 */
	char firmware_vendor2[PF_HWHASH_STR_MAX];   /* 20 */
	char board_product[PF_HWHASH_STR_MAX];      /* 21 */
	char board_version[PF_HWHASH_STR_MAX];      /* 22 */
	char system_version[PF_HWHASH_STR_MAX];     /* 23 */
	char product_key_id[PF_HWHASH_STR_MAX];     /* 24 */
	char product_key_part[PF_HWHASH_STR_MAX];   /* 26 */

	char disk_serials[PF_HWHASH_MAX_DISKS][PF_HWHASH_STR_MAX];          /* 7, one per disk */
	size_t n_disk_serials;
	char disk_serials_kernel[PF_HWHASH_MAX_DISKS][PF_HWHASH_STR_MAX];   /* 28, as the kernel reports them */
	size_t n_disk_serials_kernel;
	pf_hwhash_disk disks[PF_HWHASH_MAX_DISKS];                          /* 6 */
	size_t n_disks;
	pf_hwhash_nic nics[PF_HWHASH_MAX_NICS];                             /* 8 */
	size_t n_nics;

	/* 12: SMBIOS system UUID. uuid_raw is the 16 bytes as stored, to compare with the SMBIOS type 1
	 * bytes; uuid reads them as SMBIOS does (first three fields little-endian), in Windows' form:
	 * "XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX", upper case. */
	bool has_uuid;
	uint8_t uuid_raw[16];
	char uuid[37];

	int chassis_type;       /* 10, +4 */
	int power_role;         /* 10, +5 */
	int processor_arch;     /* 2, +4: 0 x86, 9 x64, 12 ARM64 */
	int offline_id_kind;    /* 11, +8: 1 TPM EK, 2 UEFI variable */

	size_t ek_pub_len;      /* 25: payload length (0 when absent) */
	size_t ek_pub_kept;     /* bytes of it in ek_pub: at most PF_HWHASH_EK_MAX */
	uint8_t ek_pub[PF_HWHASH_EK_MAX];
} pf_hwhash;

/* The single-string fields for code that reports or compares them all: record type, report key
 * (snake_case), and where the string sits in pf_hwhash. */
typedef struct {
	uint8_t type;
	const char *name;
	size_t offset;
} pf_hwhash_string_field;

#define PF_HWHASH_N_STRING_FIELDS 13
extern const pf_hwhash_string_field pf_hwhash_string_fields[PF_HWHASH_N_STRING_FIELDS];

static inline const char *pf_hwhash_str(const pf_hwhash *h, const pf_hwhash_string_field *f)
{
	return (const char *)h + f->offset;
}

/* True when the hash held at least one record of this type. */
bool pf_hwhash_has(const pf_hwhash *h, unsigned type);

/*
 * Decodes a binary hash: "OA", a u16 (little-endian) offset where the records end, then records of
 * {u8 type, u8 unused, u16 length including these 4 bytes, payload} from offset 4. Bytes after the
 * records' end (checksum or signature) are not examined. Unknown types are skipped. PF_ERR_INVALID
 * when the blob is shorter than 4 bytes, lacks "OA", its end offset lies past the blob or before
 * offset 4, it has no records, or a record is shorter than its header or runs past the end: then
 * *ret_reason (when not NULL) gets static English text and *ret is not touched.
 */
PF_MUST_CHECK pf_status pf_hwhash_decode(const void *blob, size_t len, pf_hwhash *ret, const char **ret_reason);

/* The same from Base64 text (whitespace allowed), as CSV files and Graph carry it: also
 * PF_ERR_INVALID for text that is not Base64, PF_ERR_TOO_BIG past PF_HWHASH_MAX bytes decoded,
 * PF_ERR_NOMEM. */
PF_MUST_CHECK pf_status pf_hwhash_decode_base64(const char *b64, size_t len, pf_hwhash *ret, const char **ret_reason);

#endif
