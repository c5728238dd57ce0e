/* Lifetime of the identity struct that efi/ fills and the report writers read. */
#include "identity.h"

void pf_identity_init(pf_identity *id)
{
	*id = (pf_identity){ .chassis_type = -1, .virtual_machine = PF_UNKNOWN, .secure_boot = PF_UNKNOWN };
	id->tpm.present = PF_UNKNOWN;
	id->tpm.ek_certificate = PF_UNKNOWN;
}

void pf_identity_free(pf_identity *id)
{
	char **strs[] = {
		&id->bios_vendor, &id->bios_version, &id->manufacturer, &id->product, &id->version, &id->serial,
		&id->uuid, &id->sku, &id->family, &id->baseboard_manufacturer, &id->baseboard_product,
		&id->baseboard_version, &id->baseboard_serial, &id->chassis_serial, &id->smbios_version,
		&id->smbios_entry, &id->firmware_vendor, &id->hypervisor, &id->virtual_machine_reason, &id->tpm.version, &id->tpm.manufacturer,
		&id->tpm.firmware_version, &id->tpm.ek_issuer, &id->tpm.ek_subject, &id->tpm.ek_pub_sha256,
		&id->tpm.pcr_banks, &id->tpm.active_pcr_banks,
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(strs); i++)
		pf_free(*strs[i]);
	for (size_t i = 0; i < id->n_nics; i++)
		pf_free(id->nics[i].mac);
	pf_free(id->nics);
	for (size_t i = 0; i < id->n_disks; i++) {
		pf_free(id->disks[i].model);
		pf_free(id->disks[i].serial);
		pf_free(id->disks[i].bus);
	}
	pf_free(id->disks);
	pf_identity_init(id);
}
