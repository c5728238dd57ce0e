/* The JSON report's upload to an Azure Blob container with a SAS: Put Blob through the network phase's TLS client. */
#include "report_upload.h"
#include "blob.h"
#include "clock.h"
#include "fmt.h"
#include "fs.h"
#include "http.h"
#include "log.h"
#include "net.h"
#include "netresult.h"
#include "report.h"
#include "ledger.h"
#include "str.h"

#define SAS_FILE_MAX 4096
#define REPORT_MAX (4 * 1024 * 1024)
#define ANSWER_MAX (64 * 1024)

bool report_upload_configured(const pf_config *c)
{
	return (c->report_upload_url && c->report_upload_url[0]) ||
	       (c->report_upload_sas_file && c->report_upload_sas_file[0]);
}

/* The outcome: state, reason, and its finding. */
static void fail(pf_run *run, pf_upload_state state, const char *fmt, ...) PF_PRINTF(3, 4);
static void fail(pf_run *run, pf_upload_state state, const char *fmt, ...)
{
	pf_upload_result *u = &run->upload;
	va_list ap;
	va_start(ap, fmt);
	pf_vsnprintf(u->reason, sizeof(u->reason), fmt, ap);
	va_end(ap);
	u->state = state;
	pf_finding *fd = pf_finding_add(&run->findings, PF_REPORT_UPLOAD_FAILED, "The report was not uploaded%s: %s.",
					state == PF_UPLOAD_SKIPPED ? " (not attempted)" : "", u->reason);
	if (u->status)
		pf_finding_detail(fd, "%s: HTTP %u%s%s after %u attempt(s)", u->url, u->status, u->error[0] ? " " : "",
				  u->error, u->attempts);
	else
		pf_finding_detail(fd, "%s: %u attempt(s)", u->url[0] ? u->url : "report.upload_url", u->attempts);
}

/* The container: report.upload_url, else the first line of report.upload_sas_file. */
static bool container_of(EFI_FILE *root, pf_run *run, pf_blob_container *ret)
{
	const pf_config *c = &run->config;
	char *data = NULL;
	size_t len = 0;
	const char *from = "report.upload_url";
	pf_status st;
	if (c->report_upload_url && c->report_upload_url[0]) {
		st = pf_blob_container_parse(c->report_upload_url, strlen(c->report_upload_url), ret);
	} else {
		from = c->report_upload_sas_file;
		EFI_STATUS err = root ? fs_read_file(root, from, SAS_FILE_MAX, &data, &len) : EFI_NOT_FOUND;
		if (EFI_ERROR(err)) {
			fail(run, PF_UPLOAD_SKIPPED, "the SAS file %s %s", from,
			     err == EFI_NOT_FOUND ? "was not found" : "could not be read");
			return false;
		}
		const char *nl = memchr(data, '\n', len);
		st = pf_blob_container_parse(data, nl ? (size_t)(nl - data) : len, ret);
		pf_wipe(data, len);
		pf_free(data);
	}
	if (st != PF_OK) {
		/* Never the value: it may hold a signature. */
		fail(run, PF_UPLOAD_SKIPPED, "%s is not an Azure Blob container URL with a SAS (https://ACCOUNT.blob.core.windows.net/"
		     "CONTAINER?sv=...&sig=...): %s", from, pf_status_str(st));
		return false;
	}
	return true;
}

typedef struct {
	net_link link;
	net_tls_env tls;
	bool tls_ok;
	char *req;          /* head + body; holds the SAS */
	size_t req_len, req_cap;
} upload_ctx;

