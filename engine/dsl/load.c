/* load.c: dsl_load(), the driver that reads a blueprint and its imports
 * into a struct dsl_service.
 *
 * Each file is parsed once (keyed by its canonical path and namespace),
 * checked for a known tosca_definitions_version, and handed to its dialect's
 * front end (tosca.c, cloudify.c), which follows its imports first and then
 * adds its definitions. TOSCA blueprints get the normative types
 * (tosca-simple-1.3.yaml from the types directory) implicitly.
 */
#include "dsl/loader.h"

#include <stdlib.h>
#include <string.h>

#define TOSCA_NORMATIVE "tosca-simple-1.3.yaml"
/* The 1.0 profile's Docker and VM-image types, which 1.3 dropped. */
#define TOSCA_NONNORMATIVE_1_0 "tosca-nonnormative-1.0.yaml"

static const char *const section_names[DSL_SEC_LAST] = {
	[DSL_SEC_DATA_TYPES] = "data_types",
	[DSL_SEC_ARTIFACT_TYPES] = "artifact_types",
	[DSL_SEC_CAPABILITY_TYPES] = "capability_types",
	[DSL_SEC_INTERFACE_TYPES] = "interface_types",
	[DSL_SEC_RELATIONSHIP_TYPES] = "relationship_types",
	[DSL_SEC_NODE_TYPES] = "node_types",
	[DSL_SEC_GROUP_TYPES] = "group_types",
	[DSL_SEC_POLICY_TYPES] = "policy_types",
	[DSL_SEC_POLICY_TRIGGERS] = "policy_triggers",
	[DSL_SEC_PLUGINS] = "plugins",
	[DSL_SEC_WORKFLOWS] = "workflows",
	[DSL_SEC_REPOSITORIES] = "repositories",
	[DSL_SEC_INPUTS] = "inputs",
	[DSL_SEC_NODE_TEMPLATES] = "node_templates",
	[DSL_SEC_RELATIONSHIP_TEMPLATES] = "relationship_templates",
	[DSL_SEC_GROUPS] = "groups",
	[DSL_SEC_POLICIES] = "policies",
	[DSL_SEC_OUTPUTS] = "outputs",
	[DSL_SEC_CAPABILITIES] = "capabilities",
};

const char *dsl_section_name(enum dsl_section sec)
{
	return sec < DSL_SEC_LAST ? section_names[sec] : "unknown";
}

static void file_free(struct dsl_file *f)
{
	dsl_doc_free(f->doc);
	g_free(f);
}

void dsl_service_free(struct dsl_service *svc)
{
	if (!svc)
		return;
	for (int i = 0; i < DSL_SEC_LAST; i++) {
		g_ptr_array_unref(svc->sec[i].entries);
		g_hash_table_unref(svc->sec[i].by_name);
	}
	g_ptr_array_unref(svc->files);
	dsl_doc_free(svc->synth);
	g_free(svc);
}

static struct dsl_service *service_new(void)
{
	struct dsl_service *svc = g_new0(struct dsl_service, 1);

	svc->files = g_ptr_array_new_with_free_func((GDestroyNotify)file_free);
	svc->synth = g_new0(struct dsl_doc, 1);
	svc->synth->name = g_intern_string("<normalised>");
	bp_arena_init(&svc->synth->arena);
	for (int i = 0; i < DSL_SEC_LAST; i++) {
		svc->sec[i].entries = g_ptr_array_new_with_free_func(g_free);
		svc->sec[i].by_name = g_hash_table_new(g_str_hash, g_str_equal);
	}
	return svc;
}

const struct dsl_entry *dsl_service_get(const struct dsl_service *svc,
					enum dsl_section sec, const char *name)
{
	return name ? g_hash_table_lookup(svc->sec[sec].by_name, name) : NULL;
}

bool dsl__error(struct dsl_loader *ld, const struct dsl_node *at,
		const char *path, const char *fmt, ...)
{
	va_list ap;
	struct bp_error *e = NULL;

	va_start(ap, fmt);
	bp_error_setv(&e, BP_ERR_INVALID, at ? &at->mark : NULL, path, fmt, ap);
	va_end(ap);
	bp_diags_take(ld->diags, e);
	return false;
}

