/* test-plugin-script.c: the script runner (plugins/script) under what the
 * shell tests cannot do through `blueprint plugins run`: a cancel that
 * arrives while the script runs (it kills the process group), and several
 * scripts running at once on worker threads, each answering its own ctx.
 * The plugin is build/plugins/script.so, run through the harness. */
#include "plugin/harness.h"
#include "testlib.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>

static struct plugin_registry *reg;
static char *tmp;

/* Writes an executable script `name` into tmp; returns its path. */
static char *write_script(const char *name, const char *text)
{
	char *path = g_build_filename(tmp, name, NULL);

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	g_assert_cmpint(chmod(path, 0755), ==, 0);
	return path;
}

struct job {
	struct plugin_harness h;
	json_t *report;
};

static gpointer run_job(gpointer data)
{
	struct job *j = data;
	g_autoptr(bp_error) err = NULL;

	if (!plugin_harness_run(&j->h, reg, "script", "run", &err))
		g_error("the script plugin did not run: %s", err->message);
	j->report = plugin_harness_report(&j->h);
	return NULL;
}

/* Prepares job j with the context `context` (JSON text). */
static void job_init(struct job *j, const char *context)
{
	g_autoptr(bp_error) err = NULL;
	json_t *ctx = test_json_parse(context);

	memset(j, 0, sizeof(*j));
	if (!plugin_harness_init(&j->h, ctx, "run", &err))
		g_error("bad context: %s", err->message);
	json_decref(ctx);
}

static void job_release(struct job *j)
{
	json_decref(j->report);
	plugin_harness_release(&j->h);
}

static const char *result_field(struct job *j, const char *key)
{
	return json_string_value(json_object_get(
		json_object_get(j->report, "result"), key));
}

/* Waits, at most 10 s, until `file` holds a pid; returns it. */
static int wait_pid_file(const char *file)
{
	for (int i = 0; i < 1000; i++) {
		g_autofree char *text = NULL;
		if (g_file_get_contents(file, &text, NULL, NULL) &&
		    strchr(text, '\n'))
			return (int)g_ascii_strtoll(text, NULL, 10);
		g_usleep(10000);
	}
	g_error("no pid in '%s' after 10 s", file);
	return -1;
}

/* Waits, at most 10 s, until process `pid` is gone (or a zombie its new
 * parent has yet to reap); true when it is. */
static bool pid_gone(int pid)
{
	for (int i = 0; i < 1000; i++) {
		g_autofree char *stat = g_strdup_printf("/proc/%d/stat", pid);
		g_autofree char *text = NULL;
		const char *end;
		if (!g_file_get_contents(stat, &text, NULL, NULL))
			return true;
		end = strrchr(text, ')');
		if (end && end[1] == ' ' && end[2] == 'Z')
			return true;
		g_usleep(10000);
	}
	return false;
}

static void test_cancel_while_running(void)
{
	g_autofree char *pids = g_build_filename(tmp, "child.pid", NULL);
	g_autofree char *path = write_script("cancel.sh",
		"#!/bin/sh\n"
		"sleep 300 &\n"
		"echo $! >\"$PIDFILE\"\n"
		"wait\n");
	g_autofree char *context = g_strdup_printf(
		"{\"operation\": {\"inputs\": {\"script_path\": \"%s\", "
		"\"PIDFILE\": \"%s\"}}}", path, pids);
	g_autofree char *want = g_strdup_printf(
		"script '%s' was stopped: the execution was cancelled", path);
	struct job j;
	GThread *t;
	int child;

	job_init(&j, context);
	t = g_thread_new("op", run_job, &j);
	child = wait_pid_file(pids);
	g_atomic_int_set(&j.h.cancel, 1);
	g_thread_join(t);
	g_assert_cmpstr(result_field(&j, "code"), ==, "FAIL_FATAL");
	g_assert_cmpstr(result_field(&j, "message"), ==, want);
	g_assert_true(pid_gone(child));
	job_release(&j);
}

/* Four scripts at once, each with its own node: each one's ctx answers
 * from its own context, and each one's output lands in its own report. */
static void test_concurrent(void)
{
	g_autofree char *path = write_script("who.sh",
		"#!/bin/sh\n"
		"name=$(ctx node properties name)\n"
		"ctx instance runtime_properties seen \"$name\"\n"
		"echo \"I am $name\"\n"
		"ctx returns \"$name\"\n");
	struct job jobs[4];
	GThread *threads[4];

	for (int i = 0; i < 4; i++) {
		g_autofree char *context = g_strdup_printf(
			"{\"node\": {\"properties\": {\"name\": \"n%d\"}}, "
			"\"operation\": {\"inputs\": {\"script_path\": "
			"\"%s\"}}}", i, path);
		job_init(&jobs[i], context);
	}
	for (int i = 0; i < 4; i++)
		threads[i] = g_thread_new("op", run_job, &jobs[i]);
	for (int i = 0; i < 4; i++) {
		g_autofree char *name = g_strdup_printf("n%d", i);
		g_autofree char *line = g_strdup_printf("I am n%d", i);
		json_t *logs;
		bool found = false;
		size_t k;
		json_t *l;

		g_thread_join(threads[i]);
		g_assert_cmpstr(result_field(&jobs[i], "code"), ==, "OK");
		g_assert_cmpstr(json_string_value(json_object_get(
			json_object_get(jobs[i].report, "result"), "outputs")),
			==, name);
		g_assert_cmpstr(json_string_value(json_object_get(
			jobs[i].h.call.self.runtime_properties, "seen")), ==,
			name);
		logs = json_object_get(json_object_get(jobs[i].report,
						       "result"), "logs");
		json_array_foreach(logs, k, l)
			found |= !strcmp(json_string_value(json_object_get(
				l, "message")), line);
		g_assert_true(found);
		job_release(&jobs[i]);
	}
}

int main(int argc, char **argv)
{
	g_autofree char *plugins = test_build_path("plugins");
	const char *dirs[] = { plugins, NULL };
	int rc;

	test_init(&argc, &argv);
	tmp = test_tmpdir();
	reg = plugin_registry_new(dirs);
	g_test_add_func("/plugin/script/cancel", test_cancel_while_running);
	g_test_add_func("/plugin/script/concurrent", test_concurrent);
	rc = g_test_run();
	plugin_registry_free(reg);
	test_rmtree(tmp);
	g_free(tmp);
	return rc;
}
