/* Record collection across files and the REC-* checks against the live identity. */
#include "records.h"
#include "buf.h"
#include "match.h"
#include "rechash.h"
#include "rectuple.h"

void pf_records_init(pf_record_result *r, const char *serial)
{
	*r = (pf_record_result){ .want_serial = serial };
	/* A serial that is blank after trimming can match nothing: blank records are not this device. */
	if (serial && pf_span_trim(pf_span_of(serial)).len == 0)
		r->want_serial = NULL;
}

static void record_free(pf_record *rec)
{
	char **strs[] = { &rec->file, &rec->serial, &rec->product_id, &rec->hash, &rec->group_tag, &rec->assigned_user,
			  &rec->manufacturer, &rec->model, &rec->id, &rec->enrollment_state, &rec->profile_status };
	for (size_t i = 0; i < PF_ARRAY_SIZE(strs); i++)
		pf_free(*strs[i]);
}

void pf_records_free(pf_record_result *r)
{
	for (size_t i = 0; i < r->n_matches; i++)
		record_free(&r->matches[i]);
	for (size_t i = 0; i < r->n_bad; i++) {
		pf_free(r->bad[i].file);
		pf_free(r->bad[i].reason);
	}
	pf_free(r->bad);
	for (size_t i = 0; i < r->n_mismatches; i++) {
		pf_free(r->mismatches[i].field);
		pf_free(r->mismatches[i].record_value);
		pf_free(r->mismatches[i].live_value);
	}
	pf_free(r->mismatches);
	pf_rechash_free(r->hash);
	pf_free(r->hash_error);
	pf_free((char *)r->cur_file);
	*r = (pf_record_result){ 0 };
}

void pf_records_begin_file(pf_record_result *r, const char *path)
{
	pf_free((char *)r->cur_file);
	r->cur_file = pf_strdup(path);
	if (!r->cur_file)
		r->oom = true;
	r->files_seen++;
	r->file_delivered = 0;
}

void pf_records_file_count(pf_record_result *r, size_t records_read)
{
	if (records_read > r->file_delivered)
		r->records_seen += records_read - r->file_delivered;
	r->file_delivered = records_read;
}

/* Copies a field; absent stays NULL. Sets *oom on failure. */
static char *dup_span(pf_span s, bool *oom)
{
	if (!s.p)
		return NULL;
	char *d = pf_strndup(s.p, s.len);
	if (!d)
		*oom = true;
	return d;
}

bool pf_records_on_record(void *ctx, const pf_record_view *v)
{
	pf_record_result *r = ctx;
	r->records_seen++;
	r->file_delivered++;
	if (!r->want_serial || !v->serial.p || !pf_serial_eq(v->serial, pf_span_of(r->want_serial)))
		return true;
	r->n_matches_total++;
	if (r->n_matches >= PF_MAX_MATCHES)
		return true;
	pf_record *rec = &r->matches[r->n_matches++];
	*rec = (pf_record){ .line = v->line, .source = v->source };
	bool oom = false;
	rec->file = r->cur_file ? pf_strdup(r->cur_file) : NULL;
	rec->serial = dup_span(v->serial, &oom);
	rec->product_id = dup_span(v->product_id, &oom);
	rec->hash = dup_span(v->hash, &oom);
	rec->group_tag = dup_span(v->group_tag, &oom);
	rec->assigned_user = dup_span(v->assigned_user, &oom);
	rec->manufacturer = dup_span(v->manufacturer, &oom);
	rec->model = dup_span(v->model, &oom);
	rec->id = dup_span(v->id, &oom);
	rec->enrollment_state = dup_span(v->enrollment_state, &oom);
	rec->profile_status = dup_span(v->profile_status, &oom);
	if (oom)
		r->oom = true;
	return true;
}

void pf_records_end_file(pf_record_result *r, const pf_file_error *error)
{
	if (!error) {
		r->files_used++;
		return;
	}
	pf_bad_file *bad = pf_realloc(r->bad, (r->n_bad + 1) * sizeof(*bad));
	if (!bad) {
		r->oom = true;
		return;
	}
	r->bad = bad;
	bad[r->n_bad++] = (pf_bad_file){
		.file = pf_strdup(r->cur_file ? r->cur_file : "?"),
		.line = error->line,
		.reason = pf_strdup(error->reason),
	};
}

static bool blank(const char *s)
{
	return !s || pf_span_trim(pf_span_of(s)).len == 0;
}

/* Graph states that a user flow does not expect; "enrolled" (after pre-provisioning) and
 * "notContacted" (never enrolled) are both normal. */