/* One attempt: true with the answer's status in run->upload; false (reason set) when none came. */
static bool attempt(upload_ctx *x, const pf_blob_container *c, pf_run *run, uint32_t *ret_retry_s)
{
	pf_upload_result *u = &run->upload;
	uint8_t *buf = NULL;
	size_t len = 0;
	char why[160];
	/* net_fetch_secret wipes what it was given: a fresh copy each time. */
	char *req = pf_malloc(x->req_cap);
	if (!req) {
		pf_strlcpy(u->reason, "out of memory", sizeof(u->reason));
		return false;
	}
	memcpy(req, x->req, x->req_len);
	u->attempts++;
	uint64_t deadline = clock_ms() + run->config.network_timeout_ms;
	EFI_STATUS err = net_fetch_secret(&x->link, c->url.host, c->url.port, c->url.https, req, x->req_len, x->req_cap,
					  deadline, ANSWER_MAX, &buf, &len, why, sizeof(why));
	pf_wipe(req, x->req_cap);
	pf_free(req);
	if (EFI_ERROR(err)) {
		pf_snprintf(u->reason, sizeof(u->reason), "no usable answer from %s (%s)", c->url.host, why);
		return false;
	}
	pf_http_response r;
	const uint8_t *body = NULL;
	size_t blen = 0;
	if (pf_http_parse_head(buf, len, &r) != PF_OK) {
		pf_snprintf(u->reason, sizeof(u->reason), "%s sent a malformed HTTP answer (%zu bytes)", c->url.host, len);
		pf_free(buf);
		return false;
	}
	u->status = r.status;
	/* The body (an XML error) only when it is not chunked: the code is in a header as well. */
	if (!r.chunked && pf_http_body(buf, len, &r, NULL, 0, &body, &blen) != PF_OK)
		blen = 0;
	pf_blob_error_code(buf, r.head_len, blen ? body : NULL, blen, u->error, sizeof(u->error));
	*ret_retry_s = 0;
	pf_span v;
	if ((r.status == 503 || r.status == 429) && pf_http_header(buf, r.head_len, "Retry-After", &v)) {
		pf_time t;
		int64_t now_unix = EFI_ERROR(clock_rtc(&t)) ? 0 : pf_time_to_unix(&t);
		uint32_t s = 1;
		if (pf_retry_after_parse(v, now_unix, &s))
			*ret_retry_s = s;
	}
	pf_free(buf);
	return true;
}

/* The request for blob (head and body) into x; false when out of memory. */
static bool build_request(upload_ctx *x, const pf_blob_container *c, const char *blob, const void *body, size_t blen)
{
	if (x->req) {
		pf_wipe(x->req, x->req_cap);
		pf_free(x->req);
		x->req = NULL;
	}
	size_t head = pf_blob_put_request(c, blob, blen, NULL, 0);
	x->req_cap = head + 1 + blen;
	x->req = pf_malloc(x->req_cap);
	if (!x->req)
		return false;
	pf_blob_put_request(c, blob, blen, x->req, x->req_cap);
	memcpy(x->req + head, body, blen);
	x->req_len = head + blen;
	return true;
}

static void send_report(pf_run *run, const pf_blob_container *c, const char *blob, const void *body, size_t blen,
			upload_ctx *x)
{
	pf_upload_result *u = &run->upload;
	pf_blob_masked_url(c, blob, u->url, sizeof(u->url));
	if (!build_request(x, c, blob, body, blen)) {
		fail(run, PF_UPLOAD_SKIPPED, "out of memory");
		return;
	}
	con_progress("Uploading the report to %s...\n", c->url.host);
	uint32_t retry_s = 0;
	bool answered = attempt(x, c, run, &retry_s);
	bool again = !answered || u->status >= 500 || u->status == 429;
	if (again && (!retry_s || clock_wait_retry(retry_s, clock_ms() + run->config.network_timeout_ms, "The storage", ""))) {
		u->status = 0;
		u->error[0] = '\0';
		answered = attempt(x, c, run, &retry_s);
	}
	if (answered && u->status == 201) {
		u->state = PF_UPLOAD_DONE;
		u->reason[0] = '\0';
		pf_finding *fd = pf_finding_add(&run->findings, PF_REPORT_UPLOADED, "The report was uploaded to %s.", c->url.host);
		pf_finding_detail(fd, "%s: HTTP 201 after %u attempt(s)", u->url, u->attempts);
	} else if (answered) {
		fail(run, PF_UPLOAD_FAILED, "%s answered HTTP %u%s%s", c->url.host, u->status, u->error[0] ? " " : "", u->error);
	} else {
		fail(run, PF_UPLOAD_FAILED, "%s", u->reason);
	}
}

/* Without a volume the ledger row goes with the upload: NAME.ledger.csv (header and the one row, the
 * report's outcome included), one attempt; the outcome is said on screen, the report's stands. */
