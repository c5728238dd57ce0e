/* The verdict of an endpoint check on a server's HTTP answer, over IPv4 or IPv6: status, words and its Date. */
#ifndef PF_HTTPCHECK_H
#define PF_HTTPCHECK_H

#include "netresult.h"

typedef struct {
	pf_chk_status status;
	bool has_date;                  /* the answer's Date header, for the clock skew */
	int64_t date_unix;
	char detail[PF_NET_DETAIL_MAX];
} pf_http_verdict;

/*
 * Judges the answer in buf (len bytes so far, head included). closed: no more will come (the server closed, or the
 * caller's buffer is full). ncsi: the connectivity test page, whose body must be exactly PF_NCSI_TEXT (a redirect
 * or another body is PF_CHK_NCSI_WRONG). tls_summary: the handshake's words for an https check, where only a
 * server error (5xx) fails (a 404 on / is normal); NULL for http, where 400 and above fail. False while the answer
 * is incomplete and more may come (ret untouched); else true with *ret written.
 */
bool pf_http_verdict_judge(const void *buf, size_t len, bool closed, bool ncsi, const char *tls_summary,
			   pf_http_verdict *ret);

#endif
