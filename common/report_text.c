/* The text report: what the technician reads on screen and in the .txt file. */
#include "report.h"
#include "records.h"
#include "fmt.h"
#include "netresult.h"
#include "str.h"

const char *pf_report_step_verdict(const pf_run *run, pf_step s)
{
	pf_severity worst = PF_SEV_INFO;
	bool any = false;
	for (size_t i = 0; i < run->findings.n; i++) {
		if (run->findings.items[i].step != s)
			continue;
		if (!any || run->findings.items[i].severity > worst)
			worst = run->findings.items[i].severity;
		any = true;
	}
	if (any && worst == PF_SEV_ERROR)
		return "NO-GO";
	if (any && worst == PF_SEV_WARN)
		return "WARN";
	return run->step_checked[s] ? "GO" : "not checked";
}

static const char *show(const char *s)
{
	return s ? s : "(not readable)";
}

/* A record's field on screen: a column the file does not have is not an unreadable value. */
static const char *rec_show(const char *s)
{
	if (!s)
		return "(not in the record)";
	if (pf_span_trim(pf_span_of(s)).len == 0)
		return "(empty)";
	return s;
}

/* SMBIOS 3.x chassis types (7.4.1), for the screen; the report keeps the number. */
static const char *chassis_name(int t)
{
	static const char *const names[] = {
		NULL, "Other", "Unknown", "Desktop", "Low Profile Desktop", "Pizza Box", "Mini Tower", "Tower",
		"Portable", "Laptop", "Notebook", "Hand Held", "Docking Station", "All in One", "Sub Notebook",
		"Space-saving", "Lunch Box", "Main Server Chassis", "Expansion Chassis", "SubChassis",
		"Bus Expansion Chassis", "Peripheral Chassis", "RAID Chassis", "Rack Mount Chassis", "Sealed-case PC",
		"Multi-system Chassis", "Compact PCI", "Advanced TCA", "Blade", "Blade Enclosure", "Tablet",
		"Convertible", "Detachable", "IoT Gateway", "Embedded PC", "Mini PC", "Stick PC",
	};
	return t > 0 && (size_t)t < PF_ARRAY_SIZE(names) ? names[t] : "not a known type";
}

/* TPM, disks and NICs, one line each, for the technician. */
static void hardware_text(const pf_identity *id, pf_buf *out)
{
	const pf_tpm *t = &id->tpm;
	if (t->present == PF_UNKNOWN)
		pf_buf_puts(out, "  TPM            (not readable)\n");
	else if (t->present == PF_NO)
		pf_buf_puts(out, "  TPM            none\n");
	else
		pf_buf_printf(out, "  TPM            %s, %s, firmware %s, EK certificate %s\n", show(t->version),
		              show(t->manufacturer), show(t->firmware_version),
		              t->ek_certificate == PF_YES ? "present" : t->ek_certificate == PF_NO ? "none" : "(not readable)");
	if (t->active_pcr_banks)
		pf_buf_printf(out, "  PCR banks      %s active (supported %s)\n", t->active_pcr_banks, show(t->pcr_banks));
	if (t->ek_issuer)
		pf_buf_printf(out, "  EK issuer      %s\n", t->ek_issuer);
	for (size_t i = 0; id->disks_read && i < id->n_disks; i++)
		pf_buf_printf(out, "  Disk           %s, serial %s%s%s%s\n", show(id->disks[i].model), show(id->disks[i].serial),
		              id->disks[i].bus ? " (" : "", id->disks[i].bus ? id->disks[i].bus : "",
		              id->disks[i].bus ? (id->disks[i].boot_media ? ", this stick)" : ")") :
		                                  (id->disks[i].boot_media ? " (this stick)" : ""));
	for (size_t i = 0; id->nics_read && i < id->n_nics; i++)
		pf_buf_printf(out, "  NIC            %s %s%s\n", show(id->nics[i].mac),
		              id->nics[i].wireless == PF_YES ? "wireless" : id->nics[i].wireless == PF_NO ? "wired" : "",
		              id->nics[i].media == PF_NO ? ", no link" : "");
}

static const char *tri_onoff(pf_tri v)
{
	return v == PF_YES ? "on" : v == PF_NO ? "off" : "(not readable)";
}

