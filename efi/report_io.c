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
/* The whole ledger written anew (see ledger_rewrite) before it takes ledger.csv's place. */
#define LEDGER_NEW "ledger.csv.new"

/* A cut between ledger_rewrite's delete and rename leaves only ledger.csv.new, complete (it was
 * flushed before the old ledger was deleted): it becomes the ledger. With both present the cut came
 * before the delete: the old ledger stands and the new copy goes. */
static EFI_STATUS ledger_recover(EFI_FILE *root, const char *dir, bool *ret_recovered)
{
	char path[400], new_path[400];
	pf_snprintf(path, sizeof(path), "%s\\%s", dir, LEDGER);
	pf_snprintf(new_path, sizeof(new_path), "%s\\%s", dir, LEDGER_NEW);
	*ret_recovered = false;
	if (!fs_exists(root, new_path))
		return EFI_SUCCESS;
	if (fs_exists(root, path))
		return fs_delete(root, new_path);
	EFI_STATUS err = fs_rename(root, new_path, LEDGER);
	if (!EFI_ERROR(err))
		*ret_recovered = true;
	return err;
}

/* The FAT driver refuses to grow a file whose cluster chain runs past its size, which a cut inside an
 * append can leave (the chain grown, the directory entry not yet): the whole ledger with the new row
 * is then written as ledger.csv.new (flushed), the old one deleted, the new one renamed into place. */
static EFI_STATUS ledger_rewrite(EFI_FILE *root, const char *dir, const pf_buf *row)
{
	char path[400], new_path[400], *data = NULL;
	size_t len = 0;
	uint64_t keep = 0, rows = 0;
	pf_buf all = { 0 };
	EFI_STATUS err;

	pf_snprintf(path, sizeof(path), "%s\\%s", dir, LEDGER);
	pf_snprintf(new_path, sizeof(new_path), "%s\\%s", dir, LEDGER_NEW);
	err = fs_read_file(root, path, PF_LEDGER_CHECK_MAX, &data, &len);
	if (EFI_ERROR(err))
		return err;
	pf_ledger_scan(data, len, &keep, &rows);
	if (keep == 0)
		pf_buf_puts(&all, PF_LEDGER_HEADER);
	else
		pf_buf_append(&all, data, (size_t)keep);
	pf_buf_append(&all, row->p, row->len);
	pf_free(data);
	if (all.oom) {
		pf_buf_free(&all);
		return EFI_OUT_OF_RESOURCES;
	}
	/* A stale copy would make fs_write_atomic refuse the name. */
	err = fs_exists(root, new_path) ? fs_delete(root, new_path) : EFI_SUCCESS;
	if (!EFI_ERROR(err))
		err = fs_write_atomic(root, dir, LEDGER_NEW, all.p, all.len);
	pf_buf_free(&all);
	if (EFI_ERROR(err))
		return err;
	err = fs_delete(root, path);
	if (!EFI_ERROR(err))
		err = fs_rename(root, new_path, LEDGER);
	if (!EFI_ERROR(err))
		con_printf("%s could not grow (a run was cut short inside its last append); it was written anew.\n", path);
	return err;
}

