/* The installed Windows: its boot manager judged against this device's Secure Boot stores, and its build. */
#ifndef PF_BOOTMGR_H
#define PF_BOOTMGR_H

#include "pf.h"
#include "config.h"
#include "findings.h"
#include "pe.h"
#include "pftime.h"
#include "secboot.h"

/* A Windows servicing branch as the boot manager's FileVersion build names it (common/winrelease.c). */
typedef struct {
	uint16_t build;           /* 10.0.BUILD of the boot manager's FileVersion */
	const char *name;         /* "Windows 11 24H2 or 25H2": the boot manager is shared by enablement-package releases */
	pf_time end_of_servicing; /* the latest end of servicing among those releases (Enterprise/Education) */
	bool autopilot;           /* a release Windows Autopilot supports */
} pf_win_release;

/* The entry for a build; NULL for builds the table does not know. */
const pf_win_release *pf_win_release_by_build(uint16_t build);
/* The newest build in the table (a newer one is reported as "newer than the table"). */
uint16_t pf_win_release_newest(void);

/* How the firmware would treat the boot manager with Secure Boot on. */
typedef enum {
	PF_BM_UNKNOWN,            /* stores not read, or setup mode: nothing enforced */
	PF_BM_TRUSTED,            /* a db certificate or hash admits it and nothing in dbx refuses it */
	PF_BM_UNSIGNED,
	PF_BM_DAMAGED,            /* the file or its signature does not parse */
	PF_BM_TAMPERED,           /* the file's hash differs from the one signed, or the signature does not verify */
	PF_BM_NOT_IN_DB,          /* nothing in db admits it */
	PF_BM_REVOKED_HASH,       /* its Authenticode hash is in dbx */
	PF_BM_REVOKED_CERT,       /* a certificate of its chain is in dbx */
	PF_BM_REVOKED_SVN,        /* the firmware admits it, but its own SVN is below dbx's: it stops itself */
} pf_bm_verdict;

/* "unknown", "trusted", "unsigned", "damaged", "tampered", "not-in-db", "revoked-hash", "revoked-cert",
 * "revoked-svn". */
const char *pf_bm_verdict_str(pf_bm_verdict v);

/* One signature of the boot manager: a WIN_CERTIFICATE of its table, or one nested inside another. */
typedef struct {
	bool nested;              /* in another's 1.3.6.1.4.1.311.2.4.1 attribute: UEFI firmware does not look at it */
	pf_status status;         /* PF_OK, or why it cannot be read */
	char *signer_subject;     /* RFC 2253 line of its signer's certificate, NULL when unreadable */
	char signer_sha1[41];
	char *ca;                 /* the db certificate that admits it, else the issuer CN its chain ends at */
	const char *ca_role;      /* pf_sb_known role of that CA, NULL when unknown */
	pf_bm_verdict verdict;    /* this signature alone: trusted, revoked-cert, not-in-db, tampered, damaged (unknown: stores unread) */
	char *detail;             /* which db/dbx entry decided */
} pf_bm_signature;

/* Microsoft's boot manager carries one signature; a dual-signed image two. More are counted, not kept. */
#define PF_BM_MAX_SIGNATURES 8

