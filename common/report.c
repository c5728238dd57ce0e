/* Report writers: the JSON report, the ledger row and the PREFLIGHT RESULT line (text: report_text.c). */
#include "report.h"
#include "records.h"
#include "fmt.h"
#include "json.h"
#include "netresult.h"
#include "str.h"

void pf_report_basename(const pf_run *run, char *buf, size_t cap)
{
	char serial[65];
	size_t n = 0;
	const char *s = run->identity.serial;
	pf_span sp = pf_span_trim(pf_span_of(s));
	for (size_t i = 0; i < sp.len && n + 1 < sizeof(serial); i++) {
		char c = sp.p[i];
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || pf_isdigit(c) || c == '.' || c == '_' || c == '-';
		serial[n++] = ok ? c : '_';
	}
	serial[n] = '\0';
	char when[20] = "00000000T000000";
	if (run->started_valid)
		pf_time_compact(&run->started, when, sizeof(when));
	pf_snprintf(buf, cap, "%s-%s", n ? serial : "unknown", when);
}

static void json_findings(pf_json *j, const pf_findings *f)
{
	pf_json_arr_begin(j, "findings");
	for (size_t i = 0; i < f->n; i++) {
		const pf_finding *fd = &f->items[i];
		pf_json_obj_begin(j, NULL);
		pf_json_str(j, "code", pf_code_info_get(fd->code)->code);
		pf_json_str(j, "severity", pf_severity_str(fd->severity));
		pf_json_str(j, "step", pf_step_str(fd->step));
		pf_json_str(j, "message", fd->message);
		pf_json_str(j, "detail", fd->detail);
		/* The fix travels with the finding: a fleet view of many reports needs no copy of the table. */
		pf_json_str(j, "fix", pf_code_info_get(fd->code)->fix);
		pf_json_obj_end(j);
	}
	pf_json_arr_end(j);
}

static void json_identity(pf_json *j, const pf_identity *id)
{
	pf_json_obj_begin(j, "identity");
	pf_json_str(j, "manufacturer", id->manufacturer);
	pf_json_str(j, "product", id->product);
	pf_json_str(j, "version", id->version);
	pf_json_str(j, "serial", id->serial);
	pf_json_str(j, "uuid", id->uuid);
	pf_json_str(j, "sku", id->sku);
	pf_json_str(j, "family", id->family);
	pf_json_str(j, "baseboard_serial", id->baseboard_serial);
	if (id->chassis_type >= 0)
		pf_json_int(j, "chassis_type", id->chassis_type);
	else
		pf_json_null(j, "chassis_type");
	pf_json_tri(j, "virtual_machine", id->virtual_machine);
	pf_json_tri(j, "secure_boot", id->secure_boot);

	pf_json_obj_begin(j, "tpm");
	pf_json_tri(j, "present", id->tpm.present);
	pf_json_str(j, "version", id->tpm.version);
	pf_json_str(j, "manufacturer", id->tpm.manufacturer);
	pf_json_tri(j, "ek_certificate", id->tpm.ek_certificate);
	pf_json_str(j, "firmware_version", id->tpm.firmware_version);
	pf_json_str(j, "ek_issuer", id->tpm.ek_issuer);
	pf_json_str(j, "ek_subject", id->tpm.ek_subject);
	pf_json_str(j, "ek_pub_sha256", id->tpm.ek_pub_sha256);
	pf_json_str(j, "pcr_banks", id->tpm.pcr_banks);
	pf_json_str(j, "active_pcr_banks", id->tpm.active_pcr_banks);
	pf_json_obj_end(j);

	if (id->nics_read) {
		pf_json_arr_begin(j, "nics");
		for (size_t i = 0; i < id->n_nics; i++) {
			pf_json_obj_begin(j, NULL);
			pf_json_str(j, "mac", id->nics[i].mac);
			pf_json_tri(j, "wireless", id->nics[i].wireless);
			pf_json_tri(j, "media", id->nics[i].media);
			pf_json_obj_end(j);
		}
		pf_json_arr_end(j);
	} else {
		pf_json_null(j, "nics");
	}
	if (id->disks_read) {
		pf_json_arr_begin(j, "disks");
		for (size_t i = 0; i < id->n_disks; i++) {
			pf_json_obj_begin(j, NULL);
			pf_json_str(j, "model", id->disks[i].model);
			pf_json_str(j, "serial", id->disks[i].serial);
			pf_json_str(j, "bus", id->disks[i].bus);
			pf_json_bool(j, "boot_media", id->disks[i].boot_media);
			pf_json_obj_end(j);
		}
		pf_json_arr_end(j);
	} else {
		pf_json_null(j, "disks");
	}

	/* Extensions beyond the contract's list: what a technician may need to tell machines apart. */
	pf_json_str(j, "bios_vendor", id->bios_vendor);
	pf_json_str(j, "bios_version", id->bios_version);
	pf_json_str(j, "baseboard_manufacturer", id->baseboard_manufacturer);
	pf_json_str(j, "baseboard_product", id->baseboard_product);
	pf_json_str(j, "baseboard_version", id->baseboard_version);
	pf_json_str(j, "chassis_serial", id->chassis_serial);
	pf_json_str(j, "smbios_version", id->smbios_version);
	pf_json_str(j, "smbios_entry", id->smbios_entry);
	pf_json_str(j, "firmware_vendor", id->firmware_vendor);
	pf_json_str(j, "processor_arch", id->processor_arch);
	pf_json_str(j, "hypervisor", id->hypervisor);
	pf_json_str(j, "acpi_psci", id->acpi_read ? id->acpi_psci : NULL);
	pf_json_str(j, "acpi_hypervisor", id->acpi_read && id->acpi_hypervisor[0] ? id->acpi_hypervisor : NULL);
	pf_json_str(j, "virtual_machine_reason", id->virtual_machine_reason);
	pf_json_obj_end(j);
}

