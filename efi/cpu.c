/* CPUID facts: the hypervisor bit and vendor, a VM signal that survives SMBIOS strings set to anything. */
#include <efi.h>
#include <cpuid.h>
#include "gather.h"
#include "str.h"

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
	pf_free(id->hypervisor);
	id->hypervisor = pf_strdup(vendor[0] ? vendor : "(unnamed)");
	return id->hypervisor ? EFI_SUCCESS : EFI_OUT_OF_RESOURCES;
}
