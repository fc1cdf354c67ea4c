/* testerr.c: assertions on struct bp_error results. See testerr.h. */
#include "testerr.h"

#include <string.h>

void test_assert_ok_at(bool ok, struct bp_error **err, const char *file,
		       int line, const char *call)
{
	if (ok && !*err)
		return;
	g_error("%s:%d: %s: expected success, got %s: %s", file, line, call,
		ok ? "true with an error set" : "failure",
		*err ? (*err)->message : "(no error set)");
}

void test_assert_fails_at(bool ok, struct bp_error **err,
			  enum bp_error_code code, const char *part,
			  const char *file, int line, const char *call)
{
	if (ok)
		g_error("%s:%d: %s: expected a failure, it succeeded", file,
			line, call);
	if (!*err)
		g_error("%s:%d: %s: failed without setting an error", file,
			line, call);
	if ((*err)->code != code)
		g_error("%s:%d: %s: expected error code %d, got %d: %s", file,
			line, call, (int)code, (int)(*err)->code,
			(*err)->message);
	if (part && !strstr((*err)->message, part))
		g_error("%s:%d: %s: expected a message with '%s', got: %s",
			file, line, call, part, (*err)->message);
	bp_error_clear(err);
}
