/* What the network phase found (interfaces, address, per-endpoint checks, clock skew) and its findings. */
#ifndef PF_NETRESULT_H
#define PF_NETRESULT_H

#include "config.h"
#include "eapol.h"
#include "endpoint.h"
#include "findings.h"
#include "ip6.h"
#include "json.h"
#include "proxy.h"
#include "wpad.h"

typedef enum {
	PF_CHK_NOT_RUN,       /* never started (the phase stopped before the checks) */
	PF_CHK_OK,
	PF_CHK_DNS_FAILED,    /* NXDOMAIN, no answer, server failure */
	PF_CHK_TCP_REFUSED,   /* reset / refused */
	PF_CHK_TCP_TIMEOUT,   /* no answer to the connect within the limit */
	PF_CHK_HTTP_FAILED,   /* error status, malformed or no answer */
	PF_CHK_NCSI_WRONG,    /* the NCSI page has other content (captive portal) */
	PF_CHK_NTP_FAILED,    /* no or invalid NTP answer */
	PF_CHK_TLS_UNTRUSTED, /* chain does not end in a trusted root */
	PF_CHK_TLS_FAILED,    /* other TLS failure */
	PF_CHK_PROXY_AUTH,    /* the proxy asks for a login (407) */
	PF_CHK_PROXY_REFUSED, /* the proxy refuses this host (CONNECT or its own error answer) */
	PF_CHK_PROXY_FAILED,  /* the proxy itself: no address, no connection, not HTTP */
	PF_CHK_ERROR,         /* the firmware could not run the check */
	PF_CHK__COUNT,
} pf_chk_status;

const char *pf_chk_status_str(pf_chk_status s);

#define PF_NET_DETAIL_MAX 256
#define PF_NET_MAX_DNS 4
#define PF_NET_MAX_NICS 8
#define PF_NET_MAX_BAD_CERTS 8
#define PF_NET_MAX_PROXIES 8
#define PF_NET_MAX_HOPS 4

#define PF_NET_MAX_IP6 4

/* The same endpoint over IPv6 (efi/net/net_check6.c): an AAAA lookup by DNS6, then TCP6 to the port. */
typedef struct {
	pf_chk_status status;               /* PF_CHK_NOT_RUN: IPv6 not offered, or this kind not checked over it */
	uint32_t ms;                        /* from the IPv6 checks' start to this one's end */
	char addr[PF_IP6_STR_MAX];          /* the AAAA answer, "" when none */
	bool has_skew;                      /* http/https: the server's Date header over IPv6 minus the RTC (the */
	int64_t skew_s;                     /* clock skew's source when no IPv4 check gave one) */
	const char *nat64;                  /* addr lies in this NAT64 prefix (pf_ip6_nat64), NULL otherwise */
	char nat64_v4[16];                  /* then the IPv4 address behind the translator */
	char detail[PF_NET_DETAIL_MAX / 2];
} pf_net_check6;


typedef struct {
	pf_endpoint ep;
	pf_chk_status status;
	uint32_t start_ms;                  /* from the start of the checks to this one's first firmware call */
	uint32_t ms;                        /* this check's own duration, start_ms to its end */
	char addr[16];                      /* the resolved IPv4 address, "" when none */
	char detail[PF_NET_DETAIL_MAX];
	bool has_skew;                      /* server time minus RTC, from NTP or the HTTP Date header */
	int64_t skew_s;
	/* The way out, as the proxy configuration says (WinHTTP's order: each hop tried when the one before it
	 * could not be connected): route[i] 0 is DIRECT, k > 0 the result's proxy.list[k - 1]. */
	uint8_t route[PF_NET_MAX_HOPS];
	uint8_t n_route;                    /* 0: direct, nothing configured for this check */
	uint8_t hop;                        /* the hop this result is for */
	bool via_proxy;                     /* route[hop] is a proxy */
	char pac_answer[96];                /* FindProxyForURL's answer for this check, "" when no PAC ran */
	char proxy_schemes[PF_PROXY_SCHEMES_MAX]; /* PF_CHK_PROXY_AUTH: the Proxy-Authenticate schemes */
	pf_net_check6 v6;                   /* the IPv6 attempt (status PF_CHK_NOT_RUN when there was none) */
} pf_net_check;

