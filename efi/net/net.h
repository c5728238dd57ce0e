/* The network phase's firmware glue: NIC choice, DHCP, and DNS4/TCP4/UDP4 operations as pollable objects. */
#ifndef PF_EFI_NET_H
#define PF_EFI_NET_H

#include <efi.h>
#include <efilib.h>
#include "net_proto.h"
#include "netresult.h"
#include "wpad.h"
#include "dhcpinform.h"
#include "identity.h"
#include "trust.h"
#include "entropy.h"

#define NET_MAX_DNS PF_NET_MAX_DNS

/* ---- net_util.c ---- */
/* An EVT_NOTIFY_SIGNAL event whose notify function sets *flag; the token-completion pattern. */
EFI_STATUS net_event(volatile BOOLEAN *flag, EFI_EVENT *ret_event);
void net_event_close(EFI_EVENT *ev);
/* A child of the service binding sb_guid on nic, and its protocol proto_guid. */
EFI_STATUS net_child_create(EFI_HANDLE nic, EFI_GUID *sb_guid, EFI_GUID *proto_guid, EFI_HANDLE *ret_child,
			    void **ret_proto);
void net_child_destroy(EFI_HANDLE nic, EFI_GUID *sb_guid, EFI_HANDLE *child);
void net_ip_str(const EFI_IPv4_ADDRESS *a, char buf[16]);
bool net_ip_zero(const EFI_IPv4_ADDRESS *a);

/* ---- net_nic.c ---- */
/* Counts adapters into r, marks the chosen one in id->nics; ret_nic is the handle with the IP stack of the
 * first wired adapter with link. EFI_NOT_FOUND when no adapter is usable (the counts say why). */
EFI_STATUS net_nic_select(pf_net_result *r, pf_identity *id, EFI_HANDLE *ret_nic);
/* The adapter the PC booted from (PXE, HTTP boot: its MAC node), "" none: net_nic_select takes it
 * when it is usable, before any other. */
void net_nic_prefer(const char *mac);

/* ---- net_dhcp4.c ---- */
typedef struct {
	EFI_IPv4_ADDRESS address, mask, router;
	EFI_IPv4_ADDRESS dns[NET_MAX_DNS];
	UINTN n_dns;
	char domain[PF_HOST_MAX + 1];       /* option 15, "" none */
	char wpad[PF_WPAD_URL_MAX + 1];     /* option 252 (the PAC file's URL), "" none */
} net_lease;
/* A DHCP lease from our own DHCP4 child, taking the first offer; EFI_TIMEOUT at deadline_ms (clock_ms). */
EFI_STATUS net_dhcp4_lease(EFI_HANDLE nic, uint64_t deadline_ms, net_lease *ret);

/* ---- net_dhcp.c ---- */
/* Puts back a static IPv4 configuration that net_dhcp replaced by DHCP (no-op otherwise). */
EFI_STATUS net_dhcp_restore(void);
/* DHCP within limit_ms: our DHCP4 child's first offer applied as IP4Config2 static settings, else
 * IP4Config2's own DHCP policy; address, mask, gateway and DNS servers into r and ret_dns. */
EFI_STATUS net_dhcp(EFI_HANDLE nic, uint32_t limit_ms, bool first_offer, pf_net_result *r, EFI_IPv4_ADDRESS ret_dns[NET_MAX_DNS],
		    UINTN *ret_n_dns);

/* ---- net_dot1x.c: is there an 802.1X authenticator on the port? ---- */
typedef struct net_dot1x net_dot1x;
/* Sends an EAPOL-Start on nic now (again after 250 ms, then every second) through an MNP child for EtherType
 * 0x888E and listens for an authenticator, at most timeout_ms, on a timer of its own: DHCP and the checks go
 * on meanwhile. On failure out->error says why (the probe did not run); on success net_dot1x_finish must
 * follow. */
