/* Streams every record file in records.dir through the readers, 1 MiB at a time. */
#include <efi.h>
#include <efilib.h>
#include "fmt.h"
#include "fs.h"
#include "gather.h"
#include "log.h"
#include "recfile.h"

#define CHUNK (1024 * 1024)
#define MAX_FILES 256

typedef struct {
	char *names[MAX_FILES];
	size_t n;
	size_t skipped;
} file_list;

static bool collect(void *ctx, const char *name, uint64_t size)
{
	file_list *l = ctx;
	pf_recfile_kind kind;
	(void)size;
	if (!pf_recfile_kind_of(name, &kind))
		return true;
	if (l->n == MAX_FILES) {
		l->skipped++;
		return true;
	}
	char *copy = pf_strdup(name);
	if (copy)
		l->names[l->n++] = copy;
	else
		l->skipped++; /* reported with the files beyond MAX_FILES: never silently unread */
	return true;
}

/* Directory order is the FAT order; sorting makes "the first match" the same on every run. */
static void sort_names(file_list *l)
{
	for (size_t i = 1; i < l->n; i++)
		for (size_t k = i; k > 0 && pf_strcmp(l->names[k - 1], l->names[k]) > 0; k--) {
			char *t = l->names[k];
			l->names[k] = l->names[k - 1];
			l->names[k - 1] = t;
		}
}

static void read_one(EFI_FILE *root, const char *path, pf_recfile_kind kind, uint8_t *chunk, pf_record_result *r)
{
	pf_file_error ioerr = { 0 };
	EFI_FILE *f = NULL;
	pf_recfile *rf = NULL;

	pf_records_begin_file(r, path);
	EFI_STATUS err = fs_open_read(root, path, &f);
	if (EFI_ERROR(err)) {
		pf_snprintf(ioerr.reason, sizeof(ioerr.reason), "cannot open (%s)", efi_status_str(err));
		pf_records_end_file(r, &ioerr);
		return;
	}
	rf = pf_recfile_new(kind, r->want_serial, pf_records_on_record, r);
	if (!rf) {
		pf_snprintf(ioerr.reason, sizeof(ioerr.reason), "out of memory");
		goto out;
	}
	for (;;) {
		size_t n = CHUNK;
		err = fs_read_chunk(f, chunk, &n);
		if (EFI_ERROR(err)) {
			pf_snprintf(ioerr.reason, sizeof(ioerr.reason), "read error (%s)", efi_status_str(err));
			goto out;
		}
		if (n == 0)
			break;
		if (pf_recfile_feed(rf, chunk, n) != PF_OK)
			break;
	}
	/* A reader's failure is kept in the reader and reported through pf_recfile_error below. */
	if (pf_recfile_finish(rf) == PF_OK)
		pf_records_file_count(r, pf_recfile_count(rf));
out:
	if (ioerr.reason[0])
		pf_records_end_file(r, &ioerr);
	else
		pf_records_end_file(r, pf_recfile_error(rf));
	pf_recfile_free(rf);
	fs_close(f);
}

EFI_STATUS gather_records(EFI_FILE *root, const char *dir, pf_record_result *r)
{
	file_list l = { 0 };
	char path[512];

	EFI_STATUS err = fs_list_dir(root, dir, collect, &l);
	if (err == EFI_NOT_FOUND)
		return EFI_SUCCESS; /* no folder: no records, which verify reports */
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot list %s", dir);
	if (l.skipped)
		log_warn("%zu record files in %s were not read (more than %d, or out of memory)", l.skipped, dir, MAX_FILES);
	sort_names(&l);
	uint8_t *chunk = pf_malloc(CHUNK);
	if (!chunk)
		err = log_error_status(EFI_OUT_OF_RESOURCES, "no memory to read record files");
	for (size_t i = 0; i < l.n; i++) {
		pf_recfile_kind kind;
		if (chunk && pf_recfile_kind_of(l.names[i], &kind)) {
			pf_snprintf(path, sizeof(path), "%s\\%s", dir, l.names[i]);
			con_printf("  reading %s\n", path);
			read_one(root, path, kind, chunk, r);
		}
		pf_free(l.names[i]);
	}
	pf_free(chunk);
	return err;
}
