/* Identity checks as data: the placeholder and virtual-machine tables, then the ID-* findings. */
#include "idcheck.h"
#include "netresult.h"
#include "fmt.h"
#include "str.h"

/* Serials that vendors' tools and board makers leave in SMBIOS when nobody programs one. Compared
 * after trimming and case folding. Windows registers such a serial like any other, so two devices
 * with "Default string" collide in Autopilot. */
static const char *const placeholders[] = {
	"default string",
	"to be filled by o.e.m.",
	"to be filled by oem",
	"system serial number",
	"serial number",
	"chassis serial number",
	"base board serial number",
	"0",
	"none",
	"null",
	"not specified",
	"not applicable",
	"not available",
	"n/a",
	"na",
	"oem",
	"o.e.m.",
	"invalid",
	"unknown",
	"empty",
	"default",
	"123456789",
	"1234567890",
	"0123456789",
	"01234567890",
	"system sn",
	"sn",
	"serial",
};

bool pf_serial_is_placeholder(const char *serial)
{
	pf_span s = pf_span_trim(pf_span_of(serial));
	if (s.len == 0)
		return false; /* that is ID-SERIAL-MISSING */
	for (size_t i = 0; i < PF_ARRAY_SIZE(placeholders); i++)
		if (pf_span_eq_cstr_nocase(s, placeholders[i]))
			return true;
	/* One character repeated: "00000000", "FFFFFFFF", "xxxxxxxx". A real serial of length 4+ never is. */
	if (s.len >= 4) {
		size_t i = 1;
		while (i < s.len && pf_tolower(s.p[i]) == pf_tolower(s.p[0]))
			i++;
		if (i == s.len)
			return true;
	}
	return false;
}

typedef enum { IN_MANUFACTURER, IN_PRODUCT, IN_BIOS_VENDOR, IN_BIOS_VERSION, IN_BOARD_MANUFACTURER, IN_HYPERVISOR } where;

/* A VM is recognised when a string contains the needle; the Hyper-V rule needs two strings since
 * Surface devices also say "Microsoft Corporation". */
static const struct vm_rule {
	where field;
	const char *needle;
	where also_field;
	const char *also_needle; /* NULL: one string suffices */
	const char *name;
} vm_rules[] = {
	{ IN_MANUFACTURER, "QEMU", 0, NULL, "QEMU" },
	{ IN_PRODUCT, "KVM", 0, NULL, "KVM" },
	{ IN_BIOS_VENDOR, "OVMF", 0, NULL, "QEMU/OVMF" },
	{ IN_BIOS_VENDOR, "SeaBIOS", 0, NULL, "QEMU/SeaBIOS" },
	{ IN_BIOS_VENDOR, "Bochs", 0, NULL, "Bochs" },
	{ IN_MANUFACTURER, "VMware", 0, NULL, "VMware" },
	{ IN_PRODUCT, "VMware", 0, NULL, "VMware" },
	{ IN_MANUFACTURER, "innotek", 0, NULL, "VirtualBox" },
	{ IN_PRODUCT, "VirtualBox", 0, NULL, "VirtualBox" },
	{ IN_MANUFACTURER, "Microsoft Corporation", IN_PRODUCT, "Virtual Machine", "Hyper-V" },
	{ IN_MANUFACTURER, "Xen", 0, NULL, "Xen" },
	{ IN_BIOS_VERSION, "xen", 0, NULL, "Xen" },
	{ IN_MANUFACTURER, "Parallels", 0, NULL, "Parallels" },
	{ IN_PRODUCT, "Parallels", 0, NULL, "Parallels" },
	{ IN_MANUFACTURER, "Amazon EC2", 0, NULL, "Amazon EC2" },
	{ IN_MANUFACTURER, "Google", IN_PRODUCT, "Google Compute Engine", "Google Compute Engine" },
	{ IN_PRODUCT, "BHYVE", 0, NULL, "bhyve" },
	{ IN_BOARD_MANUFACTURER, "Oracle Corporation", IN_PRODUCT, "VirtualBox", "VirtualBox" },
	{ IN_HYPERVISOR, "KVMKVMKVM", 0, NULL, "KVM" },
	{ IN_HYPERVISOR, "TCGTCGTCGTCG", 0, NULL, "QEMU (TCG)" },
	{ IN_HYPERVISOR, "Microsoft Hv", 0, NULL, "Hyper-V" },
	{ IN_HYPERVISOR, "VMwareVMware", 0, NULL, "VMware" },
	{ IN_HYPERVISOR, "VBoxVBoxVBox", 0, NULL, "VirtualBox" },
	{ IN_HYPERVISOR, "XenVMMXenVMM", 0, NULL, "Xen" },
	{ IN_HYPERVISOR, "prl hyperv", 0, NULL, "Parallels" },
	{ IN_HYPERVISOR, "bhyve bhyve", 0, NULL, "bhyve" },
	/* AArch64 (efi/cpu.c): MIDR_EL1 implementer 0, reserved for software; QEMU's emulated CPUs carry it. */
	{ IN_HYPERVISOR, "MIDR implementer 0", 0, NULL, "an emulated CPU (QEMU TCG)" },
};