EFI_STATUS net_dot1x_start(EFI_HANDLE nic, uint32_t timeout_ms, pf_net_dot1x *out, net_dot1x **ret_probe);
/* How long net_dot1x_finish would still wait: the probe listens at least 500 ms (two EAPOL-Starts) and at
 * most timeout_ms; beyond the floor only while the phase still runs. 0 once an answer came. */
uint32_t net_dot1x_wait_ms(const net_dot1x *p);
/* Waits net_dot1x_wait_ms, releases the child, events and timer, writes the outcome into out and frees p. */
void net_dot1x_finish(net_dot1x *p, pf_net_dot1x *out);

/* ---- net_dns.c: one DNS4 lookup ---- */
typedef struct {
	EFI_HANDLE nic, child;
	PF_DNS4_PROTOCOL *dns;
	PF_DNS4_COMPLETION_TOKEN token;
	volatile BOOLEAN done;
	bool pending;
	CHAR16 name[PF_HOST_MAX + 1];
} net_dns;

EFI_STATUS net_dns_start(net_dns *d, EFI_HANDLE nic, EFI_IPv4_ADDRESS *servers, UINTN n, const char *host);
bool net_dns_done(net_dns *d);
/* After net_dns_done: the lookup's status and its first address. */
EFI_STATUS net_dns_result(net_dns *d, EFI_IPv4_ADDRESS *ret_addr);
/* Cancels a pending lookup, frees the answer, destroys the child; safe to call twice. */
void net_dns_stop(net_dns *d);

/* ---- net_tcp.c: one TCP4 (or TCP6) connection ---- */
typedef struct {
	EFI_HANDLE nic, child;
	EFI_TCP4 *tcp;
	EFI_TCP6 *tcp6;       /* net_tcp_open6: the same calls over TCP6 (its tokens have the TCP4 layout) */
	EFI_TCP4_CONNECTION_TOKEN conn;
	EFI_TCP4_IO_TOKEN tx, rx;
	EFI_TCP4_TRANSMIT_DATA txd;
	EFI_TCP4_RECEIVE_DATA rxd;
	volatile BOOLEAN conn_done, tx_done, rx_done;
	bool configured, conn_pending, tx_pending, rx_pending;
} net_tcp;

EFI_STATUS net_tcp_open(net_tcp *t, EFI_HANDLE nic);
/* A TCP6 child instead: connect, send, receive, poll and stop work the same; configure with net_tcp_configure6. */
EFI_STATUS net_tcp_open6(net_tcp *t, EFI_HANDLE nic);
/* src: the source address (a global one for an off-link destination), NULL to let the IP6 driver choose. */
EFI_STATUS net_tcp_configure6(net_tcp *t, const EFI_IPv6_ADDRESS *src, const EFI_IPv6_ADDRESS *addr, UINT16 port);
/* EFI_NO_MAPPING: the address is not ready yet, call again later. */
EFI_STATUS net_tcp_configure(net_tcp *t, const EFI_IPv4_ADDRESS *addr, UINT16 port);
EFI_STATUS net_tcp_connect(net_tcp *t);
EFI_STATUS net_tcp_send(net_tcp *t, void *buf, UINT32 len);
/* Posts one receive into buf; when rx_done, rx.CompletionToken.Status and rxd.DataLength tell. */
EFI_STATUS net_tcp_recv(net_tcp *t, void *buf, UINT32 cap);
void net_tcp_poll(net_tcp *t);
/* Aborts the connection (RST), flushes every token, destroys the child; safe to call twice. */
void net_tcp_stop(net_tcp *t);

/* ---- net_udp.c: one UDP4 exchange ---- */
typedef struct {
	EFI_HANDLE nic, child;
	EFI_UDP4 *udp;
	EFI_UDP4_COMPLETION_TOKEN tx, rx;
	EFI_UDP4_TRANSMIT_DATA txd;
	EFI_UDP4_SESSION_DATA to;  /* net_udp_send_to: the destination of an unconnected child */
	volatile BOOLEAN tx_done, rx_done;
	bool configured, tx_pending, rx_pending;
} net_udp;

