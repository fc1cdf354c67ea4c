/* httpget.c: a test plugin that talks HTTP through plugins/common/http.c,
 * so the client's retries can be watched under a real workflow (warnings
 * on the operation's events, cancellation cutting a wait short).
 *
 * httpget.get: GETs input `url` (idempotent) with at most input
 * `max_attempts` attempts (default 5) and input `backoff_ms` (default
 * 500) between the first two; stores runtime properties `status` and
 * `attempts`; succeeds on a 2xx answer, fails for good otherwise (a
 * retry of the operation would hide the client's own). */
#include "blueprint/plugin.h"
#include "common/http.h"

#include <stdlib.h>

static int get(bp_ctx *ctx)
{
	const char *url = bp_get_string(ctx, BP_SCOPE_INPUTS, "url");
	int64_t attempts = 5, backoff_ms = 500;
	char *err = NULL;
	struct http_client *client;
	struct http_response resp;
	struct http_request req = { .method = "GET", .idempotent = true,
				    .ctx = ctx };
	int rc;

	if (!url)
		return bp_fail_fatal(ctx, "input 'url' is missing");
	client = http_client_new("blueprint-test", NULL, &err);
	if (!client) {
		rc = bp_fail_fatal(ctx, "%s", err);
		free(err);
		return rc;
	}
	bp_get_int(ctx, BP_SCOPE_INPUTS, "max_attempts", &attempts);
	bp_get_int(ctx, BP_SCOPE_INPUTS, "backoff_ms", &backoff_ms);
	http_client_set_retry(client, (int)attempts, (long)backoff_ms);
	req.url = url;
	http_send(client, &req, &resp);
	bp_runtime_set_int(ctx, "status", resp.status);
	bp_runtime_set_int(ctx, "attempts", resp.attempts);
	if (resp.status >= 200 && resp.status < 300)
		rc = BP_OK;
	else if (resp.status)
		rc = bp_fail_fatal(ctx, "GET %s: HTTP %ld after %d attempts", url,
				   resp.status, resp.attempts);
	else
		rc = bp_fail_fatal(ctx, "%s", resp.error);
	http_response_clear(&resp);
	http_client_free(client);
	return rc;
}

static const struct bp_op httpget_ops[] = {
	{ "get", get },
	{ NULL, NULL },
};

BP_PLUGIN_DEFINE("httpget", "1.0.0", httpget_ops, NULL, NULL);
