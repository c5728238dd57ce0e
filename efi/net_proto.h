/* Network protocols gnu-efi 3.0.15 lacks (IP4Config2, DNS4), written from the UEFI 2.x specification. */
#ifndef PF_EFI_NET_PROTO_H
#define PF_EFI_NET_PROTO_H

#include <efi.h>

/* ---- EFI_IP4_CONFIG2_PROTOCOL (UEFI 2.x, 28.5) ---- */
#define PF_IP4_CONFIG2_PROTOCOL_GUID { 0x5b446ed1, 0xe30b, 0x4faa, { 0x87, 0x1a, 0x36, 0x54, 0xec, 0xa3, 0x60, 0x80 } }

typedef enum {
	PfIp4Config2DataTypeInterfaceInfo,
	PfIp4Config2DataTypePolicy,
	PfIp4Config2DataTypeManualAddress,
	PfIp4Config2DataTypeGateway,
	PfIp4Config2DataTypeDnsServer,
	PfIp4Config2DataTypeMaximum
} PF_IP4_CONFIG2_DATA_TYPE;

typedef enum { PfIp4Config2PolicyStatic, PfIp4Config2PolicyDhcp, PfIp4Config2PolicyMax } PF_IP4_CONFIG2_POLICY;

typedef struct {
	EFI_IPv4_ADDRESS SubnetAddress;
	EFI_IPv4_ADDRESS SubnetMask;
	EFI_IPv4_ADDRESS GatewayAddress;
} PF_IP4_ROUTE_TABLE;

typedef struct {
	CHAR16 Name[32];
	UINT8 IfType;
	UINT32 HwAddressSize;
	EFI_MAC_ADDRESS HwAddress;
	EFI_IPv4_ADDRESS StationAddress;
	EFI_IPv4_ADDRESS SubnetMask;
	UINT32 RouteTableSize;
	PF_IP4_ROUTE_TABLE *RouteTable;
} PF_IP4_CONFIG2_INTERFACE_INFO;

typedef struct PF_IP4_CONFIG2_PROTOCOL PF_IP4_CONFIG2_PROTOCOL;
struct PF_IP4_CONFIG2_PROTOCOL {
	EFI_STATUS(EFIAPI *SetData)(PF_IP4_CONFIG2_PROTOCOL *This, PF_IP4_CONFIG2_DATA_TYPE DataType, UINTN DataSize,
				    VOID *Data);
	EFI_STATUS(EFIAPI *GetData)(PF_IP4_CONFIG2_PROTOCOL *This, PF_IP4_CONFIG2_DATA_TYPE DataType, UINTN *DataSize,
				    VOID *Data);
	VOID *RegisterDataNotify;
	VOID *UnregisterDataNotify;
};

/* ---- EFI_DNS4_PROTOCOL (UEFI 2.x, 29.2) ---- */
#define PF_DNS4_SERVICE_BINDING_GUID { 0xb625b186, 0xe063, 0x44f7, { 0x89, 0x05, 0x6a, 0x74, 0xdc, 0x6f, 0x52, 0xb4 } }
#define PF_DNS4_PROTOCOL_GUID { 0xae3d28cc, 0xe05b, 0x4fa1, { 0xa0, 0x11, 0x7e, 0xb5, 0x5a, 0x3f, 0x14, 0x01 } }

typedef struct {
	UINTN DnsServerListCount;
	EFI_IPv4_ADDRESS *DnsServerList;
	BOOLEAN UseDefaultSetting;
	BOOLEAN EnableDnsCache;
	UINT8 Protocol;
	EFI_IPv4_ADDRESS StationIp;
	EFI_IPv4_ADDRESS SubnetMask;
	UINT16 LocalPort;
	UINT32 RetryCount;
	UINT32 RetryInterval;
} PF_DNS4_CONFIG_DATA;

typedef struct {
	UINT32 IpCount;
	EFI_IPv4_ADDRESS *IpList;
} PF_DNS4_HOST_TO_ADDR_DATA;

typedef struct {
	EFI_EVENT Event;
	EFI_STATUS Status;
	UINT32 RetryCount;
	UINT32 RetryInterval;
	union {
		PF_DNS4_HOST_TO_ADDR_DATA *H2AData;
		VOID *Other;
	} RspData;
} PF_DNS4_COMPLETION_TOKEN;

typedef struct PF_DNS4_PROTOCOL PF_DNS4_PROTOCOL;
struct PF_DNS4_PROTOCOL {
	VOID *GetModeData;
	EFI_STATUS(EFIAPI *Configure)(PF_DNS4_PROTOCOL *This, PF_DNS4_CONFIG_DATA *DnsConfigData);
	EFI_STATUS(EFIAPI *HostNameToIp)(PF_DNS4_PROTOCOL *This, CHAR16 *HostName, PF_DNS4_COMPLETION_TOKEN *Token);
	VOID *IpToHostName;
	VOID *GeneralLookUp;
	VOID *UpdateDnsCache;
	EFI_STATUS(EFIAPI *Poll)(PF_DNS4_PROTOCOL *This);
	EFI_STATUS(EFIAPI *Cancel)(PF_DNS4_PROTOCOL *This, PF_DNS4_COMPLETION_TOKEN *Token);
};

/* ---- Wireless: EFI_WIRELESS_MAC_CONNECTION_II_PROTOCOL marks a Wi-Fi adapter ---- */
#define PF_NET_WIFI2_GUID { 0x1b0fb9bf, 0x699d, 0x4fdd, { 0xa7, 0xc3, 0x25, 0x46, 0x68, 0x1b, 0xf6, 0x3b } }

#endif
