/* Protocol definitions gnu-efi 3.0.15 lacks, written from the UEFI 2.x and TCG EFI Protocol specifications. */
#ifndef PF_EFI_PROTO_H
#define PF_EFI_PROTO_H

#include <efi.h>

/* ---- TCG2 (TCG PC Client Platform EFI Protocol Specification, TPM 2.0) ---- */
#define PF_TCG2_PROTOCOL_GUID { 0x607f766c, 0x7455, 0x42be, { 0x93, 0x0b, 0xe4, 0xd7, 0x6d, 0xb2, 0x72, 0x0f } }
/* The TPM 1.2 protocol: present without TCG2 means the machine has only a TPM 1.2. */
#define PF_TCG_PROTOCOL_GUID { 0xf541796d, 0xa62e, 0x4954, { 0xa7, 0x75, 0x95, 0x84, 0xf6, 0x1b, 0x9c, 0xdd } }

typedef struct {
	UINT8 Major;
	UINT8 Minor;
} PF_TCG2_VERSION;

/* Natural alignment, as the specification and edk2 lay it out (not packed). */
typedef struct {
	UINT8 Size;
	PF_TCG2_VERSION StructureVersion;
	PF_TCG2_VERSION ProtocolVersion;
	UINT32 HashAlgorithmBitmap;
	UINT32 SupportedEventLogs;
	BOOLEAN TPMPresentFlag;
	UINT16 MaxCommandSize;
	UINT16 MaxResponseSize;
	UINT32 ManufacturerID;
	UINT32 NumberOfPCRBanks;
	UINT32 ActivePcrBanks;
} PF_TCG2_BOOT_SERVICE_CAPABILITY;

#define PF_TCG2_HASH_SHA1 0x01
#define PF_TCG2_HASH_SHA256 0x02
#define PF_TCG2_HASH_SHA384 0x04
#define PF_TCG2_HASH_SHA512 0x08
#define PF_TCG2_HASH_SM3_256 0x10

typedef struct PF_TCG2_PROTOCOL PF_TCG2_PROTOCOL;
struct PF_TCG2_PROTOCOL {
	EFI_STATUS(EFIAPI *GetCapability)(PF_TCG2_PROTOCOL *This, PF_TCG2_BOOT_SERVICE_CAPABILITY *Capability);
	void *GetEventLog;
	void *HashLogExtendEvent;
	EFI_STATUS(EFIAPI *SubmitCommand)(PF_TCG2_PROTOCOL *This, UINT32 InputSize, UINT8 *Input, UINT32 OutputSize,
					  UINT8 *Output);
	EFI_STATUS(EFIAPI *GetActivePcrBanks)(PF_TCG2_PROTOCOL *This, UINT32 *ActivePcrBanks);
	void *SetActivePcrBanks;
	void *GetResultOfSetActivePcrBanks;
};

/* edk2's EFI_CONSOLE_OUT_DEVICE_GUID (MdeModulePkg Guid/ConsoleOutDevice.h): ConPlatform puts it on every
 * device the ConOut splitter writes to (the one after EFI_CONSOLE_IN_DEVICE_GUID d3b36f2b). */
#define PF_CONSOLE_OUT_DEVICE_GUID { 0xd3b36f2c, 0xd551, 0x11d4, { 0x9a, 0x46, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d } }

/* ---- EFI_DISK_INFO_PROTOCOL (PI specification; GUIDs checked against edk2 MdePkg DiskInfo.h) ---- */
#define PF_DISK_INFO_PROTOCOL_GUID { 0xd432a67f, 0x14dc, 0x484b, { 0xb3, 0xbb, 0x3f, 0x02, 0x91, 0x84, 0x93, 0x27 } }
#define PF_DISK_INFO_IDE_GUID { 0x5e948fe3, 0x26d3, 0x42b5, { 0xaf, 0x17, 0x61, 0x02, 0x87, 0x18, 0x8d, 0xec } }
#define PF_DISK_INFO_AHCI_GUID { 0x9e498932, 0x4abc, 0x45af, { 0xa3, 0x4d, 0x02, 0x47, 0x78, 0x7b, 0xe7, 0xc6 } }
#define PF_DISK_INFO_NVME_GUID { 0x3ab14680, 0x5d3f, 0x4a4d, { 0xbc, 0xdc, 0xcc, 0x38, 0x00, 0x18, 0xc7, 0xf7 } }
#define PF_DISK_INFO_SCSI_GUID { 0x08f74baa, 0xea36, 0x41d9, { 0x95, 0x21, 0x21, 0xa7, 0x0f, 0x87, 0x80, 0xbc } }
#define PF_DISK_INFO_USB_GUID { 0xcb871572, 0xc11a, 0x47b5, { 0xb4, 0x92, 0x67, 0x5e, 0xaf, 0xa7, 0x77, 0x27 } }

typedef struct PF_DISK_INFO_PROTOCOL PF_DISK_INFO_PROTOCOL;
struct PF_DISK_INFO_PROTOCOL {
	EFI_GUID Interface;
	EFI_STATUS(EFIAPI *Inquiry)(PF_DISK_INFO_PROTOCOL *This, void *Data, UINT32 *Size);
	EFI_STATUS(EFIAPI *Identify)(PF_DISK_INFO_PROTOCOL *This, void *Data, UINT32 *Size);
	EFI_STATUS(EFIAPI *SenseData)(PF_DISK_INFO_PROTOCOL *This, void *Data, UINT32 *Size, UINT8 *Count);
	EFI_STATUS(EFIAPI *WhichIde)(PF_DISK_INFO_PROTOCOL *This, UINT32 *Channel, UINT32 *Device);
};

