/* Disk identity strings from the fixed-layout answers of ATA, NVMe and SCSI devices. */
#include "diskid.h"

/* Copies n bytes (swapping each pair when swap) into out, printable ASCII only, trimmed of spaces
 * and NULs on both ends. */
static void copy_field(const uint8_t *p, size_t n, bool swap, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		uint8_t c = swap ? p[i ^ 1] : p[i];
		out[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : (c == 0 ? ' ' : '?');
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	size_t lead = 0;
	while (out[lead] == ' ')
		lead++;
	if (lead)
		memmove(out, out + lead, o - lead + 1);
}

pf_status pf_ata_identify_strings(const void *buf, size_t len, char *ret_model, size_t mcap, char *ret_serial, size_t scap)
{
	const uint8_t *p = buf;
	if (len < PF_ATA_IDENTIFY_SIZE || mcap == 0 || scap == 0)
		return PF_ERR_TRUNCATED;
	copy_field(p + 20, 20, true, ret_serial, scap);
	copy_field(p + 54, 40, true, ret_model, mcap);
	return PF_OK;
}

pf_status pf_nvme_identify_strings(const void *buf, size_t len, char *ret_model, size_t mcap, char *ret_serial, size_t scap)
{
	const uint8_t *p = buf;
	/* Only the first 64 bytes are needed; a short buffer that still holds them is fine. */
	if (len < 64 || mcap == 0 || scap == 0)
		return PF_ERR_TRUNCATED;
	copy_field(p + 4, 20, false, ret_serial, scap);
	copy_field(p + 24, 40, false, ret_model, mcap);
	return PF_OK;
}

pf_status pf_scsi_inquiry_model(const void *buf, size_t len, char *ret_model, size_t mcap)
{
	const uint8_t *p = buf;
	char vendor[9], product[17];
	if (len < 32 || mcap == 0)
		return PF_ERR_TRUNCATED;
	copy_field(p + 8, 8, false, vendor, sizeof(vendor));
	copy_field(p + 16, 16, false, product, sizeof(product));
	size_t o = 0;
	for (const char *s = vendor; *s && o + 1 < mcap; s++)
		ret_model[o++] = *s;
	if (vendor[0] && product[0] && o + 1 < mcap)
		ret_model[o++] = ' ';
	for (const char *s = product; *s && o + 1 < mcap; s++)
		ret_model[o++] = *s;
	ret_model[o] = '\0';
	return PF_OK;
}
