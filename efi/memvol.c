/* A read-only EFI_FILE over the boot server's files held in memory (common/srvfiles.c), so config, records, certificates and the SAS file are read as from a stick. */
#include <efi.h>
#include <efilib.h>
#include "fmt.h"
#include "memvol.h"
#include "str.h"
#include "utf.h"
#include "usage.h"

#define PATH_MAX_BYTES (PF_SRV_NAME_MAX + 32)

typedef struct {
	EFI_FILE file; /* first: the EFI_FILE pointer is this handle */
	const pf_memvol *vol;
	char path[PATH_MAX_BYTES]; /* "" the root, else e.g. "preflight\records" */
	bool dir;
	size_t idx;  /* a file's index in vol */
	uint64_t pos; /* a file: the read position; a folder: the next entry */
} mv_handle;

static EFI_STATUS mv_new(const pf_memvol *vol, const char *path, EFI_FILE **ret);

static EFI_STATUS EFIAPI mv_open(EFI_FILE *self, EFI_FILE **ret, CHAR16 *name16, UINT64 mode, UINT64 attr)
{
	mv_handle *h = (mv_handle *)self;
	(void)attr;
	if (mode != EFI_FILE_MODE_READ)
		return EFI_WRITE_PROTECTED;
	size_t units = 0;
	while (name16[units])
		units++;
	char *name = pf_ucs2_to_utf8((const uint16_t *)name16, units);
	if (!name)
		return EFI_OUT_OF_RESOURCES;
	char path[PATH_MAX_BYTES];
	/* A leading backslash starts at the root; otherwise the name is below this folder. */
	if (name[0] == '\\' || !h->path[0])
		pf_snprintf(path, sizeof(path), "%s", name);
	else
		pf_snprintf(path, sizeof(path), "%s\\%s", h->path, name);
	bool cut = strlen(name) + strlen(h->path) + 2 > sizeof(path);
	pf_free(name);
	if (cut)
		return EFI_NOT_FOUND;
	return mv_new(h->vol, path, ret);
}

