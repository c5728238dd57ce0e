/* Network protocols gnu-efi 3.0.15 lacks (IP4Config2, DNS4, DHCP4, MNP, IP6Config, DNS6), written from the UEFI 2.x specification. */
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

/* ---- EFI_DHCP4_PROTOCOL (UEFI 2.x, 29.1) ---- */
#define PF_DHCP4_SERVICE_BINDING_GUID { 0x9d9a39d8, 0xbd42, 0x4a73, { 0xa4, 0xd5, 0x8e, 0xe9, 0x4b, 0xe1, 0x13, 0x80 } }
#define PF_DHCP4_PROTOCOL_GUID { 0x8a219718, 0x4ef5, 0x4761, { 0x91, 0xc8, 0xc0, 0xf0, 0x4b, 0xda, 0x9e, 0x56 } }

#pragma pack(1)
typedef struct {
	UINT8 OpCode;
	UINT8 Length;
	UINT8 Data[1];
} PF_DHCP4_PACKET_OPTION;

typedef struct {
	UINT8 OpCode, HwType, HwAddrLen, Hops;
	UINT32 Xid;
	UINT16 Seconds, Reserved;
	EFI_IPv4_ADDRESS ClientAddr, YourAddr, ServerAddr, GatewayAddr;
	UINT8 ClientHwAddr[16];
	CHAR8 ServerName[64];
	CHAR8 BootFileName[128];
} PF_DHCP4_HEADER;

typedef struct {
	UINT32 Size;   /* of the buffer */
	UINT32 Length; /* of the packet: header, magic and options */
	struct {
		PF_DHCP4_HEADER Header;
		UINT32 Magik;
		UINT8 Option[1];
	} Dhcp4;
} PF_DHCP4_PACKET;
#pragma pack()

typedef enum {
	PfDhcp4Stopped, PfDhcp4Init, PfDhcp4Selecting, PfDhcp4Requesting, PfDhcp4Bound,
	PfDhcp4Renewing, PfDhcp4Rebinding, PfDhcp4InitReboot, PfDhcp4Rebooting
} PF_DHCP4_STATE;

typedef enum {
	PfDhcp4SendDiscover = 1, PfDhcp4RcvdOffer, PfDhcp4SelectOffer, PfDhcp4SendRequest, PfDhcp4RcvdAck,
	PfDhcp4RcvdNak, PfDhcp4SendDecline, PfDhcp4BoundCompleted, PfDhcp4EnterRenewing, PfDhcp4EnterRebinding,
	PfDhcp4AddressLost, PfDhcp4Fail
} PF_DHCP4_EVENT;

typedef struct PF_DHCP4_PROTOCOL PF_DHCP4_PROTOCOL;
typedef EFI_STATUS(EFIAPI *PF_DHCP4_CALLBACK)(PF_DHCP4_PROTOCOL *This, VOID *Context, PF_DHCP4_STATE State,
					      PF_DHCP4_EVENT Event, PF_DHCP4_PACKET *Packet, PF_DHCP4_PACKET **NewPacket);

typedef struct {
	UINT32 DiscoverTryCount;
	UINT32 *DiscoverTimeout;  /* seconds per try */
	UINT32 RequestTryCount;
	UINT32 *RequestTimeout;
	EFI_IPv4_ADDRESS ClientAddress;
	PF_DHCP4_CALLBACK Dhcp4Callback;
	VOID *CallbackContext;
	UINT32 OptionCount;
	PF_DHCP4_PACKET_OPTION **OptionList;
} PF_DHCP4_CONFIG_DATA;

typedef struct {
	PF_DHCP4_STATE State;
	PF_DHCP4_CONFIG_DATA ConfigData;
	EFI_IPv4_ADDRESS ClientAddress;
	EFI_MAC_ADDRESS ClientMacAddress;
	EFI_IPv4_ADDRESS ServerAddress;
	EFI_IPv4_ADDRESS RouterAddress;
	EFI_IPv4_ADDRESS SubnetMask;
	UINT32 LeaseTime;
	PF_DHCP4_PACKET *ReplyPacket;
} PF_DHCP4_MODE_DATA;

struct PF_DHCP4_PROTOCOL {
	EFI_STATUS(EFIAPI *GetModeData)(PF_DHCP4_PROTOCOL *This, PF_DHCP4_MODE_DATA *ModeData);
	EFI_STATUS(EFIAPI *Configure)(PF_DHCP4_PROTOCOL *This, PF_DHCP4_CONFIG_DATA *Config);
	EFI_STATUS(EFIAPI *Start)(PF_DHCP4_PROTOCOL *This, EFI_EVENT CompletionEvent);
	VOID *RenewRebind;
	VOID *Release;
	EFI_STATUS(EFIAPI *Stop)(PF_DHCP4_PROTOCOL *This);
	VOID *Build;
	VOID *TransmitReceive;
	EFI_STATUS(EFIAPI *Parse)(PF_DHCP4_PROTOCOL *This, PF_DHCP4_PACKET *Packet, UINT32 *OptionCount,
				  PF_DHCP4_PACKET_OPTION **PacketOptionList);
};

