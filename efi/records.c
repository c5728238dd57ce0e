/* Streams every record file in records.dir through the readers, 1 MiB at a time. */
#include <efi.h>
#include <efilib.h>
#include "fmt.h"
#include "fs.h"
#include "gather.h"
#include "log.h"
#include "recfile.h"

#define CHUNK (1024 * 1024)
/* A bound on the names held (about 30 bytes each): far above any real export folder. */
#define MAX_FILES 100000
/* Per-file "reading" lines beyond this many become one progress line per PROGRESS_EVERY files:
 * printing 10,000 lines through the firmware's console would cost more than reading the files. */
#define LIST_FILES 32
#define PROGRESS_EVERY 1000

typedef struct {
	char **names;
	size_t n, cap;
	size_t skipped;
} file_list;

static bool collect(void *ctx, const char *name, uint64_t size)
{
	file_list *l = ctx;
	pf_recfile_kind kind;
	(void)size;
	if (!pf_recfile_kind_of(name, &kind))
		return true;
	if (l->n == l->cap && l->cap < MAX_FILES) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		if (cap > MAX_FILES)
			cap = MAX_FILES;
		char **grown = pf_realloc(l->names, cap * sizeof(*grown));
		if (grown) {
			l->names = grown;
			l->cap = cap;
		}
	}
	char *copy = l->n < l->cap ? pf_strdup(name) : NULL;
	if (copy)
		l->names[l->n++] = copy;
	else
		l->skipped++; /* reported with the files beyond MAX_FILES: never silently unread */
	return true;
}

/* Directory order is the FAT order; sorting makes "the first match" the same on every run. Heap sort:
 * no recursion, no extra memory, n log n for a folder of 10,000 exports. */
static void sift(char **a, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && pf_strcmp(a[child], a[child + 1]) < 0)
			child++;
		if (pf_strcmp(a[root], a[child]) >= 0)
			return;
		char *t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

static void sort_names(file_list *l)
{
	for (size_t i = l->n / 2; i-- > 0;)
		sift(l->names, i, l->n);
	for (size_t end = l->n; end > 1; end--) {
		char *t = l->names[0];
		l->names[0] = l->names[end - 1];
		l->names[end - 1] = t;
		sift(l->names, 0, end - 1);
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
		pf_snprintf(ioerr.reason, sizeof(ioerr.reason), "cannot open: %s (%s)", fs_why(err), efi_status_str(err));
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
			pf_snprintf(ioerr.reason, sizeof(ioerr.reason), "read error: %s (%s)", fs_why(err), efi_status_str(err));
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
	if (l.n > LIST_FILES)
		con_printf("  reading %zu record files in %s\n", l.n, dir);
	uint8_t *chunk = pf_malloc(CHUNK);
	if (!chunk)
		err = log_error_status(EFI_OUT_OF_RESOURCES, "no memory to read record files");
	for (size_t i = 0; i < l.n; i++) {
		pf_recfile_kind kind;
		if (chunk && pf_recfile_kind_of(l.names[i], &kind)) {
			pf_snprintf(path, sizeof(path), "%s\\%s", dir, l.names[i]);
			if (l.n <= LIST_FILES)
				con_printf("  reading %s\n", path);
			else if ((i + 1) % PROGRESS_EVERY == 0)
				con_printf("  %zu of %zu files read\n", i + 1, l.n);
			read_one(root, path, kind, chunk, r);
		}
		pf_free(l.names[i]);
	}
	pf_free(l.names);
	pf_free(chunk);
	return err;
}
