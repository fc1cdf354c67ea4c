/* config.c: where an operation's OpenStack credentials come from, in the
 * order OpenStack users expect: the node's client_config (Cloudify
 * blueprints carry one on every node), else the cloud OS_CLOUD names in
 * clouds.yaml (OS_CLIENT_CONFIG_FILE, ./clouds.yaml,
 * ~/.config/openstack/clouds.yaml, /etc/openstack/clouds.yaml; secure.yaml
 * from the same places merged in), else the OS_* environment. Whatever the
 * source, the result is one flat object of strings in openstacksdk's names
 * (auth.* lifted to the top), so the rest of the plugin reads one shape. */
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "os.h"

extern char **environ;

const char *os_config_str(const json_t *cfg, const char *key)
{
	return json_string_value(json_object_get(cfg, key));
}

/* Copies the scalars of `from` into the flat `to` as strings; objects
 * named auth (and client_config's kwargs) are lifted. */
static void flatten(json_t *to, const json_t *from)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)from, k, v) {
		if (json_is_object(v) && (!strcmp(k, "auth") ||
					  !strcmp(k, "kwargs"))) {
			flatten(to, v);
		} else if (json_is_string(v)) {
			if (*json_string_value(v))
				json_object_set(to, k, v);
		} else if (json_is_boolean(v)) {
			json_object_set_new(to, k, json_string(
				json_is_true(v) ? "true" : "false"));
		} else if (json_is_integer(v)) {
			g_autofree char *s = g_strdup_printf("%lld",
				(long long)json_integer_value(v));
			json_object_set_new(to, k, json_string(s));
		}
	}
}

/* Deep merge of `over` into `base` (secure.yaml into clouds.yaml). */
static void merge(json_t *base, const json_t *over)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)over, k, v) {
		json_t *b = json_object_get(base, k);
		if (json_is_object(b) && json_is_object(v))
			merge(b, v);
		else
			json_object_set(base, k, v);
	}
}

/* The first of the usual places holding `file` that exists, loaded. */
static json_t *load_first(const char *file, const char *env_path,
			  char **errmsg)
{
	g_autofree char *home = g_build_filename(g_get_home_dir(), ".config",
						 "openstack", file, NULL);
	g_autofree char *etc = g_build_filename("/etc/openstack", file, NULL);
	const char *places[] = { env_path, file, home, etc };

	for (size_t i = 0; i < G_N_ELEMENTS(places); i++) {
		json_t *doc;
		if (!places[i] || !*places[i])
			continue;
		doc = os_yaml_load(places[i], errmsg);
		if (doc || *errmsg)
			return doc;
	}
	return NULL;
}

static json_t *from_clouds(const char *cloud, char **errmsg)
{
	json_t *clouds, *secure, *entry, *out;

	clouds = load_first("clouds.yaml", getenv("OS_CLIENT_CONFIG_FILE"),
			    errmsg);
	if (!clouds) {
		if (!*errmsg)
			*errmsg = g_strdup_printf(
				"OS_CLOUD is '%s' but no clouds.yaml was found "
				"(./, ~/.config/openstack/, /etc/openstack/)",
				cloud);
		return NULL;
	}
	secure = load_first("secure.yaml", getenv("OS_CLIENT_SECURE_FILE"),
			    errmsg);
	if (*errmsg) {
		json_decref(clouds);
		return NULL;
	}
	if (secure)
		merge(clouds, secure);
	json_decref(secure);
	entry = json_object_get(json_object_get(clouds, "clouds"), cloud);
	if (!json_is_object(entry)) {
		*errmsg = g_strdup_printf("clouds.yaml has no cloud '%s'",
					  cloud);
		json_decref(clouds);
		return NULL;
	}
	out = json_object();
	flatten(out, entry);
	json_decref(clouds);
	return out;
}

/* OS_FOO_BAR=v gives foo_bar: v (openstacksdk's reading), OS_CACERT too. */
static json_t *from_env(void)
{
	json_t *out = json_object();

	for (char **e = environ; *e; e++) {
		const char *eq = strchr(*e, '=');
		g_autofree char *key = NULL;
		if (strncmp(*e, "OS_", 3) || !eq || eq == *e + 3 || !eq[1])
			continue;
		key = g_ascii_strdown(*e + 3, eq - *e - 3);
		json_object_set_new(out, key, json_string(eq + 1));
	}
	/* OS_TENANT_NAME is the v2 name of the project */
	if (!json_object_get(out, "project_name") &&
	    json_object_get(out, "tenant_name"))
		json_object_set(out, "project_name",
				json_object_get(out, "tenant_name"));
	return out;
}

json_t *os_config_resolve(const json_t *cc, char **errmsg)
{
	const char *cloud;
	json_t *out;

	*errmsg = NULL;
	if (json_is_object(cc) && (json_object_get(cc, "auth_url") ||
				   json_object_get(cc, "cloud"))) {
		out = json_object();
		flatten(out, cc);
		cloud = os_config_str(out, "cloud");
		if (cloud && !os_config_str(out, "auth_url")) {
			json_t *c = from_clouds(cloud, errmsg);
			if (!c) {
				json_decref(out);
				return NULL;
			}
			json_object_update_missing(out, c);
			json_decref(c);
		}
		return out;
	}
	cloud = getenv("OS_CLOUD");
	if (cloud && *cloud)
		out = from_clouds(cloud, errmsg);
	else
		out = from_env();
	if (out && !os_config_str(out, "auth_url")) {
		*errmsg = g_strdup_printf(
			"no OpenStack credentials: set client_config (auth_url, "
			"username, password, project_name, ...), OS_CLOUD with "
			"a clouds.yaml, or the OS_* variables");
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *os_config_load(bp_ctx *ctx, char **errmsg)
{
	json_t *cc = os_ctx_value(ctx, "client_config");
	json_t *out;

	if (!json_is_object(cc) || !json_object_size(cc)) {
		json_decref(cc);
		cc = os_ctx_value(ctx, "openstack_config");  /* 2.x name */
	}
	out = os_config_resolve(cc, errmsg);
	json_decref(cc);
	return out;
}
