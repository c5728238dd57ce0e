/* The chosen record's hardware hash against the live hardware: decode, compare field by field, report. */
#include "rechash.h"
#include "buf.h"
#include "hwhash.h"
#include "match.h"
#include "digest.h"
#include "str.h"

/*
 * What is compared, and when (a field is compared only when both the hash and the live identity
 * have it):
 *   serial       hash type 14 vs SMBIOS type 1 serial, as serials are matched (trimmed, ASCII case).
 *   uuid         hash type 12 vs SMBIOS type 1 UUID, raw bytes in stored order. The same bytes with
 *                the first three fields swapped still count as a mismatch (no real data shows that
 *                order), but the result says so ("swapped-order").
 *   mac          the hash's adapters (type 8) vs the live NICs: a mismatch only when no MAC is in
 *                both (adapters come and go: docks, USB dongles, Wi-Fi the firmware does not show).
 *   disk_serial  the hash's disk serials (types 7 and 28) vs the serials of live disks that are not
 *                the boot medium, compared ignoring case, spaces, '_', '-' and '.', and one
 *                containing the other (the kernel's form pads or groups): a mismatch only when no
 *                disk is in both.
 *   tpm          a hash that names a TPM (type 25 or a non-empty type 13) vs a live TPM that is
 *                known to be absent.
 *   processor_arch  the hash's processor architecture (type 2) vs the build that runs, as CPU families:
 *                ARM64 against x86/x64. x86 against x64 is no mismatch: 32-bit Windows on a 64-bit PC
 *                records x86.
 * A serial, UUID or processor-family mismatch means the hash was taken on another board: REC-HASH-MISMATCH stays an
 * error. MAC, disk and TPM alone are components Autopilot tolerates changing: the finding is then
 * a warning.
 */

typedef struct {
	pf_hwhash h;
	const char *uuid_match;     /* "stored-order", "swapped-order", "differs" or NULL (not compared) */
} decoded;

void pf_rechash_free(void *hash)
{
	pf_free(hash);
}

static void add_mismatch(pf_record_result *r, const char *field, const char *rec, const char *live)
{
	pf_mismatch *m = pf_realloc(r->mismatches, (r->n_mismatches + 1) * sizeof(*m));
	if (!m) {
		r->oom = true;
		return;
	}
	r->mismatches = m;
	pf_mismatch add = { pf_strdup(field), pf_strdup(rec ? rec : ""), pf_strdup(live ? live : "") };
	if (!add.field || !add.record_value || !add.live_value) {
		pf_free(add.field);
		pf_free(add.record_value);
		pf_free(add.live_value);
		r->oom = true;
		return;
	}
	m[r->n_mismatches++] = add;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = pf_tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A MAC written with any separators (or none): exactly 12 hex digits. */
static bool parse_mac(const char *s, uint8_t ret[6])
{
	uint8_t mac[6];
	size_t n = 0;

	for (; s && *s; s++) {
		int v = hexval(*s);
		if (v < 0) {
			if (*s == ':' || *s == '-' || *s == '.' || *s == ' ')
				continue;
			return false;
		}
		if (n == 12)
			return false;
		if (n % 2 == 0)
			mac[n / 2] = (uint8_t)(v << 4);
		else
			mac[n / 2] |= (uint8_t)v;
		n++;
	}
	if (n != 12)
		return false;
	memcpy(ret, mac, 6);
	return true;
}

static void compare_macs(pf_record_result *r, const pf_hwhash *h, const pf_identity *id)
{
	pf_buf live = { 0 }, rec = { 0 };
	size_t n_live = 0;
	bool common = false;

	if (!id->nics_read || h->n_nics == 0)
		return;
	for (size_t i = 0; i < id->n_nics; i++) {
		uint8_t mac[6];
		if (!parse_mac(id->nics[i].mac, mac))
			continue;
		pf_buf_printf(&live, "%s%s", n_live++ ? ", " : "", id->nics[i].mac);
		for (size_t k = 0; k < h->n_nics; k++)
			if (memcmp(mac, h->nics[k].mac, 6) == 0)
				common = true;
	}
	if (n_live && !common) {
		for (size_t k = 0; k < h->n_nics; k++)
			pf_buf_printf(&rec, "%s%s", k ? ", " : "", h->nics[k].mac_str);
		add_mismatch(r, "mac", rec.p, live.p);
	}
	pf_buf_free(&live);
	pf_buf_free(&rec);
}

/* Upper-case letters and digits of s, everything else dropped. */
static size_t disk_norm(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	for (; *s && o + 1 < cap; s++) {
		char c = *s;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == ' ' || c == '_' || c == '-' || c == '.' || pf_isspace(c))
			continue;
		out[o++] = c;
	}
	out[o] = '\0';
	return o;
}

