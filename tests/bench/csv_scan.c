/* Host benchmark: look one serial up in a record file through pf_recfile, as efi/records.c does; print speed and peak RSS. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "recfile.h"

/* The app's read size (efi/records.c). */
#define CHUNK (1024 * 1024)

typedef struct {
	size_t matches;
	unsigned last_line;
	size_t last_hash_len;
} scan_ctx;

static bool on_record(void *ctx, const pf_record_view *v)
{
	scan_ctx *s = ctx;
	s->matches++;
	s->last_line = v->line;
	s->last_hash_len = v->hash.len;
	return true;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	pf_recfile_kind kind;

	if (argc != 3) {
		fprintf(stderr, "usage: csv_scan FILE SERIAL\n");
		return 2;
	}
	if (!pf_recfile_kind_of(argv[1], &kind)) {
		fprintf(stderr, "%s: not a .csv or .json file\n", argv[1]);
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	scan_ctx s = { 0 };
	char *chunk = malloc(CHUNK);
	pf_recfile *f = pf_recfile_new(kind, argv[2], on_record, &s);
	if (!f || !chunk)
		return 2;

	double t0 = now();
	size_t total = 0;
	pf_status st = PF_OK;
	for (;;) {
		ssize_t n = read(fd, chunk, CHUNK);
		if (n < 0) {
			perror("read");
			return 2;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		st = pf_recfile_feed(f, chunk, (size_t)n);
		if (st != PF_OK)
			break;
	}
	if (st == PF_OK)
		st = pf_recfile_finish(f);
	double t = now() - t0;
	close(fd);

	const pf_file_error *e = pf_recfile_error(f);
	if (e)
		printf("error: line %u: %s\n", e->line, e->reason);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	/* One line of key=value pairs for tests/bench/run. */
	printf("records=%zu matches=%zu last_line=%u hash_len=%zu bytes=%zu seconds=%.4f mbps=%.0f peak_rss_kib=%ld\n",
	       pf_recfile_count(f), s.matches, s.last_line, s.last_hash_len, total, t, t > 0 ? (double)total / 1e6 / t : 0.0,
	       ru.ru_maxrss);
	pf_recfile_free(f);
	free(chunk);
	return st == PF_OK && s.matches ? 0 : 1;
}
