/* File I/O on the boot volume through EFI_SIMPLE_FILE_SYSTEM_PROTOCOL. */
#include <efi.h>
#include <efilib.h>
#include "fs.h"
#include "memvol.h"
#include "fmt.h"
#include "log.h"
#include "usage.h"
#include "str.h"
#include "utf.h"

#define PATH_UNITS 512

static void to_path16(const char *path, CHAR16 *out)
{
	pf_utf8_to_ucs2(path, strlen(path), (uint16_t *)out, PATH_UNITS);
}

/* Every handle this file opens goes through here and fs_close, so --repeat can count them. */
static EFI_STATUS open_at(EFI_FILE *dir, EFI_FILE **ret_file, CHAR16 *p16, UINT64 mode, UINT64 attr)
{
	EFI_STATUS err = dir->Open(dir, ret_file, p16, mode, attr);
	if (!EFI_ERROR(err))
		usage.files++;
	return err;
}

void fs_close(EFI_FILE *f)
{
	if (f) {
		f->Close(f);
		usage.files--;
	}
}

static const pf_memvol *server_volume;

void fs_set_server_volume(const pf_memvol *vol)
{
	server_volume = vol;
}

EFI_STATUS fs_open_boot_volume(EFI_HANDLE image, EFI_FILE **ret_root)
{
	EFI_LOADED_IMAGE *loaded = NULL;
	EFI_FILE_IO_INTERFACE *sfs = NULL;
	EFI_FILE *root = NULL;
	EFI_STATUS err;

	err = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&loaded);
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot find the loaded image");
	/* PXE and HTTP boot of the binary leave none: expected there, and main.c's boot plan says so. */
	err = BS->HandleProtocol(loaded->DeviceHandle, &FileSystemProtocol, (void **)&sfs);
	if (EFI_ERROR(err) && server_volume)
		return memvol_open_root(server_volume, ret_root);
	if (EFI_ERROR(err))
		return err;
	err = sfs->OpenVolume(sfs, &root);
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot open the boot volume");
	usage.files++;
	*ret_root = root;
	return EFI_SUCCESS;
}

EFI_STATUS fs_open_read(EFI_FILE *root, const char *path, EFI_FILE **ret_file)
{
	CHAR16 p16[PATH_UNITS];
	to_path16(path, p16);
	return open_at(root, ret_file, p16, EFI_FILE_MODE_READ, 0);
}

const char *fs_why(EFI_STATUS err)
{
	switch (err) {
	case EFI_WRITE_PROTECTED:
		return "the stick is write-protected";
	case EFI_VOLUME_FULL:
		return "the stick is full";
	case EFI_ACCESS_DENIED:
		return "access denied";
	case EFI_NOT_FOUND:
		return "not found";
	case FS_E_IS_FOLDER:
		return "it is a folder, not a file";
	case EFI_BAD_BUFFER_SIZE:
		return "the file is too large";
	case EFI_VOLUME_CORRUPTED:
		return "the stick's file system is damaged";
	case EFI_DEVICE_ERROR:
		return "the stick could not be read or written";
	default:
		return "read or write error";
	}
}

static EFI_STATUS get_info(EFI_FILE *f, EFI_FILE_INFO **ret_info)
{
	UINTN size = SIZE_OF_EFI_FILE_INFO + 256 * sizeof(CHAR16);
	for (int attempt = 0; attempt < 2; attempt++) {
		EFI_FILE_INFO *info = pf_malloc(size);
		if (!info)
			return EFI_OUT_OF_RESOURCES;
		EFI_STATUS err = f->GetInfo(f, &GenericFileInfo, &size, info);
		if (err == EFI_SUCCESS) {
			*ret_info = info;
			return EFI_SUCCESS;
		}
		pf_free(info);
		if (err != EFI_BUFFER_TOO_SMALL)
			return err;
	}
	return EFI_BUFFER_TOO_SMALL;
}

