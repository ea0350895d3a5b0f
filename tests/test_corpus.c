// SPDX-License-Identifier: GPL-2.0
/*
 * The shared corpus (../shared/corpus, or $RG_CORPUS_DIR): every row of
 * cases.tsv through the whole packet path, the same cases read back from
 * cases.pcap, and the raw payload vectors the MANIFEST marks "pass".
 */
#include "args.h"
#include "frames.h"
#include "rg_test.h"

#define NOW 1000000000000ull

struct tsv_case {
	char id[32];
	char expected[16];
	char kind[32];
	uint8_t payload[2048];
	size_t len;
	char description[256];
};

/* Read cases.tsv; returns the number of rows (the test fails if the file is missing). */
static size_t read_cases(struct tsv_case *cases, size_t cap)
{
	char path[PATH_MAX], line[8192];
	size_t n = 0;
	FILE *fp;

	rg_test_corpus_file(path, sizeof(path), "cases.tsv");
	fp = fopen(path, "r");
	cr_assert(fp, "cannot open %s (set RG_CORPUS_DIR)", path);
	while (fgets(line, sizeof(line), fp)) {
		char *f[5] = { 0 }, *s = line;
		struct tsv_case *c;
		int i, hl;

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0' || strncmp(line, "id\t", 3) == 0)
			continue;
		for (i = 0; i < 5 && s; i++)
			f[i] = strsep(&s, "\t");
		cr_assert(f[3], "%s: row '%s' has fewer than 4 columns", path, line);
		cr_assert(n < cap, "more than %zu rows", cap);
		c = &cases[n++];
		snprintf(c->id, sizeof(c->id), "%s", f[0]);
		snprintf(c->expected, sizeof(c->expected), "%s", f[1]);
		snprintf(c->kind, sizeof(c->kind), "%s", f[2]);
		snprintf(c->description, sizeof(c->description), "%s", f[4] ? f[4] : "");
		hl = pkt_unhex(f[3], c->payload, sizeof(c->payload));
		cr_assert(hl >= 0, "%s: bad hex in row %s", path, c->id);
		c->len = (size_t)hl;
		cr_assert(!strcmp(c->expected, "pass") || !strcmp(c->expected, "drop") ||
				  !strcmp(c->expected, "config"),
			  "row %s: unknown expectation '%s'", c->id, c->expected);
	}
	fclose(fp);
	cr_assert(n > 0, "%s has no rows", path);
	return n;
}

/* Judge the payload in an IPv4 or IPv6 frame to a range admitting admit. */
static int judge_payload(int family, const uint8_t *payload, size_t len, __u32 admit,
			 struct rg_judgement *j)
{
	static uint8_t frame[4096];
	struct pkt_spec s = { .family = family };
	struct rg_policy pol;
	struct rg_pkt pkt;
	size_t n = pkt_build(&s, payload, len, frame, sizeof(frame));
	int r;

	cr_assert(n);
	rg_test_policy(&pol, 49152, 65535, admit, 0);
	r = policy_judge(&pol, frame, n, NOW, &pkt, j);
	policy_free(&pol);
	return r;
}

/* Non-fatal check of one row against one admit mask; returns 1 when it holds. */
static int check_case(const struct tsv_case *c, int family, __u32 admit, int want_pass,
		      int want_kind, const char *how)
{
	struct rg_judgement j;
	int r = judge_payload(family, c->payload, c->len, admit, &j);
	int ok = want_pass ? r == RG_R_ADMITTED && (want_kind < 0 || j.kind == want_kind)
			   : rg_reason_drops(r);

	cr_expect(ok,
		  "cases.tsv %s (%s), IPv%d, %s: expected %s/%s, got %s/%s\n  payload %s",
		  c->id, c->description, family, how,
		  want_pass ? "admitted" : "a drop",
		  want_kind >= 0 ? rg_test_kind(want_kind) : "-", rg_test_reason(r),
		  rg_test_kind(j.kind), rg_test_hex(c->payload, c->len));
	return ok;
}

Test(corpus, every_cases_tsv_row_as_expected)
{
	static struct tsv_case cases[256];
	size_t n = read_cases(cases, 256), i;
	int family;

	for (i = 0; i < n; i++) {
		const struct tsv_case *c = &cases[i];
		int k = strcmp(c->kind, "-") ? kind_from_name(c->kind) : -1;

		cr_assert(strcmp(c->kind, "-") == 0 || k > 0, "row %s: unknown kind '%s'", c->id,
			  c->kind);
		for (family = 4; family <= 6; family += 2) {
			if (!strcmp(c->expected, "pass")) {
				check_case(c, family, RG_ADMIT_WEBRTC, 1, k, "default kinds");
			} else if (!strcmp(c->expected, "drop")) {
				check_case(c, family, RG_ADMIT_WEBRTC, 0, -1, "default kinds");
			} else {
				cr_assert(k > 0, "config row %s names no kind", c->id);
				check_case(c, family, RG_ADMIT_WEBRTC, 0, -1, "default kinds");
				check_case(c, family, RG_ADMIT_WEBRTC | RG_KIND_BIT(k), 1, k,
					   "with its kind admitted");
			}
		}
	}
}

