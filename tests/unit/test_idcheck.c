/* Identity findings: placeholder serials, VM detection from SMBIOS and CPUID, TPM and Secure Boot rules. */
#include "testutil.h"
#include "idcheck.h"
#include "netresult.h"
#include "str.h"

static void test_placeholders(void **state)
{
	(void)state;
	const char *yes[] = { "Default string", " TO BE FILLED BY O.E.M. ", "System Serial Number", "0", "None",
		              "Not Specified", "123456789", "00000000", "FFFFFFFF", "xxxxxxxx", "n/a", "\tnot applicable",
		              /* manufacturer, product and board placeholders of real machines (tests/data/dmi) */
		              "System manufacturer", "System Product Name", "To be filled by O.E.M", "$(DEFAULT_STRING)",
		              "O E M", "Type2 - Board Product Name1", "SmbiosType1_SystemManufacturer", "xxxx-xxxx-xxxx",
		              "......", "-", "\xff\xff\xff\xff", "SAMSUNG_NP1234567890", "OEM Default string000" };
	const char *no[] = { "CZC1234ABC", "0000000A", "000", "PF12345", "5CD1234XYZ", "None1", "",
		             /* real names from tests/data/dmi: a maker ("N-one"), partly filled templates */
		             "N-one", "RMNBXXXX", "OLIBOOK P35-XXXAEU", "Lenovo Product", "System Planar", "\xc3\x9c" };
	for (size_t i = 0; i < PF_ARRAY_SIZE(yes); i++)
		if (!pf_serial_is_placeholder(yes[i]))
			fail_msg("'%s' should be a placeholder", yes[i]);
	for (size_t i = 0; i < PF_ARRAY_SIZE(no); i++)
		if (pf_serial_is_placeholder(no[i]))
			fail_msg("'%s' should not be a placeholder", no[i]);
	assert_false(pf_serial_is_placeholder(NULL));
}

static pf_identity ident(const char *mfr, const char *product, const char *bios, const char *hv)
{
	pf_identity id;
	pf_identity_init(&id);
	id.manufacturer = mfr ? strdup(mfr) : NULL;
	id.product = product ? strdup(product) : NULL;
	id.bios_vendor = bios ? strdup(bios) : NULL;
	id.hypervisor = hv ? strdup(hv) : NULL;
	id.smbios_version = strdup("3.0");
	return id;
}

static void test_virtual_machines(void **state)
{
	(void)state;
	struct {
		const char *mfr, *product, *bios, *hv;
		pf_tri want;
		const char *reason;
	} cases[] = {
		{ "QEMU", "Standard PC (Q35 + ICH9, 2009)", "EFI Development Kit II / OVMF", NULL, PF_YES, "QEMU" },
		{ "Contoso", "Laptop", "EFI Development Kit II / OVMF", NULL, PF_YES, "OVMF" },
		{ "VMware, Inc.", "VMware7,1", "VMware, Inc.", NULL, PF_YES, "VMware" },
		{ "innotek GmbH", "VirtualBox", "innotek GmbH", NULL, PF_YES, "VirtualBox" },
		{ "Microsoft Corporation", "Virtual Machine", "Microsoft Corporation", NULL, PF_YES, "Hyper-V" },
		{ "Microsoft Corporation", "Surface Laptop 5", "Microsoft Corporation", NULL, PF_NO, NULL },
		{ "Xen", "HVM domU", "Xen", NULL, PF_YES, "Xen" },
		{ "Parallels Software International Inc.", "Parallels ARM Virtual Machine", "Parallels", NULL, PF_YES,
		  "Parallels" },
		{ "Dell Inc.", "Latitude 7440", "Dell Inc.", NULL, PF_NO, NULL },
		/* Needles stand alone: a PC maker and Dell's model names are no hypervisor (tests/data/dmi). */
		{ "XENTA", "990072", "American Megatrends Inc.", NULL, PF_NO, NULL },
		{ "Dell Inc.", "Precision 002KVM", "Dell Inc.", NULL, PF_NO, NULL },
		{ "Red Hat", "KVM", "SeaBIOS", NULL, PF_YES, "KVM" },
		{ "Optimized Hosting", "KVM", "SeaBIOS", NULL, PF_YES, "KVM" },
		/* SMBIOS strings set to a real vendor's: CPUID still tells. */
		{ "Dell Inc.", "Latitude 7440", "Dell Inc.", "TCGTCGTCGTCG", PF_YES, "CPU hypervisor signal \"TCGTCG" },
		{ "Dell Inc.", "Latitude 7440", "Dell Inc.", "KVMKVMKVM", PF_YES, "KVM" },
		/* AArch64: an Arm laptop's strings, QEMU's emulated CPU (efi/cpu.c). */
		{ "LENOVO", "ThinkPad T14s Gen 6", "LENOVO", "MIDR implementer 0 (software CPU model)", PF_YES,
		  "emulated CPU" },
		{ "LENOVO", "ThinkPad T14s Gen 6", "LENOVO", NULL, PF_NO, NULL },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		pf_identity id = ident(cases[i].mfr, cases[i].product, cases[i].bios, cases[i].hv);
		pf_detect_virtual_machine(&id);
		if (id.virtual_machine != cases[i].want)
			fail_msg("case %zu (%s / %s): got %d", i, cases[i].mfr, cases[i].product, id.virtual_machine);
		if (cases[i].reason && !strstr(id.virtual_machine_reason, cases[i].reason))
			fail_msg("case %zu: reason '%s' lacks '%s'", i, id.virtual_machine_reason, cases[i].reason);
		pf_identity_free(&id);
	}
	pf_identity id;
	pf_identity_init(&id);
	pf_detect_virtual_machine(&id);
	assert_int_equal(id.virtual_machine, PF_UNKNOWN); /* nothing read, nothing said */
}

