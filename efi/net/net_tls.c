/* TLS 1.2 with BearSSL over a check's TCP4 connection: records pumped on token completion, never waiting. */
#include "net.h"
#include "clock.h"
#include "fmt.h"
#include "log.h"
#include "tlsverify.h"

#define TX_CAP BR_SSL_BUFSIZE_OUTPUT
#define RX_CAP (16 * 1024)

struct net_tls {
	br_ssl_client_context cc;
	pf_tls_x509 x509;
	uint8_t iobuf[BR_SSL_BUFSIZE_BIDI];
	uint8_t tx[TX_CAP];          /* a record copied out of the engine while TCP4 sends it */
	uint8_t rx[RX_CAP];          /* what TCP4 received, fed to the engine as it takes it */
	UINT32 rx_have, rx_off;
	net_tcp *tcp;
	net_tls_env *env;
	bool rx_posted, tx_posted, tx_failed, peer_closed, handshake_done;
	EFI_STATUS io_err;
	int64_t checked_at;          /* the time the certificate dates were checked against */
	const char *time_source;
	entropy_source entropy;
};

/* ---- the shared environment ---- */

EFI_STATUS net_tls_env_init(net_tls_env *env, pf_net_result *r)
{
	pf_time now;
	*env = (net_tls_env){ .t0_ms = clock_ms() };
	env->rtc_ok = !EFI_ERROR(clock_rtc(&now));
	if (env->rtc_ok)
		env->rtc_unix = pf_time_to_unix(&now);
	env->entropy = env->entropy_worst = entropy_probe();
	r->entropy = entropy_source_str(env->entropy);
	net_trust_load(&env->trust, r);
	if (env->trust.n == 0)
		return log_error_status(EFI_NOT_FOUND, "no trust anchor for the TLS checks");
	return EFI_SUCCESS;
}

void net_tls_env_note_time(net_tls_env *env, int64_t skew_s, bool ntp, const char *host)
{
	if (env->has_server_time && (env->server_time_ntp || !ntp))
		return;
	env->has_server_time = true;
	env->server_time_ntp = ntp;
	env->server_skew_s = skew_s;
	pf_snprintf(env->time_source, sizeof(env->time_source), "%s %s", ntp ? "NTP" : "HTTP Date", host);
}

void net_tls_env_free(net_tls_env *env)
{
	pf_trust_free(&env->trust);
}

/* The best time known now: the RTC, corrected by a server's time when one has answered. */
static bool best_time(const net_tls_env *env, int64_t *ret_unix, const char **ret_source)
{
	if (!env->rtc_ok)
		return false;
	int64_t t = env->rtc_unix + (int64_t)((clock_ms() - env->t0_ms) / 1000);
	if (env->has_server_time) {
		*ret_unix = t + env->server_skew_s;
		*ret_source = env->time_source;
	} else {
		*ret_unix = t;
		*ret_source = "RTC";
	}
	return true;
}

/* ---- one connection ---- */

EFI_STATUS net_tls_new(net_tcp *tcp, net_tls_env *env, const char *host, net_tls **ret_tls)
{
	net_tls *t = pf_malloc(sizeof(*t));
	if (!t)
		return log_error_status(EFI_OUT_OF_RESOURCES, "TLS context");
	memset(t, 0, sizeof(*t));
	t->tcp = tcp;
	t->env = env;
	t->time_source = "none";
	br_ssl_client_init_full(&t->cc, &t->x509.minimal, env->trust.items, env->trust.n);
	pf_tls_x509_wrap(&t->x509, &t->cc.eng);
	br_ssl_engine_set_versions(&t->cc.eng, BR_TLS12, BR_TLS12);
	br_ssl_engine_set_buffer(&t->cc.eng, t->iobuf, sizeof(t->iobuf), 1);

	uint8_t seed[32];
	entropy_get(env->entropy, seed, sizeof(seed), &t->entropy);
	env->entropy_worst = PF_MAX(env->entropy_worst, t->entropy);
	br_ssl_engine_inject_entropy(&t->cc.eng, seed, sizeof(seed));
	memset(seed, 0, sizeof(seed));
	if (!br_ssl_client_reset(&t->cc, host, 0)) {
		int e = br_ssl_engine_last_error(&t->cc.eng);
		pf_free(t);
		return log_error_status(EFI_DEVICE_ERROR, "TLS engine reset for %s: BearSSL error %d", host, e);
	}
	*ret_tls = t;
	return EFI_SUCCESS;
}

