/* fuzz-load.c: libFuzzer target for the blueprint loader and model: the
 * input is written to a file and loaded as a blueprint (with the shipped
 * types directory, $BP_TYPES or ./types), then its model is built. Any
 * crash, leak or sanitizer report is a bug; errors are the expected
 * outcome for most inputs.
 *
 * Build and run: make fuzz FUZZ_SECONDS=600 (seeded from
 * ../shared/corpus). */
#include "dsl/service.h"
#include "model/model.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];
static const char *dirs[2];

static void setup(void)
{
	const char *types = getenv("BP_TYPES");

	snprintf(path, sizeof(path), "/dev/shm/bp-fuzz-%d.yaml", (int)getpid());
	dirs[0] = types ? types : "types";
	dirs[1] = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dsl_load_options opts;
	struct bp_diags diags;
	struct dsl_service *svc;
	FILE *f;

	if (!path[0])
		setup();
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	opts.types_dirs = dirs;
	bp_diags_init(&diags, 20);
	svc = dsl_load(path, &opts, &diags);
	if (svc)
		model_free(model_build(svc, &diags));
	bp_diags_release(&diags);
	unlink(path);
	return 0;
}