EFI_STATUS fs_volume_label(EFI_FILE *root, char *ret, size_t cap)
{
	/* EFI_FILE_SYSTEM_INFO: a fixed head, then the label as a NUL-terminated UCS-2 string. */
	UINTN size = SIZE_OF_EFI_FILE_SYSTEM_INFO + 64 * sizeof(CHAR16);
	EFI_FILE_SYSTEM_INFO *info = pf_malloc(size);
	if (!info)
		return EFI_OUT_OF_RESOURCES;
	EFI_STATUS err = root->GetInfo(root, &FileSystemInfo, &size, info);
	if (EFI_ERROR(err)) {
		pf_free(info);
		return err;
	}
	size_t room = (size - SIZE_OF_EFI_FILE_SYSTEM_INFO) / sizeof(CHAR16), n = 0;
	while (n < room && info->VolumeLabel[n])
		n++;
	char *label = pf_ucs2_to_utf8((const uint16_t *)info->VolumeLabel, n);
	pf_free(info);
	if (!label)
		return EFI_OUT_OF_RESOURCES;
	pf_copy_printable(ret, cap, pf_span_trim(pf_span_of(label)));
	pf_free(label);
	return EFI_SUCCESS;
}

EFI_STATUS fs_file_size(EFI_FILE *f, uint64_t *ret_size)
{
	EFI_FILE_INFO *info = NULL;
	EFI_STATUS err = get_info(f, &info);
	if (EFI_ERROR(err))
		return err;
	*ret_size = info->FileSize;
	pf_free(info);
	return EFI_SUCCESS;
}

/* FS_E_IS_FOLDER when f is a folder: callers that want a file refuse it instead of reading entries. */
static EFI_STATUS need_file(EFI_FILE *f)
{
	EFI_FILE_INFO *info = NULL;
	EFI_STATUS err = get_info(f, &info);
	if (EFI_ERROR(err))
		return err;
	err = (info->Attribute & EFI_FILE_DIRECTORY) ? FS_E_IS_FOLDER : EFI_SUCCESS;
	pf_free(info);
	return err;
}

EFI_STATUS fs_open_rw(EFI_FILE *root, const char *path, EFI_FILE **ret_file)
{
	CHAR16 p16[PATH_UNITS];
	EFI_FILE *f = NULL;
	to_path16(path, p16);
	EFI_STATUS err = open_at(root, &f, p16, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0);
	if (EFI_ERROR(err))
		return err;
	err = need_file(f);
	if (EFI_ERROR(err)) {
		fs_close(f);
		return err;
	}
	*ret_file = f;
	return EFI_SUCCESS;
}

EFI_STATUS fs_truncate(EFI_FILE *f, uint64_t size)
{
	EFI_FILE_INFO *info = NULL;
	EFI_STATUS err = get_info(f, &info);
	if (EFI_ERROR(err))
		return err;
	info->FileSize = size;
	err = f->SetInfo(f, &GenericFileInfo, info->Size, info);
	pf_free(info);
	if (EFI_ERROR(err))
		return err;
	return f->Flush(f);
}

EFI_STATUS fs_read_chunk(EFI_FILE *f, void *buf, size_t *len)
{
	UINTN n = *len;
	EFI_STATUS err = f->Read(f, &n, buf);
	if (EFI_ERROR(err))
		return err;
	*len = n;
	return EFI_SUCCESS;
}

EFI_STATUS fs_read_all(EFI_FILE *f, size_t max, char **ret_data, size_t *ret_len)
{
	uint64_t size;
	char *data = NULL;
	size_t got = 0;
	EFI_STATUS err;

	err = need_file(f);
	if (EFI_ERROR(err))
		return err;
	err = fs_file_size(f, &size);
	if (EFI_ERROR(err))
		return err;
	if (size > max)
		return EFI_BAD_BUFFER_SIZE;
	data = pf_malloc((size_t)size + 1);
	if (!data)
		return EFI_OUT_OF_RESOURCES;
	while (got < size) {
		size_t n = (size_t)size - got;
		err = fs_read_chunk(f, data + got, &n);
		if (EFI_ERROR(err)) {
			pf_free(data);
			return err;
		}
		if (n == 0)
			break;
		got += n;
	}
	data[got] = '\0';
	*ret_data = data;
	*ret_len = got;
	return EFI_SUCCESS;
}

EFI_STATUS fs_read_file(EFI_FILE *root, const char *path, size_t max, char **ret_data, size_t *ret_len)
{
	EFI_FILE *f = NULL;
	EFI_STATUS err = fs_open_read(root, path, &f);
	if (EFI_ERROR(err))
		return err;
	err = fs_read_all(f, max, ret_data, ret_len);
	fs_close(f);
	return err;
}

bool fs_exists(EFI_FILE *root, const char *path)
{
	EFI_FILE *f = NULL;
	if (EFI_ERROR(fs_open_read(root, path, &f)))
		return false;
	fs_close(f);
	return true;
}