/* EFI_IP4_CONFIG2_MANUAL_ADDRESS */
typedef struct {
	EFI_IPv4_ADDRESS Address;
	EFI_IPv4_ADDRESS SubnetMask;
} PF_IP4_CONFIG2_MANUAL_ADDRESS;

/* ---- Wireless: EFI_WIRELESS_MAC_CONNECTION_II_PROTOCOL marks a Wi-Fi adapter ---- */
#define PF_NET_WIFI2_GUID { 0x1b0fb9bf, 0x699d, 0x4fdd, { 0xa7, 0xc3, 0x25, 0x46, 0x68, 0x1b, 0xf6, 0x3b } }

/* ---- EFI_MANAGED_NETWORK_PROTOCOL (UEFI 2.x, 25.1): raw frames of one EtherType, sharing the NIC with the
 * IP stack. gnu-efi has only EFI_MANAGED_NETWORK_CONFIG_DATA (efidef.h). ---- */
#define PF_MNP_SERVICE_BINDING_GUID { 0xf36ff770, 0xa7e1, 0x42cf, { 0x9e, 0xd2, 0x56, 0xf0, 0xf2, 0x71, 0xf4, 0x4c } }
#define PF_MNP_PROTOCOL_GUID { 0x7ab33a91, 0xace5, 0x4326, { 0xb5, 0x72, 0xe7, 0xee, 0x33, 0xd3, 0x9f, 0x16 } }

typedef struct {
	EFI_TIME Timestamp;
	EFI_EVENT RecycleEvent;       /* signal it to give the buffer back */
	UINT32 PacketLength;
	UINT32 HeaderLength;
	UINT32 AddressLength;
	UINT32 DataLength;
	BOOLEAN BroadcastFlag;
	BOOLEAN MulticastFlag;
	BOOLEAN PromiscuousFlag;
	UINT16 ProtocolType;
	VOID *DestinationAddress;
	VOID *SourceAddress;
	VOID *MediaHeader;            /* HeaderLength bytes */
	VOID *PacketData;             /* DataLength bytes */
} PF_MNP_RECEIVE_DATA;

typedef struct {
	UINT32 FragmentLength;
	VOID *FragmentBuffer;
} PF_MNP_FRAGMENT_DATA;

typedef struct {
	EFI_MAC_ADDRESS *DestinationAddress; /* NULL: the media header is in the fragments (HeaderLength bytes) */
	EFI_MAC_ADDRESS *SourceAddress;
	UINT16 ProtocolType;
	UINT32 DataLength;                   /* without the media header */
	UINT16 HeaderLength;
	UINT16 FragmentCount;
	PF_MNP_FRAGMENT_DATA FragmentTable[1];
} PF_MNP_TRANSMIT_DATA;

typedef struct {
	EFI_EVENT Event;
	EFI_STATUS Status;
	union {
		PF_MNP_RECEIVE_DATA *RxData;
		PF_MNP_TRANSMIT_DATA *TxData;
	} Packet;
} PF_MNP_COMPLETION_TOKEN;

typedef struct PF_MNP_PROTOCOL PF_MNP_PROTOCOL;
struct PF_MNP_PROTOCOL {
	EFI_STATUS(EFIAPI *GetModeData)(PF_MNP_PROTOCOL *This, EFI_MANAGED_NETWORK_CONFIG_DATA *MnpConfigData,
					EFI_SIMPLE_NETWORK_MODE *SnpModeData);
	EFI_STATUS(EFIAPI *Configure)(PF_MNP_PROTOCOL *This, EFI_MANAGED_NETWORK_CONFIG_DATA *MnpConfigData);
	EFI_STATUS(EFIAPI *McastIpToMac)(PF_MNP_PROTOCOL *This, BOOLEAN Ipv6Flag, EFI_IP_ADDRESS *IpAddress,
					 EFI_MAC_ADDRESS *MacAddress);
	EFI_STATUS(EFIAPI *Groups)(PF_MNP_PROTOCOL *This, BOOLEAN JoinFlag, EFI_MAC_ADDRESS *MacAddress);
	EFI_STATUS(EFIAPI *Transmit)(PF_MNP_PROTOCOL *This, PF_MNP_COMPLETION_TOKEN *Token);
	EFI_STATUS(EFIAPI *Receive)(PF_MNP_PROTOCOL *This, PF_MNP_COMPLETION_TOKEN *Token);
	EFI_STATUS(EFIAPI *Cancel)(PF_MNP_PROTOCOL *This, PF_MNP_COMPLETION_TOKEN *Token);
	EFI_STATUS(EFIAPI *Poll)(PF_MNP_PROTOCOL *This);
};

