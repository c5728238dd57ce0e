/* Reads Microsoft Graph windowsAutopilotDeviceIdentity exports as device records, streaming with fixed memory. */
#ifndef PF_GRAPH_H
#define PF_GRAPH_H

#include "jsonscan.h"
#include "record.h"

/* Longest value kept per field, in bytes of UTF-8: the hardware hash (Base64 of about 4 KB in
 * practice) and every other field. */
#define PF_GRAPH_HASH_MAX 16384
#define PF_GRAPH_FIELD_MAX 512
/* Members with a small buffer: all those read but the hash, the two user names each with its own. */
#define PF_GRAPH_SMALL_FIELDS 17

/*
 * What is read:
 *  - a single device object;
 *  - a page {"@odata.context": ..., "value": [device, ...], "@odata.nextLink": ...};
 *  - an array of pages;
 *  - leniently, a plain array of device objects (what ConvertTo-Json of a list gives).
 * More generally: the top-level object, each object element of the top-level array, and each
 * object element of an array member named "value" of a candidate are candidates; an object with
 * a "value" array is a page, and any other candidate is a device when it has a serialNumber member
 * (of any value, even null) or an "@odata.type" of "#microsoft.graph.windowsAutopilotDeviceIdentity"
 * (the '#' optional, any case).
 * Everything else, including objects and arrays nested inside a device, is skipped.
 *
 * Members (names compared ASCII case-insensitively; the last of duplicates wins): serialNumber,
 * productKey, hardwareIdentifier (hash), groupTag, userPrincipalName or addressableUserName
 * (assigned_user: the first non-empty of the two, UPN first, else the first present), manufacturer, model,
 * id, enrollmentState, deploymentProfileAssignmentStatus, purchaseOrderIdentifier, displayName,
 * azureActiveDirectoryDeviceId, managedDeviceId, skuNumber, systemFamily, lastContactedDateTime.
 * A null member is absent (p == NULL); a number or true/false gives its JSON text; an object or
 * array is absent. A value longer than its buffer is absent too, never cut short (a partial serial
 * or hash would be wrong, not merely incomplete), and counted by pf_graph_dropped().
 *
 * Records are reported as each device object closes, with source PF_RECSRC_GRAPH_FILE and line =
 * the number of device objects before it in the file (0-based, in document order, counted across
 * all pages; objects that are not devices do not count). For one page or a plain array of devices
 * this is the index in the list; for an array of pages it runs on from page to page.
 *
 * Errors are the tokenizer's (strict JSON; see jsonscan.h): pf_file_error.line is the 1-based text
 * line and the reason reads "line 12, column 5: expected ',' or '}'". Records reported before an
 * error stand. Valid JSON without device objects is no error: pf_graph_count() is then 0.
 *
 * The struct is public so that callers can allocate it once: about 90 KiB (64 KiB of it the
 * tokenizer's value buffer). Its fields are private.
 */
typedef struct {
	pf_jsonscan scan;
	pf_record_cb cb;
	void *ctx;
	pf_file_error error;
	bool failed;
	bool stopped;
	size_t count;
	size_t dropped;
	uint8_t role[PF_JSONSCAN_MAX_DEPTH];  /* what the container at each depth is to us */
	int cur_field;                         /* field the current member fills, or -1 */
	bool key_value, key_type;              /* the current member is "value" / "@odata.type" */
	bool has_serial, typed;                /* the current candidate is a device */
	bool present[PF_GRAPH_SMALL_FIELDS + 1];
	size_t len[PF_GRAPH_SMALL_FIELDS + 1];
	char small[PF_GRAPH_SMALL_FIELDS][PF_GRAPH_FIELD_MAX + 1];
	char hash[PF_GRAPH_HASH_MAX + 1];
} pf_graph_reader;

/* Starts a read; cb gets each device record (return false to stop reading, which is no error). */
void pf_graph_init(pf_graph_reader *g, pf_record_cb cb, void *ctx);
/* Feeds the next bytes of the file, split anywhere. PF_OK, or the first error (sticky; see
 * pf_graph_error). Input after the callback stopped the read is ignored. */
PF_MUST_CHECK pf_status pf_graph_feed(pf_graph_reader *g, const void *chunk, size_t len);
/* Ends the file: PF_OK when it was one complete JSON value. */
PF_MUST_CHECK pf_status pf_graph_finish(pf_graph_reader *g);
/* The first error (line and reason), or NULL. */
const pf_file_error *pf_graph_error(const pf_graph_reader *g);
/* Device objects reported so far. */
size_t pf_graph_count(const pf_graph_reader *g);
/* Field values dropped for being longer than their buffer. */
size_t pf_graph_dropped(const pf_graph_reader *g);

#endif
