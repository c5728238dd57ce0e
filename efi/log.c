/* Console printing and status logging for the firmware side. */
#include <efi.h>
#include <efilib.h>
#include "log.h"
#include "clock.h"
#include "fmt.h"
#include "proto.h"
#include "utf.h"

#define DIVERT_MAX 8

/* With the result page on the graphics console: where output goes instead of the ConOut splitter. */
typedef struct {
	bool on;
	SIMPLE_TEXT_OUTPUT_INTERFACE *outs[DIVERT_MAX];
	size_t n;
	con_line_fn line_fn;
	char line[256]; /* the line being printed; longer lines reach line_fn cut (the page cuts them anyway) */
	size_t len;
} con_diversion;
static con_diversion divert;

EFI_STATUS con_divert(SIMPLE_TEXT_OUTPUT_INTERFACE *skip, con_line_fn line_fn)
{
	static EFI_GUID con_out_dev = PF_CONSOLE_OUT_DEVICE_GUID;
	EFI_HANDLE *h = NULL;
	UINTN n = 0;
	EFI_STATUS err = BS->LocateHandleBuffer(ByProtocol, &con_out_dev, NULL, &n, &h);
	if (EFI_ERROR(err))
		return log_error_status(err, "cannot list the console devices");
	size_t count = 0;
	for (UINTN i = 0; i < n && count < DIVERT_MAX; i++) {
		SIMPLE_TEXT_OUTPUT_INTERFACE *out = NULL;
		if (!EFI_ERROR(BS->HandleProtocol(h[i], &TextOutProtocol, (void **)&out)) && out && out != skip &&
		    out != ST->ConOut && out != ST->StdErr)
			divert.outs[count++] = out;
	}
	BS->FreePool(h);
	divert.n = count;
	divert.line_fn = line_fn;
	divert.len = 0;
	divert.on = true;
	return EFI_SUCCESS;
}

void con_undivert(void)
{
	divert = (con_diversion){ 0 };
}

void con_set_color(UINTN attr)
{
	if (!divert.on) {
		ST->ConOut->SetAttribute(ST->ConOut, attr);
		return;
	}
	for (size_t i = 0; i < divert.n; i++)
		divert.outs[i]->SetAttribute(divert.outs[i], attr);
}

static void out_wide(CHAR16 *wide)
{
	if (!divert.on) {
		ST->ConOut->OutputString(ST->ConOut, wide);
		return;
	}
	for (size_t i = 0; i < divert.n; i++)
		divert.outs[i]->OutputString(divert.outs[i], wide);
}

/* Diverted output: whole lines to line_fn, as they end. */
static void out_line_bytes(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			divert.line_fn(divert.line, divert.len);
			divert.len = 0;
		} else if (divert.len + 1 < sizeof(divert.line)) {
			divert.line[divert.len++] = s[i];
			divert.line[divert.len] = '\0';
		}
	}
}

/* Sends one piece of UTF-8 to ConOut in bounded chunks, turning LF into CRLF. Each code point is
 * decoded on its own, so a chunk boundary never cuts or drops a character. */
static void out_utf8(const char *s, size_t len)
{
	CHAR16 wide[130];
	size_t i = 0;
	while (i < len) {
		size_t n = 0;
		while (i < len && n + 3 < PF_ARRAY_SIZE(wide)) {
			size_t used;
			uint32_t cp = pf_utf8_get((const uint8_t *)s + i, len - i, &used);
			i += used;
			if (cp == '\n')
				wide[n++] = L'\r';
			wide[n++] = (CHAR16)(cp > 0xFFFF ? 0xFFFD : cp);
		}
		wide[n] = 0;
		out_wide(wide);
	}
	if (divert.on && divert.line_fn)
		out_line_bytes(s, len);
}

void con_vprintf(const char *fmt, va_list ap)
{
	char buf[512];
	va_list ap2;
	va_copy(ap2, ap);
	size_t n = pf_vsnprintf(buf, sizeof(buf), fmt, ap2);
	va_end(ap2);
	if (n < sizeof(buf)) {
		out_utf8(buf, n);
		return;
	}
	/* Long output (a whole report section): format into pool memory instead of cutting it. */
	char *big = pf_malloc(n + 1);
	if (!big) {
		out_utf8(buf, sizeof(buf) - 1);
		return;
	}
	pf_vsnprintf(big, n + 1, fmt, ap);
	out_utf8(big, n);
	pf_free(big);
}

void con_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
}

void con_progress(const char *fmt, ...)
{
	uint64_t ms = clock_ms();
	con_printf("[%3llu.%llu s] ", (unsigned long long)(ms / 1000), (unsigned long long)(ms % 1000 / 100));
	va_list ap;
	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
}

