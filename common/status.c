/* Names of common/'s status values for messages. */
#include "pf.h"

const char *pf_status_str(pf_status s)
{
	static const char *const names[] = {
		[PF_OK] = "ok",
		[PF_ERR_INVALID] = "invalid data",
		[PF_ERR_TRUNCATED] = "truncated data",
		[PF_ERR_NOMEM] = "out of memory",
		[PF_ERR_NOT_FOUND] = "not found",
		[PF_ERR_IO] = "I/O error",
		[PF_ERR_READ_ONLY] = "media is write-protected",
		[PF_ERR_FULL] = "media is full",
		[PF_ERR_TIMEOUT] = "timed out",
		[PF_ERR_UNSUPPORTED] = "not supported",
		[PF_ERR_TOO_BIG] = "too large",
	};
	return (unsigned)s < PF_ARRAY_SIZE(names) && names[s] ? names[s] : "unknown error";
}
