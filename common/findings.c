/* The finding-code table of the contract, the findings list and the verdict it gives. */
#include "findings.h"
#include "buf.h"
#include "str.h"

static const pf_code_info codes[PF_CODE__COUNT] = {
	[PF_NET_NO_NIC] = { "NET-NO-NIC", PF_SEV_ERROR, PF_STEP_NETWORK,
		"Connect a wired network adapter (a USB-Ethernet dongle the firmware supports) or enable the onboard NIC in firmware setup." },
	[PF_NET_NO_LINK] = { "NET-NO-LINK", PF_SEV_ERROR, PF_STEP_NETWORK,
		"Plug in the network cable and check the switch port's link light." },
	[PF_NET_WIFI_ONLY] = { "NET-WIFI-ONLY", PF_SEV_WARN, PF_STEP_NETWORK,
		"Use a wired adapter for the user flow; on Wi-Fi the user sees extra language, keyboard and network screens." },
	[PF_NET_DHCP_FAILED] = { "NET-DHCP-FAILED", PF_SEV_ERROR, PF_STEP_NETWORK,
		"Check the DHCP server and the VLAN of the switch port." },
	[PF_NET_DNS_FAILED] = { "NET-DNS-FAILED", PF_SEV_ERROR, PF_STEP_NETWORK,
		"Make the DNS servers handed out by DHCP resolve the Autopilot host names." },
	[PF_NET_TCP_BLOCKED] = { "NET-TCP-BLOCKED", PF_SEV_ERROR, PF_STEP_NETWORK,
		"Allow outbound connections to this host and port in the firewall." },
	[PF_NET_TLS_UNTRUSTED] = { "NET-TLS-UNTRUSTED", PF_SEV_ERROR, PF_STEP_NETWORK,
		"Exempt the Autopilot and Intune hosts from TLS inspection on the proxy or firewall named as issuer." },
	[PF_NET_TLS_FAILED] = { "NET-TLS-FAILED", PF_SEV_ERROR, PF_STEP_NETWORK,
		"Check the reason given: proxy, certificate or clock problems on the path to this host." },
	[PF_NET_HTTP_FAILED] = { "NET-HTTP-FAILED", PF_SEV_ERROR, PF_STEP_NETWORK,
		"Check the proxy or web filter between this device and the host." },
	[PF_NET_NCSI_FAILED] = { "NET-NCSI-FAILED", PF_SEV_WARN, PF_STEP_NETWORK,
		"A captive portal or filter answers the connectivity test; allow www.msftconnecttest.com." },
	[PF_NET_CLOCK_SKEW] = { "NET-CLOCK-SKEW", PF_SEV_ERROR, PF_STEP_NETWORK,
		"Set the firmware clock (RTC) to the correct UTC time." },
	[PF_ID_SERIAL_MISSING] = { "ID-SERIAL-MISSING", PF_SEV_ERROR, PF_STEP_IDENTITY,
		"Have the OEM or the board vendor's tool write the serial number into SMBIOS." },
	[PF_ID_SERIAL_PLACEHOLDER] = { "ID-SERIAL-PLACEHOLDER", PF_SEV_ERROR, PF_STEP_IDENTITY,
		"The serial is a factory placeholder shared by many devices; have the OEM program a unique serial." },
	[PF_ID_MODEL_PLACEHOLDER] = { "ID-MODEL-PLACEHOLDER", PF_SEV_INFO, PF_STEP_IDENTITY,
		"Have the OEM or the board vendor's tool write the real manufacturer and model into SMBIOS; until then register by hardware hash (no tuple) and do not group these devices by model." },
	[PF_ID_VIRTUAL_MACHINE] = { "ID-VIRTUAL-MACHINE", PF_SEV_ERROR, PF_STEP_IDENTITY,
		"Pre-provisioning needs a physical device; set identity.allow_virtual_machine=true to test in a VM." },
	[PF_ID_VM_HINT] = { "ID-VM-HINT", PF_SEV_INFO, PF_STEP_IDENTITY,
		"Check that this is the physical device: its firmware asks the OS to reach PSCI through a hypervisor (HVC), where the Snapdragon laptops documented publicly use SMC." },
	[PF_ID_TPM_MISSING] = { "ID-TPM-MISSING", PF_SEV_ERROR, PF_STEP_ESP_DEVICE,
		"Enable the TPM (PTT/fTPM) in firmware setup; TPM 2.0 attestation is required." },
	[PF_ID_TPM_NO_EK_CERT] = { "ID-TPM-NO-EK-CERT", PF_SEV_WARN, PF_STEP_ESP_DEVICE,
		"The TPM has no EK certificate in NV; Windows must fetch it online from the TPM vendor, allow those hosts." },
	[PF_ID_SECURE_BOOT_OFF] = { "ID-SECURE-BOOT-OFF", PF_SEV_INFO, PF_STEP_ESP_DEVICE,
		"Enable Secure Boot in firmware setup if compliance policies require it." },
	[PF_REC_NONE_AVAILABLE] = { "REC-NONE-AVAILABLE", PF_SEV_ERROR, PF_STEP_RECORD,
		"Copy the Autopilot CSV or Graph JSON export to \\preflight\\records\\ on the stick." },
	[PF_REC_FILE_INVALID] = { "REC-FILE-INVALID", PF_SEV_WARN, PF_STEP_RECORD,
		"Re-export the file; see the reason and line given." },
	[PF_REC_NOT_FOUND] = { "REC-NOT-FOUND", PF_SEV_ERROR, PF_STEP_RECORD,
		"Register the device (Get-WindowsAutopilotInfo, or the OEM with <serial>-register.csv from the reports folder) and re-export the records." },
	[PF_REC_AMBIGUOUS] = { "REC-AMBIGUOUS", PF_SEV_WARN, PF_STEP_RECORD,
		"Remove the duplicate records so only one remains." },
	[PF_REC_MANUFACTURER_MISMATCH] = { "REC-MANUFACTURER-MISMATCH", PF_SEV_ERROR, PF_STEP_RECORD,
		"Correct the record or re-register the device with its real manufacturer." },
	[PF_REC_MODEL_MISMATCH] = { "REC-MODEL-MISMATCH", PF_SEV_ERROR, PF_STEP_RECORD,
		"Correct the record or re-register the device with its real model." },
	[PF_REC_HASH_MISMATCH] = { "REC-HASH-MISMATCH", PF_SEV_ERROR, PF_STEP_RECORD,
		"The hardware changed since registration (board swap?); capture a new hash and re-register." },
	[PF_REC_HASH_UNDECODABLE] = { "REC-HASH-UNDECODABLE", PF_SEV_WARN, PF_STEP_RECORD,
		"The hash in the record is damaged; capture it again with Get-WindowsAutopilotInfo." },
	[PF_REC_NO_PROFILE] = { "REC-NO-PROFILE", PF_SEV_ERROR, PF_STEP_RECORD,
		"Assign a deployment profile to the device's group in Intune." },
	[PF_REC_ENROLLMENT_STATE] = { "REC-ENROLLMENT-STATE", PF_SEV_WARN, PF_STEP_RECORD,
		"Check the device's enrollment state in Intune; reset or clean up the stale device object." },
	[PF_REC_NO_ASSIGNED_USER] = { "REC-NO-ASSIGNED-USER", PF_SEV_INFO, PF_STEP_SIGN_IN,
		"Assign a user to the record if the sign-in page should show the user name." },
	[PF_GRAPH_AUTH_FAILED] = { "GRAPH-AUTH-FAILED", PF_SEV_ERROR, PF_STEP_RECORD,
		"Renew the token or check the app registration's permissions." },
	[PF_GRAPH_THROTTLED] = { "GRAPH-THROTTLED", PF_SEV_WARN, PF_STEP_RECORD,
		"Microsoft Graph throttled the lookup; run again later." },
	[PF_GRAPH_UNREACHABLE] = { "GRAPH-UNREACHABLE", PF_SEV_ERROR, PF_STEP_RECORD,
		"Check the network findings: Graph could not be reached." },
	[PF_USER_NOT_FOUND] = { "USER-NOT-FOUND", PF_SEV_ERROR, PF_STEP_SIGN_IN,
		"Correct the user name in the record (or graph.expected_user), or create the user; a user created minutes ago may not be visible yet." },
	[PF_USER_DISABLED] = { "USER-DISABLED", PF_SEV_ERROR, PF_STEP_SIGN_IN,
		"Enable the user's account (Entra admin center: Users, the user, Account enabled)." },
	[PF_USER_NO_INTUNE_LICENSE] = { "USER-NO-INTUNE-LICENSE", PF_SEV_ERROR, PF_STEP_ESP_DEVICE,
		"Assign the user a licence with Microsoft Intune (Plan 1, Education, or Business Premium) and wait until it shows as provisioned." },
	[PF_USER_CHECK_INCOMPLETE] = { "USER-CHECK-INCOMPLETE", PF_SEV_INFO, PF_STEP_SIGN_IN,
		"Grant the permission named (admin consent) to the app or the token, or run again when Graph answers." },
	[PF_USER_JOIN_NOT_ALLOWED] = { "USER-JOIN-NOT-ALLOWED", PF_SEV_ERROR, PF_STEP_SIGN_IN,
		"Let the user join devices to Microsoft Entra ID (Entra admin center: Devices, Device settings, \"Users may join devices\": All, or a group the user is in)." },
	[PF_USER_DEVICE_QUOTA_REACHED] = { "USER-DEVICE-QUOTA-REACHED", PF_SEV_ERROR, PF_STEP_SIGN_IN,
		"Delete the user's stale devices in Entra ID, or raise \"Maximum number of devices per user\" in the device settings." },
	[PF_USER_ENROLLMENT_LIMIT_REACHED] = { "USER-ENROLLMENT-LIMIT-REACHED", PF_SEV_INFO, PF_STEP_ESP_DEVICE,
		"Nothing for Autopilot (Intune's device limit restrictions do not apply to it); for the user's other enrolments, retire stale devices in Intune or raise the limit." },
	[PF_REPORT_UPLOADED] = { "REPORT-UPLOADED", PF_SEV_INFO, PF_STEP_RECORD,
		"Nothing to do: the admin's fleet view (scripts/fleet) reads it from the container." },
	[PF_REPORT_UPLOAD_FAILED] = { "REPORT-UPLOAD-FAILED", PF_SEV_WARN, PF_STEP_RECORD,
		"The report is safe on the stick: copy it from there, and renew the SAS, create the container or check the network as the detail says." },
	[PF_REPORT_UPLOAD_SAS_BROAD] = { "REPORT-UPLOAD-SAS-BROAD", PF_SEV_WARN, PF_STEP_RECORD,
		"Give the sticks a SAS with create and write permissions only (sp=cw): anyone with a stick can use what it grants." },
	[PF_REC_USERLESS_BLOCKED] = { "REC-USERLESS-BLOCKED", PF_SEV_ERROR, PF_STEP_ESP_DEVICE,
		"Delete the device's Intune device record before deploying it again (or, where the tenant offers it, allow the next enrolment on the Autopilot device)." },
	[PF_SB_SETUP_MODE] = { "SB-SETUP-MODE", PF_SEV_WARN, PF_STEP_ESP_DEVICE,
		"Restore the factory Secure Boot keys in firmware setup (\"Restore Factory Keys\" / \"Install default keys\"), then enable Secure Boot." },
	[PF_SB_KEK_2023_MISSING] = { "SB-KEK-2023-MISSING", PF_SEV_WARN, PF_STEP_ESP_DEVICE,
		"Install the OEM firmware (BIOS) update that adds the 2023 KEK, or let Windows servicing apply the Secure Boot certificate update after deployment." },
	[PF_SB_DB_WINDOWS_2023_MISSING] = { "SB-DB-WINDOWS-2023-MISSING", PF_SEV_WARN, PF_STEP_ESP_DEVICE,
		"Install the OEM firmware (BIOS) update that adds Windows UEFI CA 2023 to db, or let Windows servicing apply the Secure Boot certificate update after deployment." },
	[PF_SB_DB_UEFI_2023_MISSING] = { "SB-DB-UEFI-2023-MISSING", PF_SEV_INFO, PF_STEP_ESP_DEVICE,
		"Third-party boot code (Linux shim, option ROMs) signed only by the 2023 CA needs Microsoft UEFI CA 2023: the OEM firmware update or Windows servicing adds it." },
	[PF_SB_CERT_EXPIRED] = { "SB-CERT-EXPIRED", PF_SEV_INFO, PF_STEP_ESP_DEVICE,
		"Firmware does not check these dates, so the device still boots; new boot components are signed by the 2023 CAs only, so apply the 2023 Secure Boot key updates." },
	[PF_SB_CERT_LOOKALIKE] = { "SB-CERT-LOOKALIKE", PF_SEV_WARN, PF_STEP_ESP_DEVICE,
		"A certificate carries a Microsoft CA's name but not its key (OEM test key or tampering): restore the factory Secure Boot keys." },
	[PF_SB_LIST_INVALID] = { "SB-LIST-INVALID", PF_SEV_WARN, PF_STEP_ESP_DEVICE,
		"Restore the factory Secure Boot keys in firmware setup; if the damage persists, update the firmware." },
	[PF_SB_DB_THIRD_PARTY_CA_MISSING] = { "SB-DB-THIRD-PARTY-CA-MISSING", PF_SEV_INFO, PF_STEP_ESP_DEVICE,
		"Windows is unaffected. A shim-signed stick (make usb SIGN=shim), Linux and option ROMs signed by Microsoft's third-party CA are refused with Secure Boot on: allow the Microsoft third-party UEFI CA in firmware setup (Lenovo: \"Allow Microsoft 3rd Party UEFI CA\"), or sign the stick with a key in db (docs/secure-boot.md)." },
	[PF_NET_PROXY_AUTH] = { "NET-PROXY-AUTH", PF_SEV_ERROR, PF_STEP_NETWORK,
		"OOBE runs as SYSTEM and cannot answer a proxy login: exempt the Autopilot hosts from proxy authentication (or let these devices through without it)." },
	[PF_NET_PROXY_DENIED] = { "NET-PROXY-DENIED", PF_SEV_ERROR, PF_STEP_NETWORK,
		"Allow the host (and port) through the proxy: add it to the proxy's allow-list for Autopilot." },
	[PF_NET_PROXY_UNREACHABLE] = { "NET-PROXY-UNREACHABLE", PF_SEV_ERROR, PF_STEP_NETWORK,
		"Check the proxy's name and port, that it runs, and that this network segment may reach it." },
	[PF_NET_PROXY_MANUAL] = { "NET-PROXY-MANUAL", PF_SEV_WARN, PF_STEP_NETWORK,
		"OOBE finds a proxy only by WPAD (DHCP option 252 or a wpad DNS name): publish this proxy by WPAD, or open the Autopilot hosts for direct traffic." },
	[PF_NET_PAC_FAILED] = { "NET-PAC-FAILED", PF_SEV_WARN, PF_STEP_NETWORK,
		"Fix the PAC file the network publishes (or stop publishing it): Windows falls back to direct connections while it is broken." },
	[PF_NET_8021X_REQUIRED] = { "NET-8021X-REQUIRED", PF_SEV_ERROR, PF_STEP_NETWORK,
		"Use a port with MAC authentication bypass or a provisioning VLAN for the deployment: OOBE cannot answer 802.1X on a wired port." },
	[PF_NET_8021X_BYPASSED] = { "NET-8021X-BYPASSED", PF_SEV_WARN, PF_STEP_NETWORK,
		"Nothing to change if this port's MAC authentication bypass or guest VLAN is meant for deployment; keep the Autopilot hosts reachable there, since OOBE cannot do wired 802.1X." },
	[PF_NET_IPV6_BROKEN] = { "NET-IPV6-BROKEN", PF_SEV_WARN, PF_STEP_NETWORK,
		"Let these hosts through over IPv6 too (firewall rules, routes, the proxy or NAT64), or stop offering IPv6 on this segment: Windows tries IPv6 first and falls back to IPv4 only after a delay." },
	[PF_NET_IPV6_ONLY] = { "NET-IPV6-ONLY", PF_SEV_INFO, PF_STEP_NETWORK,
		"Nothing to change if the segment is meant to be IPv6-only (with DNS64/NAT64 for IPv4-only services): Windows works over IPv6 alone." },
	/* identity-corpus: tuple registrations are exact (common/rectuple.c) */
	[PF_REC_TUPLE_SPELLING] = { "REC-TUPLE-SPELLING", PF_SEV_WARN, PF_STEP_RECORD,
		"Register the device by its hardware hash, or correct the tuple's manufacturer and model to SMBIOS's exact spelling (letter case and spaces included) and register it again." },
	[PF_WIN_NOT_FOUND] = { "WIN-NOT-FOUND", PF_SEV_INFO, PF_STEP_ESP_DEVICE,
		"The user flow starts from an installed Windows: image the device (or let the OEM's image stay) before handing it out." },
	[PF_WIN_BOOTMGR_REFUSED] = { "WIN-BOOTMGR-REFUSED", PF_SEV_ERROR, PF_STEP_ESP_DEVICE,
		"Reimage from current Microsoft media (boot manager signed by Windows UEFI CA 2023), or restore the boot files with bcdboot from an updated Windows; a damaged file needs the same." },
	[PF_WIN_BOOTMGR_2011_ONLY] = { "WIN-BOOTMGR-2011-ONLY", PF_SEV_WARN, PF_STEP_ESP_DEVICE,
		"Apply the Secure Boot update of KB5025885 (Windows UEFI CA 2023 in db, then the 2023-signed boot manager) before the PCA 2011 revocation reaches this device's dbx, or reimage from current media." },
	[PF_WIN_DB_LACKS_SIGNER_CA] = { "WIN-DB-LACKS-SIGNER-CA", PF_SEV_ERROR, PF_STEP_ESP_DEVICE,
		"Install the OEM firmware (BIOS) update that adds the signing CA (Windows UEFI CA 2023) to db, or restore the factory keys; until then reimage with a boot manager signed by a CA in db." },
	[PF_WIN_BUILD_UNSUPPORTED] = { "WIN-BUILD-UNSUPPORTED", PF_SEV_ERROR, PF_STEP_ESP_DEVICE,
		"Reimage with a Windows release Autopilot supports (Windows 11, or Windows 10 22H2 with extended security updates)." },
	[PF_WIN_BUILD_OUT_OF_SERVICING] = { "WIN-BUILD-OUT-OF-SERVICING", PF_SEV_WARN, PF_STEP_ESP_DEVICE,
		"Reimage with a serviced release (Windows 11 24H2 or 25H2), or plan the feature update right after deployment." },
	[PF_WIN_BOOTMGR_WRONG_ARCH] = { "WIN-BOOTMGR-WRONG-ARCH", PF_SEV_ERROR, PF_STEP_ESP_DEVICE,
		"Reimage with Windows for this device's processor (an Arm64 image on a Snapdragon device, an x64 image on Intel or AMD); the disk holds another architecture's Windows." },
};

