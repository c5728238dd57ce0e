/* The endpoint check's state machine, shared by net_check.c (DNS, TCP, TLS, HTTP, NTP) and net_check_route.c (hops, proxies). */
#ifndef PF_EFI_NET_CHECK_INT_H
#define PF_EFI_NET_CHECK_INT_H

#include "net.h"
#include "ntp.h"

#define HTTP_BUF (16 * 1024)

typedef enum {
	CK_DNS, CK_TCP_CONFIG, CK_TCP_CONNECT, CK_PROXY, CK_HTTP, CK_TLS, CK_TLS_HTTP, CK_UDP_CONFIG, CK_NTP, CK_DONE
} ck_state;

struct net_check {
	pf_net_check *out;
	const net_env *env;
	ck_state state;
	uint64_t deadline;         /* the check's own limit */
	uint64_t hop_deadline;     /* this hop's share of it: connection stages that can fall back to the next hop */
	char fallen[PF_NET_DETAIL_MAX / 2]; /* hops given up before this one, for the detail */
	EFI_IPv4_ADDRESS addr;
	net_dns dns;
	net_tcp tcp;
	net_udp udp;
	bool dns_open, tcp_open, udp_open;
	net_tls *tls;              /* https: the TLS engine over tcp */
	char tls_summary[96];
	uint8_t *buf;              /* HTTP answer so far */
	UINT32 len;
	char req[1024];          /* a CONNECT or proxy GET names the host twice (2 x 253) */
	uint8_t ntp[PF_NTP_PACKET];
	uint64_t cookie;
};

/* net_check.c */
void ck_release(net_check *c);
/* Ends the check with status st and its detail (the hops given up appended), releasing what it holds. */
void ck_finish(net_check *c, uint64_t now, pf_chk_status st, const char *fmt, ...) PF_PRINTF(4, 5);
void ck_start_tls(net_check *c, uint64_t now);
void ck_step_tls(net_check *c, uint64_t now);
typedef void (*judge_fn)(net_check *c, uint64_t now, bool closed);
bool ck_read_answer(net_check *c, uint64_t now, judge_fn judge, EFI_STATUS *ret_err);
void ck_send_request(net_check *c, uint64_t now, size_t n, ck_state next, pf_chk_status fail);

/* net_check_route.c */
const pf_net_proxy *ck_hop_proxy(const net_check *c, const EFI_IPv4_ADDRESS **ret_addr);
void ck_start_hop(net_check *c, uint64_t now);
void ck_fail_hop(net_check *c, uint64_t now, pf_chk_status st, const char *fmt, ...) PF_PRINTF(4, 5);
void ck_start_connect(net_check *c, uint64_t now);
void ck_step_proxy(net_check *c, uint64_t now);

#endif
