/* WPAD as WinHTTP's auto-detection does it: the PAC URL from DHCP option 252, else wpad.<domain> by DNS devolution. */
#include "wpad.h"
#include "fmt.h"
#include "str.h"

void pf_dhcp_option_text(const void *data, size_t len, char *out, size_t cap)
{
	const char *s = data;
	size_t n = 0;
	while (n < len && s[n] != '\0')
		n++;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	pf_copy_printable(out, cap, (pf_span){ s, n });
}

size_t pf_wpad_candidates(const char *domain, char (*ret)[PF_HOST_MAX + 1], size_t max)
{
	size_t len = strlen(domain);
	if (len && domain[len - 1] == '.')
		len--; /* a fully qualified name's root dot */
	if (!pf_host_valid(domain, len))
		return 0;
	size_t n = 0;
	for (size_t start = 0; start < len && n < max;) {
		/* Stop before the last label: "com" alone would ask the internet's wpad.com. */
		bool two_labels = false;
		for (size_t i = start; i < len; i++)
			if (domain[i] == '.')
				two_labels = true;
		if (!two_labels)
			break;
		if (5 + (len - start) <= PF_HOST_MAX) {
			pf_snprintf(ret[n], PF_HOST_MAX + 1, "wpad.%.*s", (int)(len - start), domain + start);
			for (char *p = ret[n]; *p; p++)
				*p = pf_tolower(*p);
			n++;
		}
		while (start < len && domain[start] != '.')
			start++;
		start++;
	}
	return n;
}