bool dsl__expect_map(struct dsl_loader *ld, const struct dsl_node *n,
		     const char *what, bool null_ok)
{
	if (dsl_is_map(n) || (null_ok && dsl_is_null(n)))
		return true;
	return dsl__error(ld, n, what, "expected a map for '%s', found %s",
			  what, dsl_type_name_a(n));
}

bool dsl__check_keys(struct dsl_loader *ld, const struct dsl_node *map,
		     const char *what, const char *const *valid)
{
	bool ok = true;

	for (uint32_t i = 0; i < dsl_len(map); i++) {
		const struct dsl_pair *p = &map->u.map.items[i];
		size_t k;

		for (k = 0; valid[k]; k++)
			if (strcmp(valid[k], dsl_key(p)) == 0)
				break;
		if (!valid[k]) {
			g_autofree char *list = g_strjoinv("', '", (char **)valid);
			ok = dsl__error(ld, p->key, what, "unknown key '%s' in %s; "
					"expected one of '%s'", dsl_key(p), what,
					list);
		}
	}
	return ok;
}

void dsl__add_entry(struct dsl_loader *ld, enum dsl_section sec,
		    const char *name, const struct dsl_node *key,
		    struct dsl_node *def, const struct dsl_file *file)
{
	struct dsl_table *t = &ld->svc->sec[sec];
	g_autofree char *full = g_strconcat(file->ns_prefix ? file->ns_prefix :
					    "", name, NULL);
	struct dsl_entry *old = g_hash_table_lookup(t->by_name, full);
	struct dsl_entry *e;

	if (old) {
		if (ld->implicit || old->def == def || dsl_equal(old->def, def))
			return;
		dsl__error(ld, key, NULL, "conflicting definitions of '%s' in "
			   "%s: here and at %s:%u:%u", full,
			   section_names[sec], old->mark.file, old->mark.line,
			   old->mark.col);
		return;
	}
	e = g_new0(struct dsl_entry, 1);
	e->name = bp_arena_strdup(&ld->svc->synth->arena, full);
	e->def = def;
	e->mark = key->mark;
	e->file = file;
	g_ptr_array_add(t->entries, e);
	g_hash_table_insert(t->by_name, (gpointer)e->name, e);
}

void dsl__add_all(struct dsl_loader *ld, enum dsl_section sec,
		  const struct dsl_node *map, const struct dsl_file *file,
		  const char *what)
{
	if (!map || !dsl__expect_map(ld, map, what, true))
		return;
	for (uint32_t i = 0; i < dsl_len(map); i++)
		dsl__add_entry(ld, sec, dsl_key(&map->u.map.items[i]),
			       map->u.map.items[i].key,
			       map->u.map.items[i].value, file);
}

/* Cloudify DSL 1.0 accepts ASCII only, as its reference parser did. */
static bool check_ascii(struct dsl_loader *ld, const struct dsl_node *n)
{
	if (dsl_is_scalar(n)) {
		for (const char *p = n->u.scalar.str; *p; p++)
			if ((unsigned char)*p > 127)
				return dsl__error(ld, n, NULL, "non-ASCII "
						  "character in '%s'; "
						  "cloudify_dsl_1_0 accepts "
						  "ASCII only",
						  n->u.scalar.str);
		return true;
	}
	if (dsl_is_map(n)) {
		bool ok = true;
		for (uint32_t i = 0; i < n->u.map.n; i++)
			ok &= check_ascii(ld, n->u.map.items[i].key) &
			      check_ascii(ld, n->u.map.items[i].value);
		return ok;
	}
	if (dsl_is_seq(n)) {
		bool ok = true;
		for (uint32_t i = 0; i < n->u.seq.n; i++)
			ok &= check_ascii(ld, n->u.seq.items[i]);
		return ok;
	}
	return true;
}

/* True when `s` is within two single-character edits of `t` (both
 * shorter than 64 bytes). */
