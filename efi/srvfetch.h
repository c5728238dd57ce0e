/* After a network boot without a file system: preflight.ini and the files its list names, fetched from the boot server next to the binary. */
#ifndef PF_EFI_SRVFETCH_H
#define PF_EFI_SRVFETCH_H

#include <efi.h>
#include "bootsrc.h"
#include "srvfiles.h"

/* One file beside the binary, at most max bytes: *ret_data (pf_malloc'd, NUL after the end) and
 * *ret_len on success; otherwise why gets the server's or the transport's words for the screen. */
typedef EFI_STATUS (*srv_get_fn)(void *ctx, const char *name, size_t max, uint8_t **ret_data, size_t *ret_len,
				 char *why, size_t why_cap);

/* preflight.ini, preflight-files.txt and each file the list names, through get, into vol (as
 * \preflight\...). server ("TFTP 10.0.0.5") and beside (the boot file) name the place on screen;
 * what is missing or refused is said there. EFI_SUCCESS unless memory ran out. */
EFI_STATUS srv_fetch_list(srv_get_fn get, void *ctx, const char *server, const char *beside, pf_memvol *vol);

/* A yellow line on screen (the defaults or a file are missing: not an error of the PC). */
void srv_warn(const char *fmt, ...) PF_PRINTF(1, 2);

/*
 * Through the firmware's PXE Base Code on the boot device (it keeps the address and the server of the
 * PXE boot): preflight.ini and preflight-files.txt from the folder of the DHCP answer's boot file,
 * then each file the list names, into vol (as \preflight\...). What is missing or refused is said on
 * screen; EFI_SUCCESS when the server could be asked at all (vol may then hold nothing: defaults).
 */
EFI_STATUS srv_fetch_pxe(EFI_HANDLE image, pf_memvol *vol);

/*
 * After UEFI HTTP boot of the binary itself (boot->uri, no file system): a DHCP lease on the adapter
 * booted from (the product's own DHCP, put back afterwards), then the same files as srv_fetch_pxe over
 * HTTP from the folder of the boot URI, all within a hard time limit named on screen. EFI_SUCCESS when
 * the server could be asked at all.
 */
EFI_STATUS srv_fetch_http(const pf_boot_source *boot, pf_memvol *vol);

#endif