EFI_STATUS report_ledger_prepare(EFI_FILE *root, const char *dir, pf_ledger_note *ret_note)
{
	pf_ledger_note note = { .state = PF_LEDGER_OK };
	char path[400], *data = NULL;
	EFI_FILE *f = NULL;
	uint64_t size = 0, keep = 0;
	size_t len = 0;
	EFI_STATUS err;

	pf_snprintf(path, sizeof(path), "%s\\%s", dir, LEDGER);
	bool recovered = false;
	err = ledger_recover(root, dir, &recovered);
	if (EFI_ERROR(err))
		goto unusable;
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
	} else if (recovered) {
		note.state = PF_LEDGER_REPAIRED;
		pf_snprintf(note.detail, sizeof(note.detail),
			    "%s: put back from %s (a run was cut short while rewriting it); %llu whole rows", path,
			    LEDGER_NEW, (unsigned long long)note.rows);
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

/* The JSON and text reports as dir\name.json and .txt (atomically each); ret_path gets the JSON's
 * path once it is there. */
static EFI_STATUS write_files(EFI_FILE *root, const pf_run *run, const char *dir, const char *name, bool replace,
			      char *ret_path, size_t cap)
{
	pf_buf json = { 0 }, text = { 0 };
	char file[180];
	EFI_STATUS err = EFI_SUCCESS;

	pf_report_json(run, &json);
	pf_report_text(run, &text);
	if (json.oom || text.oom) {
		err = log_error_status(EFI_OUT_OF_RESOURCES, "reports not written: out of memory");
		goto out;
	}
	pf_snprintf(file, sizeof(file), "%s.json", name);
	err = (replace ? fs_replace_atomic : fs_write_atomic)(root, dir, file, json.p, json.len);
	if (EFI_ERROR(err)) {
		log_error_status(err, "report %s\\%s not written: %s", dir, file, fs_why(err));
		goto out;
	}
	/* The JSON report is there from now on, whatever happens to the text report and the ledger. */
	pf_snprintf(ret_path, cap, "%s\\%s", dir, file);
	pf_snprintf(file, sizeof(file), "%s.txt", name);
	err = (replace ? fs_replace_atomic : fs_write_atomic)(root, dir, file, text.p, text.len);
	if (EFI_ERROR(err))
		log_error_status(err, "report %s\\%s not written: %s", dir, file, fs_why(err));
out:
	pf_buf_free(&json);
	pf_buf_free(&text);
	return err;
}

static EFI_STATUS append_ledger(EFI_FILE *root, const pf_run *run, const char *path)
{
	const char *dir = run->config.report_dir;
	pf_buf row = { 0 };
	EFI_STATUS err;

	/* The technician's confirmation; the power-cut tests also aim at the ledger append from it. */
	con_printf("Report saved: %s (and .txt); adding the ledger row...\n", path);
	/* A ledger found unusable before the reports were made is left alone (the report says so). */
	if (run->ledger_checked && run->ledger.state == PF_LEDGER_UNUSABLE)
		return EFI_SUCCESS;
	pf_report_ledger_row(run, path, &row);
	if (row.oom) {
		pf_buf_free(&row);
		return log_error_status(EFI_OUT_OF_RESOURCES, "ledger not updated: out of memory");
	}
	err = fs_append(root, dir, LEDGER, PF_LEDGER_HEADER, row.p, row.len);
	if (err == EFI_VOLUME_CORRUPTED)
		err = ledger_rewrite(root, dir, &row);
	if (EFI_ERROR(err))
		log_error_status(err, "ledger %s\\%s not updated: %s", dir, LEDGER, fs_why(err));
	pf_buf_free(&row);
	return err;
}

EFI_STATUS report_write_all(EFI_FILE *root, const pf_run *run, bool with_ledger, char *ret_name, size_t name_cap,
			    char *ret_path, size_t cap)
{
	const char *dir = run->config.report_dir;
	char base[128], name[160], path[400];
	EFI_STATUS err;

	err = fs_mkdirs(root, dir);
	if (EFI_ERROR(err))
		return log_error_status(err, "reports not written to %s: %s", dir, fs_why(err));
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
	pf_snprintf(ret_name, name_cap, "%s", name);
	err = write_files(root, run, dir, name, false, ret_path, cap);
	if (EFI_ERROR(err) || !with_ledger)
		return err;
	return append_ledger(root, run, ret_path);
}

EFI_STATUS report_finish(EFI_FILE *root, const pf_run *run, const char *name)
{
	char path[400];
	EFI_STATUS err = write_files(root, run, run->config.report_dir, name, true, path, sizeof(path));
	if (EFI_ERROR(err))
		return err;
	return append_ledger(root, run, path);
}
