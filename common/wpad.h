/* WPAD as WinHTTP's auto-detection does it: the PAC URL from DHCP option 252, else wpad.<domain> by DNS devolution. */
#ifndef PF_WPAD_H
#define PF_WPAD_H

#include "endpoint.h"

#define PF_DHCP_OPT_DOMAIN 15   /* the DHCP domain name, the start of DNS devolution */
#define PF_DHCP_OPT_WPAD 252    /* the PAC file's URL */
#define PF_WPAD_URL_MAX 255
#define PF_WPAD_MAX_CANDIDATES 8
/* The file name WinHTTP asks a wpad host for. */
#define PF_WPAD_PATH "/wpad.dat"

/* A DHCP option's text (domain name, WPAD URL): up to its first NUL (servers often send one), trailing blanks
 * dropped, other bytes outside printable ASCII as '?'. Always NUL-terminates out (cap > 0). */
void pf_dhcp_option_text(const void *data, size_t len, char *out, size_t cap);

/* The wpad host names to try for DHCP domain `domain` ("a.b.contoso.com"), most specific first:
 * wpad.a.b.contoso.com, wpad.b.contoso.com, wpad.contoso.com; never wpad.<top-level domain> (devolution
 * stops at two labels, as Windows does, so a name outside the organisation is never asked). A domain that is
 * not a valid host name, or has one label, gives none. Returns the count (at most max). */
size_t pf_wpad_candidates(const char *domain, char (*ret)[PF_HOST_MAX + 1], size_t max);

#endif