/* ---- EFI_IP6_CONFIG_PROTOCOL (UEFI 2.x, 28.7): on the adapter's handle, like IP4Config2 ---- */
#define PF_IP6_CONFIG_PROTOCOL_GUID { 0x937fe521, 0x95ae, 0x4d1a, { 0x89, 0x29, 0x48, 0xbc, 0xd9, 0x0a, 0xd3, 0x1a } }

typedef enum {
	PfIp6ConfigDataTypeInterfaceInfo,
	PfIp6ConfigDataTypeAltInterfaceId,
	PfIp6ConfigDataTypePolicy,
	PfIp6ConfigDataTypeDupAddrDetectTransmits,
	PfIp6ConfigDataTypeManualAddress,
	PfIp6ConfigDataTypeGateway,
	PfIp6ConfigDataTypeDnsServer,
	PfIp6ConfigDataTypeMaximum
} PF_IP6_CONFIG_DATA_TYPE;

/* Manual: addresses, gateway and DNS set by hand; Automatic: SLAAC from router advertisements, DHCPv6 when they
 * ask for it (M or O flag). */
typedef enum { PfIp6ConfigPolicyManual, PfIp6ConfigPolicyAutomatic } PF_IP6_CONFIG_POLICY;

/* GetData returns it followed by the arrays its pointers point into (one buffer, the caller's). */
typedef struct {
	CHAR16 Name[32];
	UINT8 IfType;
	UINT32 HwAddressSize;
	EFI_MAC_ADDRESS HwAddress;
	UINT32 AddressInfoCount;
	EFI_IP6_ADDRESS_INFO *AddressInfo;
	UINT32 RouteCount;
	EFI_IP6_ROUTE_TABLE *RouteTable;
} PF_IP6_CONFIG_INTERFACE_INFO;

typedef struct PF_IP6_CONFIG_PROTOCOL PF_IP6_CONFIG_PROTOCOL;
struct PF_IP6_CONFIG_PROTOCOL {
	EFI_STATUS(EFIAPI *SetData)(PF_IP6_CONFIG_PROTOCOL *This, PF_IP6_CONFIG_DATA_TYPE DataType, UINTN DataSize,
				    VOID *Data);
	EFI_STATUS(EFIAPI *GetData)(PF_IP6_CONFIG_PROTOCOL *This, PF_IP6_CONFIG_DATA_TYPE DataType, UINTN *DataSize,
				    VOID *Data);
	VOID *RegisterDataNotify;
	VOID *UnregisterDataNotify;
};

/* ---- EFI_DNS6_PROTOCOL (UEFI 2.x, 29.2): HostNameToIp asks for AAAA ---- */
#define PF_DNS6_SERVICE_BINDING_GUID { 0x7f1647c8, 0xb76e, 0x44b2, { 0xa5, 0x65, 0xf7, 0x0f, 0xf1, 0x9c, 0xd1, 0x9e } }
#define PF_DNS6_PROTOCOL_GUID { 0xca37bc1f, 0xa327, 0x4ae9, { 0x82, 0x8a, 0x8c, 0x40, 0xd8, 0x50, 0x6a, 0x17 } }

/* Not the DNS4 order: the server list comes after the local end here. */
typedef struct {
	BOOLEAN EnableDnsCache;
	UINT8 Protocol;
	EFI_IPv6_ADDRESS StationIp;
	UINT16 LocalPort;
	UINT32 DnsServerCount;
	EFI_IPv6_ADDRESS *DnsServerList;
	UINT32 RetryCount;
	UINT32 RetryInterval;
} PF_DNS6_CONFIG_DATA;

typedef struct {
	UINT32 IpCount;
	EFI_IPv6_ADDRESS *IpList;
} PF_DNS6_HOST_TO_ADDR_DATA;

typedef struct {
	EFI_EVENT Event;
	EFI_STATUS Status;
	UINT32 RetryCount;
	UINT32 RetryInterval;
	union {
		PF_DNS6_HOST_TO_ADDR_DATA *H2AData;
		VOID *Other;
	} RspData;
} PF_DNS6_COMPLETION_TOKEN;

typedef struct PF_DNS6_PROTOCOL PF_DNS6_PROTOCOL;
struct PF_DNS6_PROTOCOL {
	VOID *GetModeData;
	EFI_STATUS(EFIAPI *Configure)(PF_DNS6_PROTOCOL *This, PF_DNS6_CONFIG_DATA *DnsConfigData);
	EFI_STATUS(EFIAPI *HostNameToIp)(PF_DNS6_PROTOCOL *This, CHAR16 *HostName, PF_DNS6_COMPLETION_TOKEN *Token);
	VOID *IpToHostName;
	VOID *GeneralLookUp;
	VOID *UpdateDnsCache;
	EFI_STATUS(EFIAPI *Poll)(PF_DNS6_PROTOCOL *This);
	EFI_STATUS(EFIAPI *Cancel)(PF_DNS6_PROTOCOL *This, PF_DNS6_COMPLETION_TOKEN *Token);
};

#endif
