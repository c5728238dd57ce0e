/* Entry point: gathers facts, hands them to common/, shows the verdict, writes reports, then acts. */
#include <efi.h>
#include <efilib.h>
#include "after.h"
#include "args.h"
#include "clock.h"
#include "fs.h"
#include "gather.h"
#include "graph_online.h"
#include "graph_user.h"
#include "report_upload.h"
#include "srvfetch.h"
#include "idcheck.h"
#include "fmt.h"
#include "log.h"
#include "net.h"
#include "report.h"
#include "report_io.h"
#include "screen.h"
#include "str.h"
#include "usage.h"
#include "utf.h"

#define CONFIG_DEFAULT "\\preflight\\preflight.ini"
#define CONFIG_MAX (1024 * 1024)
/* The result line when the run could not even build its own (out of memory). */
#define RESULT_FALLBACK "PREFLIGHT RESULT verdict=NO-GO errors=1 warnings=0 report=none"

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

/* The shell passes arguments as UCS-2 text in LoadOptions; a boot entry may pass binary data. A parse
 * error is kept in ret_args->parse_error and shown with the config problems of every run. */
static void read_args(EFI_HANDLE image, pf_args *ret_args)
{
	EFI_LOADED_IMAGE *loaded = NULL;
	pf_args a = { 0 };
	char err[sizeof(a.parse_error)];

	*ret_args = a;
	if (EFI_ERROR(BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&loaded)) || !loaded->LoadOptions ||
	    loaded->LoadOptionsSize < 2 || loaded->LoadOptionsSize % 2)
		return;
	const uint16_t *w = loaded->LoadOptions;
	size_t units = loaded->LoadOptionsSize / 2;
	for (size_t i = 0; i < units && w[i]; i++)
		if (w[i] < 0x20 && w[i] != '\t')
			return; /* not text */
	char *line = pf_ucs2_to_utf8(w, units);
	if (!line)
		return;
	if (pf_args_parse(line, strlen(line), &a, err, sizeof(err)) == PF_OK)
		*ret_args = a;
	else
		pf_strlcpy(ret_args->parse_error, err, sizeof(ret_args->parse_error));
	pf_free(line);
}

static void load_config(EFI_FILE *root, const pf_args *args, pf_run *run)
{
	const char *path = args->config_path[0] ? args->config_path : CONFIG_DEFAULT;
	char *data = NULL;
	size_t len = 0;

	if (!root)
		return;
	EFI_STATUS err = fs_read_file(root, path, CONFIG_MAX, &data, &len);
	if (err == EFI_NOT_FOUND && !args->config_path[0])
		return; /* every key has a default: no file is fine */
	if (EFI_ERROR(err)) {
		pf_diag_add(&run->config_diags, 0, "%s could not be read (%s); using defaults", path, fs_why(err));
		return;
	}
	run->config_file = pf_strdup(path);
	if (pf_config_parse(&run->config, data, len, &run->config_diags) != PF_OK)
		pf_diag_add(&run->config_diags, 0, "%s: out of memory while parsing", path);
	pf_free(data);
}

static void show_config_diags(const pf_run *run)
{
	for (size_t i = 0; i < run->config_diags.n; i++) {
		const pf_diag *d = &run->config_diags.items[i];
		con_set_color(EFI_YELLOW);
		if (d->line)
			con_printf("config %s line %u: %s\n", run->config_file ? run->config_file : "", d->line, d->message);
		else
			con_printf("config: %s\n", d->message);
		con_set_color(EFI_LIGHTGRAY);
	}
}