static bool near(const char *s, const char *t)
{
	size_t n = strlen(s), m = strlen(t);
	guint8 prev[64], cur[64];

	if (n >= 64 || m >= 64 || (n > m ? n - m : m - n) > 2)
		return false;
	for (size_t j = 0; j <= m; j++)
		prev[j] = (guint8)j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = (guint8)i;
		for (size_t j = 1; j <= m; j++) {
			guint8 sub = prev[j - 1] + (s[i - 1] != t[j - 1]);
			cur[j] = MIN(sub, MIN(prev[j], cur[j - 1]) + 1);
		}
		memcpy(prev, cur, m + 1);
	}
	return prev[m] <= 2;
}

/* Reports a main file without tosca_definitions_version, at a top-level
 * key that looks like a misspelling of it when there is one. */
static void missing_version(struct dsl_loader *ld, const struct dsl_node *root)
{
	for (uint32_t i = 0; i < root->u.map.n; i++) {
		const struct dsl_pair *p = &root->u.map.items[i];
		if (near(dsl_key(p), "tosca_definitions_version")) {
			dsl__error(ld, p->key, NULL, "missing required "
				   "'tosca_definitions_version' in the main "
				   "blueprint file; unknown key '%s' in the "
				   "top level (a misspelling?)", dsl_key(p));
			return;
		}
	}
	dsl__error(ld, root, NULL, "missing required "
		   "'tosca_definitions_version' in the main blueprint file");
}

/* Parses a file and checks its version; NULL after reporting. */
static struct dsl_file *read_file(struct dsl_loader *ld, const char *path,
				  const struct dsl_file *importer,
				  const struct dsl_node *at,
				  const struct dsl_version **vout)
{
	struct bp_error *err = NULL;
	struct dsl_doc *doc = dsl_parse_file(path, &err);
	const struct dsl_node *vnode;
	const struct dsl_version *v;
	struct dsl_file *f;

	if (!doc) {
		if (at && err->code == BP_ERR_IO)
			err->mark = at->mark;
		bp_diags_take(ld->diags, err);
		return NULL;
	}
	if (doc->roots->len > 1) {
		dsl__error(ld, doc->roots->pdata[1], NULL, "expected one YAML "
			   "document in a blueprint file, found %u",
			   doc->roots->len);
		dsl_doc_free(doc);
		return NULL;
	}
	if (!dsl_is_map(doc->root)) {
		dsl__error(ld, doc->root, NULL, "expected a map at the top of "
			   "'%s', found %s", path, dsl_type_name_a(doc->root));
		dsl_doc_free(doc);
		return NULL;
	}
	vnode = dsl_map_get(doc->root, "tosca_definitions_version");
	if (vnode) {
		v = dsl__version_find(dsl_str(vnode));
		if (!v) {
			g_autofree char *list = dsl__version_list();
			dsl__error(ld, vnode, "tosca_definitions_version",
				   "unknown tosca_definitions_version '%s'; "
				   "expected one of %s",
				   dsl_scalar(vnode) ? dsl_scalar(vnode) :
				   dsl_type_name(vnode), list);
			/* an imported file is read on in its importer's
			 * dialect, so that its other problems show too */
			if (!importer) {
				dsl_doc_free(doc);
				return NULL;
			}
			v = dsl__version_find(importer->version);
		}
	} else if (importer) {
		v = dsl__version_find(importer->version);
	} else {
		missing_version(ld, doc->root);
		dsl_doc_free(doc);
		return NULL;
	}
	if (v->dialect == DSL_DIALECT_CLOUDIFY && v->minor == 0 &&
	    !check_ascii(ld, doc->root)) {
		dsl_doc_free(doc);
		return NULL;
	}
	f = g_new0(struct dsl_file, 1);
	f->path = doc->name;
	f->doc = doc;
	f->version = v->name;
	f->features = v->features;
	*vout = v;
	return f;
}

static void collect(struct dsl_loader *ld, struct dsl_file *f,
		    const struct dsl_version *v)
{
	if (v->dialect == DSL_DIALECT_TOSCA)
		dsl__tosca_collect(ld, f, v);
	else
		dsl__cloudify_collect(ld, f, v);
}