/* One store: a line per certificate with its marks, then the hash counts and any damage. */
static void sb_store_text(const pf_run *run, pf_sb_store s, pf_buf *out)
{
	const pf_sb_list *l = &run->secboot.lists[s];
	const char *label = pf_sb_store_name(s);
	char t[32];

	if (l->present != PF_YES) {
		pf_buf_printf(out, "  %-14s %s\n", label, l->present == PF_NO ? "absent" : "(not readable)");
		return;
	}
	for (size_t i = 0; i < l->n_certs; i++, label = "") {
		const pf_sb_cert *c = &l->certs[i];
		if (c->dates_valid)
			pf_x509_time_str(&c->not_after, t, sizeof(t));
		pf_buf_printf(out, "  %-14s %s, until %s%s%s%s%s\n", label, pf_sb_cert_name(c), c->dates_valid ? t : "(unknown)",
		              c->known ? " [Microsoft]" : "", c->lookalike ? " [LOOK-ALIKE, not Microsoft's key]" : "",
		              pf_sb_cert_expired(c, &run->sb_time, run->sb_time_source) ? " [expired]" : "",
		              c->parse_error ? " [not parseable]" : "");
	}
	if (l->n_sha256 || l->n_other_hashes || l->n_unknown || l->n_certs == 0)
		pf_buf_printf(out, "  %-14s %zu SHA-256 hash%s, %zu other hash%s, %zu unknown entr%s\n", label, l->n_sha256,
		              l->n_sha256 == 1 ? "" : "es", l->n_other_hashes, l->n_other_hashes == 1 ? "" : "es", l->n_unknown,
		              l->n_unknown == 1 ? "y" : "ies");
	if (l->error)
		pf_buf_printf(out, "  %-14s damaged: %s\n", "", l->error);
}

static void secboot_text(const pf_run *run, pf_buf *out)
{
	const pf_secboot *sb = &run->secboot;
	if (!sb->read)
		return;
	const char *mode = sb->setup_mode == PF_YES ? "setup mode" : sb->audit_mode == PF_YES ? "audit mode" :
	                   sb->deployed_mode == PF_YES ? "deployed mode" : sb->setup_mode == PF_NO ? "user mode" : "mode unknown";
	const char *started = sb->started_by == PF_SB_START_SHIM ? "through shim" :
	                      sb->started_by == PF_SB_START_DIRECT ? "directly by the firmware" : "by an unknown loader";
	/* Secure Boot on means this binary ran only because the firmware (or shim) checked its signature. */
	const char *verified = sb->secure_boot == PF_YES ? "signature verified" :
	                       sb->secure_boot == PF_NO ? "not verified" : "verification unknown";
	pf_buf_printf(out, "Secure Boot: %s, %s; Preflight was started %s (%s)\n", tri_onoff(sb->secure_boot), mode, started,
	              verified);
	if (run->sb_time_source != PF_SB_TIME_NONE && pf_time_valid(&run->sb_time)) {
		char t[32];
		pf_time_iso(&run->sb_time, t, sizeof(t));
		pf_buf_printf(out, "  Expiry judged against %s %s\n", run->sb_time_source == PF_SB_TIME_NETWORK ? "network time" : "the RTC", t);
	}
	for (int s = 0; s < PF_SB__COUNT; s++)
		sb_store_text(run, (pf_sb_store)s, out);
	pf_buf_putc(out, '\n');
}

