/* Secure Boot state and key stores: what efi/ reads from the variables, parsed and judged in common/. */
#ifndef PF_SECBOOT_H
#define PF_SECBOOT_H

#include "pf.h"
#include "config.h"
#include "der.h"
#include "findings.h"
#include "identity.h"
#include "pftime.h"

/* The four authenticated variables that hold the Secure Boot keys and revocations. */
typedef enum { PF_SB_PK, PF_SB_KEK, PF_SB_DB, PF_SB_DBX, PF_SB__COUNT } pf_sb_store;

/* "PK", "KEK", "db", "dbx": the variable names as UEFI spells them. */
const char *pf_sb_store_name(pf_sb_store s);

/* A certificate the project knows by thumbprint (common/sbknown.c, data over code). */
typedef struct {
	const char *cn;           /* subject CN, e.g. "Windows UEFI CA 2023" */
	const char *role;         /* "kek-2011", "kek-2023", "pca-2011", "windows-2023", "uefi-2011", "uefi-2023", "oprom-2023" */
	uint8_t sha1[20];         /* thumbprint of the DER certificate */
	pf_x509_time not_after;
} pf_sb_known;

/* The whole table and a lookup by SHA-1 thumbprint (NULL when unknown) or by subject CN. */
const pf_sb_known *pf_sb_known_table(size_t *ret_n);
const pf_sb_known *pf_sb_known_by_sha1(const uint8_t sha1[20]);
const pf_sb_known *pf_sb_known_by_cn(const char *cn);
/* The entry with this role ("kek-2023", ...); NULL when there is none. */
const pf_sb_known *pf_sb_known_by_role(const char *role);

/* One X.509 entry of a signature list (EFI_CERT_X509_GUID). */
typedef struct {
	char owner[37];           /* SignatureOwner GUID, lower-case text */
	char *subject_cn;         /* NULL when the certificate has no CN or could not be parsed */
	char *issuer_cn;
	char *subject;            /* RFC 2253 line as openssl prints it, NULL when unparsable */
	char *issuer;
	bool dates_valid;
	pf_x509_time not_before;
	pf_x509_time not_after;
	char sha256[65];          /* lower-case hex of the DER bytes */
	char sha1[41];
	const pf_sb_known *known; /* thumbprint matched the table */
	const pf_sb_known *lookalike; /* subject CN equals a known one but the thumbprint differs */
	bool parse_error;         /* DER did not parse: only the hashes are meaningful */
	uint8_t *der;             /* a copy of the certificate (judging a boot manager's chain needs its key) */
	size_t der_len;
} pf_sb_cert;

/* One EFI_CERT_X509_SHA256 entry: a certificate revoked by the SHA-256 of its TBSCertificate. */
typedef struct {
	uint8_t tbs_sha256[32];
	pf_time revoked;          /* TimeOfRevocation as the entry gives it (EFI_TIME, the zone not applied) */
	bool always;              /* TimeOfRevocation is all zeros: revoked whatever the signing time */
} pf_sb_tbs_hash;

/* One variable's signature lists, summarised. */
typedef struct {
	pf_tri present;           /* PF_NO: variable absent; PF_UNKNOWN: could not be read */
	size_t size;              /* bytes in the variable */
	size_t n_lists;
	pf_sb_cert *certs;
	size_t n_certs;
	size_t n_sha256;          /* EFI_CERT_SHA256_GUID entries (dbx revocations mostly) */
	uint8_t (*sha256)[32];    /* their values, n_sha256 of them (image hashes, and dbx's SVN entries) */
	size_t n_other_hashes;    /* other hash types (SHA-1, SHA-384, SHA-512, X509_SHA*) */
	pf_sb_tbs_hash *tbs;      /* the X509_SHA256 ones among them, n_tbs of them */
	size_t n_tbs;
	size_t n_unknown;         /* entries of signature types this parser does not know */
	char *error;              /* first structural problem ("list 2 at byte 148: SignatureListSize 9 below header"), NULL if none */
} pf_sb_list;

/* How Preflight itself was started (efi/ fills this from the protocols it finds). */
typedef enum { PF_SB_START_UNKNOWN, PF_SB_START_DIRECT, PF_SB_START_SHIM } pf_sb_start;

typedef struct {
	pf_tri secure_boot;       /* SecureBoot variable */
	pf_tri setup_mode;        /* SetupMode */
	pf_tri audit_mode;        /* AuditMode (absent on firmware before UEFI 2.5: PF_UNKNOWN) */
	pf_tri deployed_mode;     /* DeployedMode */
	pf_sb_list lists[PF_SB__COUNT];
	pf_sb_start started_by;   /* SHIM_LOCK protocol present: started through shim */
	bool read;                /* false: the Secure Boot section is reported as null */
} pf_secboot;

/* init: everything unknown, nothing read. free: releases the lists and leaves sb as after init. */
void pf_secboot_init(pf_secboot *sb);
void pf_secboot_free(pf_secboot *sb);
void pf_sb_list_free(pf_sb_list *l);

/* True when the list holds a certificate the table knows in this role (by thumbprint, never by name). */
bool pf_sb_list_has(const pf_sb_list *l, const char *role);
/* The certificate's subject CN, else its subject line, else its SHA-1 thumbprint: never NULL. */
const char *pf_sb_cert_name(const pf_sb_cert *c);

/*
 * Parses one variable's content, a sequence of EFI_SIGNATURE_LIST (UEFI 2.10 section 32.4.1), into
 * ret_list (which must be zeroed; it is filled even when the data is damaged: every entry before the
 * damage is kept and error says where it stopped). Sizes in the data are never trusted beyond len.
 * Returns PF_ERR_NOMEM only; structural problems are in ret_list->error.
 */
PF_MUST_CHECK pf_status pf_sb_parse_list(const void *buf, size_t len, pf_sb_list *ret_list);

/* Where the time used to judge certificate expiry came from. */
typedef enum { PF_SB_TIME_NONE, PF_SB_TIME_RTC, PF_SB_TIME_NETWORK } pf_sb_time_source;
const char *pf_sb_time_source_str(pf_sb_time_source s); /* "none", "rtc", "network" */
/* notAfter lies before now (UTC); always false with PF_SB_TIME_NONE, an invalid now or no dates. */
bool pf_sb_cert_expired(const pf_sb_cert *c, const pf_time *now, pf_sb_time_source source);

/*
 * Adds the Secure Boot findings (off, setup mode, missing 2023 CAs, expired certificates, look-alikes,
 * damaged lists) judged with the config's require_* keys, certificates judged against now (source says
 * which clock; PF_SB_TIME_NONE skips the expiry check).
 */
void pf_secboot_check(const pf_secboot *sb, const pf_config *cfg, const pf_time *now, pf_sb_time_source source,
                      pf_findings *f);

#endif