static void json_sb_cert(pf_json *j, const pf_sb_cert *c, const pf_run *run)
{
	char t[32];
	pf_json_obj_begin(j, NULL);
	pf_json_str(j, "subject", c->subject);
	pf_json_str(j, "issuer", c->issuer);
	pf_json_str(j, "subject_cn", c->subject_cn);
	pf_json_str(j, "issuer_cn", c->issuer_cn);
	if (c->dates_valid) {
		pf_x509_time_str(&c->not_before, t, sizeof(t));
		pf_json_str(j, "not_before", t);
		pf_x509_time_str(&c->not_after, t, sizeof(t));
		pf_json_str(j, "not_after", t);
	} else {
		pf_json_null(j, "not_before");
		pf_json_null(j, "not_after");
	}
	pf_json_str(j, "sha256", c->sha256);
	pf_json_str(j, "sha1", c->sha1);
	pf_json_str(j, "owner", c->owner);
	pf_json_str(j, "known", c->known ? c->known->role : NULL);
	pf_json_bool(j, "lookalike", c->lookalike != NULL);
	/* Without a clock or without dates nothing is known about expiry. */
	if (run->sb_time_source == PF_SB_TIME_NONE || !c->dates_valid)
		pf_json_null(j, "expired");
	else
		pf_json_bool(j, "expired", pf_sb_cert_expired(c, &run->sb_time, run->sb_time_source));
	pf_json_bool(j, "parse_error", c->parse_error);
	pf_json_obj_end(j);
}

/* Extension: the Secure Boot state and the four key stores (docs/report.md). */
/* The user-side checks (docs/user-checks.md); null when no online lookup was configured. */
static void json_int_or_null(pf_json *j, const char *key, int64_t v)
{
	if (v >= 0)
		pf_json_int(j, key, v);
	else
		pf_json_null(j, key);
}