static const pf_finding *find(const pf_findings *f, pf_code code)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->items[i].code == code)
			return &f->items[i];
	return NULL;
}

static void test_findings(void **state)
{
	(void)state;
	pf_config c;
	assert_int_equal(pf_config_defaults(&c), PF_OK);
	pf_findings f = { 0 };

	pf_identity id = ident("QEMU", "Standard PC", NULL, NULL);
	id.serial = strdup("   ");
	id.secure_boot = PF_NO;
	id.tpm.present = PF_NO;
	pf_detect_virtual_machine(&id);
	pf_identity_check(&id, &c, &f);
	assert_non_null(find(&f, PF_ID_SERIAL_MISSING));
	assert_null(find(&f, PF_ID_SERIAL_PLACEHOLDER));
	assert_int_equal(find(&f, PF_ID_VIRTUAL_MACHINE)->severity, PF_SEV_ERROR);
	assert_int_equal(find(&f, PF_ID_TPM_MISSING)->severity, PF_SEV_ERROR);
	/* Secure Boot off is judged by pf_secboot_check() now (test_siglist.c), not here. */
	assert_null(find(&f, PF_ID_SECURE_BOOT_OFF));
	assert_int_equal(pf_findings_tally(&f).verdict, PF_VERDICT_NO_GO);
	pf_findings_free(&f);

	/* Config turns the VM into info and a missing TPM into a warning. */
	c.allow_virtual_machine = true;
	c.require_tpm = false;
	free(id.serial);
	id.serial = strdup("To be filled by O.E.M.");
	pf_identity_check(&id, &c, &f);
	assert_non_null(find(&f, PF_ID_SERIAL_PLACEHOLDER));
	assert_int_equal(find(&f, PF_ID_VIRTUAL_MACHINE)->severity, PF_SEV_INFO);
	assert_int_equal(find(&f, PF_ID_TPM_MISSING)->severity, PF_SEV_WARN);
	pf_findings_free(&f);

	/* TPM 1.2 is "missing" for Autopilot; 2.0 without EK certificate is a warning; unknown says nothing. */
	id.tpm.present = PF_YES;
	id.tpm.version = strdup("1.2");
	pf_identity_check(&id, &c, &f);
	assert_non_null(find(&f, PF_ID_TPM_MISSING));
	pf_findings_free(&f);
	free(id.tpm.version);
	id.tpm.version = strdup("2.0");
	id.tpm.ek_certificate = PF_NO;
	pf_identity_check(&id, &c, &f);
	assert_null(find(&f, PF_ID_TPM_MISSING));
	assert_non_null(find(&f, PF_ID_TPM_NO_EK_CERT));
	pf_findings_free(&f);
	id.tpm.present = PF_UNKNOWN;
	id.secure_boot = PF_YES;
	free(id.serial);
	id.serial = strdup("CZC1234");
	id.virtual_machine = PF_NO;
	pf_identity_check(&id, &c, &f);
	assert_int_equal(f.n, 0);
	pf_findings_free(&f);
	pf_identity_free(&id);
	pf_config_free(&c);
}