/* Collects finished TCP4 tokens. */
static void collect(net_tls *t)
{
	net_tcp *tcp = t->tcp;
	if (t->tx_posted && tcp->tx_done) {
		t->tx_posted = tcp->tx_pending = false;
		if (EFI_ERROR(tcp->tx.CompletionToken.Status)) {
			t->io_err = tcp->tx.CompletionToken.Status;
			t->tx_failed = true;
		}
	}
	if (t->rx_posted && tcp->rx_done) {
		t->rx_posted = tcp->rx_pending = false;
		EFI_STATUS st = tcp->rx.CompletionToken.Status;
		if (EFI_ERROR(st) || tcp->rxd.DataLength == 0) {
			/* EFI_CONNECTION_FIN: the server closed; anything else: the connection broke. */
			t->peer_closed = true;
			if (st != EFI_CONNECTION_FIN)
				t->io_err = st;
		} else {
			t->rx_have = tcp->rxd.DataLength;
			t->rx_off = 0;
		}
	}
}

/* One round of moving bytes; true when something moved. */
static bool pump_once(net_tls *t)
{
	br_ssl_engine_context *eng = &t->cc.eng;
	bool moved = false;
	unsigned st = br_ssl_engine_current_state(eng);
	if (st & BR_SSL_CLOSED)
		return false;
	/* Received bytes into the engine, as far as it takes them. */
	while (t->rx_off < t->rx_have && (st & BR_SSL_RECVREC)) {
		size_t len;
		uint8_t *buf = br_ssl_engine_recvrec_buf(eng, &len);
		size_t n = PF_MIN(len, (size_t)(t->rx_have - t->rx_off));
		if (!t->handshake_done) {
			/* Certificate dates are checked against the best time known when the records arrive. */
			int64_t now;
			if (best_time(t->env, &now, &t->time_source)) {
				t->checked_at = now;
				pf_tls_x509_set_time(&t->x509, now);
			}
		}
		memcpy(buf, t->rx + t->rx_off, n);
		br_ssl_engine_recvrec_ack(eng, n);
		t->rx_off += (UINT32)n;
		moved = true;
		st = br_ssl_engine_current_state(eng);
		if (st & BR_SSL_CLOSED)
			return true;
	}
	/* A record out of the engine when the previous one has gone. */
	if (!t->tx_posted && !t->io_err && (st & BR_SSL_SENDREC)) {
		size_t len;
		uint8_t *buf = br_ssl_engine_sendrec_buf(eng, &len);
		size_t n = PF_MIN(len, sizeof(t->tx));
		memcpy(t->tx, buf, n);
		br_ssl_engine_sendrec_ack(eng, n);
		EFI_STATUS err = net_tcp_send(t->tcp, t->tx, (UINT32)n);
		if (EFI_ERROR(err)) {
			t->io_err = err;
			t->tx_failed = true;
		} else {
			t->tx_posted = true;
		}
		moved = true;
	}
	/* Listen for more once everything received is in the engine. */
	if (!t->rx_posted && !t->peer_closed && !t->io_err && t->rx_off >= t->rx_have) {
		t->rx_have = t->rx_off = 0;
		EFI_STATUS err = net_tcp_recv(t->tcp, t->rx, sizeof(t->rx));
		if (EFI_ERROR(err))
			t->io_err = err;
		else
			t->rx_posted = true;
	}
	return moved;
}