/* The installed Windows: where, signed by whom, what the firmware would do, which build. */
static void windows_text(const pf_run *run, pf_buf *out)
{
	const pf_bootmgr *bm = &run->windows;
	if (!run->windows_read)
		return;
	if (!bm->found) {
		pf_buf_printf(out, "Installed Windows: none found (%zu internal EFI System Partition%s)\n\n", bm->n_esps,
		              bm->n_esps == 1 ? "" : "s");
		return;
	}
	if (bm->release)
		pf_buf_printf(out, "Installed Windows: %s\n", bm->release->name);
	else if (bm->version_valid)
		pf_buf_printf(out, "Installed Windows: build %u (not in the release table)\n", bm->version.file[2]);
	else
		pf_buf_printf(out, "Installed Windows: boot manager without a version resource\n");
	pf_buf_printf(out, "  Boot manager   %s, partition %s, %zu bytes%s\n", show(bm->path), show(bm->partition), bm->size,
	              bm->bcd_present ? ", BCD present" : ", no BCD");
	pf_buf_printf(out, "  Disk           %s\n", show(bm->disk));
	if (bm->boot_entry >= 0)
		pf_buf_printf(out, "  Boot entry     Boot%04X \"%s\", position %d in BootOrder\n", (unsigned)bm->boot_entry,
		              show(bm->boot_description), bm->boot_order_pos + 1);
	else
		pf_buf_printf(out, "  Boot entry     none in BootOrder points at it\n");
	if (bm->version_valid)
		pf_buf_printf(out, "  Version        %u.%u.%u.%u\n", bm->version.file[0], bm->version.file[1], bm->version.file[2],
		              bm->version.file[3]);
	pf_buf_printf(out, "  Signer         %s\n", bm->signer_subject ? bm->signer_subject : "(unsigned or unreadable)");
	if (bm->signer_sha1[0])
		pf_buf_printf(out, "  Signer SHA-1   %s\n", bm->signer_sha1);
	pf_buf_printf(out, "  CA             %s\n", show(bm->ca));
	if (bm->n_sigs > 1)
		for (size_t i = 0; i < bm->n_sigs; i++)
			pf_buf_printf(out, "  Signature %zu    %s%s: %s\n", i + 1, bm->sigs[i].nested ? "(nested, not read by firmware) " : "",
				      show(bm->sigs[i].signer_subject), pf_bm_verdict_str(bm->sigs[i].verdict));
	pf_buf_printf(out, "  PE SHA-256     %s\n", bm->pe_hash[0] ? bm->pe_hash : "-");
	pf_buf_printf(out, "  Secure Boot    %s%s%s\n", pf_bm_verdict_str(bm->verdict), bm->verdict_detail ? ": " : "",
	              bm->verdict_detail ? bm->verdict_detail : "");
	pf_buf_putc(out, '\n');
}

/* One block for the technician: where the record was found, what it says, what its hash says. */
static void record_text(const pf_record_result *r, pf_buf *out)
{
	pf_buf_printf(out, "Autopilot record: %s (%zu record%s in %zu file%s)\n", r->match ? r->match : "not checked",
	              r->records_seen, r->records_seen == 1 ? "" : "s", r->files_seen, r->files_seen == 1 ? "" : "s");
	if (r->chosen) {
		const pf_record *c = r->chosen;
		/* Graph lists are counted from 0, CSV lines from 1 (contract: record.line). */
		pf_buf_printf(out, "  File           %s %s %u\n", show(c->file), c->source == PF_RECSRC_CSV ? "line" : "entry", c->line);
		pf_buf_printf(out, "  Manufacturer   %s\n", rec_show(c->manufacturer));
		pf_buf_printf(out, "  Model          %s\n", rec_show(c->model));
		pf_buf_printf(out, "  Group tag      %s\n", rec_show(c->group_tag));
		pf_buf_printf(out, "  Assigned user  %s\n", rec_show(c->assigned_user));
		if (c->profile_status || c->enrollment_state)
			pf_buf_printf(out, "  Profile        %s, enrollment %s\n", rec_show(c->profile_status), rec_show(c->enrollment_state));
		if (r->hash_error) {
			pf_buf_printf(out, "  Hardware hash  cannot be decoded: %s\n", r->hash_error);
		} else if (!r->hash) {
			pf_buf_printf(out, "  Hardware hash  (not in the record)\n");
		} else if (r->n_mismatches == 0) {
			pf_buf_printf(out, "  Hardware hash  decoded; no field disagrees with this device\n");
		} else {
			pf_buf_puts(out, "  Hardware hash  differs:");
			for (size_t i = 0; i < r->n_mismatches; i++)
				pf_buf_printf(out, "%s %s", i ? "," : "", r->mismatches[i].field);
			pf_buf_putc(out, '\n');
		}
	}
	for (size_t i = 0; i < r->n_bad; i++)
		pf_buf_printf(out, "  Not readable   %s: %s\n", r->bad[i].file, r->bad[i].reason);
	pf_buf_putc(out, '\n');
}

static const char *tri_word(pf_tri v, const char *yes, const char *no)
{
	return v == PF_YES ? yes : v == PF_NO ? no : "not checked";
}

