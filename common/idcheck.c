/* Identity checks as data: the placeholder and virtual-machine tables, then the ID-* findings. */
#include "idcheck.h"
#include "netresult.h"
#include "fmt.h"
#include "str.h"

/* Strings that vendors' tools and board makers leave in SMBIOS when nobody programs one: serials, and
 * the manufacturer, product and board strings of white boxes (tests/data/dmi: real machines' tables).
 * Compared case-folded without spaces, dots, underscores, quotes, "$(" and ")" (filler() below), so
 * "To be filled by O.E.M", "DEFAULT_STRING" and "$(DEFAULT_STRING)" are the entries below. Windows registers such a serial like any other, so two
 * devices with "Default string" collide in Autopilot. */
static const char *const placeholders[] = {
	"defaultstring",
	"tobefilledbyoem",
	"tobefilled",
	"systemserialnumber",
	"serialnumber",
	"chassisserialnumber",
	"baseboardserialnumber",
	"systemname",
	"systemversion",
	"systemmfg",
	"productname",
	"modelname",
	"manufacturer",
	"manufact",
	"baseboard",
	"unknownproduct",
	"pleasechangeproductname",
	"projectskuname",
	"0",
	"none",
	"null",
	"notspecified",
	"notapplicable",
	"notavailable",
	"na",
	"n/a",
	"oem",
	"invalid",
	"unknown",
	"empty",
	"default",
	"tbd",
	"12345",
	"123456789",
	"0123456789",
	"systemsn",
	"sn",
	"s/n",
	"serial",
};

/* Phrases that make a string a placeholder wherever they stand, in the same folded form:
 * "OEM Default string000", "ITo be filled by O.E.M.", "SmbiosType1_SystemManufacturer", "System
 * Manufacter", "Type2 - Board Product Name1", "SAMSUNG_NP1234567890". */
static const char *const placeholder_phrases[] = {
	"defaultstring",
	"filledbyoem",
	"stemmanufact",
	"systemproduct",
	"boardmanufacturer",
	"boardproductname",
	"boardvendorname",
	"1234567890",
};

/* Characters a placeholder may be written with or without: "To be filled by O.E.M", "DEFAULT_STRING",
 * "$(DEFAULT_STRING)", "O E M". Hyphens and slashes stay: "N-one" is a maker's name, not "None". */
static bool filler(char c)
{
	return pf_isspace(c) || c == '.' || c == '_' || c == '$' || c == '(' || c == ')' || c == '\'' || c == '"';
}

static bool is_letter_or_digit(char c)
{
	unsigned char u = (unsigned char)c;
	c = pf_tolower(c);
	/* Other bytes from 0x80 up are letters of some encoding; 0xFF is unprogrammed flash. */
	return pf_isdigit(c) || (c >= 'a' && c <= 'z') || (u >= 0x80 && u != 0xFF);
}

bool pf_serial_is_placeholder(const char *serial)
{
	pf_span s = pf_span_trim(pf_span_of(serial));
	if (s.len == 0)
		return false; /* that is ID-SERIAL-MISSING */
	/* k: lower case without filler; a string longer than any entry needs no full copy. */
	char k[64];
	size_t n = 0, letters = 0;
	bool cut = false, one_char = true;
	char first = 0;
	for (size_t i = 0; i < s.len; i++) {
		char c = pf_tolower(s.p[i]);
		if (is_letter_or_digit(c)) {
			/* One character repeated, punctuation aside: "00000000", "FFFFFFFF", "xxxx-xxxx-xxxx". */
			if (letters++ == 0)
				first = c;
			else if (c != first)
				one_char = false;
		}
		if (filler(c) || cut)
			continue;
		if (n + 1 >= sizeof(k)) {
			cut = true;
			continue;
		}
		k[n++] = c;
	}
	k[n] = '\0';
	/* No letter or digit at all: "-", "' '", "......" (dmidecode's rendering of unprintable bytes). */
	if (letters == 0)
		return true;
	/* A real serial of four or more characters is never one character repeated. */
	if (letters >= 4 && one_char)
		return true;
	for (size_t i = 0; i < PF_ARRAY_SIZE(placeholder_phrases); i++)
		if (pf_span_contains_nocase(pf_span_of(k), placeholder_phrases[i]))
			return true;
	if (cut)
		return false;
	for (size_t i = 0; i < PF_ARRAY_SIZE(placeholders); i++)
		if (!pf_strcmp(k, placeholders[i]))
			return true;
	return false;
}

typedef enum { IN_MANUFACTURER, IN_PRODUCT, IN_BIOS_VENDOR, IN_BIOS_VERSION, IN_BOARD_MANUFACTURER, IN_HYPERVISOR,
               IN_ACPI_HYPERVISOR } where;