static void check_identity(EFI_HANDLE image, pf_run *run)
{
	con_progress("Reading SMBIOS identity...\n");
	if (EFI_ERROR(gather_smbios(&run->identity)))
		con_printf("SMBIOS could not be read; identity fields are reported as null.\n");
	con_progress("Reading Secure Boot state and keys...\n");
	if (EFI_ERROR(gather_secboot(&run->secboot)))
		con_printf("Secure Boot variables could not all be read; unread parts are reported as null.\n");
	run->identity.secure_boot = run->secboot.secure_boot;
	con_progress("Looking for the installed Windows on the internal disks...\n");
	if (EFI_ERROR(gather_windows(image, &run->secboot, &run->windows)))
		con_printf("The internal disks could not all be read for Windows; see the log.\n");
	run->windows_read = true;
	if (EFI_ERROR(gather_hypervisor(&run->identity)))
		con_printf("The CPU's hypervisor information is not available.\n");
#if defined(__aarch64__)
	run->identity.processor_arch = "arm64";
#else
	run->identity.processor_arch = "x64";
#endif
	if (EFI_ERROR(gather_acpi(&run->identity)))
		con_printf("The ACPI tables could not be read; their VM signals are reported as null.\n");
	if (EFI_ERROR(gather_firmware_vendor(&run->identity)))
		con_printf("The firmware vendor could not be read; reported as null.\n");
	if (EFI_ERROR(gather_tpm(&run->identity)))
		con_printf("The TPM could not be read completely; unread TPM fields are reported as null.\n");
	if (EFI_ERROR(gather_nics(&run->identity)))
		con_printf("Network adapters could not be listed; reported as null.\n");
	if (EFI_ERROR(gather_disks(image, &run->identity)))
		con_printf("Disks could not be listed; reported as null.\n");
	pf_detect_virtual_machine(&run->identity);
	pf_identity_check(&run->identity, &run->config, &run->findings);
	run->step_checked[PF_STEP_IDENTITY] = true;
}

/* The network phase (efi/net/net_run.c); skipped with network.enabled = false or --offline. */
static void check_network(pf_run *run)
{
	if (!run->config.network_enabled || run->config.offline) {
		con_printf("Network checks skipped (%s).\n", run->config.offline ? "--offline" : "network.enabled = false");
		return;
	}
	con_progress("Checking the network...\n");
	if (EFI_ERROR(net_phase(&run->config, &run->identity, &run->findings, &run->network)))
		con_printf("The network phase could not run.\n");
	run->step_checked[PF_STEP_NETWORK] = run->network != NULL;
	/* An endpoint check speaks for the step it serves (sign-in, ESP): that step was looked at. */
	for (size_t i = 0; run->network && i < run->network->n_checks; i++)
		run->step_checked[run->network->checks[i].ep.step] = true;
}

/* Secure Boot findings, after the network phase: certificate expiry is judged against the best time
 * known, the RTC corrected by the servers' time when the network gave one. */
static void check_secure_boot(pf_run *run)
{
	pf_time rtc;

	run->sb_time_source = PF_SB_TIME_NONE;
	if (!EFI_ERROR(clock_rtc(&rtc)) && pf_time_valid(&rtc)) {
		int64_t now = pf_time_to_unix(&rtc);
		run->sb_time_source = PF_SB_TIME_RTC;
		if (run->network && run->network->has_clock_skew) {
			now += run->network->clock_skew_s;
			run->sb_time_source = PF_SB_TIME_NETWORK;
		}
		pf_time_from_unix(now, &run->sb_time);
	}
	pf_secboot_check(&run->secboot, &run->config, &run->sb_time, run->sb_time_source, &run->findings);
	if (run->windows_read)
		pf_bootmgr_check(&run->windows, &run->secboot, &run->config,
				 run->sb_time_source != PF_SB_TIME_NONE ? &run->sb_time : NULL, &run->findings);
}

/* The device's Autopilot record from the files in records.dir (and Graph), verified against the
 * identity; then, with the online lookup configured, the user the record names (efi/graph_user.c). */