static bool disk_same(const char *a, const char *b)
{
	char na[PF_HWHASH_STR_MAX], nb[PF_HWHASH_STR_MAX];
	size_t la = disk_norm(a, na, sizeof(na)), lb = disk_norm(b, nb, sizeof(nb));
	if (la == 0 || lb == 0)
		return false;
	if (la == lb)
		return memcmp(na, nb, la) == 0;
	/* One containing the other, when the shorter one is long enough to mean something. */
	const char *lo = la < lb ? na : nb, *hi = la < lb ? nb : na;
	size_t nl = PF_MIN(la, lb), nh = PF_MAX(la, lb);
	if (nl < 8)
		return false;
	for (size_t i = 0; i + nl <= nh; i++)
		if (memcmp(hi + i, lo, nl) == 0)
			return true;
	return false;
}

static void compare_disks(pf_record_result *r, const pf_hwhash *h, const pf_identity *id)
{
	pf_buf live = { 0 }, rec = { 0 };
	size_t n_live = 0, n_rec = h->n_disk_serials + h->n_disk_serials_kernel;
	bool common = false;

	if (!id->disks_read || n_rec == 0)
		return;
	for (size_t i = 0; i < id->n_disks; i++) {
		const pf_disk *d = &id->disks[i];
		if (d->boot_media || !d->serial || pf_span_trim(pf_span_of(d->serial)).len == 0)
			continue;
		pf_buf_printf(&live, "%s%s", n_live++ ? ", " : "", d->serial);
		for (size_t k = 0; k < h->n_disk_serials; k++)
			common |= disk_same(d->serial, h->disk_serials[k]);
		for (size_t k = 0; k < h->n_disk_serials_kernel; k++)
			common |= disk_same(d->serial, h->disk_serials_kernel[k]);
	}
	if (n_live && !common) {
		size_t n = 0;
		for (size_t k = 0; k < h->n_disk_serials; k++)
			pf_buf_printf(&rec, "%s%s", n++ ? ", " : "", h->disk_serials[k]);
		for (size_t k = 0; k < h->n_disk_serials_kernel; k++)
			pf_buf_printf(&rec, "%s%s", n++ ? ", " : "", h->disk_serials_kernel[k]);
		add_mismatch(r, "disk_serial", rec.p, live.p);
	}
	pf_buf_free(&live);
	pf_buf_free(&rec);
}

