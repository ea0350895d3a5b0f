// SPDX-License-Identifier: GPL-2.0
/* The README documents every reason and kind of the one table, by name. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtcguard/reasons.h"

static char *read_readme(void)
{
	FILE *f = fopen("README.md", "r");
	char *buf;
	long n;

	cr_assert(f, "README.md not found (run the unit tests from the repository root)");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	cr_assert(buf && fread(buf, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	return buf;
}

Test(docs, readme_lists_every_reason_with_its_verdict_and_meaning)
{
	char *doc = read_readme(), row[256];

	for (int r = 0; r < RG_REASON_COUNT; r++) {
		snprintf(row, sizeof(row), "| `%s` | %s | %s |", rg_reason_names[r],
			 rg_verdict_names[rg_reason_verdict[r]], rg_reason_help[r]);
		cr_expect(strstr(doc, row), "README.md lacks the row starting \"%s\"", row);
	}
	free(doc);
}

Test(docs, readme_names_every_kind)
{
	char *doc = read_readme(), name[64];

	for (int k = RG_K_NONE + 1; k < RG_KIND_COUNT; k++) {
		snprintf(name, sizeof(name), "`%s`", rg_kind_names[k]);
		cr_expect(strstr(doc, name), "README.md does not name the kind %s", name);
	}
	free(doc);
}
