/* After a PXE boot without a file system: preflight.ini and the files its list names, fetched over TFTP from the boot server next to the binary. */
#ifndef PF_EFI_SRVFETCH_H
#define PF_EFI_SRVFETCH_H

#include <efi.h>
#include "srvfiles.h"

/*
 * Through the firmware's PXE Base Code on the boot device (it keeps the address and the server of the
 * PXE boot): preflight.ini and preflight-files.txt from the folder of the DHCP answer's boot file,
 * then each file the list names, into vol (as \preflight\...). What is missing or refused is said on
 * screen; EFI_SUCCESS when the server could be asked at all (vol may then hold nothing: defaults).
 */
EFI_STATUS srv_fetch_pxe(EFI_HANDLE image, pf_memvol *vol);

#endif
