/* Report files on the stick: the ledger checked first, then temp name, flush, rename; then one ledger row. */
#include <efi.h>
#include <efilib.h>
#include "fmt.h"
#include "fs.h"
#include "log.h"
#include "report.h"
#include "register.h"
#include "report_io.h"

#define LEDGER "ledger.csv"

EFI_STATUS report_ledger_prepare(EFI_FILE *root, const char *dir, pf_ledger_note *ret_note)
{
	pf_ledger_note note = { .state = PF_LEDGER_OK };
	char path[400], *data = NULL;
	EFI_FILE *f = NULL;
	uint64_t size = 0, keep = 0;
	size_t len = 0;
	EFI_STATUS err;

	pf_snprintf(path, sizeof(path), "%s\\%s", dir, LEDGER);
	err = fs_open_rw(root, path, &f);
	if (err == EFI_NOT_FOUND) {
		note.state = PF_LEDGER_ABSENT;
		pf_snprintf(note.detail, sizeof(note.detail), "%s is new: created with its header", path);
		*ret_note = note;
		return EFI_SUCCESS;
	}
	if (EFI_ERROR(err))
		goto unusable;
	err = fs_file_size(f, &size);
	if (EFI_ERROR(err))
		goto unusable;
	if (size > PF_LEDGER_CHECK_MAX) {
		note.state = PF_LEDGER_UNCHECKED;
		pf_snprintf(note.detail, sizeof(note.detail), "%s is over %u MiB: not checked, the row is appended on a fresh line",
			    path, PF_LEDGER_CHECK_MAX >> 20);
		goto done;
	}
	err = fs_read_all(f, PF_LEDGER_CHECK_MAX, &data, &len);
	if (!EFI_ERROR(err) && len != size)
		err = EFI_VOLUME_CORRUPTED; /* the directory entry claims more than the clusters give */
	if (EFI_ERROR(err))
		goto unusable;
	pf_ledger_scan(data, len, &keep, &note.rows);
	if (keep < size) {
		err = fs_truncate(f, keep);
		if (EFI_ERROR(err))
			goto unusable;
		note.state = PF_LEDGER_REPAIRED;
		note.cut_bytes = size - keep;
		pf_snprintf(note.detail, sizeof(note.detail),
			    "%s: a torn last row (%llu bytes, left by a run cut short) was removed; %llu whole rows kept",
			    path, (unsigned long long)note.cut_bytes, (unsigned long long)note.rows);
	} else {
		pf_snprintf(note.detail, sizeof(note.detail), "%s: %llu whole rows", path, (unsigned long long)note.rows);
	}
done:
	pf_free(data);
	fs_close(f);
	*ret_note = note;
	return EFI_SUCCESS;

unusable:
	note.state = PF_LEDGER_UNUSABLE;
	pf_snprintf(note.detail, sizeof(note.detail), "%s cannot be used (%s): this run's row is not added%s", path,
		    fs_why(err), err == FS_E_IS_FOLDER ? "; rename or delete that folder on a PC" : "");
	pf_free(data);
	fs_close(f);
	/* Judging the ledger worked: its state is the answer, and the run goes on without a row. */
	*ret_note = note;
	return EFI_SUCCESS;
}

#define UNREGISTERED "unregistered.csv"

