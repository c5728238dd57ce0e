/* The network phase: choose the adapter, DHCP (with the 802.1X probe alongside), then every endpoint check at once, each bounded by the limit. */
#include "net.h"
#include "net6.h"
#include "clock.h"
#include "fmt.h"
#include "log.h"

#define LOOP_STALL_US 1000   /* the stack runs on its own timers; this only paces the polling */
#define BACKSTOP_MS 1000     /* past limit + this, every check still running is ended */

/* The adapter the last phase got an address on: the online record lookup runs over it later. */
static net_link last_link;
static pf_net_proxy last_proxy; /* a copy: the phase's result may be freed before the last exchange */
static bool has_last_link;
static net_ip6 *kept_ip6;       /* an IPv6-only network's configuration, until net_phase_end */

bool net_phase_link(net_link *ret_link)
{
	if (!has_last_link)
		return false;
	*ret_link = last_link;
	return true;
}

void net_phase_end(void)
{
	net_ip6_finish(kept_ip6);
	kept_ip6 = NULL;
	if (last_link.v6)
		has_last_link = false; /* its address is gone with the policy */
}

/* An IPv6-only network: the Graph lookup and the upload after the phase need its address, which putting the
 * policy back would drop; so it stays until net_phase_end. */
static void keep_ip6(EFI_HANDLE nic, net_ip6 *ip6)
{
	UINTN n = 0;
	const EFI_IPv6_ADDRESS *dns = net_ip6_dns(ip6, &n);
	last_link = (net_link){ .nic = nic, .v6 = true, .n_dns6 = PF_MIN(n, (UINTN)PF_NET_MAX_IP6),
				.src6 = *net_ip6_source(ip6) };
	if (dns)
		memcpy(last_link.dns6, dns, last_link.n_dns6 * sizeof(*dns));
	kept_ip6 = ip6;
	has_last_link = true;
}

/* The IPv4 checks (none without an IPv4 address) and the IPv6 ones (six, when IPv6 is offered) side by side. */
static void run_checks(pf_net_result *r, net_env *env, net_checks6 *six)
{
	net_check **cs = pf_malloc(r->n_checks * sizeof(*cs));
	bool *done = pf_malloc(r->n_checks * sizeof(*done));
	if (!cs || !done) {
		pf_free(cs);
		pf_free(done);
		for (size_t i = 0; i < r->n_checks; i++)
			r->checks[i].status = PF_CHK_ERROR;
		return;
	}
	env->t0 = clock_ms();
	for (size_t i = 0; i < r->n_checks; i++) {
		cs[i] = r->has_ipv4 ? net_check_new(&r->checks[i], env) : NULL;
		done[i] = cs[i] == NULL;
		if (!cs[i] && r->has_ipv4)
			r->checks[i].status = PF_CHK_ERROR;
	}
	/* No check waits for another: each step only looks at its own tokens and its own deadline. */
	uint64_t backstop = env->t0 + env->limit_ms + BACKSTOP_MS;
	uint64_t v4_end = 0; /* checks_ms is the IPv4 checks' time, whatever IPv6 still does */
	for (;;) {
		uint64_t now = clock_ms();
		size_t left = 0;
		for (size_t i = 0; i < r->n_checks; i++)
			if (!done[i] && !(done[i] = net_check_step(cs[i], now)))
				left++;
		if (left && now >= backstop) {
			/* Past the IPv4 checks' own limit: end them here; the IPv6 ones keep their own deadline. */
			for (size_t i = 0; i < r->n_checks; i++)
				if (!done[i]) {
					net_check_free(cs[i], now);
					cs[i] = NULL;
					done[i] = true;
				}
			left = 0;
		}
		if (!left && !v4_end)
			v4_end = now;
		bool busy6 = net_checks6_step(six, env->tls, now);
		uint64_t six_end = net_checks6_deadline(six);
		if ((!left && !busy6) || (six_end && now >= six_end + BACKSTOP_MS))
			break;
		BS->Stall(LOOP_STALL_US);
	}
	uint64_t end = clock_ms();
	for (size_t i = 0; i < r->n_checks; i++)
		net_check_free(cs[i], end);
	r->checks_ms = (uint32_t)((v4_end ? v4_end : end) - env->t0);
	pf_free(cs);
	pf_free(done);
}

/* The TLS environment (roots, entropy, time) when an https endpoint is in the list or a PAC file may be fetched
 * over https (network.pac_url, DHCP option 252): opened before the proxy setup, closed after the checks. */
static bool tls_open(const pf_config *c, pf_net_result *r, net_env *env, net_tls_env *tls)
{
	bool want = !c->network_proxy && (c->network_pac_url || c->network_wpad);
	for (size_t i = 0; i < r->n_checks; i++)
		want |= r->checks[i].ep.kind == PF_EP_HTTPS;
	if (!want)
		return false;
	if (EFI_ERROR(net_tls_env_init(tls, r)))
		con_printf("Network: TLS cannot be checked (no trust anchor).\n");
	else
		env->tls = tls;
	return true;
}

static void tls_close(pf_net_result *r, net_env *env, net_tls_env *tls, bool opened)
{
	if (!opened)
		return;
	r->entropy = r->entropy ? entropy_source_str(tls->entropy_worst) : NULL;
	net_tls_env_free(tls);
	env->tls = NULL;
}