static void check_records(EFI_FILE *root, pf_run *run, pf_record_result *rr)
{
	pf_records_init(rr, run->identity.serial);
	run->record = rr;
	con_progress("Looking for this device's Autopilot record in %s...\n", run->config.records_dir);
	uint64_t t0 = clock_ms();
	if (root && EFI_ERROR(gather_records(root, run->config.records_dir, rr)))
		con_printf("Record files could not all be read; see the findings.\n");
	graph_session *gs = graph_online_lookup(root, &run->config, run->network, run->identity.serial, rr,
						&run->findings);
	con_printf("  %llu record(s) in %llu file(s) searched in %llu ms\n", (unsigned long long)rr->records_seen,
	           (unsigned long long)rr->files_seen, (unsigned long long)(clock_ms() - t0));
	pf_records_verify(rr, &run->identity, &run->findings);
	run->step_checked[PF_STEP_RECORD] = true;
	run->user_phase = run->config.graph_enabled && run->config.network_enabled && !run->config.offline;
	if (run->user_phase)
		graph_user_check(gs, &run->config, rr->chosen, &run->user,
				 &run->findings);
	/* The sign-in step is judged from the user checks too (account, Entra join, quota). */
	if (run->user.checked && run->user.exists != PF_UNKNOWN)
		run->step_checked[PF_STEP_SIGN_IN] = true;
	graph_session_close(gs);
}

static void restore_adapter(void)
{
	if (EFI_ERROR(net_dhcp_restore()))
		con_printf("The network adapter's static settings could not be restored; check them in firmware setup.\n");
}

static void run_free(pf_run *run)
{
	if (run->record)
		pf_records_free(run->record);
	net_result_destroy(run->network);
	pf_config_free(&run->config);
	pf_diags_free(&run->config_diags);
	pf_identity_free(&run->identity);
	pf_secboot_free(&run->secboot);
	pf_bootmgr_free(&run->windows);
	pf_findings_free(&run->findings);
	pf_free(run->config_file);
}

/* One whole check: config, facts, verdict on screen, reports. ret_result gets the PREFLIGHT RESULT
 * line (printed by the caller, last), ret_action and ret_verdict what comes after; ret_repeat the
 * number of runs the config asks for (debug.repeat / --repeat). Everything it takes is given back. */
/* Why boot-windows must not start the boot manager ("" when it may): filled by run_once, read after it. */
static char windows_refusal[300];

