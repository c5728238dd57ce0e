/*
 * Secure Boot enrolment for the QEMU test stores (ovmf/mkstore): boots under OVMF_CODE_4M.secboot.fd
 * with a VARS store in setup mode, reads the payloads present on its own stick and writes them:
 *
 *   \enroll\db.auth, \enroll\dbx.auth, \enroll\KEK.auth, \enroll\PK.auth   time-based authenticated
 *       writes (sign-efi-sig-list output), in that order: once PK is set the firmware leaves setup mode
 *       and db/KEK writes would need signatures by KEK/PK, so PK comes last.
 *   \enroll\MokList.esl   a plain EFI_SIGNATURE_LIST written as shim's MokList (NV|BS, no RT: shim
 *       ignores a MokList that the OS could have written), so shim trusts that key without MokManager.
 *   \enroll\Boot0007.var, \enroll\BootOrder.var   an EFI_LOAD_OPTION and a BootOrder as an installed
 *       Windows leaves them (NV|BS|RT), for the scenarios that match Boot#### entries.
 *
 * One line per variable, "ENROLL <name> <status>", then "ENROLL DONE ok=N failed=M", then power off.
 * Test tooling only: gnu-efi and nothing of the product's code.
 */
#include <efi.h>
#include <efilib.h>

#define MAX_PAYLOAD (1024 * 1024)

static EFI_GUID image_security_db_guid = { 0xd719b2cb, 0x3d3a, 0x4596,
					   { 0xa3, 0xbc, 0xda, 0xd0, 0x0e, 0x67, 0x65, 0x6f } };
static EFI_GUID global_variable_guid = { 0x8be4df61, 0x93ca, 0x11d2,
					 { 0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c } };
static EFI_GUID shim_lock_guid = { 0x605dab50, 0xe046, 0x4300,
				   { 0xab, 0xb6, 0x3d, 0xd8, 0x10, 0xdd, 0x8b, 0x23 } };
/* OVMF's PlatformConfig (OvmfPkg/PlatformDxe): the resolution its graphics console starts in. */
static EFI_GUID ovmf_platform_config_guid = { 0x7235c51c, 0x0c80, 0x4cab,
					      { 0x87, 0xac, 0x3b, 0x08, 0x4a, 0x63, 0x04, 0xb1 } };

#define ATTR_AUTH (EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS | \
		   EFI_VARIABLE_RUNTIME_ACCESS | EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS)
#define ATTR_MOK (EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS)
#define ATTR_PLATFORM (EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)

struct payload {
	CHAR16 *file;
	CHAR16 *variable;
	EFI_GUID *guid;
	UINT32 attributes;
};

static const struct payload payloads[] = {
	{ L"\\enroll\\db.auth", L"db", &image_security_db_guid, ATTR_AUTH },
	{ L"\\enroll\\dbx.auth", L"dbx", &image_security_db_guid, ATTR_AUTH },
	{ L"\\enroll\\KEK.auth", L"KEK", &global_variable_guid, ATTR_AUTH },
	{ L"\\enroll\\PK.auth", L"PK", &global_variable_guid, ATTR_AUTH },
	{ L"\\enroll\\MokList.esl", L"MokList", &shim_lock_guid, ATTR_MOK },
	{ L"\\enroll\\PlatformConfig.bin", L"PlatformConfig", &ovmf_platform_config_guid, ATTR_PLATFORM },
	{ L"\\enroll\\Boot0007.var", L"Boot0007", &global_variable_guid, ATTR_PLATFORM },
	{ L"\\enroll\\BootOrder.var", L"BootOrder", &global_variable_guid, ATTR_PLATFORM },
};

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

/* Reads a whole file into pool memory. EFI_NOT_FOUND when it is absent (the payload is optional). */
static EFI_STATUS read_file(EFI_FILE_HANDLE root, CHAR16 *path, VOID **ret, UINTN *ret_size)
{
	EFI_FILE_HANDLE file;
	EFI_FILE_INFO *info;
	EFI_STATUS status;
	UINTN size;
	VOID *data;

	status = uefi_call_wrapper(root->Open, 5, root, &file, path, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(status))
		return status;
	info = LibFileInfo(file);
	if (!info) {
		uefi_call_wrapper(file->Close, 1, file);
		return EFI_DEVICE_ERROR;
	}
	size = info->FileSize;
	FreePool(info);
	if (size == 0 || size > MAX_PAYLOAD) {
		uefi_call_wrapper(file->Close, 1, file);
		return EFI_BAD_BUFFER_SIZE;
	}
	data = AllocatePool(size);
	if (!data) {
		uefi_call_wrapper(file->Close, 1, file);
		return EFI_OUT_OF_RESOURCES;
	}
	status = uefi_call_wrapper(file->Read, 3, file, &size, data);
	uefi_call_wrapper(file->Close, 1, file);
	if (EFI_ERROR(status)) {
		FreePool(data);
		return status;
	}
	*ret = data;
	*ret_size = size;
	return EFI_SUCCESS;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *loaded;
	EFI_FILE_HANDLE root = NULL;
	EFI_STATUS status;
	UINTN ok = 0, failed = 0, i;

	InitializeLib(image, systab);
	status = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (VOID **)&loaded);
	if (!EFI_ERROR(status))
		root = LibOpenRoot(loaded->DeviceHandle);
	if (!root) {
		Print(L"ENROLL stick cannot be opened: %r\r\n", status);
		failed++;
	}
	for (i = 0; root && i < sizeof(payloads) / sizeof(payloads[0]); i++) {
		const struct payload *p = &payloads[i];
		VOID *data;
		UINTN size;

		status = read_file(root, p->file, &data, &size);
		if (status == EFI_NOT_FOUND)
			continue;
		if (!EFI_ERROR(status)) {
			status = uefi_call_wrapper(RT->SetVariable, 5, p->variable, p->guid, p->attributes,
						   size, data);
			FreePool(data);
		}
		Print(L"ENROLL %s %r\r\n", p->variable, status);
		if (EFI_ERROR(status))
			failed++;
		else
			ok++;
	}
	Print(L"ENROLL DONE ok=%d failed=%d\r\n", ok, failed);
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	return EFI_SUCCESS;
}