EFI_STATUS net_phase(const pf_config *c, pf_identity *id, pf_findings *f, pf_net_result **ret_result)
{
	uint64_t t_phase = clock_ms();
	pf_net_result *r = pf_malloc(sizeof(*r));
	if (!r)
		return log_error_status(EFI_OUT_OF_RESOURCES, "network phase");
	*r = (pf_net_result){ .reached = PF_NET_STAGE_NICS, .timeout_ms = c->network_timeout_ms };

	pf_endpoints eps;
	char err[200];
	if (pf_endpoints_build(c->network_endpoints, c->network_extra_endpoints, &eps, err, sizeof(err)) != PF_OK) {
		con_printf("network.endpoints: %s; checking the built-in table instead.\n", err);
		if (pf_endpoints_build(NULL, NULL, &eps, err, sizeof(err)) != PF_OK) {
			pf_free(r);
			return log_error_status(EFI_OUT_OF_RESOURCES, "network phase");
		}
	}
	pf_status st = pf_net_result_init(r, &eps);
	pf_endpoints_free(&eps);
	if (st != PF_OK) {
		pf_free(r);
		return log_error_status(EFI_OUT_OF_RESOURCES, "network phase");
	}
	*ret_result = r;

	EFI_HANDLE nic = NULL;
	net_env env = { .limit_ms = c->network_timeout_ms };
	net_phase_end(); /* a previous run's, had it been left */
	has_last_link = false; /* this phase's link or none: never an earlier run's */
	if (!EFI_ERROR(net_nic_select(r, id, &nic))) {
		/* The 802.1X probe runs on its own timer alongside DHCP and the checks (efi/net/net_dot1x.c). */
		net_dot1x *dot1x = NULL;
		if (c->dot1x_timeout_ms)
			(void)net_dot1x_start(nic, c->dot1x_timeout_ms, &r->dot1x, &dot1x); /* a failure is in r->dot1x.error */
		/* IPv6 (SLAAC, DHCPv6) comes up on the firmware's timers while DHCPv4 runs (efi/net/net_ip6.c). */
		net_ip6 *ip6 = NULL;
		if (c->ipv6_wait_ms)
			(void)net_ip6_start(nic, c->ipv6_wait_ms, &r->ipv6, &ip6); /* a failure is in r->ipv6.error */
		else
			pf_snprintf(r->ipv6.error, sizeof(r->ipv6.error), "off (network.ipv6_wait_ms = 0)");
		net_checks6 *six = net_checks6_new(r, nic, ip6, c->network_timeout_ms);
		r->reached = PF_NET_STAGE_DHCP;
		con_progress("Network: DHCP on %s (at most %u ms)...\n", r->nics_used[0], (unsigned)c->dhcp_timeout_ms);
		env.nic = nic;
		if (!EFI_ERROR(net_dhcp(nic, c->dhcp_timeout_ms, c->dhcp_first_offer, r, env.dns, &env.n_dns))) {
			r->reached = PF_NET_STAGE_CHECKS;
			last_link = (net_link){ .nic = nic, .n_dns = env.n_dns };
			memcpy(last_link.dns, env.dns, sizeof(last_link.dns));
			has_last_link = true;
			net_tls_env tls;
			bool tls_on = tls_open(c, r, &env, &tls);
			net_proxy_setup(c, r, &env); /* an https PAC URL is fetched with the checks' TLS environment */
			if (env.proxy && env.link_proxy >= 0) {
				last_proxy = r->proxy.list[env.link_proxy];
				last_link.proxy = &last_proxy;
				last_link.proxy_addr = env.proxy_addr[env.link_proxy];
			}
			con_progress("Network: %s, checking %zu endpoints at once (at most %u ms)%s...\n", r->ipv4, r->n_checks,
				   (unsigned)c->network_timeout_ms, env.proxy ? ", through the proxy" : "");
			run_checks(r, &env, six);
			tls_close(r, &env, &tls, tls_on);
		} else if (six) {
			/* No IPv4: an IPv6-only network still carries Windows; its checks then give the verdict. */
			net_tls_env tls;
			bool tls_on = tls_open(c, r, &env, &tls);
			run_checks(r, &env, six);
			tls_close(r, &env, &tls, tls_on);
			if (r->ipv6.offered)
				r->reached = PF_NET_STAGE_CHECKS;
		}
		net_ip6 *keep = NULL;
		net_checks6_free(six, clock_ms(), r->has_ipv4 ? NULL : &keep);
		if (keep)
			keep_ip6(nic, keep);
		if (dot1x) {
			uint32_t wait = net_dot1x_wait_ms(dot1x);
			if (wait)
				con_progress("Network: listening for an 802.1X authenticator (%u ms more)...\n", (unsigned)wait);
			net_dot1x_finish(dot1x, &r->dot1x);
			if (pf_net_dot1x_asks(&r->dot1x))
				con_progress("Network: the port asks for 802.1X (%s from %s).\n", pf_dot1x_frame_str(r->dot1x.frame),
					     r->dot1x.authenticator);
		}
	}
	pf_net_pick_skew(r);
	pf_net_findings(r, c, f);
	r->duration_ms = clock_ms() - t_phase;
	return EFI_SUCCESS;
}

void net_result_destroy(pf_net_result *r)
{
	if (!r)
		return;
	pf_net_result_free(r);
	pf_free(r);
}