/* Loads `path` unless it was loaded already (with the same namespace). */
static void load_path(struct dsl_loader *ld, const char *path,
		      const struct dsl_file *importer,
		      const struct dsl_node *at, const char *ns_prefix)
{
	g_autofree char *real = realpath(path, NULL);
	g_autofree char *key = g_strconcat(real ? real : path, "\n",
					   ns_prefix ? ns_prefix : "", NULL);
	const struct dsl_version *v = NULL;
	struct dsl_file *f;

	if (g_hash_table_contains(ld->loaded, key))
		return;
	f = read_file(ld, path, importer, at, &v);
	g_hash_table_insert(ld->loaded, g_steal_pointer(&key), f);
	if (!f)
		return;
	if (ns_prefix)
		f->ns_prefix = bp_arena_strdup(&ld->svc->synth->arena,
					       ns_prefix);
	g_ptr_array_add(ld->svc->files, f);
	collect(ld, f, v);
}

void dsl__load_import(struct dsl_loader *ld, const struct dsl_file *from,
		      const char *uri, const struct dsl_node *at,
		      const char *ns_prefix)
{
	g_autofree char *path = dsl__resolve_import(ld, from, uri, at);
	g_autofree char *prefix = NULL;

	if (!path)
		return;
	/* A Cloudify namespace covers what the namespaced file imports too;
	 * a TOSCA namespace_prefix only the imported file's definitions (as
	 * tosca-parser reads it). */
	if (dsl__version_find(from->version)->dialect == DSL_DIALECT_TOSCA)
		prefix = g_strdup(ns_prefix);
	else if (from->ns_prefix || ns_prefix)
		prefix = g_strconcat(from->ns_prefix ? from->ns_prefix : "",
				     ns_prefix ? ns_prefix : "", NULL);
	load_path(ld, path, from, at, prefix);
}

/* Loads a shipped type file as implicit types (the blueprint's own
 * definitions win over them). False when no types directory has it. */
static bool load_implicit(struct dsl_loader *ld, const char *name)
{
	const char *const *dirs = ld->opts ? ld->opts->types_dirs : NULL;

	for (size_t i = 0; dirs && dirs[i]; i++) {
		g_autofree char *p = g_build_filename(dirs[i], name, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_REGULAR)) {
			ld->implicit = true;
			load_path(ld, p, dsl_service_main(ld->svc), NULL, NULL);
			ld->implicit = false;
			return true;
		}
	}
	return false;
}

/* The normative types every TOSCA blueprint sees without importing them. */
static void load_tosca_normative(struct dsl_loader *ld, const char *version)
{
	if (!load_implicit(ld, TOSCA_NORMATIVE))
		dsl__error(ld, dsl_service_main(ld->svc)->doc->root, NULL,
			   "cannot find the TOSCA normative types '%s' in the "
			   "types directories (set BLUEPRINT_TYPES_DIR)",
			   TOSCA_NORMATIVE);
	if (!strcmp(version, "tosca_simple_yaml_1_0"))
		load_implicit(ld, TOSCA_NONNORMATIVE_1_0);
}

struct dsl_service *dsl_load(const char *path,
			     const struct dsl_load_options *opts,
			     struct bp_diags *diags)
{
	struct dsl_loader ld = { 0 };
	unsigned before = bp_diags_count(diags);
	const struct dsl_file *main_file;

	ld.svc = service_new();
	ld.opts = opts;
	ld.diags = diags;
	ld.loaded = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	load_path(&ld, path, NULL, NULL, NULL);
	if (ld.svc->files->len) {
		main_file = dsl_service_main(ld.svc);
		if (dsl__version_find(main_file->version)->dialect ==
		    DSL_DIALECT_TOSCA)
			load_tosca_normative(&ld, main_file->version);
	}
	g_hash_table_unref(ld.loaded);
	dsl__import_map_free(ld.map);
	if (bp_diags_count(diags) > before || ld.svc->files->len == 0) {
		dsl_service_free(ld.svc);
		return NULL;
	}
	return ld.svc;
}
