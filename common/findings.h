/* Finding codes as data (the contract's table) and the list of findings a run collects. */
#ifndef PF_FINDINGS_H
#define PF_FINDINGS_H

#include "pf.h"

typedef enum { PF_SEV_INFO, PF_SEV_WARN, PF_SEV_ERROR } pf_severity;

typedef enum {
	PF_STEP_NETWORK,
	PF_STEP_SIGN_IN,
	PF_STEP_ESP_DEVICE,
	PF_STEP_ESP_ACCOUNT,
	PF_STEP_IDENTITY,
	PF_STEP_RECORD,
	PF_STEP__COUNT,
} pf_step;

/* Order matches the table in findings.c; codes are stable identifiers, never renamed. */
typedef enum {
	PF_NET_NO_NIC,
	PF_NET_NO_LINK,
	PF_NET_WIFI_ONLY,
	PF_NET_DHCP_FAILED,
	PF_NET_DNS_FAILED,
	PF_NET_TCP_BLOCKED,
	PF_NET_TLS_UNTRUSTED,
	PF_NET_TLS_FAILED,
	PF_NET_HTTP_FAILED,
	PF_NET_NCSI_FAILED,
	PF_NET_CLOCK_SKEW,
	PF_ID_SERIAL_MISSING,
	PF_ID_SERIAL_PLACEHOLDER,
	PF_ID_MODEL_PLACEHOLDER,
	PF_ID_VIRTUAL_MACHINE,
	PF_ID_VM_HINT,
	PF_ID_TPM_MISSING,
	PF_ID_TPM_NO_EK_CERT,
	PF_ID_SECURE_BOOT_OFF,
	PF_REC_NONE_AVAILABLE,
	PF_REC_FILE_INVALID,
	PF_REC_NOT_FOUND,
	PF_REC_AMBIGUOUS,
	PF_REC_MANUFACTURER_MISMATCH,
	PF_REC_MODEL_MISMATCH,
	PF_REC_HASH_MISMATCH,
	PF_REC_HASH_UNDECODABLE,
	PF_REC_NO_PROFILE,
	PF_REC_ENROLLMENT_STATE,
	PF_REC_NO_ASSIGNED_USER,
	PF_GRAPH_AUTH_FAILED,
	PF_GRAPH_THROTTLED,
	PF_GRAPH_UNREACHABLE,
	PF_USER_NOT_FOUND,
	PF_USER_DISABLED,
	PF_USER_NO_INTUNE_LICENSE,
	PF_USER_CHECK_INCOMPLETE,
	PF_USER_JOIN_NOT_ALLOWED,
	PF_USER_DEVICE_QUOTA_REACHED,
	PF_USER_ENROLLMENT_LIMIT_REACHED,
	PF_REC_USERLESS_BLOCKED,
	PF_REPORT_UPLOADED,
	PF_REPORT_UPLOAD_FAILED,
	PF_REPORT_UPLOAD_SAS_BROAD,
	PF_SB_SETUP_MODE,
	PF_SB_KEK_2023_MISSING,
	PF_SB_DB_WINDOWS_2023_MISSING,
	PF_SB_DB_UEFI_2023_MISSING,
	PF_SB_CERT_EXPIRED,
	PF_SB_CERT_LOOKALIKE,
	PF_SB_LIST_INVALID,
	PF_SB_DB_THIRD_PARTY_CA_MISSING,
	PF_NET_PROXY_AUTH,
	PF_NET_PROXY_DENIED,
	PF_NET_PROXY_UNREACHABLE,
	PF_NET_PROXY_MANUAL,
	PF_NET_PAC_FAILED,
	PF_NET_8021X_REQUIRED,
	PF_NET_8021X_BYPASSED,
	PF_NET_IPV6_BROKEN,
	PF_NET_IPV6_ONLY,
	/* identity-corpus: tuple registrations are exact (common/rectuple.c) */
	PF_REC_TUPLE_SPELLING,
	PF_WIN_NOT_FOUND,
	PF_WIN_BOOTMGR_REFUSED,
	PF_WIN_BOOTMGR_2011_ONLY,
	PF_WIN_DB_LACKS_SIGNER_CA,
	PF_WIN_BUILD_UNSUPPORTED,
	PF_WIN_BUILD_OUT_OF_SERVICING,
	PF_WIN_BOOTMGR_WRONG_ARCH,
	PF_CODE__COUNT,
} pf_code;

typedef struct {
	const char *code;       /* "NET-NO-NIC" */
	pf_severity severity;   /* default severity */
	pf_step step;           /* default step */
	const char *fix;        /* one line for the technician: what to do */
} pf_code_info;

const pf_code_info *pf_code_info_get(pf_code code);
const char *pf_severity_str(pf_severity s);
const char *pf_step_str(pf_step s);
/* The step's title on screen, e.g. "ESP device setup". */
const char *pf_step_title(pf_step s);

typedef struct {
	pf_code code;
	pf_severity severity;
	pf_step step;
	char *message;          /* one sentence for the screen */
	char *detail;           /* specifics (file, line, host, values) or NULL */
} pf_finding;

typedef struct {
	pf_finding *items;
	size_t n;
	size_t cap;
	bool oom;               /* a finding could not be stored: the verdict is forced to NO-GO */
} pf_findings;

/* Adds a finding with the code's default severity and step; returns it so a caller can adjust
 * severity or step, or NULL when memory ran out (then f->oom is set). */
pf_finding *pf_finding_add(pf_findings *f, pf_code code, const char *fmt, ...) PF_PRINTF(3, 4);
/* Sets the detail text of a finding returned by pf_finding_add (NULL is ignored). */
void pf_finding_detail(pf_finding *fd, const char *fmt, ...) PF_PRINTF(2, 3);
bool pf_findings_has(const pf_findings *f, pf_code code);
void pf_findings_free(pf_findings *f);

typedef enum { PF_VERDICT_GO, PF_VERDICT_WARN, PF_VERDICT_NO_GO } pf_verdict;

typedef struct {
	pf_verdict verdict;
	size_t errors;
	size_t warnings;
	size_t infos;
} pf_tally;

pf_tally pf_findings_tally(const pf_findings *f);
const char *pf_verdict_str(pf_verdict v);

#endif
