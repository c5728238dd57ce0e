/* Secure Boot mode variables, the PK/KEK/db/dbx key stores and shim's presence, read into pf_secboot. */
#include <efi.h>
#include <efilib.h>
#include "gather.h"
#include "log.h"

/* A db with every Microsoft CA and a large OEM set is ~10 KiB and a current dbx ~30 KiB; beyond this the
 * variable is not a real key store. */
#define SB_VAR_MAX (1024 * 1024)

static EFI_GUID global_guid = EFI_GLOBAL_VARIABLE;
/* EFI_IMAGE_SECURITY_DATABASE_GUID (UEFI 2.10 section 32.6.1): db and dbx live under it. */
static EFI_GUID image_security_guid = { 0xd719b2cb, 0x3d3a, 0x4596, { 0xa3, 0xbc, 0xda, 0xd0, 0x0e, 0x67, 0x65, 0x6f } };
/* SHIM_LOCK_GUID (shim's shim.h): shim installs this protocol before it starts the second stage. */
static EFI_GUID shim_lock_guid = { 0x605dab50, 0xe046, 0x4300, { 0xab, 0xb6, 0x3d, 0xd8, 0x10, 0xdd, 0x8b, 0x23 } };

/* A variable's name for the firmware and for messages (common's formatter has no wide strings). */
typedef struct {
	CHAR16 *w;
	const char *a;
} var_name;

/* A one-byte mode variable; absent gives the caller's value (what its absence means on this firmware). */
static EFI_STATUS read_flag(var_name v, pf_tri absent, pf_tri *ret)
{
	UINT8 value = 0;
	UINTN size = sizeof(value);
	EFI_STATUS err = RT->GetVariable(v.w, &global_guid, NULL, &size, &value);
	if (err == EFI_NOT_FOUND) {
		*ret = absent;
		return EFI_SUCCESS;
	}
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot read the %s variable", v.a);
	if (size != 1)
		return log_error_status(EFI_VOLUME_CORRUPTED, "the %s variable has %llu bytes, not 1", v.a,
		                        (unsigned long long)size);
	*ret = value ? PF_YES : PF_NO;
	return EFI_SUCCESS;
}

/* Reads a whole variable into pool memory: size first, then the data (it may grow in between: retry once). */
static EFI_STATUS read_var(var_name v, EFI_GUID *guid, void **ret_data, UINTN *ret_size)
{
	void *data = NULL;
	UINTN size = 0;
	EFI_STATUS err = EFI_BUFFER_TOO_SMALL;

	for (int attempt = 0; attempt < 2 && err == EFI_BUFFER_TOO_SMALL; attempt++) {
		pf_free(data);
		data = NULL;
		size = 0;
		err = RT->GetVariable(v.w, guid, NULL, &size, NULL);
		if (err != EFI_BUFFER_TOO_SMALL)
			break;
		if (size > SB_VAR_MAX)
			return log_error_status(EFI_BAD_BUFFER_SIZE, "the %s variable is %llu bytes, over the limit",
			                        v.a, (unsigned long long)size);
		data = pf_malloc(size);
		if (!data)
			return log_error_status(EFI_OUT_OF_RESOURCES, "no memory for the %s variable", v.a);
		err = RT->GetVariable(v.w, guid, NULL, &size, data);
	}
	if (EFI_ERROR(err)) {
		pf_free(data);
		/* EFI_NOT_FOUND is an answer (no such store), not a failure: the caller records it silently. */
		if (err == EFI_NOT_FOUND)
			return err;
		return log_error_status(err, "cannot read the %s variable", v.a);
	}
	*ret_data = data;
	*ret_size = size;
	return EFI_SUCCESS;
}

static EFI_STATUS read_store(pf_sb_store which, pf_sb_list *list)
{
	static const var_name names[PF_SB__COUNT] = {
		{ L"PK", "PK" }, { L"KEK", "KEK" }, { L"db", "db" }, { L"dbx", "dbx" },
	};
	EFI_GUID *guid = which == PF_SB_DB || which == PF_SB_DBX ? &image_security_guid : &global_guid;
	void *data = NULL;
	UINTN size = 0;

	EFI_STATUS err = read_var(names[which], guid, &data, &size);
	if (err == EFI_NOT_FOUND) {
		list->present = PF_NO;
		return EFI_SUCCESS;
	}
	if (EFI_ERROR(err)) {
		list->present = PF_UNKNOWN;
		return err;
	}
	list->present = PF_YES;
	list->size = size;
	pf_status st = pf_sb_parse_list(data, size, list);
	pf_free(data);
	if (st != PF_OK)
		return log_error_status(efi_from_pf(st), "cannot hold the %s entries", names[which].a);
	return EFI_SUCCESS;
}

/* shim leaves SHIM_LOCK installed while its second stage runs; without it the firmware started us. */
static pf_sb_start started_by(void)
{
	void *iface = NULL;
	EFI_STATUS err = BS->LocateProtocol(&shim_lock_guid, NULL, &iface);
	if (err == EFI_NOT_FOUND)
		return PF_SB_START_DIRECT;
	return EFI_ERROR(err) ? PF_SB_START_UNKNOWN : PF_SB_START_SHIM;
}

/* Every read is tried; the first failure is the one returned. */
static void keep_first(EFI_STATUS *first, EFI_STATUS err)
{
	if (EFI_ERROR(err) && !EFI_ERROR(*first))
		*first = err;
}

EFI_STATUS gather_secboot(pf_secboot *sb)
{
	EFI_STATUS first = EFI_SUCCESS;

	/* Firmware without Secure Boot support has none of these variables: off, not in setup mode. */
	keep_first(&first, read_flag((var_name){ L"SecureBoot", "SecureBoot" }, PF_NO, &sb->secure_boot));
	keep_first(&first, read_flag((var_name){ L"SetupMode", "SetupMode" }, PF_UNKNOWN, &sb->setup_mode));
	/* AuditMode and DeployedMode arrived with UEFI 2.5: absent on older firmware, reported as null. */
	keep_first(&first, read_flag((var_name){ L"AuditMode", "AuditMode" }, PF_UNKNOWN, &sb->audit_mode));
	keep_first(&first, read_flag((var_name){ L"DeployedMode", "DeployedMode" }, PF_UNKNOWN, &sb->deployed_mode));
	for (int s = 0; s < PF_SB__COUNT; s++)
		keep_first(&first, read_store((pf_sb_store)s, &sb->lists[s]));
	sb->started_by = started_by();
	sb->read = true;
	return first;
}
