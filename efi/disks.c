/* Disks: model and serial from EFI_DISK_INFO (ATA) and NVMe pass-through; the boot stick is marked. */
#include <efi.h>
#include <efilib.h>
#include "diskid.h"
#include "gather.h"
#include "log.h"
#include "proto.h"

static EFI_GUID disk_info_guid = PF_DISK_INFO_PROTOCOL_GUID;
static EFI_GUID ide_guid = PF_DISK_INFO_IDE_GUID;
static EFI_GUID ahci_guid = PF_DISK_INFO_AHCI_GUID;
static EFI_GUID nvme_guid = PF_DISK_INFO_NVME_GUID;
static EFI_GUID scsi_guid = PF_DISK_INFO_SCSI_GUID;
static EFI_GUID usb_guid = PF_DISK_INFO_USB_GUID;
static EFI_GUID nvme_pt_guid = PF_NVME_PASS_THRU_GUID;

/* Identify Controller through the NVMe controller's pass-through: the DiskInfo protocol of an NVMe
 * namespace only returns namespace data, which holds no serial. */
static EFI_STATUS nvme_identify(EFI_HANDLE disk, char *model, size_t mcap, char *serial, size_t scap)
{
	EFI_DEVICE_PATH *dp = DevicePathFromHandle(disk);
	EFI_HANDLE ctrl = NULL;
	PF_NVME_PASS_THRU *pt = NULL;
	EFI_PHYSICAL_ADDRESS page = 0;
	EFI_STATUS err;

	if (!dp)
		return EFI_NOT_FOUND;
	err = BS->LocateDevicePath(&nvme_pt_guid, &dp, &ctrl);
	if (EFI_ERROR(err))
		return err;
	err = BS->HandleProtocol(ctrl, &nvme_pt_guid, (void **)&pt);
	if (EFI_ERROR(err))
		return err;
	/* One page satisfies any IoAlign the controller can ask for the 4 KiB answer. */
	err = BS->AllocatePages(AllocateAnyPages, EfiBootServicesData, 1, &page);
	if (EFI_ERROR(err))
		return err;
	void *buf = (void *)(uintptr_t)page;
	memset(buf, 0, 4096);
	PF_NVME_COMMAND cmd = { .Cdw0 = { .Opcode = 0x06 }, .Flags = PF_NVME_CDW10_VALID, .Cdw10 = 1 };
	PF_NVME_COMPLETION done = { 0 };
	PF_NVME_PACKET pkt = {
		.CommandTimeout = 20000000, /* 2 s: a controller that hangs must not hang the check */
		.TransferBuffer = buf,
		.TransferLength = 4096,
		.QueueType = 0,
		.NvmeCmd = &cmd,
		.NvmeCompletion = &done,
	};
	err = pt->PassThru(pt, 0, &pkt, NULL);
	if (!EFI_ERROR(err))
		err = efi_from_pf(pf_nvme_identify_strings(buf, 4096, model, mcap, serial, scap));
	BS->FreePages(page, 1);
	return err;
}

static EFI_STATUS disk_info_strings(PF_DISK_INFO_PROTOCOL *di, const char **ret_bus, char *model, size_t mcap,
				    char *serial, size_t scap)
{
	uint8_t data[512];
	UINT32 size = sizeof(data);

	if (CompareGuid(&di->Interface, &ide_guid) == 0 || CompareGuid(&di->Interface, &ahci_guid) == 0) {
		*ret_bus = CompareGuid(&di->Interface, &ide_guid) == 0 ? "ata" : "sata";
		EFI_STATUS err = di->Identify(di, data, &size);
		if (EFI_ERROR(err))
			return err;
		return efi_from_pf(pf_ata_identify_strings(data, size, model, mcap, serial, scap));
	}
	if (CompareGuid(&di->Interface, &nvme_guid) == 0) {
		*ret_bus = "nvme";
		return EFI_UNSUPPORTED; /* handled through pass-through */
	}
	if (CompareGuid(&di->Interface, &scsi_guid) == 0 || CompareGuid(&di->Interface, &usb_guid) == 0) {
		*ret_bus = CompareGuid(&di->Interface, &usb_guid) == 0 ? "usb" : "scsi";
		EFI_STATUS err = di->Inquiry(di, data, &size);
		if (EFI_ERROR(err))
			return err;
		serial[0] = '\0';
		return efi_from_pf(pf_scsi_inquiry_model(data, size, model, mcap));
	}
	return EFI_UNSUPPORTED;
}