static EFI_STATUS EFIAPI mv_close(EFI_FILE *self)
{
	pf_free(self);
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI mv_delete(EFI_FILE *self)
{
	pf_free(self); /* the specification: Delete closes the handle even when it cannot delete */
	return EFI_WARN_DELETE_FAILURE;
}

/* An EFI_FILE_INFO for name into buf (*size the room; the size needed when it is too small). */
static EFI_STATUS fill_info(const char *name, bool dir, size_t len, UINTN *size, void *buf)
{
	size_t nlen = strlen(name);
	UINTN need = SIZE_OF_EFI_FILE_INFO + (nlen + 1) * sizeof(CHAR16);
	if (*size < need) {
		*size = need;
		return EFI_BUFFER_TOO_SMALL;
	}
	EFI_FILE_INFO *info = buf;
	memset(info, 0, need);
	info->Size = need;
	info->FileSize = len;
	info->PhysicalSize = len;
	info->Attribute = EFI_FILE_READ_ONLY | (dir ? EFI_FILE_DIRECTORY : 0);
	pf_utf8_to_ucs2(name, nlen, (uint16_t *)info->FileName, nlen + 1);
	*size = need;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI mv_read(EFI_FILE *self, UINTN *size, void *buf)
{
	mv_handle *h = (mv_handle *)self;
	if (!h->dir) {
		const pf_memfile *f = &h->vol->files[h->idx];
		size_t left = h->pos < f->len ? f->len - (size_t)h->pos : 0;
		size_t n = *size < left ? *size : left;
		memcpy(buf, f->data + h->pos, n);
		h->pos += n;
		*size = n;
		return EFI_SUCCESS;
	}
	char name[PF_SRV_NAME_MAX];
	bool dir;
	size_t len;
	if (!pf_memvol_entry(h->vol, h->path, (size_t)h->pos, name, sizeof(name), &dir, &len)) {
		*size = 0; /* the end of the folder */
		return EFI_SUCCESS;
	}
	EFI_STATUS err = fill_info(name, dir, len, size, buf);
	if (!EFI_ERROR(err))
		h->pos++;
	return err;
}

static EFI_STATUS EFIAPI mv_write(EFI_FILE *self, UINTN *size, void *buf)
{
	(void)self;
	(void)size;
	(void)buf;
	return EFI_WRITE_PROTECTED;
}

static EFI_STATUS EFIAPI mv_get_position(EFI_FILE *self, UINT64 *pos)
{
	mv_handle *h = (mv_handle *)self;
	if (h->dir)
		return EFI_UNSUPPORTED;
	*pos = h->pos;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI mv_set_position(EFI_FILE *self, UINT64 pos)
{
	mv_handle *h = (mv_handle *)self;
	if (h->dir) {
		if (pos != 0)
			return EFI_UNSUPPORTED;
		h->pos = 0; /* restart the listing */
		return EFI_SUCCESS;
	}
	const pf_memfile *f = &h->vol->files[h->idx];
	h->pos = pos == UINT64_MAX ? f->len : pos;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI mv_get_info(EFI_FILE *self, EFI_GUID *type, UINTN *size, void *buf)
{
	mv_handle *h = (mv_handle *)self;
	if (CompareGuid(type, &GenericFileInfo) != 0)
		return EFI_UNSUPPORTED; /* no volume label or size: the run names no stick */
	const char *base = h->path;
	for (const char *c = h->path; *c; c++)
		if (*c == '\\')
			base = c + 1;
	return fill_info(base, h->dir, h->dir ? 0 : h->vol->files[h->idx].len, size, buf);
}

static EFI_STATUS EFIAPI mv_set_info(EFI_FILE *self, EFI_GUID *type, UINTN size, void *buf)
{
	(void)self;
	(void)type;
	(void)size;
	(void)buf;
	return EFI_WRITE_PROTECTED;
}

static EFI_STATUS EFIAPI mv_flush(EFI_FILE *self)
{
	(void)self;
	return EFI_WRITE_PROTECTED;
}

static EFI_STATUS mv_new(const pf_memvol *vol, const char *path, EFI_FILE **ret)
{
	size_t idx = 0;
	pf_memvol_kind kind = pf_memvol_find(vol, path, &idx);
	if (kind == PF_MEMVOL_NONE)
		return EFI_NOT_FOUND;
	mv_handle *h = pf_malloc(sizeof(*h));
	if (!h)
		return EFI_OUT_OF_RESOURCES;
	memset(h, 0, sizeof(*h));
	h->file.Revision = EFI_FILE_PROTOCOL_REVISION;
	h->file.Open = mv_open;
	h->file.Close = mv_close;
	h->file.Delete = mv_delete;
	h->file.Read = mv_read;
	h->file.Write = mv_write;
	h->file.GetPosition = mv_get_position;
	h->file.SetPosition = mv_set_position;
	h->file.GetInfo = mv_get_info;
	h->file.SetInfo = mv_set_info;
	h->file.Flush = mv_flush;
	h->vol = vol;
	h->dir = kind == PF_MEMVOL_DIR;
	h->idx = idx;
	/* Kept without its leading and trailing backslashes, as the volume's paths are. */
	const char *p = path;
	while (*p == '\\')
		p++;
	pf_strlcpy(h->path, p, sizeof(h->path));
	size_t n = strlen(h->path);
	while (n && h->path[n - 1] == '\\')
		h->path[--n] = '\0';
	*ret = &h->file;
	return EFI_SUCCESS;
}

EFI_STATUS memvol_open_root(const pf_memvol *vol, EFI_FILE **ret_root)
{
	EFI_STATUS err = mv_new(vol, "", ret_root);
	if (!EFI_ERROR(err))
		usage.files++; /* fs_close counts it back */
	return err;
}