/* What the user will wait for: the Autopilot device's profile and userless status, the ESP, Intune's limit. */
static void json_user_enrolment(pf_json *j, const pf_user_result *u)
{
	pf_json_str(j, "userless_enrollment", u->userless[0] ? u->userless : NULL);
	if (u->has_profile) {
		pf_json_obj_begin(j, "deployment_profile");
		pf_json_str(j, "name", u->profile.name);
		pf_json_str(j, "join", u->profile.join);
		pf_json_str(j, "mode", pf_deploy_profile_mode(&u->profile));
		pf_json_tri(j, "preprovisioning", u->profile.preprovisioning);
		pf_json_tri(j, "self_deploying", u->profile.self_deploying);
		pf_json_str(j, "user_type", u->profile.user_type[0] ? u->profile.user_type : NULL);
		pf_json_obj_end(j);
	} else {
		pf_json_null(j, "deployment_profile");
	}
	if (u->has_esp) {
		pf_json_obj_begin(j, "esp");
		pf_json_str(j, "name", u->esp_name);
		pf_json_str(j, "chosen", u->esp_why);
		pf_json_bool(j, "uncertain", u->esp_uncertain);
		json_int_or_null(j, "timeout_min", u->esp_timeout_min);
		pf_json_int(j, "blocking_apps", (int64_t)u->esp_apps);
		pf_json_tri(j, "shows_progress", u->esp_shown);
		pf_json_obj_end(j);
	} else {
		pf_json_null(j, "esp");
	}
	pf_json_str(j, "enrollment_limit_name", u->limit_name[0] ? u->limit_name : NULL);
	json_int_or_null(j, "enrollment_limit", u->enrol_limit);
	json_int_or_null(j, "intune_devices", u->enrolled);
}

static void json_user(pf_json *j, const pf_run *run)
{
	const pf_user_result *u = &run->user;
	if (!run->user_phase) {
		pf_json_null(j, "user");
		return;
	}
	pf_json_obj_begin(j, "user");
	pf_json_str(j, "upn", u->upn[0] ? u->upn : NULL);
	pf_json_str(j, "source", u->source);
	pf_json_bool(j, "checked", u->checked);
	pf_json_str(j, "reason", u->reason[0] ? u->reason : NULL);
	pf_json_tri(j, "exists", u->exists);
	pf_json_tri(j, "enabled", u->enabled);
	pf_json_tri(j, "intune_license", u->licensed);
	pf_json_str(j, "license_plan", u->plan[0] ? u->plan : NULL);
	pf_json_str(j, "license_status", u->status[0] ? u->status : NULL);
	pf_json_str(j, "license_sku", u->sku[0] ? u->sku : NULL);
	pf_json_str(j, "join_policy", u->join);
	pf_json_tri(j, "join_allowed", u->join_allowed);
	if (u->quota >= 0)
		pf_json_int(j, "device_quota", u->quota);
	else
		pf_json_null(j, "device_quota");
	if (u->devices >= 0)
		pf_json_int(j, "devices", u->devices);
	else
		pf_json_null(j, "devices");
	pf_json_tri(j, "quota_left", u->quota_left);
	json_user_enrolment(j, u);
	pf_json_obj_end(j);
}

/* report.upload_url: null when not configured; the URL with its signature masked. */
static void json_upload(pf_json *j, const pf_upload_result *u)
{
	if (u->state == PF_UPLOAD_NONE) {
		pf_json_null(j, "upload");
		return;
	}
	pf_json_obj_begin(j, "upload");
	pf_json_str(j, "state", pf_upload_state_str(u->state));
	pf_json_str(j, "url", u->url[0] ? u->url : NULL);
	if (u->status)
		pf_json_int(j, "http_status", u->status);
	else
		pf_json_null(j, "http_status");
	pf_json_str(j, "error", u->error[0] ? u->error : NULL);
	pf_json_str(j, "reason", u->reason[0] ? u->reason : NULL);
	pf_json_int(j, "attempts", u->attempts);
	pf_json_int(j, "ms", (int64_t)u->ms);
	pf_json_obj_end(j);
}

