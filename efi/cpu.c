/* What the CPU says about a hypervisor: x86-64's CPUID hypervisor bit and vendor, AArch64's MIDR
 * implementer; a VM signal that survives SMBIOS strings set to anything. */
#include <efi.h>
#include "gather.h"
#include "str.h"

static EFI_STATUS set_hypervisor(pf_identity *id, const char *what)
{
	pf_free(id->hypervisor);
	id->hypervisor = pf_strdup(what);
	return id->hypervisor ? EFI_SUCCESS : EFI_OUT_OF_RESOURCES;
}

#if defined(__x86_64__)
#include <cpuid.h>

EFI_STATUS gather_hypervisor(pf_identity *id)
{
	unsigned a, b, c, d;
	char vendor[13];

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return EFI_UNSUPPORTED;
	if (!(c & (1u << 31)))
		return EFI_SUCCESS; /* bit 31 of ECX: running under a hypervisor */
	/* Leaf 0x40000000 is outside the basic range, so __get_cpuid would refuse it; ask directly. */
	__cpuid(0x40000000, a, b, c, d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &c, 4);
	memcpy(vendor + 8, &d, 4);
	vendor[12] = 0;
	for (int i = 0; i < 12; i++)
		if (vendor[i] && (vendor[i] < 0x20 || vendor[i] > 0x7e))
			vendor[i] = '?';
	return set_hypervisor(id, vendor[0] ? vendor : "(unnamed)");
}

#elif defined(__aarch64__)

/* AArch64 has no CPUID-style hypervisor leaf. The architected ways to ask a hypervisor (the SMCCC
 * vendor-UID call over HVC) are not safe from a UEFI application: HVC is undefined when EL2 is absent,
 * and the firmware itself may run at EL2, where the call would trap to nobody. What is safe: MIDR_EL1,
 * readable at EL1 and EL2. Its implementer field 0 is "reserved for software use" by the Arm
 * architecture: no silicon carries it, QEMU's emulated "max" CPU does (so that guests apply no errata
 * workarounds). A hypervisor passing the host's MIDR through (KVM, Hyper-V) is recognised by the
 * SMBIOS and firmware-vendor rules instead (common/idcheck.c). */
EFI_STATUS gather_hypervisor(pf_identity *id)
{
	uint64_t midr;
	__asm__ volatile("mrs %0, midr_el1" : "=r"(midr));
	if (((midr >> 24) & 0xff) != 0)
		return EFI_SUCCESS;
	return set_hypervisor(id, "MIDR implementer 0 (software CPU model)");
}

#else
#error "Preflight builds for x86-64 and AArch64 only"
#endif
