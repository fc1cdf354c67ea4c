/* loader.c: open one plugin .so, check its descriptor, run its load hook.
 *
 * The checks follow GStreamer's rule (same major, minor not newer than the
 * engine's) and SQLite's and collectd's messages: every refusal names the
 * plugin and the file, and says what to do when there is something to do.
 */
#include "plugin/loader.h"

#include <string.h>

/* The descriptor of ABI 1.0 ends after `reserved`; no plugin of any 1.x
 * minor may be smaller. A field added in a later minor is read only when
 * the plugin's struct_size covers it. */
#define DESC_SIZE_1_0 \
	(offsetof(struct bp_plugin_desc, reserved) + \
	 sizeof(((struct bp_plugin_desc *)0)->reserved))

bool plugin_name_valid(const char *name)
{
	if (!name || !*name)
		return false;
	for (const char *c = name; *c; c++)
		if (!g_ascii_isalnum(*c) && *c != '_' && *c != '-')
			return false;
	return true;
}

/* Checks the operation table; counts it into *n. */
static bool check_ops(const struct bp_plugin_desc *d, const char *file,
		      unsigned *n, struct bp_error **err)
{
	if (!d->ops) {
		bp_error_set(err, BP_ERR_PLUGIN, NULL, NULL,
			     "plugin '%s' (%s) has no operation table",
			     d->name, file);
		return false;
	}
	for (*n = 0; d->ops[*n].name; (*n)++) {
		const struct bp_op *op = &d->ops[*n];

		if (!*op->name || !op->fn) {
			bp_error_set(err, BP_ERR_PLUGIN, NULL, NULL,
				     "plugin '%s' (%s) has an operation with %s "
				     "at position %u", d->name, file,
				     *op->name ? "no function" : "an empty name",
				     *n + 1);
			return false;
		}
		for (unsigned j = 0; j < *n; j++) {
			if (strcmp(d->ops[j].name, op->name) == 0) {
				bp_error_set(err, BP_ERR_PLUGIN, NULL, NULL,
					     "plugin '%s' (%s) declares "
					     "operation '%s' twice",
					     d->name, file, op->name);
				return false;
			}
		}
	}
	return true;
}

/* Checks what bp_plugin_entry returned, before the plugin sees the API. */
static bool check_desc(const struct bp_plugin_desc *d, const char *file,
		       const char *want_name, unsigned *n_ops,
		       struct bp_error **err)
{
	const char *name;

	if (!d) {
		bp_error_set(err, BP_ERR_PLUGIN, NULL, NULL,
			     "entry point '%s' in '%s' returned no descriptor",
			     BP_PLUGIN_ENTRY, file);
		return false;
	}
	/* The ABI fields come first in every version: safe to read. */
	name = d->abi_major == BP_ABI_MAJOR && d->name ? d->name : want_name;
	if (d->abi_major != BP_ABI_MAJOR || d->abi_minor > BP_ABI_MINOR) {
		bp_error_set(err, BP_ERR_PLUGIN, NULL, NULL,
			     "plugin '%s' (%s) was built for ABI %u.%u; this "
			     "engine provides %d.%d", name ? name : "?", file,
			     d->abi_major, d->abi_minor, BP_ABI_MAJOR,
			     BP_ABI_MINOR);
		return false;
	}
	if (d->struct_size < DESC_SIZE_1_0) {
		bp_error_set(err, BP_ERR_PLUGIN, NULL, NULL,
			     "plugin '%s' (%s) has a descriptor of %u bytes; "
			     "ABI %u.%u needs at least %zu", name ? name : "?",
			     file, d->struct_size, d->abi_major, d->abi_minor,
			     (size_t)DESC_SIZE_1_0);
		return false;
	}
	if (!plugin_name_valid(d->name)) {
		bp_error_set(err, BP_ERR_PLUGIN, NULL, NULL,
			     "plugin in '%s' has an invalid name '%s': expected "
			     "letters, digits, '_' and '-'", file,
			     d->name ? d->name : "");
		return false;
	}
	if (want_name && strcmp(d->name, want_name) != 0) {
		bp_error_set(err, BP_ERR_PLUGIN, NULL, NULL,
			     "plugin file '%s' declares the name '%s'; expected "
			     "'%s' (rename the file to '%s.so')", file, d->name,
			     want_name, d->name);
		return false;
	}
	if (!d->version || !*d->version) {
		bp_error_set(err, BP_ERR_PLUGIN, NULL, NULL,
			     "plugin '%s' (%s) has no version", d->name, file);
		return false;
	}
	return check_ops(d, file, n_ops, err);
}

