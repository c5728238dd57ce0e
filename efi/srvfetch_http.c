/* After UEFI HTTP boot of the bare binary: a DHCP lease of our own, then the site's files over HTTP from the folder of the boot URI. */
#include "net.h"
#include "clock.h"
#include "fmt.h"
#include "graphquery.h"
#include "http.h"
#include "log.h"
#include "srvfetch.h"
#include "str.h"

/* The firmware's HTTP boot lease is its own (not exposed), so the phase's DHCP runs first; both limits
 * together bound the wait for a server that never answers. */
#define DHCP_LIMIT_MS 10000
#define FETCH_LIMIT_MS 30000 /* every file together, from the end of DHCP */
#define REQ_MAX (PF_URL_TARGET_MAX + PF_HOST_MAX + 128)

typedef struct {
	net_link link;
	const char *uri;   /* the boot URI: each file is its sibling */
	uint64_t deadline; /* clock_ms() */
} http_ctx;

static EFI_STATUS http_fetch(void *ctx, const char *name, size_t max, uint8_t **ret_data, size_t *ret_len, char *why,
			     size_t why_cap)
{
	http_ctx *h = ctx;
	char url[PF_BOOT_URI_MAX + PF_SRV_NAME_MAX + 2];
	pf_url u;
	if (pf_boot_sibling_url(h->uri, name, url, sizeof(url)) != PF_OK || pf_url_parse(pf_span_of(url), &u) != PF_OK) {
		pf_snprintf(why, why_cap, "no URL for it beside the boot URI");
		return EFI_INVALID_PARAMETER;
	}
	if (clock_ms() >= h->deadline) {
		pf_snprintf(why, why_cap, "the %u s limit for the boot server's files had passed", FETCH_LIMIT_MS / 1000);
		return EFI_TIMEOUT;
	}
	char *req = pf_malloc(REQ_MAX);
	if (!req) {
		pf_snprintf(why, why_cap, "out of memory");
		return EFI_OUT_OF_RESOURCES;
	}
	size_t req_len = pf_http_get_request(u.host, u.target, req, REQ_MAX);
	if (req_len >= REQ_MAX) {
		pf_free(req);
		pf_snprintf(why, why_cap, "URL too long");
		return EFI_BAD_BUFFER_SIZE;
	}
	net_fetch_outcome o;
	uint8_t *buf = NULL;
	size_t len = 0;
	EFI_STATUS err = net_fetch(&h->link, u.host, u.port, false, req, req_len, h->deadline, max + PF_HTTP_HEAD_MAX, &o,
				   &buf, &len);
	pf_free(req);
	if (EFI_ERROR(err)) {
		pf_snprintf(why, why_cap, "%s", o.detail);
		return err;
	}
	pf_http_response r;
	const uint8_t *body = NULL;
	size_t body_len = 0;
	uint8_t *chunks = NULL;
	if (pf_http_parse_head(buf, len, &r) != PF_OK) {
		pf_snprintf(why, why_cap, "not an HTTP answer");
		err = EFI_PROTOCOL_ERROR;
	} else if (r.status != 200) {
		pf_snprintf(why, why_cap, "HTTP %u", r.status);
		err = EFI_NOT_FOUND;
	} else if (r.chunked && !(chunks = pf_malloc(max))) {
		err = EFI_OUT_OF_RESOURCES;
	} else if (pf_http_body(buf, len, &r, chunks, max, &body, &body_len) != PF_OK || body_len > max) {
		pf_snprintf(why, why_cap, "answer cut short or larger than Preflight reads");
		err = EFI_PROTOCOL_ERROR;
	}
	uint8_t *data = EFI_ERROR(err) ? NULL : pf_malloc(body_len + 1);
	if (!EFI_ERROR(err) && !data)
		err = EFI_OUT_OF_RESOURCES;
	if (data) {
		memcpy(data, body, body_len);
		data[body_len] = '\0';
	}
	pf_free(chunks);
	pf_free(buf);
	if (err == EFI_OUT_OF_RESOURCES)
		pf_snprintf(why, why_cap, "out of memory");
	if (EFI_ERROR(err))
		return err;
	*ret_data = data;
	*ret_len = body_len;
	return EFI_SUCCESS;
}

EFI_STATUS srv_fetch_http(const pf_boot_source *boot, pf_memvol *vol)
{
	pf_url u;
	const char *cannot = boot->ipv6 ? "HTTP boot over IPv6: not read yet"
			     : pf_url_parse(pf_span_of(boot->uri), &u) != PF_OK ? "the boot URI cannot be read"
			     : u.https ? "an https boot URI: not read yet" : NULL;
	if (cannot) {
		srv_warn("The boot server's files cannot be fetched (%s): every setting is at its default.", cannot);
		return EFI_UNSUPPORTED;
	}
	pf_net_result *r = pf_malloc(sizeof(*r));
	if (!r)
		return log_error_status(EFI_OUT_OF_RESOURCES, "no room to fetch the boot server's files");
	*r = (pf_net_result){ 0 };
	char server[PF_HOST_MAX + 16];
	pf_snprintf(server, sizeof(server), "HTTP %s:%u", u.host, (unsigned)u.port);
	http_ctx h = { .uri = boot->uri };
	EFI_STATUS err = net_nic_select(r, NULL, &h.link.nic);
	if (EFI_ERROR(err)) {
		srv_warn("The boot server's files cannot be fetched (no usable wired adapter): every setting is at its default.");
		pf_free(r);
		return err;
	}
	con_progress("Reading the site's files from the boot server (%s, beside %s; DHCP on %s first, at most %u s, "
		     "then at most %u s for the files)...\n", server, u.target, r->nics_used[0], DHCP_LIMIT_MS / 1000,
		     FETCH_LIMIT_MS / 1000);
	err = net_dhcp(h.link.nic, DHCP_LIMIT_MS, true, r, h.link.dns, &h.link.n_dns);
	if (EFI_ERROR(err)) {
		srv_warn("No DHCP answer on %s within %u s (%s): the files on %s cannot be fetched; every setting is at its "
			 "default.", r->nics_used[0], DHCP_LIMIT_MS / 1000, efi_status_str(err), server);
	} else {
		h.deadline = clock_ms() + FETCH_LIMIT_MS;
		err = srv_fetch_list(http_fetch, &h, server, u.target, vol);
	}
	/* The phase takes its own lease later; the adapter's settings as the firmware had them meanwhile. */
	EFI_STATUS restored = net_dhcp_restore();
	pf_free(r);
	return EFI_ERROR(err) ? err : restored;
}