static void format_uuid(const uint8_t *u, char out[37])
{
	pf_buf b = { 0 };
	pf_buf_printf(&b, "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X", u[3], u[2], u[1], u[0],
		      u[5], u[4], u[7], u[6], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
	pf_strlcpy(out, b.p ? b.p : "", 37);
	pf_buf_free(&b);
}

static void compare_uuid(pf_record_result *r, decoded *d, const pf_identity *id)
{
	const pf_hwhash *h = &d->h;
	uint8_t swapped[16];
	char live[37];

	if (!h->has_uuid || !id->has_uuid)
		return;
	if (memcmp(h->uuid_raw, id->uuid_raw, 16) == 0) {
		d->uuid_match = "stored-order";
		return;
	}
	/* The first three fields (4, 2 and 2 bytes) byte-swapped. */
	static const uint8_t order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	for (size_t i = 0; i < 16; i++)
		swapped[i] = h->uuid_raw[order[i]];
	d->uuid_match = memcmp(swapped, id->uuid_raw, 16) == 0 ? "swapped-order" : "differs";
	format_uuid(id->uuid_raw, live);
	add_mismatch(r, "uuid", h->uuid, live);
}

static bool hash_names_tpm(const pf_hwhash *h)
{
	return pf_hwhash_has(h, PF_HWH_TPM_EK_PUB) || h->tpm_version[0];
}

static void compare_tpm(pf_record_result *r, const pf_hwhash *h, const pf_identity *id)
{
	if (id->tpm.present != PF_NO || !hash_names_tpm(h))
		return;
	pf_buf b = { 0 };
	pf_buf_puts(&b, "present");
	if (h->tpm_version[0])
		pf_buf_printf(&b, " (%s)", h->tpm_version);
	add_mismatch(r, "tpm", b.p, "absent");
	pf_buf_free(&b);
}

static const char *arch_name(int a);

static void compare_arch(pf_record_result *r, const pf_hwhash *h, const pf_identity *id)
{
	const char *rec = h->processor_arch >= 0 ? arch_name(h->processor_arch) : NULL;
	if (!rec || !id->processor_arch)
		return;
	bool rec_arm = pf_strcmp(rec, "arm64") == 0, live_arm = pf_strcmp(id->processor_arch, "arm64") == 0;
	if (rec_arm != live_arm)
		add_mismatch(r, "processor_arch", rec, id->processor_arch);
}

static void where(pf_buf *b, const pf_record *rec)
{
	pf_buf_printf(b, "%s %s %u", rec->file ? rec->file : "?", rec->source == PF_RECSRC_CSV ? "line" : "entry", rec->line);
}

void pf_rechash_verify(pf_record_result *r, const pf_identity *id, pf_findings *f)
{
	const pf_record *rec = r->chosen;
	const char *why = NULL;

	if (!rec || !rec->hash || pf_span_trim(pf_span_of(rec->hash)).len == 0)
		return;
	decoded *d = pf_malloc(sizeof(*d));
	pf_status st = d ? pf_hwhash_decode_base64(rec->hash, strlen(rec->hash), &d->h, &why) : PF_ERR_NOMEM;
	if (st != PF_OK) {
		pf_free(d);
		if (!why)
			why = "out of memory";
		r->hash_error = pf_strdup(why);
		pf_finding *fd = pf_finding_add(f, PF_REC_HASH_UNDECODABLE, "The record's hardware hash cannot be decoded: %s.", why);
		pf_buf b = { 0 };
		where(&b, rec);
		pf_buf_printf(&b, ": %zu characters of hash", strlen(rec->hash));
		pf_finding_detail(fd, "%s", b.p ? b.p : "");
		pf_buf_free(&b);
		return;
	}
	d->uuid_match = NULL;
	r->hash = d;

	size_t before = r->n_mismatches;
	if (pf_hwhash_has(&d->h, PF_HWH_SERIAL) && id->serial && !pf_serial_eq(pf_span_of(d->h.serial), pf_span_of(id->serial)))
		add_mismatch(r, "serial", d->h.serial, id->serial);
	compare_uuid(r, d, id);
	compare_arch(r, &d->h, id);
	size_t board = r->n_mismatches;
	compare_macs(r, &d->h, id);
	compare_disks(r, &d->h, id);
	compare_tpm(r, &d->h, id);
	if (r->n_mismatches == before)
		return;

	pf_buf names = { 0 }, detail = { 0 };
	for (size_t i = before; i < r->n_mismatches; i++) {
		const pf_mismatch *m = &r->mismatches[i];
		pf_buf_printf(&names, "%s%s", i > before ? ", " : "", m->field);
		pf_buf_printf(&detail, "%s: record \"%s\", live \"%s\"", m->field, m->record_value, m->live_value);
		if (pf_strcmp(m->field, "uuid") == 0 && d->uuid_match && pf_strcmp(d->uuid_match, "swapped-order") == 0)
			pf_buf_puts(&detail, " (the same bytes with the first three fields swapped)");
		pf_buf_puts(&detail, "; ");
	}
	where(&detail, rec);
	pf_finding *fd = pf_finding_add(f, PF_REC_HASH_MISMATCH, "The record's hardware hash does not match this device: %s.", names.p ? names.p : "");
	if (fd && board == before)
		fd->severity = PF_SEV_WARN;     /* components only: the board is the same */
	pf_finding_detail(fd, "%s", detail.p ? detail.p : "");
	pf_buf_free(&names);
	pf_buf_free(&detail);
}

static const char *bus_name(int t)
{
	switch (t) {
	case 1: return "scsi";
	case 3: return "ata";
	case 8: return "raid";
	case 10: return "sas";
	case 11: return "sata";
	case 17: return "nvme";
	default: return NULL;
	}
}

static const char *medium_name(int m)
{
	switch (m) {
	case 1: return "wireless";
	case 9: return "wifi";
	case 10: return "bluetooth";
	case 14: return "ethernet";
	default: return NULL;
	}
}

static const char *arch_name(int a)
{
	switch (a) {
	case 0: return "x86";
	case 9: return "x64";
	case 12: return "arm64";
	default: return NULL;
	}
}

static void json_opt_int(pf_json *j, const char *key, int v)
{
	if (v < 0)
		pf_json_null(j, key);
	else
		pf_json_int(j, key, v);
}

static void json_str_list(pf_json *j, const char *key, const char (*list)[PF_HWHASH_STR_MAX], size_t n)
{
	pf_json_arr_begin(j, key);
	for (size_t i = 0; i < n; i++)
		pf_json_str(j, NULL, list[i]);
	pf_json_arr_end(j);
}

void pf_rechash_json(pf_json *j, const pf_record_result *r)
{
	const decoded *d = r->hash;

	if (!d) {
		pf_json_null(j, "hash");
		pf_json_str(j, "hash_error", r->hash_error);
		return;
	}
	const pf_hwhash *h = &d->h;
	pf_json_obj_begin(j, "hash");
	pf_json_int(j, "records", (int64_t)h->n_records);
	pf_json_bool(j, "truncated", h->truncated);
	for (size_t i = 0; i < PF_HWHASH_N_STRING_FIELDS; i++) {
		const pf_hwhash_string_field *sf = &pf_hwhash_string_fields[i];
		pf_json_str(j, sf->name, pf_hwhash_has(h, sf->type) ? pf_hwhash_str(h, sf) : NULL);
	}
	pf_json_str(j, "uuid", h->has_uuid ? h->uuid : NULL);
	pf_json_str(j, "uuid_match", d->uuid_match);
	json_str_list(j, "disk_serials", h->disk_serials, h->n_disk_serials);
	json_str_list(j, "disk_serials_kernel", h->disk_serials_kernel, h->n_disk_serials_kernel);
	pf_json_arr_begin(j, "disks");
	for (size_t i = 0; i < h->n_disks; i++) {
		pf_json_obj_begin(j, NULL);
		pf_json_int(j, "capacity", h->disks[i].capacity);
		pf_json_int(j, "bus_type", h->disks[i].bus_type);
		pf_json_str(j, "bus", bus_name(h->disks[i].bus_type));
		pf_json_obj_end(j);
	}
	pf_json_arr_end(j);
	pf_json_arr_begin(j, "nics");
	for (size_t i = 0; i < h->n_nics; i++) {
		pf_json_obj_begin(j, NULL);
		pf_json_str(j, "mac", h->nics[i].mac_str);
		pf_json_int(j, "medium_type", h->nics[i].medium);
		pf_json_str(j, "medium", medium_name(h->nics[i].medium));
		pf_json_obj_end(j);
	}
	pf_json_arr_end(j);
	json_opt_int(j, "chassis_type", h->chassis_type);
	json_opt_int(j, "power_role", h->power_role);
	pf_json_str(j, "processor_arch", h->processor_arch >= 0 ? arch_name(h->processor_arch) : NULL);
	json_opt_int(j, "offline_id_kind", h->offline_id_kind);
	if (pf_hwhash_has(h, PF_HWH_TPM_EK_PUB)) {
		pf_json_int(j, "tpm_ek_pub_bytes", (int64_t)h->ek_pub_len);
		/* Only when the whole key was kept: a digest of part of it would mislead. */
		if (h->ek_pub_kept == h->ek_pub_len) {
			uint8_t dg[PF_SHA256_SIZE];
			char hex[PF_SHA256_HEX_SIZE];
			pf_sha256(h->ek_pub, h->ek_pub_kept, dg);
			pf_hex(dg, sizeof(dg), hex, sizeof(hex));
			pf_json_str(j, "tpm_ek_pub_sha256", hex);
		} else {
			pf_json_null(j, "tpm_ek_pub_sha256");
		}
	} else {
		pf_json_null(j, "tpm_ek_pub_bytes");
		pf_json_null(j, "tpm_ek_pub_sha256");
	}
	pf_json_obj_end(j);
	pf_json_null(j, "hash_error");
}