/* ID-TPM-NO-EK-CERT: info only when the manufacturer's EK service exists and the network check reached it. */
static pf_severity ek_severity(const char *manufacturer, const char *host, pf_chk_status st, bool with_net, char *detail)
{
	pf_identity id;
	pf_findings f = { 0 };
	pf_net_check chk = { .status = st };
	pf_net_result net = { .checks = &chk, .n_checks = 1 };
	pf_identity_init(&id);
	id.tpm.manufacturer = manufacturer ? strdup(manufacturer) : NULL;
	chk.ep.kind = PF_EP_HTTPS;
	snprintf(chk.ep.host, sizeof(chk.ep.host), "%s", host);
	assert_non_null(pf_finding_add(&f, PF_ID_TPM_NO_EK_CERT, "no EK certificate"));
	pf_identity_check_online(&id, with_net ? &net : NULL, &f);
	pf_severity sev = f.items[0].severity;
	snprintf(detail, 200, "%s", f.items[0].detail ? f.items[0].detail : "");
	pf_findings_free(&f);
	pf_identity_free(&id);
	return sev;
}

static void test_ek_online(void **state)
{
	(void)state;
	char d[200];
	assert_int_equal(ek_severity("INTC", "ekop.intel.com", PF_CHK_OK, true, d), PF_SEV_INFO);
	assert_non_null(strstr(d, "Windows fetches it from ekop.intel.com"));
	assert_int_equal(ek_severity("AMD ", "ftpm.amd.com", PF_CHK_OK, true, d), PF_SEV_INFO);
	/* Both ways: the service not reached, not checked, no network phase, no service for the maker. */
	assert_int_equal(ek_severity("INTC", "ekop.intel.com", PF_CHK_TCP_TIMEOUT, true, d), PF_SEV_WARN);
	assert_non_null(strstr(d, "could not be reached"));
	assert_int_equal(ek_severity("INTC", "ftpm.amd.com", PF_CHK_OK, true, d), PF_SEV_WARN);
	assert_non_null(strstr(d, "was not checked"));
	assert_int_equal(ek_severity("AMD", "ftpm.amd.com", PF_CHK_OK, false, d), PF_SEV_WARN);
	assert_non_null(strstr(d, "not run"));
	assert_int_equal(ek_severity("IBM", "ekop.intel.com", PF_CHK_OK, true, d), PF_SEV_WARN);
	assert_non_null(strstr(d, "no online EK certificate service is known for TPM manufacturer \"IBM\""));
	assert_int_equal(ek_severity(NULL, "ekop.intel.com", PF_CHK_OK, true, d), PF_SEV_WARN);
	assert_null(pf_tpm_ek_service("NTC"));
	assert_string_equal(pf_tpm_ek_service(" intc "), "ekop.intel.com");
}

