/* The installed Windows: every internal ESP's boot manager, read only, and the Boot#### entry that points at it. */
#include <efi.h>
#include <efilib.h>
#include "bootmgr.h"
#include "clock.h"
#include "fmt.h"
#include "fs.h"
#include "gather.h"
#include "loadopt.h"
#include "log.h"
#include "str.h"
#include "utf.h"

#define BOOTMGFW "\\EFI\\Microsoft\\Boot\\bootmgfw.efi"
#define BCD "\\EFI\\Microsoft\\Boot\\BCD"
/* A current bootmgfw.efi is about 2.5 MB; far beyond that the file is not a boot manager. */
#define BOOTMGFW_MAX (64u * 1024 * 1024)

/* EFI_PARTITION_INFO_PROTOCOL (UEFI 2.10 section 13.18), packed: the partition's GPT entry or MBR record. */
#define PARTITION_INFO_GUID { 0x8cf2f62c, 0xbc9b, 0x4821, { 0x80, 0x8d, 0xec, 0x9e, 0xc4, 0x21, 0xa1, 0xa0 } }
#define PARTITION_TYPE_GPT 2
typedef struct {
	UINT32 Revision;
	UINT32 Type;
	UINT8 System;
	UINT8 Reserved[7];
	UINT8 Info[128]; /* EFI_PARTITION_ENTRY for GPT: PartitionTypeGUID first */
} __attribute__((packed)) partition_info;

static EFI_GUID partition_info_guid = PARTITION_INFO_GUID;
static EFI_GUID global_guid = EFI_GLOBAL_VARIABLE;
/* C12A7328-F81F-11D2-BA4B-00A0C93EC93B as EFI_GUID bytes. */
static const UINT8 esp_type[16] = { 0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
				    0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b };

typedef enum { NOT_ESP, ESP_GPT, ESP_UNTYPED } esp_kind;

/* An ESP by its GPT type (or the System flag, MBR 0xEF); a volume without partition information (a
 * whole-disk FAT) may still be one: it counts when it holds the boot manager. */
static esp_kind esp_of(EFI_HANDLE h)
{
	partition_info *pi = NULL;
	if (EFI_ERROR(BS->HandleProtocol(h, &partition_info_guid, (void **)&pi)) || !pi)
		return ESP_UNTYPED;
	if (pi->System)
		return ESP_GPT;
	if (pi->Type == PARTITION_TYPE_GPT && CompareMem(pi->Info, esp_type, 16) == 0)
		return ESP_GPT;
	return NOT_ESP;
}

static char *dp_text(EFI_DEVICE_PATH *dp)
{
	CHAR16 *w = dp ? DevicePathToStr(dp) : NULL;
	if (!w)
		return NULL;
	char *s = pf_ucs2_to_utf8((const uint16_t *)w, StrLen(w));
	FreePool(w);
	return s;
}

/* A whole variable into pool memory (NULL when absent). */
static void *read_var(CHAR16 *name, UINTN *ret_size)
{
	UINTN size = 0;
	if (RT->GetVariable(name, &global_guid, NULL, &size, NULL) != EFI_BUFFER_TOO_SMALL || size > 65536)
		return NULL;
	void *data = pf_malloc(size);
	if (data && EFI_ERROR(RT->GetVariable(name, &global_guid, NULL, &size, data))) {
		pf_free(data);
		return NULL;
	}
	*ret_size = size;
	return data;
}

/* The Boot#### in BootOrder that points at the boot manager on the partition with this signature;
 * none is an answer (the firmware would not start this Windows by itself), not an error. */
static bool find_boot_entry(const UINT8 signature[16], pf_bootmgr *bm)
{
	UINTN order_size = 0;
	UINT16 *order _cleanup_free_ = read_var(L"BootOrder", &order_size);
	for (UINTN i = 0; order && i < order_size / 2; i++) {
		/* "Boot" and four upper-case hex digits (UEFI 2.10 3.1.1); gnu-efi's %X always pads to 8
		 * digits, which names no variable. */
		static const CHAR16 hex[] = L"0123456789ABCDEF";
		CHAR16 name[9] = L"Boot";
		for (int k = 0; k < 4; k++)
			name[4 + k] = hex[(order[i] >> (12 - 4 * k)) & 0xF];
		name[8] = 0;
		UINTN size = 0;
		void *opt_data _cleanup_free_ = read_var(name, &size);
		pf_load_option opt;
		if (!opt_data || pf_load_option_parse(opt_data, size, &opt) != PF_OK)
			continue;
		bool match = pf_load_option_is_bootmgfw(&opt, signature);
		if (match) {
			bm->boot_entry = order[i];
			bm->boot_order_pos = (int)i;
			bm->boot_description = opt.description;
			opt.description = NULL;
		}
		pf_load_option_free(&opt);
		if (match)
			return true;
	}
	return false;
}

