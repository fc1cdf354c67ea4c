/* sqlite-schema.c: the SQLite schema and its migrations.
 *
 * Each database keeps its schema version in PRAGMA user_version. A
 * migration is a script that takes the schema from version N to N+1; they
 * are appended, never edited once released. Opening a database applies the
 * missing ones in one transaction (so a failed or interrupted migration
 * leaves the old schema), and refuses a database newer than this build.
 *
 * Tables are STRICT (SQLite 3.37+): a column holds only its declared type.
 * JSON columns are TEXT. Times are INTEGER microseconds, 0 = not yet.
 * A CHECK of a column against its names is written `c = 'a' OR c = 'b'
 * ...`, not `c IN ('a', 'b', ...)`: SQLite builds an ephemeral table for
 * an IN list of more than two values on every row written, which made
 * recording an instance's state or a task twice as costly.
 */
#include "store/sqlite-int.h"

/* ---- state.db --------------------------------------------------------- */

static const char *const state_migrations[] = {
	/* 1: the first schema. */
	"CREATE TABLE deployments ("
	"  id TEXT PRIMARY KEY,"
	"  blueprint_path TEXT NOT NULL,"
	"  blueprint_hash TEXT NOT NULL,"
	"  inputs TEXT NOT NULL,"
	"  outputs TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	") STRICT;"

	/* Instance ids are unique within their deployment (the plan makes
	 * them), so the key is (deployment, id). */
	"CREATE TABLE node_instances ("
	"  deployment TEXT NOT NULL"
	"    REFERENCES deployments(id) ON DELETE CASCADE,"
	"  id TEXT NOT NULL,"
	"  node TEXT NOT NULL,"
	"  host_id TEXT,"
	"  state TEXT NOT NULL CHECK ("
	"    state = 'initial' OR state = 'creating' OR "
	"    state = 'created' OR state = 'configuring' OR "
	"    state = 'configured' OR state = 'starting' OR "
	"    state = 'started' OR state = 'stopping' OR "
	"    state = 'stopped' OR state = 'deleting' OR "
	"    state = 'deleted'),"
	"  runtime_props TEXT NOT NULL,"
	"  scaling_groups TEXT NOT NULL,"
	"  idx INTEGER NOT NULL,"
	"  version INTEGER NOT NULL,"
	"  PRIMARY KEY (deployment, id)"
	") STRICT;"
	"CREATE INDEX node_instances_by_deployment"
	"  ON node_instances(deployment, node, idx);"

	"CREATE TABLE relationship_instances ("
	"  deployment TEXT NOT NULL"
	"    REFERENCES deployments(id) ON DELETE CASCADE,"
	"  source_id TEXT NOT NULL,"
	"  target_id TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  idx INTEGER NOT NULL,"
	"  name TEXT,"
	"  PRIMARY KEY (deployment, source_id, idx, target_id),"
	"  FOREIGN KEY (deployment, source_id)"
	"    REFERENCES node_instances(deployment, id) ON DELETE CASCADE,"
	"  FOREIGN KEY (deployment, target_id)"
	"    REFERENCES node_instances(deployment, id) ON DELETE CASCADE"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX relationship_instances_by_target"
	"  ON relationship_instances(deployment, target_id);"

	"CREATE TABLE executions ("
	"  id TEXT PRIMARY KEY,"
	"  deployment TEXT NOT NULL"
	"    REFERENCES deployments(id) ON DELETE CASCADE,"
	"  workflow TEXT NOT NULL,"
	"  parameters TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK ("
	"    status = 'pending' OR status = 'started' OR "
	"    status = 'succeeded' OR status = 'failed' OR "
	"    status = 'cancelling' OR status = 'cancelled'),"
	"  pid INTEGER NOT NULL,"
	"  command TEXT NOT NULL,"
	"  error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  started_at INTEGER NOT NULL,"
	"  ended_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE INDEX executions_by_deployment"
	"  ON executions(deployment, created_at);"

	/* seq orders tasks by first put; WITHOUT ROWID would lose it. */
	"CREATE TABLE operation_tasks ("
	"  seq INTEGER PRIMARY KEY,"
	"  execution TEXT NOT NULL"
	"    REFERENCES executions(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  instance_id TEXT,"
	"  target_id TEXT,"
	"  operation TEXT NOT NULL,"
	"  state TEXT NOT NULL CHECK ("
	"    state = 'pending' OR state = 'sent' OR "
	"    state = 'succeeded' OR state = 'failed' OR "
	"    state = 'retrying'),"
	"  attempt INTEGER NOT NULL,"
	"  message TEXT,"
	"  outputs TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  UNIQUE (execution, key)"
	") STRICT;"
	"CREATE INDEX operation_tasks_by_instance"
	"  ON operation_tasks(instance_id, operation, state);"

	/* AUTOINCREMENT: ids are a cursor for `events --follow`; a plain
	 * rowid could be handed out again after the newest rows are deleted. */
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  time INTEGER NOT NULL,"
	"  deployment TEXT NOT NULL"
	"    REFERENCES deployments(id) ON DELETE CASCADE,"
	"  execution TEXT,"
	"  instance_id TEXT,"
	"  operation TEXT,"
	"  level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),"
	"  type TEXT NOT NULL,"
	"  message TEXT NOT NULL,"
	"  data TEXT"
	") STRICT;"
	"CREATE INDEX events_by_deployment ON events(deployment, id);"
	"CREATE INDEX events_by_execution ON events(execution, id);"

	"CREATE TABLE modifications ("
	"  id TEXT PRIMARY KEY,"
	"  deployment TEXT NOT NULL"
	"    REFERENCES deployments(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK ("
	"    status = 'started' OR status = 'finished' OR "
	"    status = 'rolled_back'),"
	"  added TEXT NOT NULL,"
	"  removed TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  ended_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE INDEX modifications_by_deployment"
	"  ON modifications(deployment, created_at);"
	/* One modification in progress per deployment, enforced here too. */
	"CREATE UNIQUE INDEX modifications_one_started"
	"  ON modifications(deployment) WHERE status = 'started';",

	/* 2: fewer index pages written per operation, for a workflow's
	 * commits wrote about 20 pages each, a fifth of them to each of
	 * these two indexes. get_operation_output's index covers only the
	 * tasks that have outputs to find, not every task (a write into a
	 * page picked by its instance id). Events are read by deployment,
	 * sometimes narrowed to an execution: events_by_deployment serves
	 * both (an execution's events are its deployment's, and a cursor
	 * bounds --follow), so events_by_execution goes. */
	"DROP INDEX operation_tasks_by_instance;"
	"CREATE INDEX operation_tasks_outputs"
	"  ON operation_tasks(instance_id, operation)"
	"  WHERE state = 'succeeded' AND outputs IS NOT NULL;"
	"DROP INDEX events_by_execution;",
};