/* A white box's placeholder manufacturer or model: info that names which, never a verdict; real names say nothing. */
static void test_model_placeholder(void **state)
{
	(void)state;
	pf_config c;
	assert_int_equal(pf_config_defaults(&c), PF_OK);
	static const struct {
		const char *mfr, *product, *message; /* message: NULL when no finding */
	} cases[] = {
		{ "System manufacturer", "System Product Name",
		  "The SMBIOS manufacturer \"System manufacturer\" and model \"System Product Name\" are placeholders, not names." },
		{ "To Be Filled By O.E.M.", "B450M-HDV", "The SMBIOS manufacturer \"To Be Filled By O.E.M.\" is a placeholder, not a name." },
		{ "Micro-Star International Co., Ltd.", "Default string", "The SMBIOS model \"Default string\" is a placeholder, not a name." },
		{ "LENOVO", "   ", "The SMBIOS model \"   \" is a placeholder, not a name." },
		{ "Dell Inc.", "Latitude 7440", NULL },
		{ "HP", "HP EliteBook 840 G10 Notebook PC", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pf_findings f = { 0 };
		pf_identity id = ident(cases[i].mfr, cases[i].product, NULL, NULL);
		id.serial = strdup("PF-MODEL-1");
		pf_identity_check(&id, &c, &f);
		const pf_finding *fd = find(&f, PF_ID_MODEL_PLACEHOLDER);
		if (!cases[i].message) {
			if (fd)
				fail_msg("%s / %s: unexpected %s", cases[i].mfr, cases[i].product, fd->message);
		} else {
			assert_non_null(fd);
			assert_string_equal(fd->message, cases[i].message);
			assert_int_equal(fd->severity, PF_SEV_INFO);
			assert_null(find(&f, PF_ID_SERIAL_PLACEHOLDER));
		}
		pf_findings_free(&f);
		pf_identity_free(&id);
	}
	pf_config_free(&c);
}

/* The FADT's signals on an Arm PC whose SMBIOS and MIDR look physical (a KVM guest with the host's MIDR). */
static void test_acpi_signals(void **state)
{
	(void)state;
	pf_config c;
	assert_int_equal(pf_config_defaults(&c), PF_OK);
	pf_findings f = { 0 };
	pf_identity id = ident("LENOVO", "ThinkPad T14s Gen 6", "LENOVO", NULL);
	id.serial = strdup("PF0ABCDE");
	id.tpm.present = PF_UNKNOWN;

	/* SMC and no vendor: nothing said. */
	id.acpi_read = true;
	id.acpi_psci = "smc";
	pf_detect_virtual_machine(&id);
	pf_identity_check(&id, &c, &f);
	assert_int_equal(id.virtual_machine, PF_NO);
	assert_null(find(&f, PF_ID_VM_HINT));
	assert_null(find(&f, PF_ID_VIRTUAL_MACHINE));
	pf_findings_free(&f);

	/* HVC alone: a hint (info), never the VM error. */
	id.acpi_psci = "hvc";
	pf_detect_virtual_machine(&id);
	pf_identity_check(&id, &c, &f);
	assert_int_equal(id.virtual_machine, PF_NO);
	assert_int_equal(find(&f, PF_ID_VM_HINT)->severity, PF_SEV_INFO);
	assert_null(find(&f, PF_ID_VIRTUAL_MACHINE));
	assert_int_equal(pf_findings_tally(&f).verdict, PF_VERDICT_GO);
	pf_findings_free(&f);

	/* Tables that were not read say nothing, whatever the fields hold. */
	id.acpi_read = false;
	memcpy(id.acpi_hypervisor, "KVM", 4);
	pf_detect_virtual_machine(&id);
	pf_identity_check(&id, &c, &f);
	assert_null(find(&f, PF_ID_VM_HINT));
	assert_null(find(&f, PF_ID_VIRTUAL_MACHINE));
	pf_findings_free(&f);

	/* A named hypervisor vendor is the VM error, and the hint is not added beside it. */
	id.acpi_read = true;
	pf_detect_virtual_machine(&id);
	pf_identity_check(&id, &c, &f);
	assert_int_equal(id.virtual_machine, PF_YES);
	assert_non_null(strstr(id.virtual_machine_reason, "ACPI FADT hypervisor vendor \"KVM\""));
	assert_int_equal(find(&f, PF_ID_VIRTUAL_MACHINE)->severity, PF_SEV_ERROR);
	assert_null(find(&f, PF_ID_VM_HINT));
	pf_findings_free(&f);
	pf_identity_free(&id);
	pf_config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_virtual_machines),
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_model_placeholder),
		cmocka_unit_test(test_ek_online),
		cmocka_unit_test(test_acpi_signals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