static const char *const step_names[PF_STEP__COUNT][2] = {
	[PF_STEP_NETWORK] = { "network", "Network" },
	[PF_STEP_SIGN_IN] = { "sign-in", "Entra ID sign-in" },
	[PF_STEP_ESP_DEVICE] = { "esp-device-setup", "ESP device setup" },
	[PF_STEP_ESP_ACCOUNT] = { "esp-account-setup", "ESP account setup" },
	[PF_STEP_IDENTITY] = { "identity", "Device identity" },
	[PF_STEP_RECORD] = { "record", "Autopilot record" },
};

const pf_code_info *pf_code_info_get(pf_code code)
{
	return (unsigned)code < PF_CODE__COUNT ? &codes[code] : NULL;
}

const char *pf_severity_str(pf_severity s)
{
	switch (s) {
	case PF_SEV_ERROR:
		return "error";
	case PF_SEV_WARN:
		return "warn";
	default:
		return "info";
	}
}

const char *pf_step_str(pf_step s)
{
	return (unsigned)s < PF_STEP__COUNT ? step_names[s][0] : "unknown";
}

const char *pf_step_title(pf_step s)
{
	return (unsigned)s < PF_STEP__COUNT ? step_names[s][1] : "Unknown";
}

static char *vformat(const char *fmt, va_list ap)
{
	pf_buf b = { 0 };
	pf_buf_vprintf(&b, fmt, ap);
	return pf_buf_steal(&b, NULL);
}