static void send_ledger_row(pf_run *run, const pf_blob_container *c, const char *name, upload_ctx *x)
{
	char blob[200], report[200];
	pf_buf row = { 0 };
	pf_snprintf(blob, sizeof(blob), "%s.ledger.csv", name);
	pf_snprintf(report, sizeof(report), "%s.json", name);
	pf_buf_puts(&row, PF_LEDGER_HEADER);
	pf_report_ledger_row(run, report, &row);
	/* attempt() keeps its outcome in run->upload: the report's is put back afterwards. */
	pf_upload_result saved = run->upload;
	uint32_t retry_s = 0;
	run->upload.status = 0;
	run->upload.error[0] = '\0';
	bool ok = !row.oom && build_request(x, c, blob, row.p, row.len) && attempt(x, c, run, &retry_s) &&
		  run->upload.status == 201;
	char why[sizeof(run->upload.reason) + 40];
	if (run->upload.status)
		pf_snprintf(why, sizeof(why), "HTTP %u%s%s", run->upload.status, run->upload.error[0] ? " " : "", run->upload.error);
	else
		pf_snprintf(why, sizeof(why), "%s", row.oom ? "out of memory" : run->upload.reason);
	run->upload = saved;
	pf_buf_free(&row);
	if (ok)
		con_printf("Ledger row: uploaded as %s.\n", blob);
	else
		con_printf("Ledger row: not uploaded (%s); the report's upload stands.\n", why);
}

void report_upload(EFI_FILE *root, pf_run *run, const char *name, bool from_memory)
{
	pf_upload_result *u = &run->upload;
	pf_blob_container *c = pf_malloc(sizeof(*c));
	upload_ctx x = { .tls_ok = false };
	uint64_t t0 = clock_ms();

	if (!c) {
		fail(run, PF_UPLOAD_SKIPPED, "out of memory");
		return;
	}
	if (!container_of(root, run, c))
		goto out;
	pf_blob_masked_url(c, NULL, u->url, sizeof(u->url));
	char broad[sizeof(c->perms)];
	if (pf_blob_sas_broad(c, broad, sizeof(broad))) {
		pf_finding *fd = pf_finding_add(&run->findings, PF_REPORT_UPLOAD_SAS_BROAD, "The upload SAS grants more than "
						"uploading: sp=%s (%s beyond create and write).", c->perms, broad);
		pf_finding_detail(fd, "%s", u->url);
	}
	if (run->config.offline || !run->config.network_enabled || !run->network || !run->network->has_ipv4 ||
	    !net_phase_link(&x.link)) {
		fail(run, PF_UPLOAD_SKIPPED, "no network address (see the network findings)");
		goto out;
	}
	if (c->url.https) {
		pf_net_result scratch = { 0 }; /* the phase already reported roots and entropy */
		x.tls_ok = !EFI_ERROR(net_tls_env_init(&x.tls, &scratch));
		if (x.tls_ok && run->network->has_clock_skew) {
			const char *src = run->network->clock_source ? run->network->clock_source : "? network phase";
			const char *sp = memchr(src, ' ', strlen(src));
			net_tls_env_note_time(&x.tls, run->network->clock_skew_s, src[0] == 'n', sp ? sp + 1 : src);
		}
		x.link.tls = x.tls_ok ? &x.tls : NULL;
	}
	char path[400], blob[200];
	char *body = NULL;
	size_t blen = 0;
	pf_buf mem = { 0 };
	pf_snprintf(blob, sizeof(blob), "%s.json", name);
	if (from_memory) {
		/* No volume to write (a PXE boot): the report as it would be written now. */
		pf_report_json(run, &mem);
		if (mem.oom)
			fail(run, PF_UPLOAD_SKIPPED, "out of memory");
		else
			send_report(run, c, blob, mem.p, mem.len, &x);
		pf_buf_free(&mem);
		if (u->state == PF_UPLOAD_DONE)
			send_ledger_row(run, c, name, &x);
	} else {
		/* What is uploaded is the file on the stick, byte for byte. */
		pf_snprintf(path, sizeof(path), "%s\\%s.json", run->config.report_dir, name);
		EFI_STATUS err = fs_read_file(root, path, REPORT_MAX, &body, &blen);
		if (EFI_ERROR(err)) {
			fail(run, PF_UPLOAD_SKIPPED, "the report %s could not be read back (%s)", path, efi_status_str(err));
		} else {
			send_report(run, c, blob, body, blen, &x);
			pf_free(body);
		}
	}
	if (x.req) {
		pf_wipe(x.req, x.req_cap);
		pf_free(x.req);
	}
	if (x.tls_ok)
		net_tls_env_free(&x.tls);
out:
	u->ms = clock_ms() - t0;
	pf_wipe(c, sizeof(*c));
	pf_free(c);
}
