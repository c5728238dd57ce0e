/* After a PXE boot without a file system: preflight.ini and the files its list names, fetched over TFTP from the boot server next to the binary. */
#include <efi.h>
#include <efilib.h>
#include "dhcpboot.h"
#include "fmt.h"
#include "log.h"
#include "srvfetch.h"
#include "str.h"

#define CONFIG_MAX (1024 * 1024)
#define FILE_MAX (16 * 1024 * 1024)

/* The length of s within cap bytes (firmware fields are NUL-terminated only when shorter). */
static size_t len_within(const void *s, size_t cap)
{
	const char *c = memchr(s, '\0', cap);
	return c ? (size_t)(c - (const char *)s) : cap;
}

typedef struct {
	EFI_PXE_BASE_CODE_PROTOCOL *pxe;
	EFI_IP_ADDRESS server;
	char server_s[20];
	char bootfile[PF_DHCP_FILE_MAX];
	size_t bytes; /* fetched in all, for the screen */
} tftp_ctx;

/* Words for a failed transfer: the server's own TFTP error text when it sent one. */
static void why(const tftp_ctx *t, EFI_STATUS err, char *buf, size_t cap)
{
	EFI_PXE_BASE_CODE_MODE *m = t->pxe->Mode;
	if (err == EFI_TFTP_ERROR && m->TftpErrorReceived) {
		char text[128];
		pf_copy_printable(text, sizeof(text), (pf_span){ (const char *)m->TftpError.ErrorString,
								 len_within(m->TftpError.ErrorString, 127) });
		pf_snprintf(buf, cap, "TFTP error %u: %s", m->TftpError.ErrorCode, text);
	} else if (err == EFI_BAD_BUFFER_SIZE) {
		pf_snprintf(buf, cap, "larger than Preflight reads");
	} else {
		pf_snprintf(buf, cap, "%s", efi_status_str(err));
	}
}

/* One file beside the boot file; the size is asked first (the tsize option) so the buffer fits. */
static EFI_STATUS tftp_get(tftp_ctx *t, const char *name, size_t max, uint8_t **ret_data, size_t *ret_len)
{
	char path[PF_SRV_NAME_MAX + sizeof(t->bootfile)];
	if (pf_srv_sibling(t->bootfile, name, path, sizeof(path)) != PF_OK)
		return EFI_BAD_BUFFER_SIZE;
	UINT64 size = 0;
	EFI_STATUS err = t->pxe->Mtftp(t->pxe, EFI_PXE_BASE_CODE_TFTP_GET_FILE_SIZE, NULL, FALSE, &size, NULL, &t->server,
				       (UINT8 *)path, NULL, FALSE);
	if (EFI_ERROR(err))
		return err;
	if (size > max)
		return EFI_BAD_BUFFER_SIZE;
	uint8_t *data = pf_malloc((size_t)size + 1);
	if (!data)
		return EFI_OUT_OF_RESOURCES;
	UINT64 got = size;
	if (size)
		err = t->pxe->Mtftp(t->pxe, EFI_PXE_BASE_CODE_TFTP_READ_FILE, data, FALSE, &got, NULL, &t->server,
				    (UINT8 *)path, NULL, FALSE);
	if (EFI_ERROR(err) || got != size) {
		pf_free(data);
		return EFI_ERROR(err) ? err : EFI_PROTOCOL_ERROR;
	}
	data[size] = '\0';
	t->bytes += (size_t)size;
	*ret_data = data;
	*ret_len = (size_t)size;
	return EFI_SUCCESS;
}

static void warn(const char *fmt, ...) PF_PRINTF(1, 2);
static void warn(const char *fmt, ...)
{
	char line[400];
	va_list ap;
	va_start(ap, fmt);
	pf_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	con_set_color(EFI_YELLOW);
	con_printf("%s\n", line);
	con_set_color(EFI_LIGHTGRAY);
}

/* The address and boot file of the answer that named the boot file (a PXE server's reply, a
 * proxy-DHCP offer, or the DHCP server's ACK, in the order the PXE Base Code prefers them). */