static void run_once(EFI_HANDLE image, EFI_FILE *root, const pf_boot_source *boot, const pf_args *args, char *ret_result,
		     size_t cap, pf_after *ret_action, pf_verdict *ret_verdict, uint32_t *ret_repeat)
{
	pf_run run = { .tool_version = PF_VERSION };
	char report_path[400] = "";
	pf_record_result records;

	run.started_valid = !EFI_ERROR(clock_rtc(&run.started));
	pf_identity_init(&run.identity);
	pf_secboot_init(&run.secboot);
	pf_bootmgr_init(&run.windows);
	if (pf_config_defaults(&run.config) != PF_OK) {
		log_error_status(EFI_OUT_OF_RESOURCES, "cannot set up the configuration");
		pf_strlcpy(ret_result, RESULT_FALLBACK, cap);
		*ret_action = PF_AFTER_PROMPT;
		*ret_verdict = PF_VERDICT_NO_GO;
		*ret_repeat = 1;
		run_free(&run);
		return;
	}
	if (args->parse_error[0])
		pf_diag_add(&run.config_diags, 0, "command line: %s", args->parse_error);
	load_config(root, args, &run);
	/* Which stick wrote the report, for the admin's fleet view; no label is no harm. */
	if (root && EFI_ERROR(fs_volume_label(root, run.stick_label, sizeof(run.stick_label))))
		run.stick_label[0] = '\0';
	pf_args_apply(args, &run.config);
	show_config_diags(&run);
	/* Booted over the network, nothing written here outlives the reset (common/bootsrc.c decides). */
	pf_boot_plan plan;
	/* The boot server's files are read-only: only a file system of the boot device takes reports. */
	pf_boot_plan_make(boot, root != NULL && !boot->server_files, report_upload_configured(&run.config), &plan);
	pf_strlcpy(run.boot_notice, plan.page, sizeof(run.boot_notice));
	if (plan.notice[0]) {
		con_set_color(EFI_YELLOW);
		con_printf("%s\n", plan.notice);
		con_set_color(EFI_LIGHTGRAY);
	}
	EFI_FILE *out = plan.write_reports ? root : NULL;

	con_progress("Connecting devices...\n");
	gather_connect_all();
	check_identity(image, &run);
	check_network(&run);
	pf_identity_check_online(&run.identity, run.network, &run.findings);
	check_secure_boot(&run);
	check_records(root, &run, &records);
	bool upload = (out || plan.upload_memory) && report_upload_configured(&run.config);
	if (upload)
		run.upload.state = PF_UPLOAD_UPLOADING;
	/* Before the summary: nothing may be printed after the result line. The upload still needs the
	 * adapter as the network phase left it. */
	if (!upload)
		restore_adapter();

	/* From here on the stick is written to: the line tells a technician not to pull it yet (and the
	 * power-cut tests aim their cuts from it). */
	if (out) {
		if (plan.reports_persist)
			con_progress("Saving the reports in %s; do not remove the stick...\n", run.config.report_dir);
		else
			con_progress("Writing the reports to upload them...\n");
		run.ledger_checked = !EFI_ERROR(report_ledger_prepare(out, run.config.report_dir, &run.ledger));
		report_write_registration(out, &run);
	}
	run.duration_ms = clock_ms();
	pf_buf text = { 0 };
	pf_report_text(&run, &text);
	con_printf("\n%s", text.p ? text.p : "(out of memory)\n");
	pf_buf_free(&text);

	/* With an upload the reports are safe on the stick first, uploaded, then written again with the
	 * upload's outcome and only then counted in the ledger. */
	char name[160] = "";
	EFI_STATUS err = EFI_SUCCESS;
	if (out)
		err = report_write_all(out, &run, !upload, name, sizeof(name), report_path, sizeof(report_path));
	/* No volume to write (PXE), or a RAM disk that cannot take the report (full): the upload sends it
	 * from memory, so the container still gets it. */
	bool from_memory = upload && (!out || (EFI_ERROR(err) && !plan.reports_persist));
	if (from_memory && out)
		con_printf("The RAM disk cannot take the report (%s): it is uploaded from memory.\n", efi_status_str(err));
	if (from_memory)
		pf_report_basename(&run, name, sizeof(name)); /* the blob's name, as a file's would be */
	if (upload && (from_memory || !EFI_ERROR(err))) {
		report_upload(from_memory ? root : out, &run, name, from_memory);
		con_printf("Upload: %s%s%s\n", pf_upload_state_str(run.upload.state), run.upload.reason[0] ? ": " : "",
			   run.upload.reason);
		if (!from_memory)
			err = report_finish(out, &run, name);
		else if (run.upload.state == PF_UPLOAD_DONE)
			err = EFI_SUCCESS; /* the container has it: nothing was lost */
	}
	/* A RAM disk's copy is gone at the reset: the result line names no file nobody can open. */
	if (!plan.reports_persist)
		report_path[0] = '\0';
	if (out && EFI_ERROR(err)) {
		if (report_path[0])
			con_printf("The verdict above stands; the report %s was saved, the rest not (see above).\n",
				   report_path);
		else
			con_printf("The verdict above stands; the reports could not be saved.\n");
	}
	if (upload)
		restore_adapter();

	/* The page a technician reads; the serial log above stays as it is. */
	screen_show_summary(&run, report_path[0] ? report_path : NULL);

	pf_buf line = { 0 };
	pf_report_result_line(&run, report_path[0] ? report_path : NULL, &line);
	pf_strlcpy(ret_result, line.p ? line.p : RESULT_FALLBACK, cap);
	pf_buf_free(&line);
	*ret_action = run.config.after_action;
	*ret_verdict = pf_findings_tally(&run.findings).verdict;
	*ret_repeat = run.config.debug_repeat ? run.config.debug_repeat : 1;
	windows_refusal[0] = '\0';
	if (pf_bootmgr_refused(&run.windows))
		pf_snprintf(windows_refusal, sizeof(windows_refusal), "its boot manager would be refused by Secure Boot: %s",
			    run.windows.verdict_detail ? run.windows.verdict_detail : pf_bm_verdict_str(run.windows.verdict));
	run_free(&run);
}

