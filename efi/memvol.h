/* A read-only EFI_FILE over the boot server's files held in memory (common/srvfiles.c), so config, records, certificates and the SAS file are read as from a stick. */
#ifndef PF_EFI_MEMVOL_H
#define PF_EFI_MEMVOL_H

#include <efi.h>
#include "srvfiles.h"

/* The root folder of vol (which must outlive every handle opened from it); close it with fs_close.
 * Writes, creates and deletes answer EFI_WRITE_PROTECTED. */
EFI_STATUS memvol_open_root(const pf_memvol *vol, EFI_FILE **ret_root);

#endif