static EFI_STATUS boot_server(tftp_ctx *t)
{
	EFI_PXE_BASE_CODE_MODE *m = t->pxe->Mode;
	if (!m->Started)
		return EFI_NOT_STARTED;
	if (m->UsingIpv6)
		return EFI_UNSUPPORTED; /* PXEv6 names its server in a DHCPv6 option: not read yet */
	const EFI_PXE_BASE_CODE_PACKET *packets[3] = { m->PxeReplyReceived ? &m->PxeReply : NULL,
							m->ProxyOfferReceived ? &m->ProxyOffer : NULL,
							m->DhcpAckReceived ? &m->DhcpAck : NULL };
	for (size_t i = 0; i < 3; i++) {
		pf_dhcp_boot b;
		if (!packets[i] || pf_dhcp_boot_parse(packets[i], sizeof(*packets[i]), &b) != PF_OK)
			continue;
		memset(&t->server, 0, sizeof(t->server));
		memcpy(t->server.v4.Addr, b.server, 4);
		pf_strlcpy(t->bootfile, b.file, sizeof(t->bootfile));
		pf_snprintf(t->server_s, sizeof(t->server_s), "%u.%u.%u.%u", b.server[0], b.server[1], b.server[2],
			    b.server[3]);
		return EFI_SUCCESS;
	}
	return EFI_NOT_FOUND;
}

EFI_STATUS srv_fetch_pxe(EFI_HANDLE image, pf_memvol *vol)
{
	EFI_LOADED_IMAGE *loaded = NULL;
	tftp_ctx t = { 0 };
	char w[200];
	uint8_t *data = NULL;
	size_t len = 0;

	EFI_STATUS err = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&loaded);
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot find the loaded image");
	err = BS->HandleProtocol(loaded->DeviceHandle, &PxeBaseCodeProtocol, (void **)&t.pxe);
	if (!EFI_ERROR(err))
		err = boot_server(&t);
	if (EFI_ERROR(err)) {
		warn("The boot server's files cannot be fetched (%s: %s): every setting is at its default.",
		     err == EFI_UNSUPPORTED ? "PXE over IPv6" : "no PXE boot server known", efi_status_str(err));
		return err;
	}
	con_progress("Reading the site's files from the boot server (TFTP %s, beside %s)...\n", t.server_s, t.bootfile);
	err = tftp_get(&t, PF_SRV_CONFIG_NAME, CONFIG_MAX, &data, &len);
	if (EFI_ERROR(err)) {
		why(&t, err, w, sizeof(w));
		warn("The boot server has no usable %s beside %s (TFTP %s: %s): every setting is at its default.",
		     PF_SRV_CONFIG_NAME, t.bootfile, t.server_s, w);
	} else if (pf_memvol_add(vol, PF_SRV_CONFIG_NAME, data, len) != PF_OK) {
		return log_error_status(EFI_OUT_OF_RESOURCES, "no room for %s", PF_SRV_CONFIG_NAME);
	}
	err = tftp_get(&t, PF_SRV_LIST_NAME, CONFIG_MAX, &data, &len);
	if (EFI_ERROR(err)) {
		why(&t, err, w, sizeof(w));
		warn("The boot server has no %s beside %s (%s): no records, certificates or SAS file from the server.",
		     PF_SRV_LIST_NAME, t.bootfile, w);
		return EFI_SUCCESS;
	}
	pf_srv_list *list = pf_malloc(sizeof(*list));
	if (!list) {
		pf_free(data);
		return log_error_status(EFI_OUT_OF_RESOURCES, "no room for the file list");
	}
	pf_srv_list_parse(data, len, list);
	pf_free(data);
	if (list->skipped)
		warn("%s line %u: %s (%u line(s) not used).", PF_SRV_LIST_NAME, list->bad_line, list->bad_why, list->skipped);
	size_t fetched = 0;
	for (size_t i = 0; i < list->n; i++) {
		err = tftp_get(&t, list->names[i], FILE_MAX, &data, &len);
		if (EFI_ERROR(err)) {
			why(&t, err, w, sizeof(w));
			warn("%s names %s, which the boot server does not give (%s).", PF_SRV_LIST_NAME, list->names[i], w);
			continue;
		}
		if (pf_memvol_add(vol, list->names[i], data, len) != PF_OK) {
			warn("%s: no room for %s.", PF_SRV_LIST_NAME, list->names[i]);
			continue;
		}
		fetched++;
	}
	con_printf("  %llu of %llu listed file(s) fetched from the boot server, %llu bytes in all.\n",
		   (unsigned long long)fetched, (unsigned long long)list->n, (unsigned long long)t.bytes);
	pf_free(list);
	return EFI_SUCCESS;
}