/* The boot server's files after a PXE boot (efi/srvfetch.c): read as the boot volume, freed at the end. */
static pf_memvol server_files;

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_FILE *root = NULL;
	pf_boot_source boot = { .kind = PF_BOOT_LOCAL };
	bool has_fs = true;
	pf_args args;
	char result[256];
	pf_after action = PF_AFTER_PROMPT;
	pf_verdict verdict = PF_VERDICT_NO_GO;
	usage_counts first = { 0 };
	uint32_t runs = 1;

	InitializeLib(image, systab);
	/* The boot manager arms a 5-minute watchdog for every image; the prompt may wait longer, and
	 * each check has its own limits, so the firmware's reset would only lose the report. */
	if (EFI_ERROR(BS->SetWatchdogTimer(0, 0, 0, NULL)))
		con_printf("The firmware watchdog could not be disabled; the machine may reset after 5 minutes.\n");
	clock_init();
	ST->ConOut->ClearScreen(ST->ConOut);
	con_printf("Preflight %s: Windows Autopilot readiness check\n\n", PF_VERSION);

	read_args(image, &args);
	/* PXE and HTTP boot of the binary itself leave no file system: no error for what is expected. When the
	 * path cannot be read, the volume is tried as before. */
	if (EFI_ERROR(gather_boot_source(image, &boot, &has_fs)))
		has_fs = true;
	if (boot.kind != PF_BOOT_LOCAL)
		con_printf("Booted from %s%s%s.\n", pf_boot_kind_str(boot.kind), boot.uri[0] ? ": " : "", boot.uri);
	if (boot.kind != PF_BOOT_LOCAL && boot.has_mac)
		net_nic_prefer(boot.mac); /* the network phase checks the path the PC booted over */
	/* A PXE boot leaves no file system: the site's files come from the boot server, next to the binary. */
	if (!has_fs && boot.kind == PF_BOOT_PXE && !EFI_ERROR(srv_fetch_pxe(image, &server_files)) && server_files.n) {
		fs_set_server_volume(&server_files);
		boot.server_files = true;
	}
	if ((has_fs || boot.server_files) && EFI_ERROR(fs_open_boot_volume(image, &root)))
		root = NULL; /* logged where it failed; each run's boot plan says what that means */

	/* debug.repeat / --repeat: the same check again, to show that a run gives back all it took. */
	for (uint32_t i = 0; i < runs; i++) {
		uint32_t want = 1;
		if (i > 0) {
			screen_page_close(); /* the next run's progress goes to every console again */
			con_printf("\n--- repeat: run %u of %u ---\n", i + 1, runs);
		}
		run_once(image, root, &boot, &args, result, sizeof(result), &action, &verdict, &want);
		if (i == 0)
			runs = want;
		if (runs > 1) {
			char now_s[160], first_s[160];
			if (i == 0)
				first = usage;
			usage_str(&usage, now_s, sizeof(now_s));
			usage_str(&first, first_s, sizeof(first_s));
			con_printf("repeat: after run %u of %u: %s%s%s\n", i + 1, runs, now_s,
				   usage_grew(&first, &usage) ? "; MORE THAN AFTER RUN 1: " : "",
				   usage_grew(&first, &usage) ? first_s : "");
		}
	}

	after_plan plan;
	after_announce(image, action, verdict, windows_refusal, &plan);
	con_printf("%s\n", result);
	fs_close(root);
	fs_set_server_volume(NULL);
	pf_memvol_free(&server_files);
	EFI_STATUS err = after_run(image, &plan, result);
	screen_page_close();
	return err;
}