/* IPv6 on the chosen adapter (efi/net/net_ip6.c): what router advertisements and DHCPv6 gave the firmware. */
typedef struct {
	bool checked;                       /* the firmware has an IPv6 stack and we looked */
	bool offered;                       /* a global (not link-local) address came within the wait */
	bool router;                        /* a router advertised itself (a route beyond the link-local one) */
	char addresses[PF_NET_MAX_IP6][PF_IP6_STR_MAX];
	size_t n_addresses;
	char dns_servers[PF_NET_MAX_IP6][PF_IP6_STR_MAX];
	size_t n_dns_servers;
	const char *how;                    /* "slaac" (an EUI-64 interface identifier), "dhcpv6", NULL none */
	bool dns_by_ra;                     /* dns_servers came from a router advertisement's RDNSS option, not DHCPv6 */
	uint32_t ms;                        /* from the policy switch to the address (or the end of the wait) */
	uint32_t checks_ms;                 /* the IPv6 checks together */
	char error[96];                     /* why IPv6 could not be looked at, "" otherwise */
} pf_net_ipv6;

typedef enum {
	PF_PROXY_NONE,        /* every check direct */
	PF_PROXY_CONFIGURED,  /* network.proxy */
	PF_PROXY_PAC,         /* a PAC file: found by WPAD, or network.pac_url */
} pf_proxy_source;

typedef enum {
	PF_PAC_FROM_NONE,
	PF_PAC_FROM_DHCP,     /* WPAD: DHCP option 252 */
	PF_PAC_FROM_DNS,      /* WPAD: http://wpad.<domain>/wpad.dat */
	PF_PAC_FROM_CONFIG,   /* network.pac_url */
	PF_PAC_FROM_INFORM,   /* WPAD: DHCP option 252 from the DHCPACK to our DHCPINFORM (the lease had none) */
} pf_pac_from;

/* One proxy server the checks may go through. */
typedef struct {
	pf_hostport at;
	char addr[16];                      /* its IPv4 address, "" when it did not resolve */
	char error[PF_NET_DETAIL_MAX];      /* why it could not be reached at all, "" otherwise */
} pf_net_proxy;

/* How the way out was chosen: a configured proxy, or WPAD and the PAC file's answers. */
typedef struct {
	pf_proxy_source source;
	pf_net_proxy list[PF_NET_MAX_PROXIES];
	size_t n;
	bool wpad_checked;                  /* network.proxy_discovery = wpad ran */
	char wpad_dns[PF_WPAD_MAX_CANDIDATES][PF_HOST_MAX + 1]; /* the wpad names asked, in order */
	size_t n_wpad_dns;
	char inform[96];                    /* the DHCPINFORM asked for 252: "DHCPACK with option 252", "no DHCPACK (3 sent)"; "" not sent */
	uint32_t inform_ms;                 /* until its answer, or the whole wait without one (with inform[] set) */
	pf_pac_from pac_from;
	char pac_url[PF_WPAD_URL_MAX + 1];  /* "" none found */
	size_t pac_size;
	char pac_sha256[65];
	uint32_t pac_fetch_ms, pac_eval_ms; /* fetching, and every FindProxyForURL call together */
	char pac_error[PF_NET_DETAIL_MAX];  /* why the PAC file could not be used; the checks then went direct */
} pf_net_proxies;

/* Checks a proxy can carry (an HTTP proxy tunnels TCP): NTP and name lookups stay the device's own. */
bool pf_net_kind_proxied(pf_ep_kind k);

/* 802.1X on the port (efi/net/net_dot1x.c): what answered our EAPOL-Start while DHCP ran. */
typedef struct {
	bool probed;                        /* an EAPOL-Start went out (false: disabled, no adapter, or see error) */
	pf_dot1x_frame frame;               /* the most telling frame an authenticator sent */
	char authenticator[18];             /* its MAC, "" when nothing came */
	uint8_t eap_method;                 /* PF_DOT1X_EAP_REQUEST_METHOD: the EAP type asked for (13 TLS, 25 PEAP) */
	uint32_t ms;                        /* first EAPOL-Start to that frame; with nothing, the time listened */
	uint32_t starts;                    /* EAPOL-Starts sent */
	uint32_t timeout_ms;                /* network.dot1x_timeout_ms in force (0: not probed) */
	char error[64];                     /* why the probe could not run, "" otherwise */
} pf_net_dot1x;