pf_finding *pf_finding_add(pf_findings *f, pf_code code, const char *fmt, ...)
{
	const pf_code_info *info = pf_code_info_get(code);
	if (!info || f->oom)
		return NULL;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		pf_finding *items = pf_realloc(f->items, cap * sizeof(*items));
		if (!items) {
			f->oom = true;
			return NULL;
		}
		f->items = items;
		f->cap = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	char *msg = vformat(fmt, ap);
	va_end(ap);
	if (!msg) {
		f->oom = true;
		return NULL;
	}
	pf_finding *fd = &f->items[f->n++];
	*fd = (pf_finding){ .code = code, .severity = info->severity, .step = info->step, .message = msg };
	return fd;
}

void pf_finding_detail(pf_finding *fd, const char *fmt, ...)
{
	if (!fd)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *d = vformat(fmt, ap);
	va_end(ap);
	pf_free(fd->detail);
	fd->detail = d;
}

bool pf_findings_has(const pf_findings *f, pf_code code)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->items[i].code == code)
			return true;
	return false;
}

void pf_findings_free(pf_findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		pf_free(f->items[i].message);
		pf_free(f->items[i].detail);
	}
	pf_free(f->items);
	*f = (pf_findings){ 0 };
}

pf_tally pf_findings_tally(const pf_findings *f)
{
	pf_tally t = { 0 };
	for (size_t i = 0; i < f->n; i++) {
		switch (f->items[i].severity) {
		case PF_SEV_ERROR:
			t.errors++;
			break;
		case PF_SEV_WARN:
			t.warnings++;
			break;
		default:
			t.infos++;
			break;
		}
	}
	/* A finding we could not even store must not turn into a GO. */
	if (f->oom)
		t.errors++;
	t.verdict = t.errors ? PF_VERDICT_NO_GO : t.warnings ? PF_VERDICT_WARN : PF_VERDICT_GO;
	return t;
}

const char *pf_verdict_str(pf_verdict v)
{
	switch (v) {
	case PF_VERDICT_GO:
		return "GO";
	case PF_VERDICT_WARN:
		return "WARN";
	default:
		return "NO-GO";
	}
}