EFI_STATUS net_udp_open(net_udp *u, EFI_HANDLE nic);
EFI_STATUS net_udp_configure(net_udp *u, const EFI_IPv4_ADDRESS *addr, UINT16 port);
EFI_STATUS net_udp_send(net_udp *u, void *buf, UINT32 len);
/* A child on local port `port` (shared: the firmware's DHCP4 holds 68 too), taking datagrams from anyone,
 * broadcasts included; it sends with net_udp_send_to. */
EFI_STATUS net_udp_configure_listen(net_udp *u, UINT16 port);
EFI_STATUS net_udp_send_to(net_udp *u, const EFI_IPv4_ADDRESS *addr, UINT16 port, void *buf, UINT32 len);
EFI_STATUS net_udp_recv(net_udp *u);
/* After rx_done: copies the datagram (at most cap bytes) and gives the buffer back to the driver. */
EFI_STATUS net_udp_take(net_udp *u, void *buf, UINT32 cap, UINT32 *ret_len);
void net_udp_poll(net_udp *u);
void net_udp_stop(net_udp *u);

/* ---- net_trust.c, net_tls.c: TLS 1.2 with BearSSL over a check's TCP4 connection ---- */
/* What every TLS check shares: trust anchors, the entropy source, the best time known. */
typedef struct {
	pf_trust trust;
	entropy_source entropy;       /* the best source, probed once */
	entropy_source entropy_worst; /* the weakest any handshake got (a source can fail later) */
	bool rtc_ok;                  /* the RTC at t0_ms, in Unix seconds */
	int64_t rtc_unix;
	uint64_t t0_ms;
	bool has_server_time;         /* a server's time arrived: NTP, else an HTTP Date */
	bool server_time_ntp;
	int64_t server_skew_s;        /* server minus RTC */
	char time_source[PF_HOST_MAX + 16];
} net_tls_env;

/* Built-in roots (build/gen/roots.c) and the stick's \preflight\certs\*.pem|cer|der into t; counts and
 * unusable files (by name, with the reason) into r. */
void net_trust_load(pf_trust *t, pf_net_result *r);

/* Sets up env for the checks starting now: roots, entropy source, RTC. */
EFI_STATUS net_tls_env_init(net_tls_env *env, pf_net_result *r);
/* A server's time (NTP preferred over HTTP Date) for the certificate dates of later handshakes. */
void net_tls_env_note_time(net_tls_env *env, int64_t skew_s, bool ntp, const char *host);
void net_tls_env_free(net_tls_env *env);

typedef struct net_tls net_tls;
typedef enum { NET_TLS_BUSY, NET_TLS_READY, NET_TLS_CLOSED, NET_TLS_FAILED } net_tls_state;

/* A client engine for host (SNI and name check) over the connected tcp; nothing is sent before the pump. */
EFI_STATUS net_tls_new(net_tcp *tcp, net_tls_env *env, const char *host, net_tls **ret_tls);
/* Moves records between the engine and the connection without waiting. READY: the handshake is done and
 * application data can flow; CLOSED: the server ended the connection after the handshake. */
net_tls_state net_tls_pump(net_tls *t);
/* Queues application data and flushes it; false when the engine cannot take it now. */
bool net_tls_write(net_tls *t, const void *data, size_t len);
/* True while records are still to go out: queued in the engine, in a TCP4 transmit, or one that failed. */
bool net_tls_sending(net_tls *t);
/* Takes up to cap bytes of received application data; 0 when none is waiting. The engine takes the
 * server's records while ours are queued, so an answer can be read before the request is all out. */
