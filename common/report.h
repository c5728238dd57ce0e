/* The run's outputs: JSON report, text report/screen summary, ledger row, file names, result line. */
#ifndef PF_REPORT_H
#define PF_REPORT_H

#include "buf.h"
#include "run.h"

#define PF_REPORT_SCHEMA "preflight-report/1"
#define PF_LEDGER_HEADER "time,serial,manufacturer,product,verdict,errors,warnings,codes,report\n"

/* "<serial>-<YYYYMMDDTHHMMSS>" with the serial sanitised to [A-Za-z0-9._-] ("unknown" when empty). */
void pf_report_basename(const pf_run *run, char *buf, size_t cap);

void pf_report_json(const pf_run *run, pf_buf *out);
/* Human text: identity, a line per user-flow step, findings with their fix; also the screen summary. */
void pf_report_text(const pf_run *run, pf_buf *out);
/* One ledger.csv row (with newline), report_path NULL giving "none". */
void pf_report_ledger_row(const pf_run *run, const char *report_path, pf_buf *out);
/* The last line of every run: "PREFLIGHT RESULT verdict=... errors=... warnings=... report=..." */
void pf_report_result_line(const pf_run *run, const char *report_path, pf_buf *out);

/* Appends a CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
void pf_csv_field(pf_buf *out, const char *s);

/* A step's verdict for screen and report: "GO", "WARN", "NO-GO" or "not checked". */
const char *pf_report_step_verdict(const pf_run *run, pf_step s);

#endif