static const char *field_of(const pf_identity *id, where w)
{
	switch (w) {
	case IN_MANUFACTURER: return id->manufacturer;
	case IN_PRODUCT: return id->product;
	case IN_BIOS_VENDOR: return id->bios_vendor;
	case IN_BIOS_VERSION: return id->bios_version;
	case IN_BOARD_MANUFACTURER: return id->baseboard_manufacturer;
	case IN_HYPERVISOR: return id->hypervisor;
	}
	return NULL;
}

static const char *field_name(where w)
{
	static const char *const names[] = { "system manufacturer", "product", "BIOS vendor", "BIOS version",
		                             "baseboard manufacturer", "CPU hypervisor signal" };
	return names[w];
}

void pf_detect_virtual_machine(pf_identity *id)
{
	for (size_t i = 0; i < PF_ARRAY_SIZE(vm_rules); i++) {
		const struct vm_rule *r = &vm_rules[i];
		const char *v = field_of(id, r->field);
		if (!v || !pf_span_contains_nocase(pf_span_of(v), r->needle))
			continue;
		if (r->also_needle) {
			const char *w = field_of(id, r->also_field);
			if (!w || !pf_span_contains_nocase(pf_span_of(w), r->also_needle))
				continue;
		}
		char reason[200];
		pf_snprintf(reason, sizeof(reason), "%s: %s \"%s\"", r->name, field_name(r->field), v);
		pf_free(id->virtual_machine_reason);
		id->virtual_machine_reason = pf_strdup(reason); /* NULL on OOM only loses the reason */
		id->virtual_machine = PF_YES;
		return;
	}
	/* With no SMBIOS table at all nothing can be said. */
	id->virtual_machine = id->smbios_version || id->hypervisor ? PF_NO : PF_UNKNOWN;
}

static void check_tpm(const pf_identity *id, const pf_config *c, pf_findings *f)
{
	const pf_tpm *t = &id->tpm;
	pf_finding *fd;

	if (t->present == PF_UNKNOWN)
		return; /* not looked at: the TPM gatherer reports its own trouble */
	if (t->present == PF_NO || !t->version || pf_strcmp(t->version, "2.0") != 0) {
		fd = pf_finding_add(f, PF_ID_TPM_MISSING, t->present == PF_NO ? "No TPM was found." :
		                                                                 "The TPM is not a TPM 2.0.");
		if (fd) {
			if (!c->require_tpm)
				fd->severity = PF_SEV_WARN;
			pf_finding_detail(fd, "present=%s version=%s require_tpm=%s", t->present == PF_YES ? "yes" : "no",
			                  t->version ? t->version : "none", c->require_tpm ? "true" : "false");
		}
		return;
	}
	if (t->ek_certificate == PF_NO)
		pf_finding_add(f, PF_ID_TPM_NO_EK_CERT, "The TPM holds no endorsement key certificate in NV.");
}

