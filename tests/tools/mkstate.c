/* mkstate.c: writes records into a state directory through the store API,
 * for the CLI's shell tests (they need deployments, instances, executions,
 * tasks and events that only a running workflow would make otherwise).
 *
 *   mkstate DIR RECORD KEY=VALUE...
 *
 * RECORD and its keys (JSON values as JSON text; [] marks the optional):
 *   deployment       id blueprint [inputs]
 *   instance         deployment id node [state host index props]
 *   execution        deployment workflow [status]        prints the id
 *   execution-status id status [error]
 *   task             execution key operation [instance state attempt
 *                    message outputs]
 *   event            deployment type message [execution instance
 *                    operation level time (unix seconds) data]
 *   lock             deployment       takes its execution lock, prints
 *                                     "locked", holds it until stdin ends
 * Exits 0 when the record was written, 1 with the store's error, 2 for
 * bad usage. Events go through store_event_append(), which masks secret
 * values as every writer's do.
 */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

struct args {
	GHashTable *kv;        /* key -> value, borrowed from argv */
	GHashTable *used;      /* keys read, to reject unknown ones */
	bool bad;              /* a value failed to parse */
};

static const char *opt(struct args *a, const char *key)
{
	g_hash_table_add(a->used, (char *)key);
	return g_hash_table_lookup(a->kv, key);
}

static const char *req(struct args *a, const char *key)
{
	const char *v = opt(a, key);

	if (!v) {
		fprintf(stderr, "mkstate: '%s' is required\n", key);
		a->bad = true;
	}
	return v;
}

/* (transfer full) the JSON value of `key`, or NULL when absent. */
static json_t *json_arg(struct args *a, const char *key)
{
	const char *text = opt(a, key);
	json_error_t je;
	json_t *v;

	if (!text)
		return NULL;
	v = json_loads(text, JSON_DECODE_ANY, &je);
	if (!v) {
		fprintf(stderr, "mkstate: '%s' is not JSON: %s\n", key,
			je.text);
		a->bad = true;
	}
	return v;
}

static gint64 int_arg(struct args *a, const char *key, gint64 dflt)
{
	const char *text = opt(a, key);

	return text ? g_ascii_strtoll(text, NULL, 10) : dflt;
}

/* Parses an enum by its stored name with `parse`; `dflt` when absent. */
#define ENUM_ARG(a, key, parse, dflt, out)                                   \
	do {                                                                 \
		const char *t_ = opt((a), (key));                            \
		*(out) = (dflt);                                             \
		if (t_ && !parse(t_, (out))) {                               \
			fprintf(stderr, "mkstate: bad %s '%s'\n", (key), t_); \
			(a)->bad = true;                                     \
		}                                                            \
	} while (0)

/* (transfer full) the digest the deployment runner keeps of a blueprint
 * (exec/deploy.c), or "-" when the file cannot be read. */
static char *blueprint_digest(const char *path)
{
	g_autofree char *text = NULL;
	gsize len;

	if (!path || !g_file_get_contents(path, &text, &len, NULL))
		return g_strdup("-");
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256,
					   (const guchar *)text, len);
}

static bool put_deployment(struct store *s, struct args *a,
			   struct bp_error **err)
{
	json_t *inputs = json_arg(a, "inputs");
	g_autofree char *digest = blueprint_digest(opt(a, "blueprint"));
	struct store_deployment d = { .id = req(a, "id"),
				      .blueprint_path = req(a, "blueprint"),
				      .blueprint_hash = digest,
				      .inputs = inputs };
	bool ok = a->bad || store_deployment_create(s, &d, err);

	json_decref(inputs);
	return ok;
}

static bool put_instance(struct store *s, struct args *a,
			 struct bp_error **err)
{
	struct store_instance in = {
		.deployment = req(a, "deployment"), .id = req(a, "id"),
		.node = req(a, "node"), .host_id = opt(a, "host"),
		.index = int_arg(a, "index", 0),
		.runtime_props = json_arg(a, "props"),
	};
	GPtrArray *one = g_ptr_array_new();
	bool ok;

	ENUM_ARG(a, "state", store_instance_state_parse,
		 STORE_INSTANCE_INITIAL, &in.state);
	g_ptr_array_add(one, &in);
	ok = a->bad || store_instance_insert(s, one, err);
	if (ok && !a->bad && in.state != STORE_INSTANCE_INITIAL)
		ok = store_instance_set_state(s, in.deployment, in.id,
					      in.state, STORE_ANY_VERSION,
					      NULL, err);
	g_ptr_array_unref(one);
	json_decref(in.runtime_props);
	return ok;
}

static bool put_execution(struct store *s, struct args *a,
			  struct bp_error **err)
{
	struct store_execution e = { .deployment = req(a, "deployment"),
				     .workflow = req(a, "workflow") };
	g_autofree char *id = NULL;

