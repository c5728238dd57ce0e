/* libFuzzer target for the hardware-hash decoder, binary and Base64, and the record hash check and report built on it. */
#include "fuzzutil.h"
#include "hwhash.h"
#include "json.h"
#include "rechash.h"
#include "utf.h"

/*
 * The input is decoded twice: as a binary blob, and as Base64 text through pf_rechash_verify
 * against a fixed live identity, whose result is then written as the report's hash object. A
 * decoded hash must keep its promises: NUL-terminated valid UTF-8 strings, lists within their
 * capacity, and an untouched output on failure.
 */

static void check_str(const char *s, size_t cap)
{
	const char *nul = memchr(s, '\0', cap);
	if (!nul || !pf_utf8_valid(s, (size_t)(nul - s)))
		__builtin_trap();
}

static void check(const pf_hwhash *h)
{
	for (size_t i = 0; i < PF_HWHASH_N_STRING_FIELDS; i++)
		check_str(pf_hwhash_str(h, &pf_hwhash_string_fields[i]), PF_HWHASH_STR_MAX);
	if (h->n_disk_serials > PF_HWHASH_MAX_DISKS || h->n_disk_serials_kernel > PF_HWHASH_MAX_DISKS ||
	    h->n_disks > PF_HWHASH_MAX_DISKS || h->n_nics > PF_HWHASH_MAX_NICS || h->ek_pub_kept > PF_HWHASH_EK_MAX ||
	    h->ek_pub_kept > h->ek_pub_len || h->n_records == 0)
		__builtin_trap();
	for (size_t i = 0; i < h->n_disk_serials; i++)
		check_str(h->disk_serials[i], PF_HWHASH_STR_MAX);
	for (size_t i = 0; i < h->n_disk_serials_kernel; i++)
		check_str(h->disk_serials_kernel[i], PF_HWHASH_STR_MAX);
	for (size_t i = 0; i < h->n_nics; i++)
		check_str(h->nics[i].mac_str, sizeof(h->nics[i].mac_str));
	if (h->has_uuid)
		check_str(h->uuid, sizeof(h->uuid));
}

static pf_hwhash out;


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;

	/* Binary. */
	memset(&out, 0xA5, sizeof(out));
	pf_status st = pf_hwhash_decode(data, size, &out, &why);
	if (st == PF_OK) {
		check(&out);
	} else {
		if (st != PF_ERR_INVALID || !why)
			__builtin_trap();
		for (size_t i = 0; i < sizeof(out); i++)
			if (((const uint8_t *)&out)[i] != 0xA5)
				__builtin_trap();
	}

	/* Base64 text in a record, checked against a live identity and reported. */
	char *text = pf_malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	pf_identity id;
	pf_identity_init(&id);
	char serial[] = "SN-1", mac[] = "00:15:5d:01:02:03", disk[] = "S4EWNX0R123456";
	pf_nic nic = { .mac = mac, .wireless = PF_NO, .media = PF_YES };
	pf_disk dsk = { .serial = disk };
	id.serial = serial;
	id.has_uuid = true;
	memset(id.uuid_raw, 0x11, sizeof(id.uuid_raw));
	id.nics = &nic;
	id.n_nics = 1;
	id.nics_read = true;
	id.disks = &dsk;
	id.n_disks = 1;
	id.disks_read = true;
	id.tpm.present = PF_NO;

	pf_record rec = { .file = (char *)"fuzz.csv", .line = 2, .source = PF_RECSRC_CSV, .hash = text };
	pf_record_result r = { .chosen = &rec, .match = "found" };
	pf_findings f = { 0 };
	pf_rechash_verify(&r, &id, &f);
	/* Decoded, or why not; neither only for a blank hash, which is no hash at all. */
	if ((r.hash && r.hash_error) || (!r.hash && !r.hash_error && !r.oom && pf_span_trim(pf_span_of(text)).len))
		__builtin_trap();
	if (r.hash)
		check(r.hash);
	pf_buf b = { 0 };
	pf_json j;
	pf_json_init(&j, &b);
	pf_json_obj_begin(&j, NULL);
	pf_rechash_json(&j, &r);
	pf_json_obj_end(&j);
	if (!b.oom && (!b.p || !pf_utf8_valid(b.p, b.len)))
		__builtin_trap();
	pf_buf_free(&b);
	pf_findings_free(&f);
	for (size_t i = 0; i < r.n_mismatches; i++) {
		pf_free(r.mismatches[i].field);
		pf_free(r.mismatches[i].record_value);
		pf_free(r.mismatches[i].live_value);
	}
	pf_free(r.mismatches);
	pf_rechash_free(r.hash);
	pf_free(r.hash_error);
	pf_free(text);
	return 0;
}
