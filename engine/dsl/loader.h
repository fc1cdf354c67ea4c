/* loader.h: what the loader's files share inside dsl/ (not for other
 * layers): the loading state, the dialect tables, and the normalisers the
 * two dialect front ends (tosca.c, cloudify.c) call. */
#ifndef BP_DSL_LOADER_H
#define BP_DSL_LOADER_H

#include "dsl/service.h"

struct dsl_import_map;

struct dsl_loader {
	struct dsl_service *svc;
	const struct dsl_load_options *opts;
	struct bp_diags *diags;
	GHashTable *loaded;              /* canonical path -> struct dsl_file * */
	struct dsl_import_map *map;      /* lazily read import-map.yaml */
	bool map_read;
	bool implicit;                   /* loading implicit types: the
					    blueprint's own definitions win */
};

enum dsl_dialect {
	DSL_DIALECT_TOSCA,
	DSL_DIALECT_CLOUDIFY,
	DSL_DIALECT_LAST                 /* never use */
};

/* version.c: the known tosca_definitions_version values. */
struct dsl_version {
	const char *name;
	enum dsl_dialect dialect;
	unsigned minor;
	unsigned features;               /* enum dsl_feature */
};
const struct dsl_version *dsl__version_find(const char *name);
/* (transfer full) "a, b, c": every known version, for messages. */
char *dsl__version_list(void);

/* Adds a definition to a section; reports a conflicting redefinition (an
 * identical one is accepted). `key` is the name's node (for its mark). */
void dsl__add_entry(struct dsl_loader *ld, enum dsl_section sec,
		    const char *name, const struct dsl_node *key,
		    struct dsl_node *def, const struct dsl_file *file);

/* Reports a problem at a node. Returns false. */
bool dsl__error(struct dsl_loader *ld, const struct dsl_node *at,
		const char *path, const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* Checks that `n` is a map (null counts as an empty map when `null_ok`);
 * reports "expected a map for 'what'" otherwise. */
bool dsl__expect_map(struct dsl_loader *ld, const struct dsl_node *n,
		     const char *what, bool null_ok);

/* Checks the keys of a map against a NULL-terminated list; reports each
 * unknown one with the list of valid keys. */
bool dsl__check_keys(struct dsl_loader *ld, const struct dsl_node *map,
		     const char *what, const char *const *valid);

/* Adds every `name: def` of `map` to a section. */
void dsl__add_all(struct dsl_loader *ld, enum dsl_section sec,
		  const struct dsl_node *map, const struct dsl_file *file,
		  const char *what);

/* normalize.c: the shared shapes of service.h. All return nodes in the
 * service's synth document, or NULL after reporting an error. */
struct dsl_node *dsl__norm_operation(struct dsl_loader *ld,
				     struct dsl_node *op, const char *path);
struct dsl_node *dsl__norm_interfaces(struct dsl_loader *ld,
				      struct dsl_node *ifaces,
				      enum dsl_dialect dialect,
				      const char *path);
/* Normalises a type or template definition: its interfaces (also
 * source_/target_interfaces) and, for TOSCA, its requirements list. */
struct dsl_node *dsl__norm_definition(struct dsl_loader *ld,
				      struct dsl_node *def,
				      enum dsl_dialect dialect,
				      bool is_template, const char *path);
/* A TOSCA requirements list to a list of REQUIREMENT (service.h). A short
 * form names a node in a template, a capability type in a type. */
struct dsl_node *dsl__norm_requirements(struct dsl_loader *ld,
					const struct dsl_node *reqs,
					bool is_template, const char *path);
/* Normalises and adds every `name: definition` of `map` to a section. */
void dsl__add_definitions(struct dsl_loader *ld, enum dsl_section sec,
			  const struct dsl_node *map,
			  const struct dsl_file *file,
			  enum dsl_dialect dialect, bool is_template);
/* A shallow copy of `map` in the synth document (values are shared), with
 * room to add keys with dsl_map_put. */
struct dsl_node *dsl__copy_map(struct dsl_loader *ld,
			       const struct dsl_node *map);

/* tosca.c, cloudify.c: the dialect front ends. Each checks its top-level
 * keys and adds the file's definitions to the service. */
void dsl__tosca_collect(struct dsl_loader *ld, struct dsl_file *f,
			const struct dsl_version *v);
void dsl__cloudify_collect(struct dsl_loader *ld, struct dsl_file *f,
			   const struct dsl_version *v);

/* imports.c: resolving an import to a local file. Returns (transfer full)
 * the path, or NULL after reporting where it looked. */
char *dsl__resolve_import(struct dsl_loader *ld, const struct dsl_file *from,
			  const char *uri, const struct dsl_node *at);
void dsl__import_map_free(struct dsl_import_map *map);

/* load.c: loads one imported file (once) and collects its definitions. */
void dsl__load_import(struct dsl_loader *ld, const struct dsl_file *from,
		      const char *uri, const struct dsl_node *at,
		      const char *ns_prefix);

#endif