/* True when disk's device path is a prefix of the boot partition's: the stick Preflight runs from. */
static bool is_boot_media(EFI_HANDLE disk, EFI_DEVICE_PATH *boot_dp)
{
	EFI_DEVICE_PATH *dp = DevicePathFromHandle(disk);
	if (!dp || !boot_dp)
		return false;
	UINTN n = DevicePathSize(dp) - sizeof(EFI_DEVICE_PATH); /* without the end node */
	return n <= DevicePathSize(boot_dp) && CompareMem(dp, boot_dp, n) == 0;
}

EFI_STATUS gather_disks(EFI_HANDLE image, pf_identity *id)
{
	EFI_LOADED_IMAGE *loaded = NULL;
	EFI_DEVICE_PATH *boot_dp = NULL;
	EFI_HANDLE *handles = NULL;
	UINTN n = 0;

	if (!EFI_ERROR(BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&loaded)))
		boot_dp = DevicePathFromHandle(loaded->DeviceHandle);
	EFI_STATUS err = BS->LocateHandleBuffer(ByProtocol, &BlockIoProtocol, NULL, &n, &handles);
	if (err == EFI_NOT_FOUND) {
		/* No block device at all (a network boot of a diskless VM): a fact, not a failure. */
		id->disks = NULL;
		id->n_disks = 0;
		id->disks_read = true;
		return EFI_SUCCESS;
	}
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot list disks");
	pf_disk *disks = pf_malloc(n * sizeof(*disks));
	if (!disks) {
		BS->FreePool(handles);
		return log_error_status(EFI_OUT_OF_RESOURCES, "cannot list disks");
	}
	size_t count = 0;
	for (UINTN i = 0; i < n; i++) {
		EFI_BLOCK_IO *bio = NULL;
		if (EFI_ERROR(BS->HandleProtocol(handles[i], &BlockIoProtocol, (void **)&bio)) || !bio->Media ||
		    bio->Media->LogicalPartition)
			continue; /* partitions repeat their disk */
		char model[48] = "", serial[32] = "";
		const char *bus = NULL;
		PF_DISK_INFO_PROTOCOL *di = NULL;
		EFI_STATUS st = EFI_UNSUPPORTED;
		if (!EFI_ERROR(BS->HandleProtocol(handles[i], &disk_info_guid, (void **)&di)))
			st = disk_info_strings(di, &bus, model, sizeof(model), serial, sizeof(serial));
		if (EFI_ERROR(st) && !EFI_ERROR(nvme_identify(handles[i], model, sizeof(model), serial, sizeof(serial)))) {
			bus = "nvme";
			st = EFI_SUCCESS;
		}
		if (EFI_ERROR(st) && bio->Media->RemovableMedia && !bio->Media->MediaPresent)
			continue; /* an empty card reader or DVD drive */
		disks[count] = (pf_disk){
			.model = model[0] ? pf_strdup(model) : NULL,
			.serial = serial[0] ? pf_strdup(serial) : NULL,
			.bus = bus ? pf_strdup(bus) : NULL,
			.boot_media = is_boot_media(handles[i], boot_dp),
		};
		count++;
	}
	BS->FreePool(handles);
	id->disks = disks;
	id->n_disks = count;
	id->disks_read = true;
	return EFI_SUCCESS;
}