EFI_STATUS fs_mkdirs(EFI_FILE *root, const char *dir)
{
	char part[PATH_UNITS];
	size_t n = strlen(dir);
	if (n >= sizeof(part))
		return EFI_BAD_BUFFER_SIZE;
	/* Open or create each prefix ending before a backslash, then the whole path. */
	for (size_t i = 1; i <= n; i++) {
		if (i < n && dir[i] != '\\')
			continue;
		memcpy(part, dir, i);
		part[i] = '\0';
		CHAR16 p16[PATH_UNITS];
		EFI_FILE *d = NULL;
		to_path16(part, p16);
		EFI_STATUS err = open_at(root, &d, p16, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE,
					    EFI_FILE_DIRECTORY);
		if (EFI_ERROR(err)) {
			/* A read-only volume refuses write mode even for an existing directory. */
			if (err != EFI_WRITE_PROTECTED && err != EFI_ACCESS_DENIED)
				return err;
			if (EFI_ERROR(open_at(root, &d, p16, EFI_FILE_MODE_READ, 0)))
				return err;
			fs_close(d);
			return err;
		}
		fs_close(d);
	}
	return EFI_SUCCESS;
}

static EFI_STATUS open_write(EFI_FILE *root, const char *path, EFI_FILE **ret_file)
{
	CHAR16 p16[PATH_UNITS];
	to_path16(path, p16);
	return open_at(root, ret_file, p16, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE, 0);
}

static EFI_STATUS write_all(EFI_FILE *f, const void *data, size_t len)
{
	const uint8_t *p = data;
	while (len > 0) {
		UINTN n = len;
		EFI_STATUS err = f->Write(f, &n, (void *)p);
		if (EFI_ERROR(err))
			return err;
		if (n == 0)
			return EFI_VOLUME_FULL;
		p += n;
		len -= n;
	}
	return EFI_SUCCESS;
}

/* Renames an open file within its directory (the FAT driver takes a new FileName in SetInfo). */
static EFI_STATUS rename_open(EFI_FILE *f, const char *new_name)
{
	EFI_FILE_INFO *info = NULL, *renamed = NULL;
	CHAR16 n16[PATH_UNITS];
	EFI_STATUS err;

	err = get_info(f, &info);
	if (EFI_ERROR(err))
		return err;
	size_t units = pf_utf8_to_ucs2(new_name, strlen(new_name), (uint16_t *)n16, PATH_UNITS) + 1;
	size_t size = SIZE_OF_EFI_FILE_INFO + units * sizeof(CHAR16);
	renamed = pf_malloc(size);
	if (!renamed) {
		err = EFI_OUT_OF_RESOURCES;
		goto out;
	}
	memcpy(renamed, info, SIZE_OF_EFI_FILE_INFO);
	renamed->Size = size;
	memcpy(renamed->FileName, n16, units * sizeof(CHAR16));
	err = f->SetInfo(f, &GenericFileInfo, size, renamed);
out:
	pf_free(renamed);
	pf_free(info);
	return err;
}

EFI_STATUS fs_rename(EFI_FILE *root, const char *path, const char *new_name)
{
	EFI_FILE *f = NULL;
	EFI_STATUS err = fs_open_rw(root, path, &f);
	if (EFI_ERROR(err))
		return err;
	err = rename_open(f, new_name);
	fs_close(f);
	return err;
}

EFI_STATUS fs_delete(EFI_FILE *root, const char *path)
{
	EFI_FILE *f = NULL;
	EFI_STATUS err = fs_open_rw(root, path, &f);
	if (EFI_ERROR(err))
		return err;
	/* Delete closes the handle whatever it returns (EFI_WARN_DELETE_FAILURE when it could not). */
	err = f->Delete(f);
	usage.files--;
	return err == EFI_WARN_DELETE_FAILURE ? EFI_ACCESS_DENIED : err;
}

