/* testlib.h: helpers shared by the unit test programs (GTest, TAP). */
#ifndef BP_TESTLIB_H
#define BP_TESTLIB_H

#include <glib.h>
#include <jansson.h>

/* The source tree's top directory ($BP_SRC, else the current directory). */
const char *test_src_dir(void);
/* The build directory ($BP_BUILD, else "build"). */
const char *test_build_dir(void);
/* (transfer full) a path under the source tree. */
char *test_src_path(const char *rel);
/* (transfer full) a path under the build directory ("tests/plugins"). */
char *test_build_path(const char *rel);
/* (transfer full) a fresh temporary directory, removed by test_rmtree. */
char *test_tmpdir(void);
/* Removes a directory tree; ignores errors. */
void test_rmtree(const char *dir);
/* (transfer full) the JSON value in `text` (any value, not only objects);
 * aborts the test when the text is not JSON. */
json_t *test_json_parse(const char *text);
/* Initialises GTest the way every program does (TAP output). */
void test_init(int *argc, char ***argv);

#endif