/* ---- EFI_NVM_EXPRESS_PASS_THRU_PROTOCOL (UEFI 2.5+) ---- */
#define PF_NVME_PASS_THRU_GUID { 0x52c78312, 0x8edc, 0x4233, { 0x98, 0xf2, 0x1a, 0x1a, 0xa5, 0xe3, 0x88, 0xa5 } }

typedef struct {
	UINT32 Attributes;
	UINT32 IoAlign;
	UINT32 NvmeVersion;
} PF_NVME_PASS_THRU_MODE;

typedef struct {
	UINT8 Opcode;
	UINT8 FusedOperation : 2;
	UINT8 Reserved : 6;
	UINT16 Reserved2;
} PF_NVME_CDW0;

typedef struct {
	PF_NVME_CDW0 Cdw0;
	UINT8 Flags;
	UINT32 Nsid;
	UINT32 Cdw2, Cdw3, Cdw10, Cdw11, Cdw12, Cdw13, Cdw14, Cdw15;
} PF_NVME_COMMAND;

typedef struct {
	UINT32 DW0, DW1, DW2, DW3;
} PF_NVME_COMPLETION;

typedef struct {
	UINT64 CommandTimeout; /* 100 ns units; 0 = wait forever, which we never use */
	void *TransferBuffer;
	UINT32 TransferLength;
	void *MetadataBuffer;
	UINT32 MetadataLength;
	UINT8 QueueType;       /* 0 admin, 1 I/O */
	PF_NVME_COMMAND *NvmeCmd;
	PF_NVME_COMPLETION *NvmeCompletion;
} PF_NVME_PACKET;

#define PF_NVME_CDW10_VALID 0x04
#define PF_NVME_NSID_VALID 0x02 /* not set: the controller identify has no namespace */

typedef struct PF_NVME_PASS_THRU PF_NVME_PASS_THRU;
struct PF_NVME_PASS_THRU {
	PF_NVME_PASS_THRU_MODE *Mode;
	EFI_STATUS(EFIAPI *PassThru)(PF_NVME_PASS_THRU *This, UINT32 NamespaceId, PF_NVME_PACKET *Packet, EFI_EVENT Event);
	void *GetNextNamespace;
	void *BuildDevicePath;
	void *GetNamespace;
};

/* ---- Network adapter state ---- */
#define PF_ADAPTER_INFO_PROTOCOL_GUID { 0xe5dd1403, 0xd622, 0xc24e, { 0x84, 0x88, 0xc7, 0x1b, 0x17, 0xf5, 0xe8, 0x02 } }
#define PF_ADAPTER_INFO_MEDIA_STATE_GUID { 0xd7c74207, 0xa831, 0x4a26, { 0xb1, 0xf5, 0xd1, 0x93, 0x06, 0x5c, 0xe8, 0xb6 } }
#define PF_WIRELESS_MAC_CONNECTION_II_GUID { 0x1b0fb9bf, 0x699d, 0x4fdd, { 0xa7, 0xc3, 0x25, 0x46, 0x68, 0x1b, 0xf6, 0x3b } }

typedef struct PF_ADAPTER_INFO_PROTOCOL PF_ADAPTER_INFO_PROTOCOL;
struct PF_ADAPTER_INFO_PROTOCOL {
	EFI_STATUS(EFIAPI *GetInformation)(PF_ADAPTER_INFO_PROTOCOL *This, EFI_GUID *Type, void **Block, UINTN *Size);
	void *SetInformation;
	void *GetSupportedTypes;
};

typedef struct {
	EFI_STATUS MediaState;
} PF_ADAPTER_INFO_MEDIA_STATE;

/* ---- EFI_HII_FONT_PROTOCOL (UEFI 2.x, 34.1): the firmware's own glyphs for the result screen ---- */
#define PF_HII_FONT_PROTOCOL_GUID { 0xe9ca4775, 0x8657, 0x47fc, { 0x97, 0xe7, 0x7e, 0xd6, 0x5a, 0x08, 0x43, 0x24 } }

typedef struct {
	UINT16 Width;
	UINT16 Height;
	union {
		EFI_GRAPHICS_OUTPUT_BLT_PIXEL *Bitmap;
		EFI_GRAPHICS_OUTPUT_PROTOCOL *Screen;
	} Image;
} PF_IMAGE_OUTPUT;

typedef struct PF_HII_FONT_PROTOCOL PF_HII_FONT_PROTOCOL;
struct PF_HII_FONT_PROTOCOL {
	VOID *StringToImage;
	VOID *StringIdToImage;
	EFI_STATUS(EFIAPI *GetGlyph)(const PF_HII_FONT_PROTOCOL *This, const CHAR16 Char, const VOID *StringInfo,
				     PF_IMAGE_OUTPUT **Blt, UINTN *Baseline);
	VOID *GetFontInfo;
};

#endif