/* Reads and judges the boot manager on one volume; the root is opened and closed here. */
static EFI_STATUS judge_volume(EFI_HANDLE h, EFI_FILE *root, const pf_secboot *sb, pf_bootmgr *bm)
{
	char *img = NULL;
	size_t len = 0;
	uint64_t t0 = clock_ms();
	EFI_STATUS err = fs_read_file(root, BOOTMGFW, BOOTMGFW_MAX, &img, &len);
	if (EFI_ERROR(err))
		return err;
	uint64_t t1 = clock_ms();
	/* The CPU this build runs on is the firmware's: it starts only images of that machine type. */
#if defined(__x86_64__)
	bm->host_machine = PF_PE_MACHINE_X64;
#elif defined(__aarch64__)
	bm->host_machine = PF_PE_MACHINE_ARM64;
#endif
	pf_status st = pf_bootmgr_judge(img, len, sb, bm);
	pf_free(img);
	/* make bench reads this line (goal: a 2.5 MB boot manager read and judged within 0.5 s under TCG). */
	con_printf("  boot manager: %llu bytes read in %llu ms, hashed and judged in %llu ms\n", (unsigned long long)len,
		   (unsigned long long)(t1 - t0), (unsigned long long)(clock_ms() - t1));
	if (st != PF_OK)
		return log_error_status(efi_from_pf(st), "no memory to judge " BOOTMGFW);
	bm->bcd_present = fs_exists(root, BCD);
	EFI_DEVICE_PATH *dp = DevicePathFromHandle(h);
	bm->disk = dp_text(dp);
	bm->path = pf_strdup(BOOTMGFW);
	uint32_t part;
	UINT8 sig[16];
	if (dp && pf_devpath_hd(dp, DevicePathSize(dp), &part, sig)) {
		char p[32];
		pf_snprintf(p, sizeof(p), "%u", (unsigned)part);
		bm->partition = pf_strdup(p);
		if (!find_boot_entry(sig, bm))
			log_warn("no Boot#### entry in BootOrder points at %s on partition %u", BOOTMGFW, (unsigned)part);
	}
	return EFI_SUCCESS;
}

EFI_STATUS gather_windows(EFI_HANDLE image, const pf_secboot *sb, pf_bootmgr *bm)
{
	EFI_LOADED_IMAGE *loaded = NULL;
	EFI_HANDLE *handles = NULL;
	UINTN n = 0;

	EFI_STATUS err = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&loaded);
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot find Preflight's own image");
	err = BS->LocateHandleBuffer(ByProtocol, &FileSystemProtocol, NULL, &n, &handles);
	if (EFI_ERROR(err))
		return err == EFI_NOT_FOUND ? EFI_SUCCESS : log_error_status(err, "no file systems to look for Windows on");
	err = EFI_SUCCESS;
	for (UINTN i = 0; i < n; i++) {
		EFI_BLOCK_IO *bio = NULL;
		EFI_FILE_IO_INTERFACE *sfs = NULL;
		EFI_FILE *root = NULL;
		/* The stick (and any removable medium) is never the installed Windows. */
		if (handles[i] == loaded->DeviceHandle)
			continue;
		if (!EFI_ERROR(BS->HandleProtocol(handles[i], &BlockIoProtocol, (void **)&bio)) && bio->Media->RemovableMedia)
			continue;
		esp_kind kind = esp_of(handles[i]);
		if (kind == NOT_ESP)
			continue;
		if (EFI_ERROR(BS->HandleProtocol(handles[i], &FileSystemProtocol, (void **)&sfs)) ||
		    EFI_ERROR(sfs->OpenVolume(sfs, &root)))
			continue;
		bool has = fs_exists(root, BOOTMGFW);
		if (kind == ESP_GPT || has)
			bm->n_esps++;
		/* The first one found is judged; further ones are counted (docs/secure-boot.md). */
		if (has && !bm->found) {
			EFI_STATUS e = judge_volume(handles[i], root, sb, bm);
			if (EFI_ERROR(e) && !EFI_ERROR(err))
				err = e;
		}
		root->Close(root); /* opened here, not through fs.c's counted opens */
	}
	FreePool(handles);
	return err;
}
