/* The result as a short text for the screen's QR code: what a phone camera carries away. */
#ifndef PF_QRTEXT_H
#define PF_QRTEXT_H

#include "buf.h"
#include "run.h"

/* Longest value kept per field (the code stays small enough for a phone at arm's length). */
#define PF_QR_VALUE_MAX 64

/*
 * "PREFLIGHT 1\n" then one `key=value` line each: verdict, serial, manufacturer, model, codes (the
 * error and warning codes, first appearance order, comma-separated), time (the run's start as the
 * report's `started` gives it, or "unknown"), tool (the version). Values: printable ASCII; anything else becomes '?', at most
 * PF_QR_VALUE_MAX bytes. docs/report.md documents the form.
 */
void pf_result_qr_text(const pf_run *run, pf_buf *out);

#endif
