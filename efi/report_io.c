/* Report files on the stick: temp name, flush, rename; then one ledger row. */
#include <efi.h>
#include <efilib.h>
#include "fmt.h"
#include "fs.h"
#include "log.h"
#include "report.h"
#include "report_io.h"

static const char *why(EFI_STATUS err)
{
	switch (err) {
	case EFI_WRITE_PROTECTED:
		return "the stick is write-protected";
	case EFI_VOLUME_FULL:
		return "the stick is full";
	case EFI_ACCESS_DENIED:
		return "access denied";
	default:
		return "write error";
	}
}

EFI_STATUS report_write_all(EFI_FILE *root, const pf_run *run, char *ret_path, size_t cap)
{
	const char *dir = run->config.report_dir;
	char base[128], name[160], path[400];
	pf_buf json = { 0 }, text = { 0 }, row = { 0 };
	EFI_STATUS err;

	err = fs_mkdirs(root, dir);
	if (EFI_ERROR(err)) {
		log_error_status(err, "reports not written to %s: %s", dir, why(err));
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
		log_error_status(err, "report %s\\%s not written: %s", dir, file, why(err));
		goto out;
	}
	/* The JSON report is there from now on, whatever happens to the text report and the ledger. */
	pf_snprintf(ret_path, cap, "%s", path);
	pf_snprintf(file, sizeof(file), "%s.txt", name);
	err = fs_write_atomic(root, dir, file, text.p, text.len);
	if (EFI_ERROR(err)) {
		log_error_status(err, "report %s\\%s not written: %s", dir, file, why(err));
		goto out;
	}
	err = fs_append(root, dir, "ledger.csv", PF_LEDGER_HEADER, row.p, row.len);
	if (EFI_ERROR(err)) {
		log_error_status(err, "ledger %s\\ledger.csv not updated: %s", dir, why(err));
		goto out;
	}
out:
	pf_buf_free(&json);
	pf_buf_free(&text);
	pf_buf_free(&row);
	return err;
}