Test(corpus, cases_pcap_frames_judged_like_their_tsv_rows)
{
	static struct tsv_case cases[256];
	size_t n = read_cases(cases, 256), i, matched = 0;
	struct rg_frame *f = malloc(sizeof(*f));
	char path[PATH_MAX], e[512] = "";
	struct rg_frame_reader *rd;
	struct rg_policy pol;
	int rc;

	cr_assert(f);
	rg_test_corpus_file(path, sizeof(path), "cases.pcap");
	rd = frames_open(path, e, sizeof(e));
	cr_assert(rd, "%s", e);
	rg_test_policy(&pol, 1, 65535, RG_ADMIT_WEBRTC, 0);
	while ((rc = frames_next(rd, f, e, sizeof(e))) == 1) {
		struct rg_judgement j;
		struct rg_pkt pkt;
		int r;

		cr_assert_eq(f->status, RG_FRAME_OK, "frame %llu: %s", (unsigned long long)f->number,
			     rg_frame_status_names[f->status]);
		r = policy_judge(&pol, f->data, f->len, NOW, &pkt, &j);
		for (i = 0; i < n; i++) {
			const struct tsv_case *c = &cases[i];
			int k = strcmp(c->kind, "-") ? kind_from_name(c->kind) : -1;

			if (pkt.payload_len != c->len ||
			    memcmp(f->data + pkt.payload_off, c->payload, c->len))
				continue;
			matched++;
			if (!strcmp(c->expected, "pass"))
				cr_expect(r == RG_R_ADMITTED && (k < 0 || j.kind == k),
					  "cases.pcap frame %llu (%s): expected admitted/%s, got %s/%s",
					  (unsigned long long)f->number, c->id, c->kind,
					  rg_test_reason(r), rg_test_kind(j.kind));
			else
				cr_expect(rg_reason_drops(r),
					  "cases.pcap frame %llu (%s): expected a drop, got %s/%s",
					  (unsigned long long)f->number, c->id, rg_test_reason(r),
					  rg_test_kind(j.kind));
			break;
		}
	}
	cr_assert_eq(rc, 0, "%s", e);
	cr_assert_eq(matched, n, "%zu of %zu cases.tsv rows found in cases.pcap", matched, n);
	frames_close(rd);
	policy_free(&pol);
	free(f);
}

Test(corpus, manifest_pass_vectors_are_admitted)
{
	char path[PATH_MAX], line[4096];
	size_t checked = 0;
	FILE *fp;

	rg_test_corpus_file(path, sizeof(path), "MANIFEST.md");
	fp = fopen(path, "r");
	cr_assert(fp, "cannot open %s", path);
	while (fgets(line, sizeof(line), fp)) {
		char name[256], file[PATH_MAX];
		uint8_t payload[2048];
		const char *end;
		struct rg_judgement j;
		size_t len;
		FILE *bin;
		int r, family;

		/* | `name.bin` | origin | licence | bytes | kind | description | pass | */
		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(line, "| `", 3) || !(end = strstr(line + 3, ".bin`")))
			continue;
		if (strlen(line) < 9 || strcmp(line + strlen(line) - 8, "| pass |"))
			continue;
		snprintf(name, sizeof(name), "%.*s.bin", (int)(end - line - 3), line + 3);
		rg_test_corpus_file(file, sizeof(file), name);
		bin = fopen(file, "rb");
		cr_assert(bin, "cannot open %s", file);
		len = fread(payload, 1, sizeof(payload), bin);
		fclose(bin);
		for (family = 4; family <= 6; family += 2) {
			r = judge_payload(family, payload, len, RG_ADMIT_WEBRTC, &j);
			cr_expect(r == RG_R_ADMITTED, "%s (IPv%d): expected admitted, got %s/%s\n  payload %s",
				  name, family, rg_test_reason(r), rg_test_kind(j.kind),
				  rg_test_hex(payload, len));
		}
		checked++;
	}
	fclose(fp);
	cr_assert(checked >= 10, "only %zu pass vectors found in %s", checked, path);
}
