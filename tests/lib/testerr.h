/* testerr.h: assertions on struct bp_error results, for unit tests.
 *
 *   TEST_OK(store_x(s, ..., &err), &err);    // must succeed, err stays NULL
 *   TEST_FAILS(f(..., &err), &err, BP_ERR_NOT_FOUND, "not found");
 *
 * A failure aborts the test with the file, line, the call and the error's
 * message, so a broken test says why without a debugger.
 */
#ifndef BP_TESTERR_H
#define BP_TESTERR_H

#include <stdbool.h>

#include "util/error.h"

#define TEST_OK(call, errp) \
	test_assert_ok_at((call), (errp), __FILE__, __LINE__, #call)
#define TEST_FAILS(call, errp, code, part) \
	test_assert_fails_at((call), (errp), (code), (part), __FILE__, \
			     __LINE__, #call)

/* Checks that `ok` is true and *err NULL; aborts the test otherwise. */
void test_assert_ok_at(bool ok, struct bp_error **err, const char *file,
		       int line, const char *call);

/* Checks that `ok` is false and *err is set with `code` and a message
 * containing `part` (NULL: any message); frees and clears *err. */
void test_assert_fails_at(bool ok, struct bp_error **err,
			  enum bp_error_code code, const char *part,
			  const char *file, int line, const char *call);

#endif