/* The user-side block: which user, and what Graph said about the account and its licence. */
/* The profile, the ESP and Intune's limit: what the user will wait for. */
static void text_user_enrolment(const pf_user_result *u, pf_buf *out)
{
	if (u->has_profile)
		pf_buf_printf(out, "  Profile        %s: %s, %s%s%s\n", u->profile.name[0] ? u->profile.name : "(no name)",
			      !u->profile.join ? "join type unknown" :
			      pf_strcmp(u->profile.join, "hybrid") == 0 ? "hybrid join" : "Entra join",
			      pf_deploy_profile_mode(&u->profile), u->userless[0] ? "; userless enrolment " : "", u->userless);
	else if (u->userless[0])
		pf_buf_printf(out, "  Userless       %s\n", u->userless);
	if (u->has_esp) {
		pf_buf_printf(out, "  ESP            %s: ", u->esp_name[0] ? u->esp_name : "(no name)");
		if (u->esp_shown == PF_NO)
			pf_buf_printf(out, "not shown");
		else if (u->esp_timeout_min >= 0)
			pf_buf_printf(out, "%lld min, %zu blocking app(s)", (long long)u->esp_timeout_min, u->esp_apps);
		else
			pf_buf_printf(out, "%zu blocking app(s)", u->esp_apps);
		pf_buf_printf(out, " (%s%s)\n", u->esp_why, u->esp_uncertain ? "; a group membership was not read" : "");
	}
	if (u->enrol_limit >= 0)
		pf_buf_printf(out, "  Intune limit   %s%lld of %lld devices (%s; Autopilot is not held to it)\n",
			      u->enrolled >= 0 ? "" : "? ", (long long)(u->enrolled >= 0 ? u->enrolled : 0),
			      (long long)u->enrol_limit, u->limit_name);
}

static void user_text(const pf_user_result *u, pf_buf *out)
{
	if (!u->upn[0]) {
		pf_buf_printf(out, "User: not checked (%s)\n\n", u->reason);
		return;
	}
	pf_buf_printf(out, "User: %s (from the %s)%s%s%s\n", u->upn,
		      u->source && pf_strcmp(u->source, "record") == 0 ? "record" : "setting graph.expected_user",
		      u->checked ? "" : ", not checked: ", u->checked ? "" : u->reason, "");
	if (u->checked) {
		pf_buf_printf(out, "  Account        %s\n", u->exists == PF_NO ? "does not exist" :
			      tri_word(u->enabled, "enabled", "disabled"));
		if (u->licensed == PF_YES)
			pf_buf_printf(out, "  Intune licence %s (%s)\n", u->plan, u->sku[0] ? u->sku : "?");
		else if (u->licensed == PF_NO)
			pf_buf_printf(out, "  Intune licence none%s%s%s%s\n", u->plan[0] ? ": " : "", u->plan,
				      u->plan[0] ? " is " : "", u->status);
		else
			pf_buf_printf(out, "  Intune licence not checked%s%s\n", u->reason[0] ? ": " : "", u->reason);
		if (u->join)
			pf_buf_printf(out, "  Entra join     %s (policy: %s)\n", tri_word(u->join_allowed, "allowed", "not allowed"),
				      u->join);
		if (u->quota >= 0 && u->devices >= 0)
			pf_buf_printf(out, "  Device quota   %lld of %lld devices used\n", (long long)u->devices, (long long)u->quota);
		text_user_enrolment(u, out);
	}
	pf_buf_putc(out, '\n');
}