typedef struct {
	bool found;               /* a boot manager was found on an internal ESP */
	size_t n_esps;            /* EFI System Partitions looked at (efi/ fills these location fields) */
	char *disk;               /* device path text of the disk, partition, file */
	char *partition;
	char *path;
	bool bcd_present;
	int boot_entry;           /* Boot#### pointing at it, -1 when none */
	int boot_order_pos;       /* its 0-based position in BootOrder, -1 when absent */
	char *boot_description;

	size_t size;
	pf_status pe_status;      /* PF_OK, or why the file is not a PE image */
	char pe_hash[65];         /* Authenticode SHA-256, lower-case hex ("" when not computed) */
	pf_status sig_status;     /* PF_OK, PF_ERR_NOT_FOUND (unsigned), or why the signature is unreadable */
	char signed_hash[65];     /* the hash in the signature */
	bool signature_verifies;  /* the signer's RSA signature over its attributes verifies */
	char *signer_subject;     /* RFC 2253 lines of the signer's certificate */
	char *signer_issuer;
	char signer_sha1[41];
	char signer_sha256[65];
	char *ca;                 /* the CA that admits it: the db certificate's name, else the chain top's issuer CN */
	const char *ca_role;      /* pf_sb_known role of that CA ("pca-2011", "windows-2023"), NULL when unknown */
	pf_bm_verdict verdict;
	char *verdict_detail;     /* which db/dbx entry decided */
	char dbx_svn[16];         /* the highest boot manager SVN in dbx, "major.minor" ("7.0"); "" when dbx has none */
	char svn[16];             /* the boot manager's own SVN (its BOOTMGRSECURITYVERSIONNUMBER resource); "" without one */
	pf_bm_signature sigs[PF_BM_MAX_SIGNATURES]; /* every signature, table order, each followed by its nested ones */
	size_t n_sigs;
	size_t n_sigs_seen;       /* all of them, also those past PF_BM_MAX_SIGNATURES */
	bool cert_table_ok;       /* the certificate table is a whole sequence of WIN_CERTIFICATEs (else refused) */
	uint16_t machine;         /* the PE header's Machine (0x8664 x64, 0xAA64 arm64), 0 when unreadable */
	uint16_t host_machine;    /* the same for the CPU Preflight runs on (efi/ fills it), 0 when unknown */

	bool version_valid;
	pf_pe_version version;
	const pf_win_release *release;
} pf_bootmgr;

void pf_bootmgr_init(pf_bootmgr *bm);
void pf_bootmgr_free(pf_bootmgr *bm);

/*
 * Reads the boot manager image (PE, hash, version, signature) and judges it as UEFI firmware (edk2's
 * DxeImageVerificationLib) would with the stores in sb: refused when its hash or a certificate of its
 * chain is in dbx; admitted when its hash is in db or a db certificate is in its chain or issued its
 * top certificate (the signature checked with that certificate's key). Fills bm's image fields and
 * found = true; PF_ERR_NOMEM only, every problem with the file is in bm.
 */
PF_MUST_CHECK pf_status pf_bootmgr_judge(const void *img, size_t len, const pf_secboot *sb, pf_bootmgr *bm);

/*
 * The signatures in the certificate table (the security directory's bytes) judged one by one, then
 * together as edk2's DxeImageVerificationLib does: any signature revoked by dbx refuses the image, any one
 * admitted by db admits it; nested signatures are read and reported but, as in the firmware, never count.
 * sb NULL: the stores are not judged (every verdict unknown). Fills bm's sigs, n_sigs, n_sigs_seen,
 * cert_table_ok, sig_status and the signer fields of the deciding signature; writes the verdict and
 * detail only through ret_decided (NULL when no signature decides). PF_ERR_NOMEM only.
 * (common/bootmgrsig.c)
 */
PF_MUST_CHECK pf_status pf_bootmgr_signatures(const void *table, size_t len, const uint8_t hash[32], const pf_secboot *sb,
                                              pf_bootmgr *bm, const pf_bm_signature **ret_decided);

/* The machine type's name: "x64", "arm64", "x86", "arm", else "0x%04x" in buf (8 bytes). */
const char *pf_pe_machine_name(uint16_t machine, char buf[8]);

/* The firmware would refuse it with Secure Boot on (unsigned, damaged, tampered, revoked, not in db). */
bool pf_bootmgr_refused(const pf_bootmgr *bm);

/* The WIN-* findings for bm (config keys windows.require_installed), builds judged against now. */
void pf_bootmgr_check(const pf_bootmgr *bm, const pf_secboot *sb, const pf_config *cfg, const pf_time *now,
                      pf_findings *f);

#endif