/* A VM is recognised when a string holds the needle; the Hyper-V rule needs two strings since
 * Surface devices also say "Microsoft Corporation". WORD needles must stand alone, bounded by
 * neither letter nor digit: Dell baseboards "002KVM" and "0KVMW2", the PC maker "XENTA" and Toshiba's
 * "PSCGWE-01M00XEN" are real machines (tests/data/dmi). ANY needles may run on ("VMware7,1"). */
typedef enum { ANY, WORD } how;
static const struct vm_rule {
	where field;
	const char *needle;
	how how;
	where also_field;
	const char *also_needle; /* NULL: one string suffices */
	const char *name;
} vm_rules[] = {
	{ IN_MANUFACTURER, "QEMU", WORD, 0, NULL, "QEMU" },
	{ IN_PRODUCT, "KVM", WORD, 0, NULL, "KVM" },
	{ IN_BIOS_VENDOR, "OVMF", WORD, 0, NULL, "QEMU/OVMF" },
	{ IN_BIOS_VENDOR, "SeaBIOS", WORD, 0, NULL, "QEMU/SeaBIOS" },
	{ IN_BIOS_VENDOR, "Bochs", WORD, 0, NULL, "Bochs" },
	{ IN_MANUFACTURER, "VMware", ANY, 0, NULL, "VMware" },
	{ IN_PRODUCT, "VMware", ANY, 0, NULL, "VMware" },
	{ IN_MANUFACTURER, "innotek", WORD, 0, NULL, "VirtualBox" },
	{ IN_PRODUCT, "VirtualBox", WORD, 0, NULL, "VirtualBox" },
	{ IN_MANUFACTURER, "Microsoft Corporation", WORD, IN_PRODUCT, "Virtual Machine", "Hyper-V" },
	{ IN_MANUFACTURER, "Xen", WORD, 0, NULL, "Xen" },
	{ IN_BIOS_VENDOR, "Xen", WORD, 0, NULL, "Xen" },
	{ IN_BIOS_VERSION, "xen", WORD, 0, NULL, "Xen" },
	{ IN_MANUFACTURER, "Parallels", WORD, 0, NULL, "Parallels" },
	{ IN_PRODUCT, "Parallels", WORD, 0, NULL, "Parallels" },
	{ IN_MANUFACTURER, "Amazon EC2", WORD, 0, NULL, "Amazon EC2" },
	{ IN_MANUFACTURER, "Google", WORD, IN_PRODUCT, "Google Compute Engine", "Google Compute Engine" },
	{ IN_PRODUCT, "BHYVE", WORD, 0, NULL, "bhyve" },
	{ IN_BOARD_MANUFACTURER, "Oracle Corporation", WORD, IN_PRODUCT, "VirtualBox", "VirtualBox" },
	{ IN_HYPERVISOR, "KVMKVMKVM", ANY, 0, NULL, "KVM" },
	{ IN_HYPERVISOR, "TCGTCGTCGTCG", ANY, 0, NULL, "QEMU (TCG)" },
	{ IN_HYPERVISOR, "Microsoft Hv", ANY, 0, NULL, "Hyper-V" },
	{ IN_HYPERVISOR, "VMwareVMware", ANY, 0, NULL, "VMware" },
	{ IN_HYPERVISOR, "VBoxVBoxVBox", ANY, 0, NULL, "VirtualBox" },
	{ IN_HYPERVISOR, "XenVMMXenVMM", ANY, 0, NULL, "Xen" },
	{ IN_HYPERVISOR, "prl hyperv", ANY, 0, NULL, "Parallels" },
	{ IN_HYPERVISOR, "bhyve bhyve", ANY, 0, NULL, "bhyve" },
	/* AArch64 (efi/cpu.c): MIDR_EL1 implementer 0, reserved for software; QEMU's emulated CPUs carry it. */
	{ IN_HYPERVISOR, "MIDR implementer 0", ANY, 0, NULL, "an emulated CPU (QEMU TCG)" },
	/* The FADT's Hypervisor Vendor Identity (ACPI 6.0) exists only to name the hypervisor that built the
	 * table: any value at all (the empty needle) is one. */
	{ IN_ACPI_HYPERVISOR, "", ANY, 0, NULL, "the ACPI FADT names a hypervisor" },
};

static bool is_alnum(char c)
{
	c = pf_tolower(c);
	return pf_isdigit(c) || (c >= 'a' && c <= 'z');
}

/* Whether v holds needle (ASCII case-insensitively), for WORD with neither a letter nor a digit on
 * either side. */
