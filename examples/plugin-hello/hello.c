/* hello.c: the "hello" blueprint plugin, an example to copy.
 *
 * It manages files on the local machine, so every operation has something
 * to show for itself:
 *   file.create   writes the file `path` with `content` (hello.nodes.File)
 *   file.update   rewrites it with the operation input `content`
 *   file.wait     waits, by asking to be retried, until `wait_for` exists
 *   file.delete   removes it
 *   index.add     a relationship operation: lists the source file's path in
 *                 the target file, an index (hello.relationships.listed_in)
 *   index.remove  takes it off the list again
 *
 * What it shows: reading properties and inputs; saving what it made in
 * runtime properties and finding it there on the next call (operations are
 * idempotent: running one twice changes nothing the second time); waiting
 * with bp_retry() instead of sleeping; telling failures that may pass
 * (bp_fail) from those that will not (bp_fail_fatal); both sides of a
 * relationship; logging. It uses nothing but <blueprint/plugin.h> and the C
 * library. Build it with the Makefile beside it; README.md walks through it.
 */
#define _POSIX_C_SOURCE 200809L

#include <blueprint/plugin.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- small file helpers (nothing blueprint-specific) ------------------ */

/* The whole file, NUL-terminated, in memory from malloc; NULL and errno set
 * when it cannot be read. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			char *bigger = realloc(buf, cap = 2 * cap + 4096 + 1);
			if (!bigger) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = bigger;
		}
		n = fread(buf + len, 1, 4096, f);
		len += n;
	} while (n > 0);
	buf[len] = 0;
	fclose(f);
	return buf;
}

/* Writes `text` to `path` through a temporary file and rename(), so a
 * reader never sees half a file. Returns 0, or -1 with errno set. */