size_t net_tls_read(net_tls *t, void *buf, size_t cap);
/* After NET_TLS_FAILED: PF_CHK_TLS_UNTRUSTED or PF_CHK_TLS_FAILED and the reason. */
pf_chk_status net_tls_failure(net_tls *t, char *out, size_t cap);
/* After READY: "TLS 1.2 ECDHE-RSA-AES128-GCM-SHA256, dates vs NTP time.windows.com". */
void net_tls_summary(net_tls *t, char *out, size_t cap);
/* Frees the engine; call after net_tcp_stop() (the connection's buffers are the engine's). */
void net_tls_free(net_tls *t);

/* ---- net_check.c: one endpoint check as a state machine ---- */
typedef struct {
	net_tls_env *tls;     /* shared by the https checks; mutable through this pointer */
	EFI_HANDLE nic;
	EFI_IPv4_ADDRESS dns[NET_MAX_DNS];
	UINTN n_dns;
	uint64_t t0;          /* clock_ms() when the checks started */
	uint32_t limit_ms;    /* network.timeout_ms */
	const pf_net_proxies *proxy; /* the proxies the checks' routes name; NULL: every check direct */
	EFI_IPv4_ADDRESS proxy_addr[PF_NET_MAX_PROXIES]; /* valid where that proxy's error is empty */
	int link_proxy;       /* the proxy (index) the exchanges after the checks take; -1: direct */
} net_env;

typedef struct net_check net_check;
net_check *net_check_new(pf_net_check *out, const net_env *env);
/* Advances the check as far as it can without waiting; true once it has finished (out is final). */
bool net_check_step(net_check *c, uint64_t now);
/* Ends the check now (the deadline or the phase's end), releasing everything it holds, and frees it. */
void net_check_free(net_check *c, uint64_t now);

/* ---- net_proxy.c ---- */
/* The way out for every check, before they start: network.proxy, else (network.proxy_discovery = wpad)
 * WPAD's PAC file or network.pac_url, evaluated per endpoint; each proxy resolved once (a name by DNS4
 * within env->limit_ms) into env->proxy_addr, a proxy that cannot be resolved keeps its error (the checks
 * through it fall back or fail with it). Nothing found: env->proxy is NULL and every check goes direct. */
void net_proxy_setup(const pf_config *c, pf_net_result *r, net_env *env);
/* A name's IPv4 address (a dotted literal as it is) by one DNS4 lookup within limit_ms; why says why not. */
EFI_STATUS net_resolve_name(const net_env *env, const char *host, uint32_t limit_ms, EFI_IPv4_ADDRESS *ret_addr,
			    char *why, size_t cap);
/* Resolves proxy p (a literal as it is) within limit_ms; on failure p->error says why. */
EFI_STATUS net_proxy_resolve(const net_env *env, pf_net_proxy *p, uint32_t limit_ms, EFI_IPv4_ADDRESS *ret_addr);
/* ---- net_pac.c ---- */
/* WPAD (DHCP option 252, else wpad.<domain> by devolution) or network.pac_url: the PAC file fetched and
 * FindProxyForURL evaluated per tcp/http/https check into its route; a PAC that cannot be used leaves
 * every check direct with r->proxy.pac_error set. */
void net_pac_setup(const pf_config *c, pf_net_result *r, net_env *env);

/* Over t, connected to proxy p: CONNECT host:port, waiting for the answer's head (in buf, cap bytes; the
 * caller keeps buf until t is stopped) and for our transmit to finish, all before deadline. EFI_SUCCESS: a
 * 2xx, the tunnel is open and t has no token pending. Otherwise *ret_status is PF_CHK_PROXY_AUTH (407),
 * PF_CHK_PROXY_REFUSED (another status) or PF_CHK_PROXY_FAILED (no answer, not HTTP), and why says so. */
EFI_STATUS net_tunnel(net_tcp *t, const pf_net_proxy *p, const char *host, UINT16 port, uint64_t deadline, uint8_t *buf,
		      size_t cap, pf_chk_status *ret_status, char *why, size_t why_cap);

