/* The one-page result screen as data: what a technician must see without scrolling. */
#include "summary.h"
#include "fmt.h"
#include "records.h"
#include "report.h"

static pf_sum_line *add(pf_summary *s, pf_sum_kind kind, pf_sum_level level, const char *badge, const char *fmt, ...)
	PF_PRINTF(5, 6);

static pf_sum_line *add(pf_summary *s, pf_sum_kind kind, pf_sum_level level, const char *badge, const char *fmt, ...)
{
	if (s->n == PF_SUM_LINES_MAX)
		return NULL;
	pf_sum_line *l = &s->lines[s->n++];
	*l = (pf_sum_line){ .kind = kind, .level = level };
	pf_strlcpy(l->badge, badge ? badge : "", sizeof(l->badge));
	va_list ap;
	va_start(ap, fmt);
	pf_vsnprintf(l->text, sizeof(l->text), fmt, ap);
	va_end(ap);
	return l;
}

static pf_sum_level level_of(const char *verdict)
{
	if (pf_strcmp(verdict, "GO") == 0)
		return PF_SUM_GO;
	if (pf_strcmp(verdict, "WARN") == 0)
		return PF_SUM_WARN;
	if (pf_strcmp(verdict, "NO-GO") == 0)
		return PF_SUM_NO_GO;
	return PF_SUM_NONE;
}

static const char *or_unknown(const char *s)
{
	return s && s[0] ? s : "?";
}

static const char *tri_word(pf_tri t, const char *yes, const char *no)
{
	return t == PF_YES ? yes : t == PF_NO ? no : "?";
}

/* One line on the user the flow will see: what the technician reads to the admin on the phone. */
static void user_line(pf_summary *s, const pf_user_result *u)
{
	char esp[96] = "";
	if (!u->upn[0] || !u->checked) {
		add(s, PF_SUM_TEXT, PF_SUM_NONE, NULL, "User: %s%snot checked (%s)", u->upn, u->upn[0] ? ", " : "",
		    u->reason[0] ? u->reason : "no user");
		return;
	}
	if (u->exists == PF_NO) {
		add(s, PF_SUM_TEXT, PF_SUM_NONE, NULL, "User: %s does not exist", u->upn);
		return;
	}
	if (u->has_esp)
		pf_snprintf(esp, sizeof(esp), "; ESP %s, %lld min, %zu app(s)", u->esp_name, (long long)u->esp_timeout_min,
			    u->esp_apps);
	add(s, PF_SUM_TEXT, PF_SUM_NONE, NULL, "User: %s, account %s, Intune licence %s, join %s, devices %lld/%lld%s",
	    u->upn, tri_word(u->enabled, "enabled", "disabled"), tri_word(u->licensed, "yes", "no"),
	    tri_word(u->join_allowed, "allowed", "not allowed"), (long long)u->devices, (long long)u->quota, esp);
}

/* The installed Windows in one line: which release, and whether its boot manager starts with Secure Boot on. */
static void windows_line(pf_summary *s, const pf_bootmgr *bm)
{
	if (!bm->found) {
		add(s, PF_SUM_TEXT, PF_SUM_NONE, NULL, "Windows: none found on the internal disks");
		return;
	}
	static const char *const says[] = {
		[PF_BM_UNKNOWN] = "not judged (setup mode or keys unread)",
		[PF_BM_TRUSTED] = "starts with Secure Boot on",
		[PF_BM_UNSIGNED] = "refused with Secure Boot on: unsigned",
		[PF_BM_DAMAGED] = "refused with Secure Boot on: damaged",
		[PF_BM_TAMPERED] = "refused with Secure Boot on: changed after signing",
		[PF_BM_NOT_IN_DB] = "refused with Secure Boot on: db lacks its CA",
		[PF_BM_REVOKED_HASH] = "refused with Secure Boot on: revoked in dbx",
		[PF_BM_REVOKED_CERT] = "refused with Secure Boot on: its CA is revoked in dbx",
	};
	char build[32] = "version unknown";
	if (bm->version_valid)
		pf_snprintf(build, sizeof(build), "%u.%u.%u.%u", bm->version.file[0], bm->version.file[1],
			    bm->version.file[2], bm->version.file[3]);
	add(s, PF_SUM_TEXT, PF_SUM_NONE, NULL, "Windows: %s (%s), boot manager %s%s%s%s",
	    bm->release ? bm->release->name : "release unknown", build, says[bm->verdict], bm->ca ? ", CA \"" : "",
	    bm->ca ? bm->ca : "", bm->ca ? "\"" : "");
}

