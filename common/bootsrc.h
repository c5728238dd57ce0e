/* Where this run was booted from (stick, HTTP boot's RAM disk, HTTP, PXE) and what that means for config and reports. */
#ifndef PF_BOOTSRC_H
#define PF_BOOTSRC_H

#include "pf.h"

typedef enum {
	PF_BOOT_LOCAL,   /* a disk or stick: no network node in the boot device's path */
	PF_BOOT_RAMDISK, /* a RAM disk (HTTP boot of a disk image): a file system that vanishes at reset */
	PF_BOOT_HTTP,    /* UEFI HTTP boot of the binary itself: a URI node, no file system */
	PF_BOOT_PXE,     /* PXE/TFTP: a MAC or IP node without a URI */
	PF_BOOT__COUNT
} pf_boot_kind;

#define PF_BOOT_URI_MAX 512

typedef struct {
	pf_boot_kind kind;
	bool ipv6;                  /* the network node was IPv6 (PXEv6, HTTPv6) */
	char uri[PF_BOOT_URI_MAX];  /* the URI node's text, printable ASCII ("" none); cut when longer */
	bool has_mac;               /* a MAC node named the adapter booted from */
	char mac[18];               /* its address, "52:54:00:12:34:56" (the first 6 bytes of the node) */
	bool server_files;          /* not from the path: config and records were fetched from the boot server
	                             * (a read-only copy in memory, efi/srvfetch.c) */
} pf_boot_source;

/*
 * Classifies the boot device's device path (the bytes DevicePathFromHandle gives, up to and including
 * the end node; len the bytes there are). A RAM disk node wins over the network nodes it hangs below.
 * PF_ERR_INVALID for a node shorter than its header, PF_ERR_TRUNCATED when a node runs past len or
 * no end node comes. ret_src is written only on success.
 */
PF_MUST_CHECK pf_status pf_boot_source_parse(const void *buf, size_t len, pf_boot_source *ret_src);

/* "stick or disk", "HTTP boot RAM disk", "HTTP boot", "PXE". */
const char *pf_boot_kind_str(pf_boot_kind kind);

/* What a run does with its boot source. */
typedef struct {
	bool read_volume;     /* config, records and tokens come from the boot volume */
	bool write_reports;   /* reports are written to the boot volume (a RAM disk: only when they are uploaded) */
	bool reports_persist; /* what is written there survives the reset */
	bool nothing_kept;    /* no copy of the report survives: the page and its QR code are the record */
	bool upload_memory;   /* no file system to write: the upload sends the report from memory */
	char notice[240];     /* for the screen and serial log before the checks ("" none) */
	char page[100];       /* its short form for the result page ("" none) */
} pf_boot_plan;

/* has_fs: the boot device has a file system; upload: report.upload_url (or its SAS file) is set (read
 * from the boot volume or, with src->server_files, from the boot server). */
void pf_boot_plan_make(const pf_boot_source *src, bool has_fs, bool upload, pf_boot_plan *ret_plan);

/* The adapter for the network phase among n (macs[i] "52:54:00:..", usable[i]: wired, link, IPv4
 * stack): the one whose MAC is preferred (the boot device's, case-insensitive) when usable, else the
 * first usable one. n when none is usable; ret_preferred says whether the preferred one was taken. */
size_t pf_boot_pick_nic(const char *const *macs, const bool *usable, size_t n, const char *preferred, bool *ret_preferred);

/* The URL of name in the folder of uri (the boot server's folder next to the binary): ret gets
 * "http://h/pf/preflight.ini" for "http://h/pf/preflight.efi?x". PF_ERR_INVALID without a scheme and
 * host, PF_ERR_TOO_BIG when it does not fit cap. */
PF_MUST_CHECK pf_status pf_boot_sibling_url(const char *uri, const char *name, char *ret, size_t cap);

#endif