static int write_file(const char *path, const char *text)
{
	char *tmp = bp_strdupf("%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	int rc = -1;

	if (f) {
		size_t len = strlen(text);
		bool ok = fwrite(text, 1, len, f) == len;
		ok = (fclose(f) == 0) && ok;
		rc = ok ? rename(tmp, path) : -1;
		if (rc != 0)
			remove(tmp);
	}
	bp_free(tmp);
	return rc;
}

/* mkdir -p of the directory that holds `path`. Returns 0, or -1 with errno
 * set. */
static int make_parents(const char *path)
{
	char *dir = bp_strdupf("%s", path);
	int rc = 0;

	for (char *p = dir + 1; *p && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(dir, 0777) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	bp_free(dir);
	return rc;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* ---- the node operations ---------------------------------------------- */

/* Property `path`, which every operation needs. */
static const char *file_path(bp_ctx *ctx)
{
	return bp_get_string(ctx, BP_SCOPE_PROPERTIES, "path");
}

/* Saves what the instance now is: the file and its size. */
static void remember(bp_ctx *ctx, const char *path, const char *content)
{
	bp_runtime_set_string(ctx, "path", path);
	bp_runtime_set_int(ctx, "size", (int64_t)strlen(content));
	bp_output_set_string(ctx, "path", path);
}

/* file.create: write `content` to `path`, once. */
static int file_create(bp_ctx *ctx)
{
	const char *path = file_path(ctx);
	const char *content = bp_get_string(ctx, BP_SCOPE_INPUTS, "content");
	const char *mine = bp_get_string(ctx, BP_SCOPE_RUNTIME, "path");
	char *now;

	if (!path || path[0] != '/')
		return bp_fail_fatal(ctx, "property 'path' must be an "
				     "absolute path");
	if (!content)
		content = bp_get_string(ctx, BP_SCOPE_PROPERTIES, "content");
	if (!content)
		content = "";
	now = read_file(path);
	if (now) {
		/* Made by an earlier run of this operation: we saved its path,
		 * or a crash came before we could, and it holds what we would
		 * write. Anything else is someone else's file. */
		bool ours = (mine && strcmp(mine, path) == 0) ||
			    strcmp(now, content) == 0;
		if (ours) {
			bp_log(ctx, BP_LOG_INFO, "'%s' is already there", path);
			remember(ctx, path, now);
		}
		free(now);
		return ours ? BP_OK
			    : bp_fail_fatal(ctx, "'%s' exists and was not "
					    "created by this instance; not "
					    "overwriting it", path);
	}
	if (make_parents(path) != 0 || write_file(path, content) != 0)
		return bp_fail(ctx, "cannot write '%s': %s", path,
			       strerror(errno));
	bp_log(ctx, BP_LOG_INFO, "created '%s' (%zu bytes)", path,
	       strlen(content));
	remember(ctx, path, content);
	return BP_OK;
}

/* file.update: rewrite the file with the input `content`. */
static int file_update(bp_ctx *ctx)
{
	const char *path = bp_get_string(ctx, BP_SCOPE_RUNTIME, "path");
	const char *content = bp_get_string(ctx, BP_SCOPE_INPUTS, "content");
	char *now;
	int64_t revision = 0;

	if (!path)
		return bp_fail_fatal(ctx, "no file to update: run create first");
	if (!content)
		return BP_OK;   /* nothing asked for */
	now = read_file(path);
	if (now && strcmp(now, content) == 0) {
		free(now);
		return BP_OK;   /* already so: change nothing, not even revision */
	}
	free(now);
	if (write_file(path, content) != 0)
		return bp_fail(ctx, "cannot write '%s': %s", path,
			       strerror(errno));
	bp_get_int(ctx, BP_SCOPE_RUNTIME, "revision", &revision);
	bp_runtime_set_int(ctx, "revision", revision + 1);
	remember(ctx, path, content);
	bp_log(ctx, BP_LOG_INFO, "updated '%s'", path);
	return BP_OK;
}

/* file.wait: done once `wait_for` exists. Never sleeps: asks the engine to
 * call again in 2 seconds, holding no thread in the meantime. */
static int file_wait(bp_ctx *ctx)
{
	const char *flag = bp_get_string(ctx, BP_SCOPE_PROPERTIES, "wait_for");

	if (!flag || !*flag || exists(flag))
		return BP_OK;
	if (bp_cancelled(ctx))
		return bp_fail(ctx, "cancelled while waiting for '%s'", flag);
	return bp_retry(ctx, 2, "waiting for '%s' (attempt %u)", flag,
			(unsigned)bp_attempt(ctx));
}

/* file.delete: remove the file this instance created. */
static int file_delete(bp_ctx *ctx)
{
	const char *path = bp_get_string(ctx, BP_SCOPE_RUNTIME, "path");

	if (!path) {
		bp_log(ctx, BP_LOG_INFO, "nothing to delete");
		return BP_OK;
	}
	if (remove(path) != 0 && errno != ENOENT)
		return bp_fail(ctx, "cannot delete '%s': %s", path,
			       strerror(errno));
	bp_log(ctx, BP_LOG_INFO, "deleted '%s'", path);
	bp_runtime_delete(ctx, "path");
	bp_runtime_delete(ctx, "size");
	bp_runtime_delete(ctx, "revision");
	return BP_OK;
}

/* ---- the relationship operations -------------------------------------- */

/* The index text with the line `entry` added (add) or taken out (!add);
 * from malloc. */
static char *edit_lines(const char *text, const char *entry, bool add)
{
	size_t len = strlen(entry);
	char *out = malloc(strlen(text) + len + 2), *o = out;
	const char *line = text;

	if (!out)
		return NULL;
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		if (n != len || strncmp(line, entry, len) != 0) {
			memcpy(o, line, n);
			o += n;
			*o++ = '\n';
		}
		line += n + (end ? 1 : 0);
	}
	if (add) {
		memcpy(o, entry, len);
		o += len;
		*o++ = '\n';
	}
	*o = 0;
	return out;
}

/* Adds or removes the source's path in the target's index file. */
static int index_edit(bp_ctx *ctx, bool add)
{
	bp_ctx *src = bp_source(ctx), *tgt = bp_target(ctx);
	const char *entry, *index;
	char *text, *edited;
	int rc;

	if (!src || !tgt)
		return bp_fail_fatal(ctx, "index.%s is a relationship "
				     "operation", add ? "add" : "remove");
	entry = bp_get_string(src, BP_SCOPE_RUNTIME, "path");
	index = bp_get_string(tgt, BP_SCOPE_RUNTIME, "path");
	if (!index || !entry) {
		if (!add)
			return BP_OK;   /* never listed: nothing to undo */
		return bp_retry(ctx, 1, "waiting for '%s' and '%s' to be "
				"created", bp_node_name(src),
				bp_node_name(tgt));
	}
	text = read_file(index);
	if (!text && errno != ENOENT)
		return bp_fail(ctx, "cannot read '%s': %s", index,
			       strerror(errno));
	edited = edit_lines(text ? text : "", entry, add);
	rc = edited && write_file(index, edited) == 0 ? BP_OK
		: bp_fail(ctx, "cannot write '%s': %s", index,
			  strerror(errno));
	free(text);
	free(edited);
	if (rc != BP_OK)
		return rc;
	if (add)
		bp_runtime_set_string(src, "listed_in", index);
	else
		bp_runtime_delete(src, "listed_in");
	bp_log(ctx, BP_LOG_INFO, "%s '%s' %s '%s'", add ? "listed" : "unlisted",
	       entry, add ? "in" : "from", index);
	return BP_OK;
}

static int index_add(bp_ctx *ctx)
{
	return index_edit(ctx, true);
}

static int index_remove(bp_ctx *ctx)
{
	return index_edit(ctx, false);
}

/* ---- the plugin ------------------------------------------------------- */

static const struct bp_op hello_ops[] = {
	{ "file.create", file_create },
	{ "file.update", file_update },
	{ "file.wait", file_wait },
	{ "file.delete", file_delete },
	{ "index.add", index_add },
	{ "index.remove", index_remove },
	{ NULL, NULL },
};

BP_PLUGIN_DEFINE("hello", "1.0.0", hello_ops, NULL, NULL);