/* Runs the load hook; a refusal carries the plugin's own message. */
static bool run_load(struct plugin *p, struct bp_error **err)
{
	char *msg = NULL;

	if (!p->desc->load || p->desc->load(&plugin_api, &p->state, &msg)) {
		g_free(msg);
		return true;
	}
	bp_error_set(err, BP_ERR_PLUGIN, NULL, NULL,
		     "plugin '%s' (%s) refused to load: %s", p->name, p->file,
		     msg && *msg ? msg : "its load hook gave no reason");
	g_free(msg);
	return false;
}

static void plugin_free(struct plugin *p)
{
	if (p->module)
		g_module_close(p->module);
	g_free(p->name);
	g_free(p->file);
	g_free(p);
}

struct plugin *plugin_open(const char *file, const char *name,
			   struct bp_error **err)
{
	struct plugin *p = g_new0(struct plugin, 1);
	const struct bp_plugin_desc *(*entry)(void) = NULL;

	p->file = g_canonicalize_filename(file, NULL);
	/* Local binding keeps plugins from seeing each other's symbols; no
	 * G_MODULE_BIND_LAZY, so an unresolved symbol fails here. */
	p->module = g_module_open(p->file, G_MODULE_BIND_LOCAL);
	if (!p->module) {
		bp_error_set(err, BP_ERR_PLUGIN, NULL, NULL,
			     "cannot load plugin '%s': %s; the most common "
			     "cause is a missing dependency: 'ldd %s' lists "
			     "the libraries it needs and which are not found",
			     p->file, g_module_error(), p->file);
		plugin_free(p);
		return NULL;
	}
	if (!g_module_symbol(p->module, BP_PLUGIN_ENTRY, (gpointer *)&entry) ||
	    !entry) {
		bp_error_set(err, BP_ERR_PLUGIN, NULL, NULL,
			     "no entry point '%s' in '%s'", BP_PLUGIN_ENTRY,
			     p->file);
		plugin_free(p);
		return NULL;
	}
	p->desc = entry();
	if (!check_desc(p->desc, p->file, name, &p->n_ops, err)) {
		plugin_free(p);
		return NULL;
	}
	p->name = g_strdup(p->desc->name);
	if (!run_load(p, err)) {
		plugin_free(p);
		return NULL;
	}
	return p;
}

void plugin_close(struct plugin *p)
{
	if (!p)
		return;
	if (p->desc->unload)
		p->desc->unload(p->state);
	plugin_free(p);
}

const struct bp_op *plugin_find_op(const struct plugin *p, const char *op)
{
	for (unsigned i = 0; i < p->n_ops; i++)
		if (strcmp(p->desc->ops[i].name, op) == 0)
			return &p->desc->ops[i];
	return NULL;
}

char *plugin_op_names(const struct plugin *p, unsigned max)
{
	GString *s = g_string_new(NULL);

	for (unsigned i = 0; i < p->n_ops && i < max; i++)
		g_string_append_printf(s, "%s'%s'", i ? ", " : "",
				       p->desc->ops[i].name);
	if (p->n_ops > max)
		g_string_append(s, ", ...");
	return g_string_free(s, FALSE);
}

const char *plugin_artifact_op(const struct plugin *p, const char *type)
{
	const struct bp_plugin_desc *d = p->desc;

	if (d->abi_minor < 2 ||
	    d->struct_size < offsetof(struct bp_plugin_desc, artifacts) +
			     sizeof(d->artifacts) || !d->artifacts)
		return NULL;
	for (const struct bp_artifact_claim *c = d->artifacts; c->type; c++)
		if (strcmp(c->type, type) == 0)
			return c->op;
	return NULL;
}

unsigned plugin_parallelism(const struct plugin *p)
{
	const struct bp_plugin_desc *d = p->desc;

	if (d->abi_minor < 4 ||
	    d->struct_size < offsetof(struct bp_plugin_desc, parallelism) +
			     sizeof(d->parallelism))
		return 0;
	return d->parallelism;
}