static bool holds(const char *v, const char *needle, how h)
{
	size_t n = strlen(needle), len = strlen(v);
	for (size_t i = 0; i + n <= len; i++) {
		if (!pf_span_eq_cstr_nocase((pf_span){ v + i, n }, needle))
			continue;
		if (h == ANY || ((i == 0 || !is_alnum(v[i - 1])) && (i + n == len || !is_alnum(v[i + n]))))
			return true;
	}
	return false;
}

static const char *field_of(const pf_identity *id, where w)
{
	switch (w) {
	case IN_MANUFACTURER: return id->manufacturer;
	case IN_PRODUCT: return id->product;
	case IN_BIOS_VENDOR: return id->bios_vendor;
	case IN_BIOS_VERSION: return id->bios_version;
	case IN_BOARD_MANUFACTURER: return id->baseboard_manufacturer;
	case IN_HYPERVISOR: return id->hypervisor;
	case IN_ACPI_HYPERVISOR: return id->acpi_read && id->acpi_hypervisor[0] ? id->acpi_hypervisor : NULL;
	}
	return NULL;
}

static const char *field_name(where w)
{
	static const char *const names[] = { "system manufacturer", "product", "BIOS vendor", "BIOS version",
		                             "baseboard manufacturer", "CPU hypervisor signal",
		                             "ACPI FADT hypervisor vendor" };
	return names[w];
}

void pf_detect_virtual_machine(pf_identity *id)
{
	for (size_t i = 0; i < PF_ARRAY_SIZE(vm_rules); i++) {
		const struct vm_rule *r = &vm_rules[i];
		const char *v = field_of(id, r->field);
		if (!v || !holds(v, r->needle, r->how))
			continue;
		if (r->also_needle) {
			const char *w = field_of(id, r->also_field);
			if (!w || !holds(w, r->also_needle, r->how))
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

/* PSCI over HVC means a hypervisor below the firmware answers power calls. QEMU's virt machine and KVM
 * guests ask for it; the public Windows on Arm laptops' firmware uses SMC (docs/architecture.md, "ACPI
 * FADT"). That is a hint, not proof (a vendor hypervisor could implement PSCI), so it is info only and
 * only when nothing stronger already said "virtual machine". */
static void check_psci_hvc(const pf_identity *id, pf_findings *f)
{
	if (id->virtual_machine == PF_YES || !id->acpi_read || !id->acpi_psci || pf_strcmp(id->acpi_psci, "hvc") != 0)
		return;
	pf_finding *fd = pf_finding_add(f, PF_ID_VM_HINT, "The firmware asks for PSCI calls through a hypervisor (ACPI "
	                                "FADT PSCI_USE_HVC): this may be a virtual machine.");
	if (fd)
		pf_finding_detail(fd, "FADT ARM_BOOT_ARCH: PSCI_COMPLIANT, PSCI_USE_HVC");
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

/* A white box's "System manufacturer" / "To Be Filled By O.E.M.": Autopilot still matches its hardware hash,
 * but the strings become its manufacturer and model in Intune, no partner can register it by tuple, and every
 * such device looks alike to a group or filter by model. Information, never a verdict on its own. */
static bool name_is_placeholder(const char *name)
{
	return !name || !pf_span_trim(pf_span_of(name)).len || pf_serial_is_placeholder(name);
}

static void check_model_placeholder(const pf_identity *id, pf_findings *f)
{
	bool maker = name_is_placeholder(id->manufacturer), model = name_is_placeholder(id->product);
	if (!maker && !model)
		return;
	const char *m = id->manufacturer ? id->manufacturer : "", *p = id->product ? id->product : "";
	pf_finding *fd = maker && model ?
		pf_finding_add(f, PF_ID_MODEL_PLACEHOLDER,
		               "The SMBIOS manufacturer \"%s\" and model \"%s\" are placeholders, not names.", m, p) :
		pf_finding_add(f, PF_ID_MODEL_PLACEHOLDER, "The SMBIOS %s \"%s\" is a placeholder, not a name.",
		               maker ? "manufacturer" : "model", maker ? m : p);
	if (fd)
		pf_finding_detail(fd, "manufacturer=\"%s\" product=\"%s\"", m, p);
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

	check_model_placeholder(id, f);

	if (id->virtual_machine == PF_YES) {
		fd = pf_finding_add(f, PF_ID_VIRTUAL_MACHINE, "This is a virtual machine (%s).",
		                    id->virtual_machine_reason ? id->virtual_machine_reason : "detected");
		if (fd && c->allow_virtual_machine) {
			fd->severity = PF_SEV_INFO;
			pf_finding_detail(fd, "allowed by identity.allow_virtual_machine");
		}
	}

	check_psci_hvc(id, f);
	check_tpm(id, c, f);
	/* ID-SECURE-BOOT-OFF comes from pf_secboot_check(), with the rest of the Secure Boot findings. */
}
