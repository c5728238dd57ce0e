/* Identity findings that need only SMBIOS, CPUID and variables: serial, placeholders, VM, TPM, Secure Boot. */
#ifndef PF_IDCHECK_H
#define PF_IDCHECK_H

#include "config.h"
#include "findings.h"
#include "identity.h"

/* True when serial (or any SMBIOS identity string) is a placeholder: case-folded and without spaces,
 * dots, underscores and quotes it is an entry of the table or holds one of its phrases ("Default
 * string", "To be filled by O.E.M", "System Product Name"), or it has no letter or digit ("-",
 * "......"), or one character repeated ("00000000", "xxxx-xxxx-xxxx"). Checked against the
 * manufacturer, product and board strings of 6,000 real machines (tests/data/dmi). */
bool pf_serial_is_placeholder(const char *serial);

/* Sets id->virtual_machine (and _reason) from SMBIOS strings and the CPU's hypervisor signal (CPUID vendor on
 * x86-64, MIDR implementer on AArch64). */
void pf_detect_virtual_machine(pf_identity *id);

/* Adds ID-* findings for id under config c. */
void pf_identity_check(const pf_identity *id, const pf_config *c, pf_findings *f);

struct pf_net_result;
/* After the network phase: ID-TPM-NO-EK-CERT becomes info when the TPM's manufacturer publishes its EK
 * certificates online (Intel PTT, AMD fTPM) and the network check of that service passed, since Windows
 * then fetches the certificate itself; it stays a warning otherwise, with the reason in its detail.
 * net may be NULL (no network phase). */
void pf_identity_check_online(const pf_identity *id, const struct pf_net_result *net, pf_findings *f);
/* The EK certificate service of a TPM manufacturer id ("INTC", "AMD"), or NULL when it has none known. */
const char *pf_tpm_ek_service(const char *manufacturer);

#endif
