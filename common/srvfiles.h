/* The boot server's files for a network boot without a file system: the list of names, and a read-only volume of them in memory. */
#ifndef PF_SRVFILES_H
#define PF_SRVFILES_H

#include "pf.h"

/* The list beside the binary (make netboot writes it): which files of the folder a PXE-booted run
 * fetches besides preflight.ini. TFTP (and HTTP in general) cannot list a folder. */
#define PF_SRV_LIST_NAME "preflight-files.txt"
#define PF_SRV_CONFIG_NAME "preflight.ini"
#define PF_SRV_MAX_FILES 64
#define PF_SRV_NAME_MAX 128

typedef struct {
	size_t n;
	char names[PF_SRV_MAX_FILES][PF_SRV_NAME_MAX]; /* "records/a.csv": relative, '/' between parts */
	unsigned skipped;                               /* lines that were not usable names */
	unsigned bad_line;                              /* the first of them (1-based), 0 none */
	char bad_why[80];
} pf_srv_list;

/*
 * The list: one relative path a line ('/' or '\' between parts; '#' comments, blank lines and CR
 * ignored). A name is kept when every part is [A-Za-z0-9._-]+, not "." or "..", the whole shorter
 * than PF_SRV_NAME_MAX; preflight.ini and the list itself are not repeated. Unusable lines are
 * counted (the first named in bad_line/bad_why); past PF_SRV_MAX_FILES names the rest count as
 * skipped too. Never fails on content: ret_list is always written.
 */
void pf_srv_list_parse(const void *buf, size_t len, pf_srv_list *ret_list);

/* The TFTP name of name beside bootfile (the DHCP answer's file name): "pf/preflight.ini" for
 * "pf/preflight.efi", "preflight.ini" for "preflight.efi". PF_ERR_TOO_BIG past cap. */
PF_MUST_CHECK pf_status pf_srv_sibling(const char *bootfile, const char *name, char *ret, size_t cap);

/* A read-only volume: the fetched files under \preflight\ as on a stick ("preflight\records\a.csv"). */
typedef struct {
	char path[PF_SRV_NAME_MAX + 16]; /* no leading backslash */
	uint8_t *data;                   /* owned */
	size_t len;
} pf_memfile;

typedef struct {
	size_t n;
	pf_memfile files[PF_SRV_MAX_FILES + 1];
} pf_memvol;

typedef enum { PF_MEMVOL_NONE, PF_MEMVOL_FILE, PF_MEMVOL_DIR } pf_memvol_kind;

/* Adds name of the list ("records/a.csv" -> "preflight\records\a.csv"), taking data (pf_malloc'd);
 * PF_ERR_FULL when the volume is full, PF_ERR_TOO_BIG for a name too long (data is then freed). */
PF_MUST_CHECK pf_status pf_memvol_add(pf_memvol *v, const char *name, uint8_t *data, size_t len);
void pf_memvol_free(pf_memvol *v);

/* What path is (backslashes, case-insensitive, leading and trailing backslashes ignored; "" is the
 * root): a file (ret_idx its index), a folder (some file below it), or nothing. */
pf_memvol_kind pf_memvol_find(const pf_memvol *v, const char *path, size_t *ret_idx);

/* The k-th entry (0-based, each name once) of folder dir: its name, whether it is a folder, and a
 * file's size. false when there are no more; the ret_* are written only when true. */
bool pf_memvol_entry(const pf_memvol *v, const char *dir, size_t k, char *ret_name, size_t cap, bool *ret_dir,
		     size_t *ret_size);

#endif