/* True when an authenticator answered: the port asks for 802.1X. */
bool pf_net_dot1x_asks(const pf_net_dot1x *d);

typedef enum {
	PF_NET_STAGE_NICS,     /* stopped at interface selection */
	PF_NET_STAGE_DHCP,     /* stopped at DHCP */
	PF_NET_STAGE_CHECKS,   /* the checks ran */
} pf_net_stage;

typedef struct pf_net_result {
	pf_net_stage reached;
	/* interfaces */
	size_t n_nics, n_wired, n_wired_media, n_wireless;
	char nics_used[PF_NET_MAX_NICS][18];
	size_t n_nics_used;
	/* address */
	bool has_ipv4;
	char ipv4[16], netmask[16], gateway[16];
	char dns_servers[PF_NET_MAX_DNS][16];
	size_t n_dns_servers;
	uint32_t dhcp_ms;
	char dhcp_domain[PF_HOST_MAX + 1];  /* DHCP option 15, "" none (or not readable: the ip4config2 path) */
	char wpad_dhcp[256];                /* DHCP option 252, the WPAD PAC URL, "" none */
	const char *dhcp_method;            /* "dhcp4-first-offer" (our DHCP4 child) or "ip4config2" (the fallback) */
	const char *policy_before;
	char static_before[16];             /* the manual address a static policy had ("" none) */          /* the adapter's IPv4 policy before DHCP: "static", "dhcp" or NULL */
	pf_net_proxies proxy;
	pf_net_dot1x dot1x;
	pf_net_ipv6 ipv6;
	/* checks */
	pf_net_check *checks;
	size_t n_checks;
	uint32_t checks_ms;                 /* the checks together (all concurrent) */
	uint32_t timeout_ms;                /* network.timeout_ms in force */
	bool has_clock_skew;
	int64_t clock_skew_s;
	const char *clock_source;           /* "ntp time.windows.com", "http-date HOST" */
	char clock_source_buf[PF_HOST_MAX + 16];
	uint64_t duration_ms;               /* the whole phase */
	/* TLS (https checks): entropy source, trust anchors, \preflight\certs files that could not be used */
	const char *entropy;                /* "rng-protocol", "rdrand", "weak"; NULL when no TLS check ran */
	size_t roots_builtin, roots_extra;
	char certs_bad[PF_NET_MAX_BAD_CERTS][96]; /* "file: reason" */
	size_t n_certs_bad;
} pf_net_result;

/* Allocates one check per endpoint, all PF_CHK_NOT_RUN. */
PF_MUST_CHECK pf_status pf_net_result_init(pf_net_result *r, const pf_endpoints *eps);
void pf_net_result_free(pf_net_result *r);

/* Chooses the clock skew: NTP first, else the first HTTP Date header in table order. */
void pf_net_pick_skew(pf_net_result *r);

/* Records a as the check's IPv6 address: its text, and the NAT64 prefix and IPv4 address it embeds, if any. */
void pf_net_check6_set_addr(pf_net_check6 *v, const uint8_t a[16]);
/* How many IPv6 attempts went to an address in a NAT64 prefix; ret_prefix: the first one's (NULL when none). */
size_t pf_net_nat64_checks(const pf_net_result *r, const char **ret_prefix);
/* IPv6-only: no IPv4 address, but IPv6 was offered and its checks ran; the verdict comes from them. */
bool pf_net_ipv6_only(const pf_net_result *r);
/* The status a check's verdict comes from: IPv4's, or IPv6's on an IPv6-only network. */
pf_chk_status pf_net_check_status(const pf_net_result *r, const pf_net_check *c);

/* Adds the NET-* findings the result calls for (per check, naming host and step). */
void pf_net_findings(const pf_net_result *r, const pf_config *c, pf_findings *f);

/* The contract's `network` object as member `key` (NULL r writes null). */
void pf_net_json(pf_json *j, const char *key, const pf_net_result *r);

/* The proxy of the check's hop, NULL when it went direct. */
const pf_net_proxy *pf_net_check_proxy(const pf_net_result *r, const pf_net_check *c);

/* How the check went: "direct", "proxy HOST:PORT (configured)", "proxy HOST:PORT via PAC URL". */
void pf_net_check_path(const pf_net_result *r, const pf_net_check *c, char *buf, size_t cap);

/* A few lines for the screen and the text report. */
void pf_net_text(const pf_net_result *r, pf_buf *out);

#endif