static const char *const odd_enrollment_states[] = { "failed", "pendingReset", "blocked" };

static void check_graph_fields(const pf_record *rec, pf_findings *f)
{
	if (rec->profile_status) {
		pf_span ps = pf_span_of(rec->profile_status);
		if (pf_span_eq_cstr_nocase(ps, "notAssigned") || pf_span_eq_cstr_nocase(ps, "failed")) {
			pf_finding *fd = pf_finding_add(f, PF_REC_NO_PROFILE, "No Autopilot deployment profile is assigned to this device (%s).", rec->profile_status);
			pf_finding_detail(fd, "%s, entry %u: deploymentProfileAssignmentStatus = %s", rec->file, rec->line, rec->profile_status);
		} else if (pf_span_eq_cstr_nocase(ps, "pending")) {
			pf_finding *fd = pf_finding_add(f, PF_REC_NO_PROFILE, "The deployment profile assignment is still pending.");
			if (fd)
				fd->severity = PF_SEV_WARN;
			pf_finding_detail(fd, "%s, entry %u: deploymentProfileAssignmentStatus = pending", rec->file, rec->line);
		}
	}
	if (rec->enrollment_state)
		for (size_t i = 0; i < PF_ARRAY_SIZE(odd_enrollment_states); i++)
			if (pf_span_eq_cstr_nocase(pf_span_of(rec->enrollment_state), odd_enrollment_states[i])) {
				pf_finding *fd = pf_finding_add(f, PF_REC_ENROLLMENT_STATE, "The record's enrollment state is \"%s\".", rec->enrollment_state);
				pf_finding_detail(fd, "%s, entry %u", rec->file, rec->line);
			}
}

static void where(pf_buf *b, const pf_record *rec)
{
	if (rec->source == PF_RECSRC_CSV)
		pf_buf_printf(b, "%s line %u", rec->file, rec->line);
	else
		pf_buf_printf(b, "%s entry %u", rec->file, rec->line);
}

void pf_records_verify(pf_record_result *r, const pf_identity *id, pf_findings *f)
{
	for (size_t i = 0; i < r->n_bad; i++) {
		pf_finding *fd = pf_finding_add(f, PF_REC_FILE_INVALID, "Record file %s could not be read: %s.", r->bad[i].file, r->bad[i].reason);
		if (r->bad[i].line)
			pf_finding_detail(fd, "%s, line %u: %s", r->bad[i].file, r->bad[i].line, r->bad[i].reason);
		else
			pf_finding_detail(fd, "%s: %s", r->bad[i].file, r->bad[i].reason);
	}
	if (r->oom)
		pf_finding_add(f, PF_REC_FILE_INVALID, "Out of memory while reading the record files; the result may be incomplete.");

	if (r->files_used == 0) {
		r->match = "no-records";
		const char *online = r->online_failed ? "the online lookup failed" : "no online lookup is configured";
		pf_finding *fd = pf_finding_add(f, PF_REC_NONE_AVAILABLE, r->files_seen ? "None of the record files could be read, and %s."
										     : "No Autopilot record files were found on the stick, and %s.", online);
		pf_finding_detail(fd, "%zu file(s) found in the records folder", r->files_seen);
		return;
	}
	if (r->n_matches_total == 0 || !r->want_serial) {
		r->match = "not-found";
		pf_finding *fd = pf_finding_add(f, PF_REC_NOT_FOUND, "No record has this device's serial \"%s\".", id->serial ? id->serial : "");
		pf_finding_detail(fd, "%zu record(s) in %zu file(s) searched", r->records_seen, r->files_used);
		return;
	}
	r->chosen = &r->matches[0];
	if (r->n_matches_total > 1) {
		r->match = "ambiguous";
		pf_buf b = { 0 };
		for (size_t i = 0; i < r->n_matches; i++) {
			if (i)
				pf_buf_puts(&b, "; ");
			where(&b, &r->matches[i]);
		}
		if (r->n_matches_total > r->n_matches)
			pf_buf_printf(&b, "; and %zu more", r->n_matches_total - r->n_matches);
		pf_finding *fd = pf_finding_add(f, PF_REC_AMBIGUOUS, "%zu records match serial \"%s\"; the checks use the first.", r->n_matches_total, id->serial);
		pf_finding_detail(fd, "%s", b.p ? b.p : "");
		pf_buf_free(&b);
	} else {
		r->match = "found";
	}

	const pf_record *rec = r->chosen;
	if (!blank(rec->manufacturer) && id->manufacturer && !pf_vendor_eq(pf_span_of(rec->manufacturer), pf_span_of(id->manufacturer))) {
		pf_finding *fd = pf_finding_add(f, PF_REC_MANUFACTURER_MISMATCH, "The record says manufacturer \"%s\", SMBIOS says \"%s\".", rec->manufacturer, id->manufacturer);
		pf_buf b = { 0 };
		where(&b, rec);
		pf_finding_detail(fd, "%s", b.p ? b.p : "");
		pf_buf_free(&b);
	}
	if (!blank(rec->model) && (id->product || id->version || id->family) && !pf_model_match(pf_span_of(rec->model), id)) {
		pf_finding *fd = pf_finding_add(f, PF_REC_MODEL_MISMATCH, "The record says model \"%s\", SMBIOS says \"%s\".", rec->model, id->product ? id->product : "");
		pf_buf b = { 0 };
		where(&b, rec);
		pf_buf_printf(&b, "; compared with SMBIOS product, version \"%s\" and family \"%s\"", id->version ? id->version : "", id->family ? id->family : "");
		pf_finding_detail(fd, "%s", b.p ? b.p : "");
		pf_buf_free(&b);
	}
	pf_rectuple_check(rec, id, f);
	if (blank(rec->assigned_user)) {
		pf_finding *fd = pf_finding_add(f, PF_REC_NO_ASSIGNED_USER, "No user is assigned to the record; the sign-in page will not show a user name.");
		pf_buf b = { 0 };
		where(&b, rec);
		pf_finding_detail(fd, "%s", b.p ? b.p : "");
		pf_buf_free(&b);
	}
	check_graph_fields(rec, f);
	pf_rechash_verify(r, id, f);
}