static void json_secboot(pf_json *j, const pf_run *run)
{
	const pf_secboot *sb = &run->secboot;
	if (!sb->read) {
		pf_json_null(j, "secure_boot");
		return;
	}
	char t[32];
	pf_json_obj_begin(j, "secure_boot");
	pf_json_tri(j, "enabled", sb->secure_boot);
	pf_json_tri(j, "setup_mode", sb->setup_mode);
	pf_json_tri(j, "audit_mode", sb->audit_mode);
	pf_json_tri(j, "deployed_mode", sb->deployed_mode);
	pf_json_str(j, "started_by", sb->started_by == PF_SB_START_SHIM ? "shim" :
	                             sb->started_by == PF_SB_START_DIRECT ? "direct" : NULL);
	/* With Secure Boot on, this binary ran only because the firmware (or shim) verified it. */
	pf_json_tri(j, "verified", sb->secure_boot);
	pf_json_str(j, "time_source", pf_sb_time_source_str(run->sb_time_source));
	if (run->sb_time_source != PF_SB_TIME_NONE && pf_time_valid(&run->sb_time)) {
		pf_time_iso(&run->sb_time, t, sizeof(t));
		pf_json_str(j, "time", t);
	} else {
		pf_json_null(j, "time");
	}
	pf_json_obj_begin(j, "stores");
	for (int s = 0; s < PF_SB__COUNT; s++) {
		const pf_sb_list *l = &sb->lists[s];
		pf_json_obj_begin(j, pf_sb_store_name((pf_sb_store)s));
		pf_json_tri(j, "present", l->present);
		pf_json_int(j, "size", (int64_t)l->size);
		pf_json_int(j, "lists", (int64_t)l->n_lists);
		pf_json_arr_begin(j, "certificates");
		for (size_t i = 0; i < l->n_certs; i++)
			json_sb_cert(j, &l->certs[i], run);
		pf_json_arr_end(j);
		pf_json_int(j, "sha256_hashes", (int64_t)l->n_sha256);
		pf_json_int(j, "other_hashes", (int64_t)l->n_other_hashes);
		pf_json_int(j, "unknown_entries", (int64_t)l->n_unknown);
		pf_json_str(j, "error", l->error);
		pf_json_obj_end(j);
	}
	pf_json_obj_end(j);
	pf_json_obj_end(j);
}

