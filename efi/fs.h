/* Boot-volume file I/O: read config and records, write reports atomically (temp name, flush, rename). */
#ifndef PF_EFI_FS_H
#define PF_EFI_FS_H

#include <efi.h>
#include "pf.h"
#include "srvfiles.h"

/* Opens the root directory of the volume this image was loaded from; the boot device's own status, not
 * logged, when it has no file system (PXE, HTTP boot of the binary: the caller says what that means). */
EFI_STATUS fs_open_boot_volume(EFI_HANDLE image, EFI_FILE **ret_root);
/* After a network boot without a file system: the boot server's files (efi/srvfetch.c) become what
 * fs_open_boot_volume opens, read-only (vol must outlive every handle). */
void fs_set_server_volume(const pf_memvol *vol);
void fs_close(EFI_FILE *f);

/* A folder where a file is expected ("preflight.ini" made as a folder): the status fs_read_file,
 * fs_open_rw and fs_append return for it, so callers can say so in words (fs_why). */
#define FS_E_IS_FOLDER EFI_UNSUPPORTED

/* Words for a technician: "the stick is write-protected", "it is a folder, not a file"... */
const char *fs_why(EFI_STATUS err);

/* Opens an existing file or folder for reading; path is UTF-8 with backslashes, relative to root. */
EFI_STATUS fs_open_read(EFI_FILE *root, const char *path, EFI_FILE **ret_file);
/* Opens an existing regular file for reading and writing (never creates one). */
EFI_STATUS fs_open_rw(EFI_FILE *root, const char *path, EFI_FILE **ret_file);
/* Cuts an open file to size bytes and flushes (the FAT driver takes a smaller FileSize in SetInfo). */
EFI_STATUS fs_truncate(EFI_FILE *f, uint64_t size);
/* Reads a whole open file of at most max bytes from its current position into pool memory (NUL-terminated
 * for convenience); FS_E_IS_FOLDER for a folder. */
EFI_STATUS fs_read_all(EFI_FILE *f, size_t max, char **ret_data, size_t *ret_len);
/* Reads a whole file of at most max bytes into pool memory (NUL-terminated for convenience). */
EFI_STATUS fs_read_file(EFI_FILE *root, const char *path, size_t max, char **ret_data, size_t *ret_len);
/* Reads up to *len bytes at the current position; *len gets what was read (0 at the end). */
EFI_STATUS fs_read_chunk(EFI_FILE *f, void *buf, size_t *len);
/* Size of an open file. */
/* The volume's label (FAT: up to 11 characters; "" when it has none), printable ASCII. */
EFI_STATUS fs_volume_label(EFI_FILE *root, char *ret, size_t cap);
EFI_STATUS fs_file_size(EFI_FILE *f, uint64_t *ret_size);

/* Creates dir and its parents when missing. */
EFI_STATUS fs_mkdirs(EFI_FILE *root, const char *dir);
/* Writes dir\name.tmp, flushes, then renames it to name; never leaves a partial file under name. */
EFI_STATUS fs_write_atomic(EFI_FILE *root, const char *dir, const char *name, const void *data, size_t len);
/* The same over an existing file (dir\name replaced; a cut between removing the old and renaming the
 * new leaves the new one complete as name.tmp). */
EFI_STATUS fs_replace_atomic(EFI_FILE *root, const char *dir, const char *name, const void *data, size_t len);
/* Renames the file at path (same folder) to new_name; deletes the file at path. */
EFI_STATUS fs_rename(EFI_FILE *root, const char *path, const char *new_name);
EFI_STATUS fs_delete(EFI_FILE *root, const char *path);
/* Appends data to dir\name; when the file is new or empty, writes header first. */
EFI_STATUS fs_append(EFI_FILE *root, const char *dir, const char *name, const char *header, const void *data, size_t len);
bool fs_exists(EFI_FILE *root, const char *path);

/* Calls cb for each regular file in dir (UTF-8 name); stops early when cb returns false. */
typedef bool (*fs_dir_cb)(void *ctx, const char *name, uint64_t size);
EFI_STATUS fs_list_dir(EFI_FILE *root, const char *dir, fs_dir_cb cb, void *ctx);

#endif