void report_write_registration(EFI_FILE *root, pf_run *run)
{
	const char *dir = run->config.report_dir;
	char name[160], path[400] = "";
	pf_buf file = { 0 }, row = { 0 };
	char *list = NULL;
	size_t len = 0;
	EFI_STATUS err = EFI_SUCCESS;

	if (!pf_register_wanted(run))
		return;
	pf_register_row(run, &row);
	pf_buf_puts(&file, PF_REGISTER_HEADER);
	pf_register_row(run, &file);
	if (row.oom || file.oom) {
		err = EFI_OUT_OF_RESOURCES;
		goto out;
	}
	err = fs_mkdirs(root, dir);
	if (EFI_ERROR(err))
		goto out;
	pf_register_name(run, name, sizeof(name));
	pf_snprintf(path, sizeof(path), "%s\\%s", dir, name);
	/* One file per device: a second run of the same device finds it (same serial, same content). */
	if (!fs_exists(root, path)) {
		err = fs_write_atomic(root, dir, name, file.p, file.len);
		if (EFI_ERROR(err))
			goto out;
	}
	pf_strlcpy(run->register_file, path, sizeof(run->register_file));
	pf_snprintf(path, sizeof(path), "%s\\%s", dir, UNREGISTERED);
	err = fs_read_file(root, path, PF_LEDGER_CHECK_MAX, &list, &len);
	if (err == EFI_NOT_FOUND)
		err = EFI_SUCCESS;
	if (EFI_ERROR(err))
		goto out;
	if (!list || !pf_register_listed(run, list, len))
		err = fs_append(root, dir, UNREGISTERED, PF_REGISTER_HEADER, row.p, row.len);
	if (!EFI_ERROR(err))
		pf_strlcpy(run->register_list, path, sizeof(run->register_list));
out:
	if (EFI_ERROR(err))
		pf_snprintf(run->register_error, sizeof(run->register_error), "%s: %s", path[0] ? path : dir, fs_why(err));
	pf_free(list);
	pf_buf_free(&row);
	pf_buf_free(&file);
}

EFI_STATUS report_write_all(EFI_FILE *root, const pf_run *run, char *ret_path, size_t cap)
{
	const char *dir = run->config.report_dir;
	char base[128], name[160], path[400];
	pf_buf json = { 0 }, text = { 0 }, row = { 0 };
	EFI_STATUS err;

	err = fs_mkdirs(root, dir);
	if (EFI_ERROR(err)) {
		log_error_status(err, "reports not written to %s: %s", dir, fs_why(err));
		return err;
	}
	pf_report_basename(run, base, sizeof(base));
	/* Two runs in the same second (or a clock that stands still) must not overwrite a report. */
	for (int i = 0; i < 100; i++) {
		if (i == 0)
			pf_snprintf(name, sizeof(name), "%s", base);
		else
			pf_snprintf(name, sizeof(name), "%s-%d", base, i);
		pf_snprintf(path, sizeof(path), "%s\\%s.json", dir, name);
		char tpath[400];
		pf_snprintf(tpath, sizeof(tpath), "%s\\%s.txt", dir, name);
		if (!fs_exists(root, path) && !fs_exists(root, tpath))
			break;
	}

	pf_report_json(run, &json);
	pf_report_text(run, &text);
	pf_report_ledger_row(run, path, &row);
	if (json.oom || text.oom || row.oom) {
		err = log_error_status(EFI_OUT_OF_RESOURCES, "reports not written: out of memory");
		goto out;
	}

	char file[180];
	pf_snprintf(file, sizeof(file), "%s.json", name);
	err = fs_write_atomic(root, dir, file, json.p, json.len);
	if (EFI_ERROR(err)) {
		log_error_status(err, "report %s\\%s not written: %s", dir, file, fs_why(err));
		goto out;
	}
	/* The JSON report is there from now on, whatever happens to the text report and the ledger. */
	pf_snprintf(ret_path, cap, "%s", path);
	pf_snprintf(file, sizeof(file), "%s.txt", name);
	err = fs_write_atomic(root, dir, file, text.p, text.len);
	if (EFI_ERROR(err)) {
		log_error_status(err, "report %s\\%s not written: %s", dir, file, fs_why(err));
		goto out;
	}
	/* A ledger found unusable before the reports were made is left alone (the report says so). */
	if (run->ledger_checked && run->ledger.state == PF_LEDGER_UNUSABLE)
		goto out;
	err = fs_append(root, dir, LEDGER, PF_LEDGER_HEADER, row.p, row.len);
	if (EFI_ERROR(err)) {
		log_error_status(err, "ledger %s\\%s not updated: %s", dir, LEDGER, fs_why(err));
		goto out;
	}
out:
	pf_buf_free(&json);
	pf_buf_free(&text);
	pf_buf_free(&row);
	return err;
}
