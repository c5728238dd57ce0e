/* The TLS check's certificate side: BearSSL's minimal X.509 engine keeping the server's own certificate,
 * BearSSL time from Unix time, and a failed handshake judged and explained in words. */
#ifndef PF_TLSVERIFY_H
#define PF_TLSVERIFY_H

#include "pf.h"
#include <bearssl.h>

#define PF_TLS_LEAF_MAX 8192

/* An X.509 engine for br_ssl_engine_set_x509(): BearSSL's minimal engine with a copy of the first
 * certificate of the chain (the server's own) for the report. */
typedef struct {
	const br_x509_class *vtable; /* first: BearSSL calls through it */
	br_x509_minimal_context minimal;
	uint8_t leaf[PF_TLS_LEAF_MAX];
	size_t leaf_len;
	bool leaf_whole;             /* the certificate fitted (else the names are not known) */
	unsigned certs;              /* certificates seen in the chain */
} pf_tls_x509;

/* Call after br_ssl_client_init_full(cc, &x->minimal, ...): puts x in front of the minimal engine. */
void pf_tls_x509_wrap(pf_tls_x509 *x, br_ssl_engine_context *eng);

/* The time for certificate dates, from Unix seconds. */
void pf_tls_x509_set_time(pf_tls_x509 *x, int64_t unix_s);

/* Issuer and subject of the server's certificate (RFC 2253 text, pool memory; both or neither). */
PF_MUST_CHECK pf_status pf_tls_leaf_names(const pf_tls_x509 *x, char **ret_issuer, char **ret_subject);

typedef enum {
	PF_TLS_FAIL_OTHER,      /* expired, wrong name, alert, version, cipher, connection */
	PF_TLS_FAIL_UNTRUSTED,  /* the chain does not end in a trusted root */
} pf_tls_fail;

/*
 * Explains err (br_ssl_engine_last_error() of a failed handshake) in out: the reason, and for
 * certificate errors the certificate's issuer, subject or dates; now_unix and time_source (e.g. "NTP")
 * name the time the dates were checked against. Returns whether it is an untrusted chain.
 */
pf_tls_fail pf_tls_explain(int err, const pf_tls_x509 *x, int64_t now_unix, const char *time_source, char *out,
			   size_t cap);

/* "alert 40 handshake_failure" style names for TLS alert numbers; NULL when unknown. */
const char *pf_tls_alert_name(int alert);

#endif