	ENUM_ARG(a, "status", store_exec_status_parse, STORE_EXEC_STARTED,
		 &e.status);
	if (a->bad || !store_execution_create(s, &e, &id, err))
		return a->bad;
	printf("%s\n", id);
	return true;
}

static bool put_execution_status(struct store *s, struct args *a,
				 struct bp_error **err)
{
	const char *id = req(a, "id");
	enum store_exec_status status;

	ENUM_ARG(a, "status", store_exec_status_parse, STORE_EXEC_SUCCEEDED,
		 &status);
	return a->bad || store_execution_set_status(s, id, status,
						    opt(a, "error"), err);
}

static bool put_task(struct store *s, struct args *a, struct bp_error **err)
{
	struct store_task t = {
		.execution = req(a, "execution"), .key = req(a, "key"),
		.operation = req(a, "operation"),
		.instance_id = opt(a, "instance"),
		.attempt = int_arg(a, "attempt", 1),
		.message = opt(a, "message"),
		.outputs = json_arg(a, "outputs"),
	};
	bool ok;

	ENUM_ARG(a, "state", store_task_state_parse, STORE_TASK_PENDING,
		 &t.state);
	ok = a->bad || store_task_put(s, &t, err);
	json_decref(t.outputs);
	return ok;
}

static bool put_event(struct store *s, struct args *a, struct bp_error **err)
{
	struct store_event e = {
		.deployment = req(a, "deployment"), .type = req(a, "type"),
		.message = req(a, "message"),
		.execution = opt(a, "execution"),
		.instance_id = opt(a, "instance"),
		.operation = opt(a, "operation"),
		.time = int_arg(a, "time", 0) * G_USEC_PER_SEC,
		.data = json_arg(a, "data"),
	};
	bool ok;

	ENUM_ARG(a, "level", store_event_level_parse, STORE_LEVEL_INFO,
		 &e.level);
	ok = a->bad || store_event_append(s, &e, NULL, err);
	json_decref(e.data);
	return ok;
}

static bool hold_lock(struct store *s, struct args *a, struct bp_error **err)
{
	g_autoptr(store_lock) lock = NULL;
	const char *dep = req(a, "deployment");

	if (a->bad || !store_lock_acquire(s, dep, "mkstate lock", &lock, err))
		return a->bad;
	printf("locked\n");
	fflush(stdout);
	while (getchar() != EOF)
		;
	return true;
}

static const struct {
	const char *name;
	bool (*put)(struct store *s, struct args *a, struct bp_error **err);
} records[] = {
	{ "deployment", put_deployment },
	{ "instance", put_instance },
	{ "execution", put_execution },
	{ "execution-status", put_execution_status },
	{ "task", put_task },
	{ "event", put_event },
	{ "lock", hold_lock },
};

int main(int argc, char **argv)
{
	struct args a = { 0 };
	g_autoptr(store) s = NULL;
	struct bp_error *err = NULL;
	GHashTableIter it;
	gpointer key;
	int rc = 2;

	if (argc < 3) {
		fprintf(stderr, "usage: mkstate DIR RECORD KEY=VALUE...\n");
		return 2;
	}
	a.kv = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	a.used = g_hash_table_new(g_str_hash, g_str_equal);
	for (int i = 3; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		if (!eq) {
			fprintf(stderr, "mkstate: expected KEY=VALUE, got "
				"'%s'\n", argv[i]);
			a.bad = true;
			continue;
		}
		g_hash_table_insert(a.kv, g_strndup(argv[i], eq - argv[i]),
				    (char *)eq + 1);
	}
	if (!store_open(argv[1], &s, &err)) {
		fprintf(stderr, "mkstate: %s\n", err->message);
		bp_error_free(err);
		return 1;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(records); i++) {
		bool ok;
		if (strcmp(records[i].name, argv[2]) != 0)
			continue;
		ok = records[i].put(s, &a, &err);
		rc = a.bad ? 2 : ok ? 0 : 1;
		break;
	}
	if (rc == 2 && !a.bad)
		fprintf(stderr, "mkstate: unknown record '%s'\n", argv[2]);
	g_hash_table_iter_init(&it, a.kv);
	while (g_hash_table_iter_next(&it, &key, NULL))
		if (!g_hash_table_contains(a.used, key)) {
			fprintf(stderr, "mkstate: unknown key '%s'\n",
				(char *)key);
			rc = 2;
		}
	if (err) {
		fprintf(stderr, "mkstate: %s\n", err->message);
		bp_error_free(err);
	}
	g_hash_table_unref(a.used);
	g_hash_table_unref(a.kv);
	return rc;
}