static const struct {
	EFI_STATUS status;
	const char *name;
} status_names[] = {
	{ EFI_SUCCESS, "EFI_SUCCESS" },
	{ EFI_LOAD_ERROR, "EFI_LOAD_ERROR" },
	{ EFI_INVALID_PARAMETER, "EFI_INVALID_PARAMETER" },
	{ EFI_UNSUPPORTED, "EFI_UNSUPPORTED" },
	{ EFI_BAD_BUFFER_SIZE, "EFI_BAD_BUFFER_SIZE" },
	{ EFI_BUFFER_TOO_SMALL, "EFI_BUFFER_TOO_SMALL" },
	{ EFI_NOT_READY, "EFI_NOT_READY" },
	{ EFI_DEVICE_ERROR, "EFI_DEVICE_ERROR" },
	{ EFI_WRITE_PROTECTED, "EFI_WRITE_PROTECTED" },
	{ EFI_OUT_OF_RESOURCES, "EFI_OUT_OF_RESOURCES" },
	{ EFI_VOLUME_CORRUPTED, "EFI_VOLUME_CORRUPTED" },
	{ EFI_VOLUME_FULL, "EFI_VOLUME_FULL" },
	{ EFI_NO_MEDIA, "EFI_NO_MEDIA" },
	{ EFI_MEDIA_CHANGED, "EFI_MEDIA_CHANGED" },
	{ EFI_NOT_FOUND, "EFI_NOT_FOUND" },
	{ EFI_ACCESS_DENIED, "EFI_ACCESS_DENIED" },
	{ EFI_NO_RESPONSE, "EFI_NO_RESPONSE" },
	{ EFI_NO_MAPPING, "EFI_NO_MAPPING" },
	{ EFI_TIMEOUT, "EFI_TIMEOUT" },
	{ EFI_NOT_STARTED, "EFI_NOT_STARTED" },
	{ EFI_ALREADY_STARTED, "EFI_ALREADY_STARTED" },
	{ EFI_ABORTED, "EFI_ABORTED" },
	{ EFI_ICMP_ERROR, "EFI_ICMP_ERROR" },
	{ EFI_TFTP_ERROR, "EFI_TFTP_ERROR" },
	{ EFI_PROTOCOL_ERROR, "EFI_PROTOCOL_ERROR" },
	{ EFI_INCOMPATIBLE_VERSION, "EFI_INCOMPATIBLE_VERSION" },
	{ EFI_SECURITY_VIOLATION, "EFI_SECURITY_VIOLATION" },
	{ EFI_CRC_ERROR, "EFI_CRC_ERROR" },
	{ EFI_END_OF_MEDIA, "EFI_END_OF_MEDIA" },
	{ EFI_END_OF_FILE, "EFI_END_OF_FILE" },
};

const char *efi_status_str(EFI_STATUS s)
{
	for (size_t i = 0; i < PF_ARRAY_SIZE(status_names); i++)
		if (status_names[i].status == s)
			return status_names[i].name;
	return "EFI_ERROR(unknown)";
}

EFI_STATUS log_status_at(EFI_STATUS status, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	con_set_color(EFI_ERROR(status) ? EFI_LIGHTRED : EFI_YELLOW);
	con_printf("%s:%d: ", file, line);
	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
	if (EFI_ERROR(status))
		con_printf(": %s", efi_status_str(status));
	con_printf("\n");
	con_set_color(EFI_LIGHTGRAY);
	return status;
}

pf_status pf_from_efi(EFI_STATUS s)
{
	switch (s) {
	case EFI_SUCCESS:
		return PF_OK;
	case EFI_OUT_OF_RESOURCES:
		return PF_ERR_NOMEM;
	case EFI_NOT_FOUND:
		return PF_ERR_NOT_FOUND;
	case EFI_WRITE_PROTECTED:
		return PF_ERR_READ_ONLY;
	case EFI_VOLUME_FULL:
		return PF_ERR_FULL;
	case EFI_TIMEOUT:
		return PF_ERR_TIMEOUT;
	case EFI_UNSUPPORTED:
		return PF_ERR_UNSUPPORTED;
	case EFI_BUFFER_TOO_SMALL:
	case EFI_BAD_BUFFER_SIZE:
		return PF_ERR_TOO_BIG;
	case EFI_INVALID_PARAMETER:
	case EFI_VOLUME_CORRUPTED:
		return PF_ERR_INVALID;
	default:
		return PF_ERR_IO;
	}
}

EFI_STATUS efi_from_pf(pf_status s)
{
	switch (s) {
	case PF_OK:
		return EFI_SUCCESS;
	case PF_ERR_NOMEM:
		return EFI_OUT_OF_RESOURCES;
	case PF_ERR_NOT_FOUND:
		return EFI_NOT_FOUND;
	case PF_ERR_READ_ONLY:
		return EFI_WRITE_PROTECTED;
	case PF_ERR_FULL:
		return EFI_VOLUME_FULL;
	case PF_ERR_TIMEOUT:
		return EFI_TIMEOUT;
	case PF_ERR_UNSUPPORTED:
		return EFI_UNSUPPORTED;
	case PF_ERR_TOO_BIG:
		return EFI_BAD_BUFFER_SIZE;
	case PF_ERR_INVALID:
	case PF_ERR_TRUNCATED:
		return EFI_INVALID_PARAMETER;
	default:
		return EFI_DEVICE_ERROR;
	}
}