void pf_summary_build(const pf_run *run, const char *report_path, size_t max_lines, pf_summary *ret)
{
	static const pf_step order[] = { PF_STEP_NETWORK, PF_STEP_SIGN_IN, PF_STEP_ESP_DEVICE,
					 PF_STEP_ESP_ACCOUNT, PF_STEP_IDENTITY, PF_STEP_RECORD };
	const pf_identity *id = &run->identity;
	pf_tally t = pf_findings_tally(&run->findings);
	pf_summary *s = ret;

	s->n = 0;
	s->findings_shown = s->findings_left = 0;
	if (max_lines > PF_SUM_LINES_MAX)
		max_lines = PF_SUM_LINES_MAX;
	add(s, PF_SUM_TITLE, PF_SUM_NONE, NULL, "Preflight %s: %s %s, serial %s", run->tool_version,
	    or_unknown(id->manufacturer), or_unknown(id->product), or_unknown(id->serial));
	const char *v = pf_verdict_str(t.verdict);
	add(s, PF_SUM_VERDICT, level_of(v), v, "%zu error%s, %zu warning%s", t.errors, t.errors == 1 ? "" : "s",
	    t.warnings, t.warnings == 1 ? "" : "s");
	add(s, PF_SUM_BLANK, PF_SUM_NONE, NULL, "%s", "");
	for (size_t i = 0; i < PF_ARRAY_SIZE(order); i++) {
		const char *sv = pf_report_step_verdict(run, order[i]);
		add(s, PF_SUM_STEP, level_of(sv), sv, "%s", pf_step_title(order[i]));
	}
	add(s, PF_SUM_BLANK, PF_SUM_NONE, NULL, "%s", "");

	/* The tail every page has: record, report file. Findings get what is left. */
	size_t total = t.errors + t.warnings;
	size_t tail = 1 + (run->windows_read ? 1 : 0) + (run->user_phase ? 1 : 0) + (run->upload.state != PF_UPLOAD_NONE ? 1 : 0) + (report_path ? 1 : 0) +
		      (run->boot_notice[0] ? 1 : 0) + (total ? 1 : 0);
	size_t room = max_lines > s->n + tail ? max_lines - s->n - tail : 0;
	for (int pass = 0; pass < 2; pass++) {
		pf_severity want = pass == 0 ? PF_SEV_ERROR : PF_SEV_WARN;
		for (size_t k = 0; k < run->findings.n; k++) {
			const pf_finding *fd = &run->findings.items[k];
			if (fd->severity != want)
				continue;
			/* Two lines each; the last line of the room is kept for "more" when some are left. */
			size_t left_after = total - s->findings_shown - 1;
			if (room < 2 + (left_after ? 1 : 0))
				continue;
			const pf_code_info *info = pf_code_info_get(fd->code);
			add(s, PF_SUM_FINDING, want == PF_SEV_ERROR ? PF_SUM_NO_GO : PF_SUM_WARN,
			    want == PF_SEV_ERROR ? "NO-GO" : "WARN", "%s: %s", info->code, fd->message);
			add(s, PF_SUM_FIX, PF_SUM_NONE, NULL, "Fix: %s", info->fix);
			room -= 2;
			s->findings_shown++;
		}
	}
	s->findings_left = total - s->findings_shown;
	if (s->findings_left)
		add(s, PF_SUM_TEXT, PF_SUM_NONE, NULL, "... and %zu more finding%s in the report", s->findings_left,
		    s->findings_left == 1 ? "" : "s");
	if (total)
		add(s, PF_SUM_BLANK, PF_SUM_NONE, NULL, "%s", "");
	const pf_record_result *r = run->record;
	if (r && r->chosen)
		add(s, PF_SUM_TEXT, PF_SUM_NONE, NULL, "Autopilot record: %s (%s, group tag %s, user %s)",
		    or_unknown(r->match), or_unknown(r->chosen->file), or_unknown(r->chosen->group_tag),
		    or_unknown(r->chosen->assigned_user));
	else
		add(s, PF_SUM_TEXT, PF_SUM_NONE, NULL, "Autopilot record: %s", r && r->match ? r->match : "not checked");
	if (run->windows_read)
		windows_line(s, &run->windows);
	if (run->user_phase)
		user_line(s, &run->user);
	if (report_path)
		add(s, PF_SUM_TEXT, PF_SUM_NONE, NULL, "Report: %s", report_path);
	if (run->upload.state != PF_UPLOAD_NONE)
		add(s, PF_SUM_TEXT, PF_SUM_NONE, NULL, "Upload: %s%s%s", pf_upload_state_str(run->upload.state),
		    run->upload.reason[0] ? ": " : "", run->upload.reason);
	if (run->boot_notice[0])
		add(s, PF_SUM_TEXT, PF_SUM_NONE, NULL, "%s", run->boot_notice);
}