/* ---- secrets.db ------------------------------------------------------- */

static const char *const secrets_migrations[] = {
	/* 1: the first schema. */
	"CREATE TABLE secrets ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	") STRICT;",
};

/* Reads PRAGMA user_version into *out. */
static bool read_version(struct store_sq *c, int64_t *out,
			 struct bp_error **err)
{
	const char *what = "read the schema version";
	g_autoptr(store_lease) st = store__sq_stmt(c, "PRAGMA user_version",
						   what, err);

	return st && store__sq_int(c, st, what, out, err);
}

/* Applies migrations[version..n-1] inside the open transaction. */
static bool apply(struct store_sq *c, const char *const *migrations, size_t n,
		  int64_t version, struct bp_error **err)
{
	g_autofree char *set = g_strdup_printf("PRAGMA user_version = %zu", n);

	for (size_t v = (size_t)version; v < n; v++) {
		g_autofree char *what =
			g_strdup_printf("migrate '%s' to schema version %zu",
					c->path, v + 1);
		if (!store__sq_script(c, migrations[v], what, err))
			return false;
	}
	return store__sq_script(c, set, "set the schema version", err);
}

static bool migrate(struct store_sq *c, const char *const *migrations,
		    size_t n, struct bp_error **err)
{
	int64_t version;

	/* Read first without a transaction: an up-to-date database (the
	 * usual case) is opened without taking the write lock. */
	if (!read_version(c, &version, err))
		return false;
	if (version == (int64_t)n)
		return true;
	if (!store__sq_begin(c, err))
		return false;
	if (!read_version(c, &version, err)) {
		store__sq_rollback(c);
		return false;
	}
	if (version > (int64_t)n) {
		store__sq_rollback(c);
		bp_error_set(err, BP_ERR_INVALID, NULL, NULL,
			     "'%s' has schema version %" G_GINT64_FORMAT
			     ", newer than this blueprint understands (%zu); "
			     "use a newer blueprint", c->path, version, n);
		return false;
	}
	if (!apply(c, migrations, n, version, err)) {
		store__sq_rollback(c);
		return false;
	}
	return store__sq_commit(c, err);
}

bool store__sq_migrate_state(struct store_sq *c, struct bp_error **err)
{
	return migrate(c, state_migrations, G_N_ELEMENTS(state_migrations), err);
}

bool store__sq_migrate_secrets(struct store_sq *c, struct bp_error **err)
{
	return migrate(c, secrets_migrations, G_N_ELEMENTS(secrets_migrations),
		       err);
}