static void json_version(pf_json *j, const char *key, const uint16_t v[4])
{
	char t[32];
	pf_snprintf(t, sizeof(t), "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
	pf_json_str(j, key, t);
}

/* The installed Windows (docs/report.md): where its boot manager is, its signature and verdict, its build. */
static void json_windows(pf_json *j, const pf_run *run)
{
	const pf_bootmgr *bm = &run->windows;
	char t[16];
	if (!run->windows_read) {
		pf_json_null(j, "windows");
		return;
	}
	pf_json_obj_begin(j, "windows");
	pf_json_bool(j, "found", bm->found);
	pf_json_int(j, "esps", (int64_t)bm->n_esps);
	pf_json_str(j, "disk", bm->disk);
	pf_json_str(j, "partition", bm->partition);
	pf_json_str(j, "path", bm->path);
	if (bm->found)
		pf_json_bool(j, "bcd", bm->bcd_present);
	else
		pf_json_null(j, "bcd");
	if (bm->boot_entry >= 0) {
		pf_snprintf(t, sizeof(t), "Boot%04X", (unsigned)bm->boot_entry);
		pf_json_str(j, "boot_entry", t);
		pf_json_int(j, "boot_order_position", bm->boot_order_pos);
	} else {
		pf_json_null(j, "boot_entry");
		pf_json_null(j, "boot_order_position");
	}
	pf_json_str(j, "boot_description", bm->boot_description);
	pf_json_int(j, "size", (int64_t)bm->size);
	pf_json_str(j, "pe_sha256", bm->pe_hash[0] ? bm->pe_hash : NULL);
	pf_json_str(j, "signed_sha256", bm->signed_hash[0] ? bm->signed_hash : NULL);
	pf_json_bool(j, "signature_verifies", bm->signature_verifies);
	pf_json_str(j, "signer_subject", bm->signer_subject);
	pf_json_str(j, "signer_issuer", bm->signer_issuer);
	pf_json_str(j, "signer_sha1", bm->signer_sha1[0] ? bm->signer_sha1 : NULL);
	pf_json_str(j, "signer_sha256", bm->signer_sha256[0] ? bm->signer_sha256 : NULL);
	pf_json_str(j, "ca", bm->ca);
	pf_json_str(j, "ca_role", bm->ca_role);
	pf_json_str(j, "verdict", bm->found ? pf_bm_verdict_str(bm->verdict) : NULL);
	pf_json_str(j, "verdict_detail", bm->verdict_detail);
	pf_json_str(j, "dbx_svn", bm->dbx_svn[0] ? bm->dbx_svn : NULL);
	pf_json_str(j, "svn", bm->svn[0] ? bm->svn : NULL);
	char m[8];
	pf_json_str(j, "machine", bm->machine ? pf_pe_machine_name(bm->machine, m) : NULL);
	/* Every signature, each judged alone; the verdict above is the firmware's over all of them. */
	pf_json_arr_begin(j, "signatures");
	for (size_t i = 0; i < bm->n_sigs; i++) {
		const pf_bm_signature *g = &bm->sigs[i];
		pf_json_obj_begin(j, NULL);
		pf_json_bool(j, "nested", g->nested);
		pf_json_str(j, "signer_subject", g->signer_subject);
		pf_json_str(j, "signer_sha1", g->signer_sha1[0] ? g->signer_sha1 : NULL);
		pf_json_str(j, "ca", g->ca);
		pf_json_str(j, "ca_role", g->ca_role);
		pf_json_str(j, "verdict", pf_bm_verdict_str(g->verdict));
		pf_json_str(j, "verdict_detail", g->detail);
		pf_json_obj_end(j);
	}
	pf_json_arr_end(j);
	if (bm->version_valid) {
		json_version(j, "file_version", bm->version.file);
		json_version(j, "product_version", bm->version.product);
		pf_json_int(j, "build", bm->version.file[2]);
	} else {
		pf_json_null(j, "file_version");
		pf_json_null(j, "product_version");
		pf_json_null(j, "build");
	}
	pf_json_str(j, "release", bm->release ? bm->release->name : NULL);
	pf_json_obj_end(j);
}

void pf_report_json(const pf_run *run, pf_buf *out)
{
	pf_json j;
	pf_tally t = pf_findings_tally(&run->findings);
	char when[32];

	pf_json_init(&j, out);
	pf_json_obj_begin(&j, NULL);
	pf_json_str(&j, "schema", PF_REPORT_SCHEMA);
	pf_json_str(&j, "tool_version", run->tool_version);
	if (run->started_valid) {
		pf_time_iso(&run->started, when, sizeof(when));
		pf_json_str(&j, "started", when);
	} else {
		pf_json_null(&j, "started");
	}
	pf_json_int(&j, "duration_ms", (int64_t)run->duration_ms);
	pf_json_str(&j, "verdict", pf_verdict_str(t.verdict));
	pf_json_int(&j, "errors", (int64_t)t.errors);
	pf_json_int(&j, "warnings", (int64_t)t.warnings);
	json_findings(&j, &run->findings);

	pf_json_arr_begin(&j, "steps");
	for (pf_step s = 0; s < PF_STEP__COUNT; s++) {
		pf_json_obj_begin(&j, NULL);
		pf_json_str(&j, "step", pf_step_str(s));
		pf_json_bool(&j, "checked", run->step_checked[s]);
		pf_json_str(&j, "verdict", pf_report_step_verdict(run, s));
		pf_json_obj_end(&j);
	}
	pf_json_arr_end(&j);

	json_identity(&j, &run->identity);
	json_secboot(&j, run);
	json_windows(&j, run);
	if (run->record)
		pf_records_json(&j, run->record);
	else
		pf_json_null(&j, "record");
	pf_net_json(&j, "network", run->network);
	json_user(&j, run);
	json_upload(&j, &run->upload);
	pf_json_obj_begin(&j, "stick");
	pf_json_str(&j, "label", run->stick_label[0] ? run->stick_label : NULL);
	pf_json_obj_end(&j);

	pf_json_obj_begin(&j, "config");
	pf_json_str(&j, "file", run->config_file);
	pf_json_str(&j, "after_action", pf_after_str(run->config.after_action));
	pf_json_arr_begin(&j, "warnings");
	for (size_t i = 0; i < run->config_diags.n; i++) {
		pf_json_obj_begin(&j, NULL);
		pf_json_int(&j, "line", run->config_diags.items[i].line);
		pf_json_str(&j, "message", run->config_diags.items[i].message);
		pf_json_obj_end(&j);
	}
	pf_json_arr_end(&j);
	pf_json_obj_end(&j);
	if (run->register_file[0] || run->register_error[0]) {
		pf_json_obj_begin(&j, "registration");
		pf_json_str(&j, "file", run->register_file[0] ? run->register_file : NULL);
		pf_json_str(&j, "list", run->register_list[0] ? run->register_list : NULL);
		pf_json_str(&j, "error", run->register_error[0] ? run->register_error : NULL);
		pf_json_obj_end(&j);
	} else {
		pf_json_null(&j, "registration");
	}
	if (run->ledger_checked) {
		pf_json_obj_begin(&j, "ledger");
		pf_json_str(&j, "state", pf_ledger_state_name(run->ledger.state));
		pf_json_int(&j, "rows_before", (int64_t)run->ledger.rows);
		pf_json_int(&j, "cut_bytes", (int64_t)run->ledger.cut_bytes);
		pf_json_str(&j, "detail", run->ledger.detail);
		pf_json_obj_end(&j);
	} else {
		pf_json_null(&j, "ledger");
	}
	pf_json_obj_end(&j);
}

/* The verdict of one step: worst severity among its findings, or "not checked". */
void pf_csv_field(pf_buf *out, const char *s)
{
	if (!s)
		return;
	bool quote = false;
	for (const char *p = s; *p; p++)
		if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
			quote = true;
	if (!quote) {
		pf_buf_puts(out, s);
		return;
	}
	pf_buf_putc(out, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			pf_buf_putc(out, '"');
		pf_buf_putc(out, *p);
	}
	pf_buf_putc(out, '"');
}

void pf_report_ledger_row(const pf_run *run, const char *report_path, pf_buf *out)
{
	pf_tally t = pf_findings_tally(&run->findings);
	char when[32] = "";
	if (run->started_valid)
		pf_time_iso(&run->started, when, sizeof(when));

	pf_buf codes = { 0 };
	for (size_t i = 0; i < run->findings.n; i++) {
		const char *code = pf_code_info_get(run->findings.items[i].code)->code;
		/* One mention per code keeps the column readable when a code repeats per host. */
		bool seen = false;
		for (size_t k = 0; k < i; k++)
			seen |= run->findings.items[k].code == run->findings.items[i].code;
		if (seen)
			continue;
		if (codes.len)
			pf_buf_putc(&codes, ' ');
		pf_buf_puts(&codes, code);
	}

	pf_csv_field(out, when);
	pf_buf_putc(out, ',');
	pf_csv_field(out, run->identity.serial);
	pf_buf_putc(out, ',');
	pf_csv_field(out, run->identity.manufacturer);
	pf_buf_putc(out, ',');
	pf_csv_field(out, run->identity.product);
	pf_buf_printf(out, ",%s,%zu,%zu,", pf_verdict_str(t.verdict), t.errors, t.warnings);
	if (codes.oom)
		out->oom = true;
	pf_csv_field(out, codes.p ? codes.p : "");
	pf_buf_putc(out, ',');
	pf_csv_field(out, report_path ? report_path : "none");
	pf_buf_putc(out, '\n');
	pf_buf_free(&codes);
}

void pf_report_result_line(const pf_run *run, const char *report_path, pf_buf *out)
{
	pf_tally t = pf_findings_tally(&run->findings);
	pf_buf_printf(out, "PREFLIGHT RESULT verdict=%s errors=%zu warnings=%zu report=%s", pf_verdict_str(t.verdict),
		      t.errors, t.warnings, report_path ? report_path : "none");
}