static EFI_STATUS write_atomic(EFI_FILE *root, const char *dir, const char *name, const void *data, size_t len,
			       bool replace)
{
	char tmp[PATH_UNITS], final[PATH_UNITS], tmp_name[PATH_UNITS];
	EFI_FILE *f = NULL;
	EFI_STATUS err;

	pf_snprintf(tmp_name, sizeof(tmp_name), "%s.tmp", name);
	pf_snprintf(tmp, sizeof(tmp), "%s\\%s", dir, tmp_name);
	pf_snprintf(final, sizeof(final), "%s\\%s", dir, name);
	if (!replace && fs_exists(root, final))
		return EFI_ACCESS_DENIED;

	err = open_write(root, tmp, &f);
	if (EFI_ERROR(err))
		return err;
	/* A stale temp file from an interrupted run may be longer than this one: empty it first. */
	EFI_FILE_INFO *info = NULL;
	err = get_info(f, &info);
	if (!EFI_ERROR(err) && info->FileSize != 0) {
		info->FileSize = 0;
		err = f->SetInfo(f, &GenericFileInfo, info->Size, info);
	}
	pf_free(info);
	if (!EFI_ERROR(err))
		err = write_all(f, data, len);
	if (!EFI_ERROR(err))
		err = f->Flush(f);
	/* FAT cannot rename onto a file: the old one goes first, once the new one is complete on the
	 * medium (a cut in between leaves it as name.tmp). */
	if (!EFI_ERROR(err) && replace) {
		err = fs_delete(root, final);
		if (err == EFI_NOT_FOUND)
			err = EFI_SUCCESS;
	}
	if (!EFI_ERROR(err))
		err = rename_open(f, name);
	if (EFI_ERROR(err)) {
		/* Delete closes the handle too; the partial file must not stay behind. */
		f->Delete(f);
		usage.files--;
		return err;
	}
	usage.files--;
	return f->Close(f);
}

EFI_STATUS fs_write_atomic(EFI_FILE *root, const char *dir, const char *name, const void *data, size_t len)
{
	return write_atomic(root, dir, name, data, len, false);
}

EFI_STATUS fs_replace_atomic(EFI_FILE *root, const char *dir, const char *name, const void *data, size_t len)
{
	return write_atomic(root, dir, name, data, len, true);
}

EFI_STATUS fs_append(EFI_FILE *root, const char *dir, const char *name, const char *header, const void *data, size_t len)
{
	char path[PATH_UNITS];
	EFI_FILE *f = NULL;
	uint64_t size = 0;
	EFI_STATUS err;

	pf_snprintf(path, sizeof(path), "%s\\%s", dir, name);
	err = open_write(root, path, &f);
	if (EFI_ERROR(err))
		return err;
	err = need_file(f);
	if (EFI_ERROR(err))
		goto out;
	err = fs_file_size(f, &size);
	if (EFI_ERROR(err))
		goto out;
	if (size == 0) {
		err = write_all(f, header, strlen(header));
	} else {
		/* A row cut short by a power loss must not swallow this one: start on a fresh line. */
		char last = '\n';
		UINTN one = 1;
		err = f->SetPosition(f, size - 1);
		if (!EFI_ERROR(err))
			err = f->Read(f, &one, &last);
		if (!EFI_ERROR(err))
			err = f->SetPosition(f, size);
		if (!EFI_ERROR(err) && last != '\n')
			err = write_all(f, "\n", 1);
	}
	if (!EFI_ERROR(err))
		err = write_all(f, data, len);
	if (!EFI_ERROR(err))
		err = f->Flush(f);
out:
	fs_close(f);
	return err;
}

EFI_STATUS fs_list_dir(EFI_FILE *root, const char *dir, fs_dir_cb cb, void *ctx)
{
	EFI_FILE *d = NULL;
	EFI_STATUS err = fs_open_read(root, dir, &d);
	if (EFI_ERROR(err))
		return err;
	UINTN cap = SIZE_OF_EFI_FILE_INFO + 512 * sizeof(CHAR16);
	EFI_FILE_INFO *info = pf_malloc(cap);
	if (!info) {
		fs_close(d);
		return EFI_OUT_OF_RESOURCES;
	}
	for (;;) {
		UINTN size = cap;
		err = d->Read(d, &size, info);
		if (EFI_ERROR(err) || size == 0)
			break;
		if (info->Attribute & EFI_FILE_DIRECTORY)
			continue;
		char *name = pf_ucs2_to_utf8((const uint16_t *)info->FileName, 512);
		if (!name) {
			err = EFI_OUT_OF_RESOURCES;
			break;
		}
		bool more = cb(ctx, name, info->FileSize);
		pf_free(name);
		if (!more)
			break;
	}
	pf_free(info);
	fs_close(d);
	return err;
}
