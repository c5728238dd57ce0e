/* Trust anchors for the TLS checks: the built-in roots plus the stick's \preflight\certs\ extras. */
#include "net.h"
#include "fmt.h"
#include "fs.h"
#include "log.h"
#include "str.h"

/* Set by gnu-efi's InitializeLib; declared in its internal lib.h only. */
extern EFI_HANDLE LibImageHandle;

#define CERTS_DIR "\\preflight\\certs"
#define CERT_FILE_MAX (256 * 1024)

typedef struct {
	EFI_FILE *root;
	pf_trust *trust;
	pf_net_result *r;
} load_ctx;

static void bad_file(pf_net_result *r, const char *name, const char *why)
{
	con_printf("  %s\\%s not used as a root: %s\n", CERTS_DIR, name, why);
	if (r->n_certs_bad < PF_NET_MAX_BAD_CERTS)
		pf_snprintf(r->certs_bad[r->n_certs_bad++], sizeof(r->certs_bad[0]), "%s: %s", name, why);
}

static bool is_cert_name(const char *name)
{
	pf_span s = pf_span_of(name);
	if (s.len < 4)
		return false;
	pf_span ext = { name + s.len - 4, 4 };
	return pf_span_eq_cstr_nocase(ext, ".pem") || pf_span_eq_cstr_nocase(ext, ".cer") ||
	       pf_span_eq_cstr_nocase(ext, ".der") || pf_span_eq_cstr_nocase(ext, ".crt");
}

static bool load_one(void *vctx, const char *name, uint64_t size)
{
	load_ctx *ctx = vctx;
	char path[300];
	if (!is_cert_name(name))
		return true;
	if (size > CERT_FILE_MAX) {
		bad_file(ctx->r, name, "larger than 256 KiB");
		return true;
	}
	pf_snprintf(path, sizeof(path), "%s\\%s", CERTS_DIR, name);
	char *data = NULL;
	size_t len = 0, added = 0;
	EFI_STATUS err = fs_read_file(ctx->root, path, CERT_FILE_MAX, &data, &len);
	if (EFI_ERROR(err)) {
		bad_file(ctx->r, name, efi_status_str(err));
		return true;
	}
	pf_status st = pf_trust_add_file(ctx->trust, data, len, &added);
	pf_free(data);
	ctx->r->roots_extra += added;
	if (st != PF_OK)
		bad_file(ctx->r, name, st == PF_ERR_UNSUPPORTED ? "key type not supported"
				       : st == PF_ERR_NOT_FOUND ? "no CERTIFICATE block"
				       : st == PF_ERR_NOMEM     ? "out of memory"
								: "not a valid X.509 certificate (PEM or DER)");
	return true;
}

void net_trust_load(pf_trust *t, pf_net_result *r)
{
	for (size_t i = 0; i < pf_builtin_roots_n; i++) {
		pf_status st = pf_trust_add_der(t, pf_builtin_roots[i].der, pf_builtin_roots[i].len);
		if (st == PF_OK)
			r->roots_builtin++;
		else
			log_warn("built-in root %s not usable: %s", pf_builtin_roots[i].name, pf_status_str(st));
	}
	/* The extras live on the volume this image was loaded from (gnu-efi keeps the image handle). */
	EFI_FILE *root = NULL;
	if (EFI_ERROR(fs_open_boot_volume(LibImageHandle, &root)))
		return;
	load_ctx ctx = { root, t, r };
	EFI_STATUS err = fs_list_dir(root, CERTS_DIR, load_one, &ctx);
	if (EFI_ERROR(err) && err != EFI_NOT_FOUND)
		log_warn("%s cannot be listed: %s", CERTS_DIR, efi_status_str(err));
	fs_close(root);
}
