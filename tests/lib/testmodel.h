/* testmodel.h: a fixture for tests of the model layer: a fresh directory
 * with a small TOSCA normative types file of its own (so tests do not
 * depend on the shipped types/), blueprints loaded through dsl_load() and
 * model_build(), and assertions on the errors they produce. */
#ifndef BP_TESTMODEL_H
#define BP_TESTMODEL_H

#include "dsl/service.h"
#include "model/model.h"

struct test_model {
	char *dir;                      /* the blueprint directory */
	char *types;                    /* dir/types */
	const char *dirs[2];
	struct dsl_load_options opts;
	struct bp_diags diags;          /* errors of the last load */
	struct model *m;                /* the last model built, or NULL */
};

/* Creates the directory and types/tosca-simple-1.3.yaml (the normative
 * types the tests use: Root, Compute, SoftwareComponent, WebServer,
 * WebApplication, DBMS, Database, their capabilities, relationships,
 * interfaces and data types). */
void test_model_setup(struct test_model *fx);
/* Frees the model and removes the directory. */
void test_model_teardown(struct test_model *fx);

/* Writes `text` to `name` under the directory. */
void test_model_put(struct test_model *fx, const char *name, const char *text);

/* Loads `path` (absolute, or relative to the directory) and builds its
 * model into fx->m, replacing the previous one and clearing fx->diags.
 * Errors are logged with g_test_message. Returns fx->m (NULL on errors). */
struct model *test_model_load(struct test_model *fx, const char *path);
/* Writes `yaml` as blueprint.yaml and loads it. */
struct model *test_model_build(struct test_model *fx, const char *yaml);

/* Builds `yaml` and asserts that it builds (logging the errors if not). */
void test_model_ok(struct test_model *fx, const char *yaml);
/* Builds `yaml` and asserts that it fails with the error described as for
 * test_model_assert_error(). */
void test_model_fails(struct test_model *fx, const char *yaml,
		      const char *want, const char *path, unsigned line);

/* (transfer full) every error of the last load, formatted, one a line. */
char *test_model_errors(const struct test_model *fx);
/* Asserts that fx->diags holds an error whose message contains `want`;
 * with `path` non-NULL that error's YAML path is `path`; with `line`
 * non-zero its mark is on that line. */
void test_model_assert_error(const struct test_model *fx, const char *want,
			     const char *path, unsigned line);

#endif
