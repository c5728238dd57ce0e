/* The ledger's health before a row is appended: where its whole rows end, and what a cut-short run left. */
#include "ledger.h"
#include "report.h"
#include "str.h"

const char *pf_ledger_state_name(pf_ledger_state s)
{
	static const char *const names[] = {
		[PF_LEDGER_ABSENT] = "absent", [PF_LEDGER_OK] = "ok", [PF_LEDGER_REPAIRED] = "repaired",
		[PF_LEDGER_UNCHECKED] = "unchecked", [PF_LEDGER_UNUSABLE] = "unusable",
	};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) && names[s] ? names[s] : "unknown";
}

/* One row from p[0]: its length through the line feed, or 0 when it is not whole. */
static size_t whole_row(const uint8_t *p, size_t len, size_t *ret_fields)
{
	bool quoted = false;
	size_t fields = 1;

	for (size_t i = 0; i < len; i++) {
		uint8_t c = p[i];
		if (c == 0)
			return 0;
		if (c == '"') {
			quoted = !quoted; /* "" inside a quoted field toggles twice: still quoted */
			continue;
		}
		if (quoted)
			continue;
		if (c == ',') {
			fields++;
		} else if (c == '\n') {
			*ret_fields = fields;
			return i + 1;
		}
	}
	return 0;
}

void pf_ledger_scan(const void *buf, size_t len, uint64_t *ret_keep, uint64_t *ret_rows)
{
	const uint8_t *p = buf;
	size_t hlen = strlen(PF_LEDGER_HEADER), at, keep, fields = 0;
	uint64_t rows = 0;

	/* The header as this tool writes it; a ledger that starts otherwise was not written by it and is
	 * kept whole (appended to on a fresh line), never cut. */
	if (len < hlen || memcmp(p, PF_LEDGER_HEADER, hlen) != 0) {
		bool torn_header = len < hlen && memcmp(p, PF_LEDGER_HEADER, len) == 0;
		*ret_keep = torn_header ? 0 : len;
		*ret_rows = 0;
		return;
	}
	at = keep = hlen;
	while (at < len) {
		size_t n = whole_row(p + at, len - at, &fields);
		if (n != 0 && fields == PF_LEDGER_COLUMNS) {
			at += n;
			keep = at;
			rows++;
			continue;
		}
		/* Not whole: go on at the next line feed. A damaged row that whole rows follow (an older
		 * version's torn row) is kept; only what follows the last whole row is cut. */
		const uint8_t *nl = memchr(p + at, '\n', len - at);
		if (!nl)
			break;
		at = (size_t)(nl - p) + 1;
	}
	*ret_keep = keep;
	*ret_rows = rows;
}