/* ---- net_inform.c: DHCPINFORM for option 252 ---- */
/* Broadcasts a DHCPINFORM from the lease's address and waits (at most wait_ms, resending) for the DHCPACK;
 * r->proxy.inform says what happened. EFI_SUCCESS: *ret holds the answer (with or without 252). */
EFI_STATUS net_dhcp_inform(EFI_HANDLE nic, pf_net_result *r, uint32_t wait_ms, pf_dhcp_inform_answer *ret);

/* ---- net_fetch.c: one HTTP(S) exchange that waits, bounded by a deadline (after the phase) ---- */
/* The adapter and DNS servers the phase got an address on, for later exchanges. */
typedef struct {
	EFI_HANDLE nic;
	EFI_IPv4_ADDRESS dns[NET_MAX_DNS];
	UINTN n_dns;
	net_tls_env *tls;     /* https: roots, entropy, time; NULL makes https fail */
	const pf_net_proxy *proxy; /* the phase's proxy: every exchange goes through it; NULL: direct */
	EFI_IPv4_ADDRESS proxy_addr;
	/* An IPv6-only network (no IPv4 address, so no proxy either): DNS6 to dns6, TCP6 from src6, the global
	 * address SLAAC or DHCPv6 gave; valid until net_phase_end. */
	bool v6;
	EFI_IPv6_ADDRESS dns6[PF_NET_MAX_IP6];
	UINTN n_dns6;
	EFI_IPv6_ADDRESS src6;
} net_link;

typedef struct {
	pf_chk_status status; /* PF_CHK_OK: an answer arrived (whatever its HTTP status); else why not */
	char addr[PF_IP6_STR_MAX]; /* the resolved address (IPv4 or IPv6), "" before DNS answered */
	char detail[PF_NET_DETAIL_MAX];
} net_fetch_outcome;

/* Resolves host, connects to port (TLS 1.2 when https), sends req while reading the answer until the
 * server closes or its Content-Length is complete, all before deadline (clock_ms). An answer that came
 * before the request was all sent (the server then closed or reset) counts like any other. EFI_SUCCESS:
 * *ret_buf (pool, at most cap bytes, the caller frees it) and *ret_len hold the answer; otherwise out
 * says why ("connection closed while sending the request" only when no answer byte came). */
EFI_STATUS net_fetch(const net_link *l, const char *host, UINT16 port, bool https, const void *req, size_t req_len,
		     uint64_t deadline, size_t cap, net_fetch_outcome *out, uint8_t **ret_buf, size_t *ret_len);
/* net_fetch for a request that holds a secret (a bearer token, a device code): req (pool, cap bytes)
 * is sent only when req_len < cap (else its building ran out of room), then always wiped and freed.
 * On failure, why gets the reason for a finding ("tcp-timeout, ..." or "request too long"). */
EFI_STATUS net_fetch_secret(const net_link *l, const char *host, UINT16 port, bool https, char *req, size_t req_len,
			    size_t cap, uint64_t deadline, size_t answer_max, uint8_t **ret_buf, size_t *ret_len,
			    char *why, size_t why_cap);

/* ---- net_run.c ---- */
/* The whole network phase; *ret_result is allocated (pf_net_result) even when it stopped early. */
EFI_STATUS net_phase(const pf_config *c, pf_identity *id, pf_findings *f, pf_net_result **ret_result);
void net_result_destroy(pf_net_result *r);
/* The adapter and DNS servers of the last phase that got an address (tls NULL): its IPv4 lease, else (an
 * IPv6-only network) its IPv6 address; false when it got none. */
bool net_phase_link(net_link *ret_link);
/* After the exchanges that follow the phase (Graph, the upload): puts back the IPv6 policy the phase kept for
 * them on an IPv6-only network (dropping the addresses it gave) and forgets the link; no-op otherwise. */
void net_phase_end(void);

#endif