static const char *source_str(pf_record_source s)
{
	switch (s) {
	case PF_RECSRC_CSV:
		return "csv";
	case PF_RECSRC_GRAPH_FILE:
		return "graph-file";
	default:
		return "graph-online";
	}
}

void pf_records_json(pf_json *j, const pf_record_result *r)
{
	const pf_record *rec = r->chosen;
	pf_json_obj_begin(j, "record");
	pf_json_str(j, "match", r->match);
	pf_json_str(j, "source", rec ? source_str(rec->source) : NULL);
	pf_json_str(j, "file", rec ? rec->file : NULL);
	if (rec)
		pf_json_int(j, "line", rec->line);
	else
		pf_json_null(j, "line");
	pf_json_str(j, "serial", rec ? rec->serial : NULL);
	pf_json_str(j, "manufacturer", rec ? rec->manufacturer : NULL);
	pf_json_str(j, "model", rec ? rec->model : NULL);
	pf_json_str(j, "group_tag", rec ? rec->group_tag : NULL);
	pf_json_str(j, "assigned_user", rec ? rec->assigned_user : NULL);
	pf_json_str(j, "enrollment_state", rec ? rec->enrollment_state : NULL);
	pf_json_str(j, "profile_status", rec ? rec->profile_status : NULL);
	pf_json_str(j, "product_id", rec ? rec->product_id : NULL);
	pf_rechash_json(j, r);
	pf_json_arr_begin(j, "hash_mismatches");
	for (size_t i = 0; i < r->n_mismatches; i++) {
		pf_json_obj_begin(j, NULL);
		pf_json_str(j, "field", r->mismatches[i].field);
		pf_json_str(j, "record", r->mismatches[i].record_value);
		pf_json_str(j, "live", r->mismatches[i].live_value);
		pf_json_obj_end(j);
	}
	pf_json_arr_end(j);
	/* Extensions: what was searched, every match, and the files that could not be used. */
	pf_json_int(j, "files_seen", (int64_t)r->files_seen);
	pf_json_int(j, "files_used", (int64_t)r->files_used);
	pf_json_int(j, "records_seen", (int64_t)r->records_seen);
	pf_json_arr_begin(j, "matches");
	for (size_t i = 0; i < r->n_matches; i++) {
		pf_json_obj_begin(j, NULL);
		pf_json_str(j, "file", r->matches[i].file);
		pf_json_int(j, "line", r->matches[i].line);
		pf_json_obj_end(j);
	}
	pf_json_arr_end(j);
	pf_json_arr_begin(j, "invalid_files");
	for (size_t i = 0; i < r->n_bad; i++) {
		pf_json_obj_begin(j, NULL);
		pf_json_str(j, "file", r->bad[i].file);
		pf_json_int(j, "line", r->bad[i].line);
		pf_json_str(j, "reason", r->bad[i].reason);
		pf_json_obj_end(j);
	}
	pf_json_arr_end(j);
	pf_json_obj_end(j);
}