net_tls_state net_tls_pump(net_tls *t)
{
	net_tcp_poll(t->tcp);
	collect(t);
	for (int i = 0; i < 8 && pump_once(t); i++)
		;
	unsigned st = br_ssl_engine_current_state(&t->cc.eng);
	if (st & BR_SSL_CLOSED)
		return t->handshake_done && br_ssl_engine_last_error(&t->cc.eng) == BR_ERR_OK ? NET_TLS_CLOSED
											  : NET_TLS_FAILED;
	if (!t->handshake_done && (st & BR_SSL_SENDAPP))
		t->handshake_done = true;
	bool drained = t->rx_off >= t->rx_have && !(st & BR_SSL_RECVAPP);
	if (t->io_err || (t->peer_closed && drained))
		return t->handshake_done ? NET_TLS_CLOSED : NET_TLS_FAILED;
	return t->handshake_done ? NET_TLS_READY : NET_TLS_BUSY;
}

bool net_tls_write(net_tls *t, const void *data, size_t len)
{
	size_t cap;
	uint8_t *buf = br_ssl_engine_sendapp_buf(&t->cc.eng, &cap);
	if (!buf || cap < len)
		return false;
	memcpy(buf, data, len);
	br_ssl_engine_sendapp_ack(&t->cc.eng, len);
	br_ssl_engine_flush(&t->cc.eng, 0);
	return true;
}

bool net_tls_sending(net_tls *t)
{
	unsigned st = br_ssl_engine_current_state(&t->cc.eng);
	return t->tx_posted || t->tx_failed || (!(st & BR_SSL_CLOSED) && (st & BR_SSL_SENDREC));
}

size_t net_tls_read(net_tls *t, void *out, size_t cap)
{
	size_t len;
	uint8_t *buf = br_ssl_engine_recvapp_buf(&t->cc.eng, &len);
	if (!buf || !cap)
		return 0;
	size_t n = PF_MIN(len, cap);
	memcpy(out, buf, n);
	br_ssl_engine_recvapp_ack(&t->cc.eng, n);
	return n;
}

pf_chk_status net_tls_failure(net_tls *t, char *out, size_t cap)
{
	int err = br_ssl_engine_last_error(&t->cc.eng);
	if (err == BR_ERR_OK) {
		/* The engine has no error of its own: the connection ended under it. */
		if (t->io_err && t->io_err != EFI_CONNECTION_FIN)
			pf_snprintf(out, cap, "connection failed during the handshake (%s)", efi_status_str(t->io_err));
		else
			pf_snprintf(out, cap, "connection closed by the server during the handshake");
		return PF_CHK_TLS_FAILED;
	}
	return pf_tls_explain(err, &t->x509, t->checked_at, t->time_source, out, cap) == PF_TLS_FAIL_UNTRUSTED
		       ? PF_CHK_TLS_UNTRUSTED
		       : PF_CHK_TLS_FAILED;
}

static const char *suite_name(uint16_t s)
{
	switch (s) {
	case BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: return "ECDHE-ECDSA-AES128-GCM-SHA256";
	case BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: return "ECDHE-ECDSA-AES256-GCM-SHA384";
	case BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: return "ECDHE-RSA-AES128-GCM-SHA256";
	case BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: return "ECDHE-RSA-AES256-GCM-SHA384";
	case BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: return "ECDHE-ECDSA-CHACHA20-POLY1305";
	case BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: return "ECDHE-RSA-CHACHA20-POLY1305";
	case BR_TLS_RSA_WITH_AES_128_GCM_SHA256: return "RSA-AES128-GCM-SHA256";
	case BR_TLS_RSA_WITH_AES_256_GCM_SHA384: return "RSA-AES256-GCM-SHA384";
	default: return NULL;
	}
}

void net_tls_summary(net_tls *t, char *out, size_t cap)
{
	uint16_t suite = t->cc.eng.session.cipher_suite;
	const char *name = suite_name(suite);
	char hex[8];
	pf_snprintf(hex, sizeof(hex), "0x%04x", suite);
	pf_snprintf(out, cap, "TLS 1.2 %s, dates vs %s%s", name ? name : hex, t->time_source,
		    t->entropy == ENTROPY_WEAK ? ", weak entropy" : "");
}

void net_tls_free(net_tls *t)
{
	if (!t)
		return;
	/* Keys and session secrets do not stay behind in freed pool memory. */
	memset(t, 0, sizeof(*t));
	pf_free(t);
}