/* TPM manufacturers whose firmware TPMs keep no EK certificate in NV but publish it online, where
 * Windows fetches it during attestation (docs/autopilot.md, TPM attestation endpoints). */
static const struct {
	const char *manufacturer; /* TPM_PT_MANUFACTURER as text, trimmed */
	const char *host;
} ek_services[] = {
	{ "INTC", "ekop.intel.com" },
	{ "AMD", "ftpm.amd.com" },
};

const char *pf_tpm_ek_service(const char *manufacturer)
{
	pf_span m = pf_span_trim(pf_span_of(manufacturer));
	for (size_t i = 0; i < PF_ARRAY_SIZE(ek_services); i++)
		if (pf_span_eq_cstr_nocase(m, ek_services[i].manufacturer))
			return ek_services[i].host;
	return NULL;
}

void pf_identity_check_online(const pf_identity *id, const pf_net_result *net, pf_findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		pf_finding *fd = &f->items[i];
		if (fd->code != PF_ID_TPM_NO_EK_CERT)
			continue;
		const char *host = pf_tpm_ek_service(id->tpm.manufacturer);
		const pf_net_check *chk = NULL;
		for (size_t k = 0; host && net && k < net->n_checks; k++)
			if (net->checks[k].ep.kind == PF_EP_HTTPS && pf_strcmp(net->checks[k].ep.host, host) == 0)
				chk = &net->checks[k];
		if (!host)
			pf_finding_detail(fd, "no online EK certificate service is known for TPM manufacturer \"%s\"",
					  id->tpm.manufacturer ? id->tpm.manufacturer : "");
		else if (!chk)
			pf_finding_detail(fd, "Windows would fetch it from %s, which was not checked (network phase %s)", host,
					  net ? "without that endpoint" : "not run");
		else if (chk->status != PF_CHK_OK)
			pf_finding_detail(fd, "Windows would fetch it from %s, which could not be reached: %s", host,
					  pf_chk_status_str(chk->status));
		else {
			fd->severity = PF_SEV_INFO;
			pf_finding_detail(fd, "Windows fetches it from %s, which the network check reached", host);
		}
	}
}

void pf_identity_check(const pf_identity *id, const pf_config *c, pf_findings *f)
{
	pf_finding *fd;

	if (pf_span_trim(pf_span_of(id->serial)).len == 0) {
		fd = pf_finding_add(f, PF_ID_SERIAL_MISSING, "The SMBIOS system serial number is empty.");
		if (fd)
			pf_finding_detail(fd, "%s", id->serial ? "serial is blank" : "no serial string in SMBIOS type 1");
	} else if (pf_serial_is_placeholder(id->serial)) {
		fd = pf_finding_add(f, PF_ID_SERIAL_PLACEHOLDER, "The SMBIOS serial number \"%s\" is a placeholder.",
		                    id->serial);
		if (fd)
			pf_finding_detail(fd, "serial=\"%s\"", id->serial);
	}

	if (id->virtual_machine == PF_YES) {
		fd = pf_finding_add(f, PF_ID_VIRTUAL_MACHINE, "This is a virtual machine (%s).",
		                    id->virtual_machine_reason ? id->virtual_machine_reason : "detected");
		if (fd && c->allow_virtual_machine) {
			fd->severity = PF_SEV_INFO;
			pf_finding_detail(fd, "allowed by identity.allow_virtual_machine");
		}
	}

	check_tpm(id, c, f);
	/* ID-SECURE-BOOT-OFF comes from pf_secboot_check(), with the rest of the Secure Boot findings. */
}