void pf_report_text(const pf_run *run, pf_buf *out)
{
	static const pf_step order[] = { PF_STEP_NETWORK, PF_STEP_SIGN_IN, PF_STEP_ESP_DEVICE,
					 PF_STEP_ESP_ACCOUNT, PF_STEP_IDENTITY, PF_STEP_RECORD };
	const pf_identity *id = &run->identity;
	pf_tally t = pf_findings_tally(&run->findings);
	char when[32] = "unknown time";

	if (run->started_valid)
		pf_time_iso(&run->started, when, sizeof(when));
	pf_buf_printf(out, "Preflight %s, %s\n\n", run->tool_version, when);
	pf_buf_printf(out, "  Manufacturer   %s\n", show(id->manufacturer));
	pf_buf_printf(out, "  Product        %s\n", show(id->product));
	pf_buf_printf(out, "  Version        %s\n", show(id->version));
	pf_buf_printf(out, "  Serial         %s\n", show(id->serial));
	pf_buf_printf(out, "  UUID           %s\n", show(id->uuid));
	pf_buf_printf(out, "  SKU            %s\n", show(id->sku));
	pf_buf_printf(out, "  Family         %s\n", show(id->family));
	pf_buf_printf(out, "  Board serial   %s\n", show(id->baseboard_serial));
	if (id->chassis_type >= 0)
		pf_buf_printf(out, "  Chassis type   %d (%s)\n", id->chassis_type, chassis_name(id->chassis_type));
	else
		pf_buf_printf(out, "  Chassis type   (not readable)\n");
	pf_buf_printf(out, "  SMBIOS         %s %s\n", show(id->smbios_version), id->smbios_entry ? id->smbios_entry : "");
	pf_buf_printf(out, "  Secure Boot    %s\n", id->secure_boot == PF_UNKNOWN ? "(not readable)" : id->secure_boot ? "on" : "off");
	pf_buf_printf(out, "  Virtual machine %s\n", id->virtual_machine == PF_UNKNOWN ? "(unknown)" : id->virtual_machine ? "yes" : "no");
	hardware_text(id, out);
	pf_buf_putc(out, '\n');
	secboot_text(run, out);
	windows_text(run, out);

	if (run->network) {
		pf_net_text(run->network, out);
		pf_buf_putc(out, '\n');
	}
	if (run->record)
		record_text(run->record, out);
	if (run->user_phase)
		user_text(&run->user, out);
	if (run->upload.state != PF_UPLOAD_NONE) {
		const pf_upload_result *u = &run->upload;
		pf_buf_printf(out, "Upload: %s%s%s%s%s\n\n", pf_upload_state_str(u->state), u->url[0] ? " to " : "", u->url,
			      u->reason[0] ? ": " : "", u->reason);
	}
	pf_buf_puts(out, "User-flow steps:\n");
	for (size_t i = 0; i < PF_ARRAY_SIZE(order); i++)
		pf_buf_printf(out, "  %-20s %s\n", pf_step_title(order[i]), pf_report_step_verdict(run, order[i]));

	if (run->findings.n)
		pf_buf_puts(out, "\nFindings:\n");
	for (size_t i = 0; i < PF_ARRAY_SIZE(order); i++) {
		for (size_t k = 0; k < run->findings.n; k++) {
			const pf_finding *fd = &run->findings.items[k];
			if (fd->step != order[i])
				continue;
			const pf_code_info *info = pf_code_info_get(fd->code);
			pf_buf_printf(out, "  [%s] %s (%s): %s\n", fd->severity == PF_SEV_ERROR ? "NO-GO" : fd->severity == PF_SEV_WARN ? "WARN" : "info",
				      info->code, pf_step_title(fd->step), fd->message);
			if (fd->detail)
				pf_buf_printf(out, "      %s\n", fd->detail);
			pf_buf_printf(out, "      Fix: %s\n", info->fix);
		}
	}
	if (run->config_diags.n) {
		pf_buf_printf(out, "\nConfiguration (%s):\n", run->config_file ? run->config_file : "arguments");
		for (size_t i = 0; i < run->config_diags.n; i++) {
			if (run->config_diags.items[i].line)
				pf_buf_printf(out, "  line %u: %s\n", run->config_diags.items[i].line, run->config_diags.items[i].message);
			else
				pf_buf_printf(out, "  %s\n", run->config_diags.items[i].message);
		}
	}
	if (run->register_file[0])
		pf_buf_printf(out, "\nNot registered: %s holds this device's serial, manufacturer and model for OEM/partner "
			      "registration (added to %s for the whole cart). Its Hardware Hash column is empty: only "
			      "Windows can compute the hash (Get-WindowsAutopilotInfo).\n", run->register_file,
			      run->register_list[0] ? run->register_list : "no cart list");
	if (run->register_error[0])
		pf_buf_printf(out, "\nNot registered: the registration file could not be written: %s\n", run->register_error);
	/* What the stick's ledger needed before this run's row: only worth a line when it was not plain. */
	if (run->ledger_checked && run->ledger.state != PF_LEDGER_OK && run->ledger.state != PF_LEDGER_ABSENT)
		pf_buf_printf(out, "\nLedger: %s\n", run->ledger.detail);
	pf_buf_printf(out, "\nVerdict: %s (%zu error%s, %zu warning%s)\n", pf_verdict_str(t.verdict), t.errors,
		      t.errors == 1 ? "" : "s", t.warnings, t.warnings == 1 ? "" : "s");
}
