/* The one-page result screen as data: title, verdict, user-flow steps, findings that matter, record. */
#ifndef PF_SUMMARY_H
#define PF_SUMMARY_H

#include "run.h"

typedef enum {
	PF_SUM_TITLE,   /* tool, device, serial */
	PF_SUM_VERDICT, /* the verdict word and counts: large, reverse video */
	PF_SUM_STEP,    /* one user-flow step: title, then its verdict in `badge` */
	PF_SUM_FINDING, /* an error or warning: badge NO-GO/WARN, code and message */
	PF_SUM_FIX,     /* the finding's one-line fix */
	PF_SUM_TEXT,    /* record, report file, "more findings" */
	PF_SUM_BLANK,
} pf_sum_kind;

/* The colour a line's badge (or the verdict) takes. */
typedef enum { PF_SUM_GO, PF_SUM_WARN, PF_SUM_NO_GO, PF_SUM_NONE } pf_sum_level;

#define PF_SUM_TEXT_MAX 200
#define PF_SUM_LINES_MAX 48

typedef struct {
	pf_sum_kind kind;
	pf_sum_level level;
	char badge[12];              /* "GO", "WARN", "NO-GO", "not checked" ("" none) */
	char text[PF_SUM_TEXT_MAX];  /* UTF-8; the screen cuts what does not fit its width */
} pf_sum_line;

typedef struct {
	pf_sum_line lines[PF_SUM_LINES_MAX];
	size_t n;
	size_t findings_shown, findings_left; /* errors and warnings on the page, and those left out */
} pf_summary;

/*
 * The page for at most max_lines text lines (the verdict line counts as one): errors before
 * warnings, each with its fix, as many as fit; the rest counted in a "more in the report" line.
 * report_path may be NULL (nothing saved). The head and tail take 14 lines; a smaller max_lines
 * still gets them (the screen cuts).
 */
void pf_summary_build(const pf_run *run, const char *report_path, size_t max_lines, pf_summary *ret);

#endif
