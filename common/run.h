/* Everything one run learns and decides, handed from efi/ to the report writers. */
#ifndef PF_RUN_H
#define PF_RUN_H

#include "blob.h"
#include "bootmgr.h"
#include "config.h"
#include "findings.h"
#include "graphuser.h"
#include "identity.h"
#include "ledger.h"
#include "pftime.h"
#include "secboot.h"

struct pf_record_result;
struct pf_net_result;

typedef struct {
	const char *tool_version;
	pf_time started;
	bool started_valid;
	uint64_t duration_ms;

	pf_config config;
	char *config_file;         /* path that was read, NULL when there was none */
	pf_diags config_diags;     /* problems in the config file and arguments */

	pf_identity identity;
	pf_secboot secboot;                /* Secure Boot state and key stores (secboot.read false: not read) */
	pf_sb_time_source sb_time_source;  /* which clock judged certificate expiry */
	pf_time sb_time;                   /* that time (UTC) */
	pf_bootmgr windows;                /* the installed Windows' boot manager (windows_read false: not looked for) */
	bool windows_read;
	pf_findings findings;
	bool step_checked[PF_STEP__COUNT]; /* false: shown as "not checked", never as GO */

	struct pf_record_result *record;   /* NULL: the record phase did not run */
	struct pf_net_result *network;     /* NULL: the network phase did not run */
	pf_user_result user;               /* the user-side checks (user.checked false: not run, reason says why) */
	bool user_phase;                   /* the user step was reached (online lookup configured) */
	pf_ledger_note ledger;             /* the ledger before this run's row (state ABSENT when not looked at) */
	bool ledger_checked;               /* false: the boot volume could not be opened */
	char register_file[300];           /* REC-NOT-FOUND: the registration file written ("" none) */
	char register_list[300];           /* and the cart's unregistered.csv it was added to or found in */
	char register_error[160];          /* why they could not be written ("" when fine) */
	pf_upload_result upload;           /* report.upload_url: the JSON report's upload */
	char stick_label[40];              /* the boot volume's label ("" none or unread) */
	char boot_notice[100];             /* booted over the network or no boot volume: what is kept ("" none) */
} pf_run;

#endif
