/* conn.c: which cluster an operation talks to and as whom. The first of
 * these that the node gives wins:
 *   1. client_config (an operation input, else the property), Cloudify's
 *      shape: configuration.api_options {host, api_key, ssl_ca_cert,
 *      cert_file, key_file, verify_ssl} (each certificate a path or PEM
 *      text), configuration.file_content (a kubeconfig as a map or YAML
 *      text), configuration.blueprint_file_name (a kubeconfig beside the
 *      blueprint) or configuration.manager_file_path (one on this machine);
 *      With client_config.authentication.gcp_service_account, the bearer
 *      token is a Google access token for that key (google.c);
 *   1b. the cluster node the resource is managed_by (a Master's
 *      `configuration` and `authentication`) or connected_to (a
 *      SharedCluster's client_config), or a GKE cluster node it is
 *      related to (google.c), through bp_related();
 *   2. the `kubeconfig` property: a path (relative to the blueprint), YAML
 *      text, or a map; with `context` naming the context to use (for any
 *      kubeconfig source) instead of its current-context;
 *   3. the in-cluster service account: KUBERNETES_SERVICE_HOST and _PORT
 *      with the token and CA in /var/run/secrets/kubernetes.io/
 *      serviceaccount (BLUEPRINT_KUBERNETES_SA_DIR names another
 *      directory);
 *   4. $KUBECONFIG (files joined by ':', merged as kubectl merges them),
 *      else ~/.kube/config.
 * A cluster node made earlier in the same install reaches a resource
 * through get_attribute in its client_config or kubeconfig property
 * (runtime functions in properties are evaluated when the operation
 * runs). */
#include "kube.h"

#include <string.h>

#include "../common/yaml.h"

#define KUBE_SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"
#define KUBE_USER_AGENT "blueprint-kubernetes/0.1"
#define KUBE_REL_MANAGED_BY_MASTER \
	"cloudify.relationships.kubernetes.managed_by_master"
#define KUBE_REL_SHARED_CLUSTER \
	"cloudify.relationships.kubernetes.connected_to_shared_cluster"

void kube_auth_clear(struct kube_auth *a)
{
	g_free(a->server);
	g_free(a->token);
	g_free((char *)a->tls.ca_file);
	g_free((char *)a->tls.ca_data);
	g_free((char *)a->tls.cert_file);
	g_free((char *)a->tls.cert_data);
	g_free((char *)a->tls.key_file);
	g_free((char *)a->tls.key_data);
	g_free(a->namespace);
	g_free(a->source);
	g_free(a->google_creds);
	memset(a, 0, sizeof(*a));
}

json_t *kube_get_json(bp_ctx *ctx, int scope, const char *path)
{
	const char *text = bp_get_json(ctx, scope, path);

	return text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
}

json_t *kube_input_or_property(bp_ctx *ctx, const char *path)
{
	json_t *v = kube_get_json(ctx, BP_SCOPE_INPUTS, path);

	if (v && !json_is_null(v))
		return v;
	json_decref(v);
	v = kube_get_json(ctx, BP_SCOPE_PROPERTIES, path);
	if (json_is_null(v)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

/* A string field that is set and not empty, else NULL. */
static const char *nonempty(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s ? s : NULL;
}

static char *in_blueprint(bp_ctx *ctx, const char *path)
{
	const char *dir = bp_blueprint_dir(ctx);

	if (g_path_is_absolute(path) || !dir)
		return g_strdup(path);
	return g_build_filename(dir, path, NULL);
}

/* PEM text that `v` is the base64 of (GKE's masterAuth.clusterCaCertificate,
 * Cloudify's runtime property of a cluster), or NULL (transfer full). */
static char *pem_in_base64(const char *v)
{
	gsize n = 0;
	g_autofree guchar *raw = NULL;

	if (strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		   "0123456789+/=\r\n") != strlen(v))
		return NULL;
	raw = g_base64_decode(v, &n);
	if (n < 10 || memcmp(raw, "-----BEGIN", 10) != 0)
		return NULL;
	return g_strndup((const char *)raw, n);
}

/* A certificate given as PEM text, its base64, or a path: fills *data or
 * *file. */
static void pem_or_path(bp_ctx *ctx, const char *v, const char **data,
			const char **file)
{
	if (!v)
		return;
	if (strstr(v, "-----BEGIN"))
		*data = g_strdup(v);
	else if (!(*data = pem_in_base64(v)))
		*file = in_blueprint(ctx, v);
}

static bool from_api_options(bp_ctx *ctx, struct kube_auth *a, const json_t *o,
			     char **errmsg)
{
	const char *host = nonempty(o, "host");
	const char *key = nonempty(o, "api_key");
	const json_t *verify = json_object_get(o, "verify_ssl");

	if (!host) {
		*errmsg = g_strdup("client_config.configuration.api_options has no host");
		return false;
	}
	a->server = strstr(host, "://") ? g_strdup(host)
					: g_strdup_printf("https://%s", host);
	if (key && g_str_has_prefix(key, "Bearer "))
		key += strlen("Bearer ");
	a->token = g_strdup(key);
	pem_or_path(ctx, nonempty(o, "ssl_ca_cert"), &a->tls.ca_data, &a->tls.ca_file);
	pem_or_path(ctx, nonempty(o, "cert_file"), &a->tls.cert_data, &a->tls.cert_file);
	pem_or_path(ctx, nonempty(o, "key_file"), &a->tls.key_data, &a->tls.key_file);
	a->tls.insecure = json_is_false(verify) ||
		(json_is_string(verify) &&
		 !g_ascii_strcasecmp(json_string_value(verify), "false"));
	a->source = g_strdup("client_config.configuration.api_options");
	return true;
}

/* A kubeconfig given inline: a map, or YAML text. */
static bool from_inline(struct kube_auth *a, const json_t *v, const char *context,
			const char *where, const char *dir, char **errmsg)
{
	json_t *kc;
	bool ok;

	if (json_is_string(v)) {
		char *perr = NULL;

		kc = yaml_to_json(json_string_value(v), 0, &perr);
		if (!kc) {
			*errmsg = g_strdup_printf("%s: %s", where, perr);
			g_free(perr);
			return false;
		}
	} else {
		kc = json_deep_copy(v);
	}
	if (!json_is_object(kc)) {
		*errmsg = g_strdup_printf("%s is not a kubeconfig (a mapping)", where);
		json_decref(kc);
		return false;
	}
	if (dir)
		kube_kubeconfig_absolutize(kc, dir);
	ok = kube_auth_from_kubeconfig(a, kc, context, where, errmsg);
	json_decref(kc);
	return ok;
}

static bool from_files(struct kube_auth *a, const char *const *paths,
		       const char *context, char **errmsg)
{
	g_autofree char *joined = g_strjoinv(":", (char **)paths);
	g_autofree char *where = g_strdup_printf("kubeconfig '%s'", joined);
	json_t *kc = kube_kubeconfig_load(paths, errmsg);
	bool ok;

	if (!kc)
		return false;
	ok = kube_auth_from_kubeconfig(a, kc, context, where, errmsg);
	json_decref(kc);
	return ok;
}

static bool from_file(struct kube_auth *a, const char *path, const char *context,
		      char **errmsg)
{
	const char *paths[] = { path, NULL };

	return from_files(a, paths, context, errmsg);
}

/* 1: a client_config (the node's; or the cluster node's, see below).
 * Returns true when it named a cluster (*done). */
static bool from_client_config(bp_ctx *ctx, struct kube_auth *a,
			       const json_t *cc, const char *context,
			       bool *done, char **errmsg)
{
	json_t *conf = json_object_get(cc, "configuration");
	json_t *api = json_object_get(conf, "api_options");
	json_t *content = json_object_get(conf, "file_content");
	const char *bfile = nonempty(conf, "blueprint_file_name");
	const char *mfile = nonempty(conf, "manager_file_path");
	bool ok;

	*done = true;
	if (json_is_object(api) && nonempty(api, "host")) {
		ok = from_api_options(ctx, a, api, errmsg);
	} else if ((json_is_string(content) && *json_string_value(content)) ||
		   (json_is_object(content) && json_object_size(content))) {
		ok = from_inline(a, content, context,
				 "client_config.configuration.file_content",
				 bp_blueprint_dir(ctx), errmsg);
	} else if (bfile) {
		g_autofree char *p = in_blueprint(ctx, bfile);
		ok = from_file(a, p, context, errmsg);
	} else if (mfile) {
		ok = from_file(a, mfile, context, errmsg);
	} else {
		*done = false;
		return true;
	}
	if (ok)
		kube_google_from_authentication(a, json_object_get(cc,
							"authentication"));
	return ok;
}

/* 1b: the cluster node a resource is related to, when the resource
 * names none itself: a Master it is managed_by (its `configuration` and
 * `authentication` properties) or a SharedCluster it is connected_to (its
 * client_config), Cloudify's way, else a GKE cluster node (google.c);
 * read through bp_related(), with the values the cluster node's runtime
 * properties gave its properties (get_attribute). */
static bool from_cluster_node(bp_ctx *ctx, struct kube_auth *a,
			      const char *context, bool *done, char **errmsg)
{
	bp_ctx *master = bp_related(ctx, KUBE_REL_MANAGED_BY_MASTER, 0);
	bp_ctx *shared = master ? NULL :
		bp_related(ctx, KUBE_REL_SHARED_CLUSTER, 0);
	g_autoptr(json_t) cc = NULL;

	*done = false;
	if (master) {
		cc = json_object();
		json_object_set_new(cc, "configuration",
				    kube_get_json(master, BP_SCOPE_PROPERTIES,
						  "configuration"));
		json_object_set_new(cc, "authentication",
				    kube_get_json(master, BP_SCOPE_PROPERTIES,
						  "authentication"));
	} else if (shared) {
		cc = kube_get_json(shared, BP_SCOPE_PROPERTIES, "client_config");
	} else {
		return kube_google_from_cluster(ctx, a, done, errmsg);
	}
	if (!cc || !from_client_config(ctx, a, cc, context, done, errmsg))
		return !cc;
	if (*done) {
		g_free(a->source);
		a->source = g_strdup_printf("the cluster node '%s'",
					    bp_node_name(master ? master : shared));
	}
	return true;
}

/* 2: the kubeconfig property. */
static bool from_kubeconfig_property(bp_ctx *ctx, struct kube_auth *a,
				     const char *context, bool *done, char **errmsg)
{
	g_autoptr(json_t) v = kube_input_or_property(ctx, "kubeconfig");
	const char *s = json_string_value(v);

	*done = true;
	if (json_is_object(v) && json_object_size(v))
		return from_inline(a, v, context, "the kubeconfig property",
				   bp_blueprint_dir(ctx), errmsg);
	if (s && strchr(s, '\n'))
		return from_inline(a, v, context, "the kubeconfig property",
				   bp_blueprint_dir(ctx), errmsg);
	if (s && *s) {
		g_autofree char *p = in_blueprint(ctx, s);
		return from_file(a, p, context, errmsg);
	}
	*done = false;
	return true;
}

/* 3: the in-cluster service account. */
static bool from_service_account(struct kube_auth *a, bool *done, char **errmsg)
{
	const char *host = g_getenv("KUBERNETES_SERVICE_HOST");
	const char *port = g_getenv("KUBERNETES_SERVICE_PORT");
	const char *dir = g_getenv("BLUEPRINT_KUBERNETES_SA_DIR");
	g_autofree char *tokf = NULL, *caf = NULL, *nsf = NULL;
	g_autoptr(GError) gerr = NULL;

	*done = false;
	if (!host || !*host || !port || !*port)
		return true;
	dir = dir && *dir ? dir : KUBE_SA_DIR;
	tokf = g_build_filename(dir, "token", NULL);
	if (!g_file_test(tokf, G_FILE_TEST_EXISTS))
		return true;
	*done = true;
	if (!g_file_get_contents(tokf, &a->token, NULL, &gerr)) {
		*errmsg = g_strdup_printf("cannot read the service account token: %s",
					  gerr->message);
		return false;
	}
	g_strstrip(a->token);
	a->server = strchr(host, ':') ? g_strdup_printf("https://[%s]:%s", host, port)
				      : g_strdup_printf("https://%s:%s", host, port);
	caf = g_build_filename(dir, "ca.crt", NULL);
	a->tls.ca_file = g_steal_pointer(&caf);
	nsf = g_build_filename(dir, "namespace", NULL);
	if (g_file_get_contents(nsf, &a->namespace, NULL, NULL))
		g_strstrip(a->namespace);
	a->source = g_strdup_printf("the in-cluster service account (%s)", dir);
	return true;
}

/* 4: $KUBECONFIG or ~/.kube/config. */
static bool from_environment(struct kube_auth *a, const char *context, bool *done,
			     char **errmsg)
{
	const char *env = g_getenv("KUBECONFIG");
	g_autofree char *home = g_build_filename(g_get_home_dir(), ".kube", "config", NULL);

	*done = true;
	if (env && *env) {
		g_auto(GStrv) paths = g_strsplit(env, ":", -1);
		return from_files(a, (const char *const *)paths, context, errmsg);
	}
	if (g_file_test(home, G_FILE_TEST_EXISTS))
		return from_file(a, home, context, errmsg);
	*done = false;
	return true;
}

static bool resolve(bp_ctx *ctx, struct kube_auth *a, char **errmsg)
{
	g_autoptr(json_t) cv = kube_input_or_property(ctx, "context");
	const char *context = json_string_value(cv);
	g_autoptr(json_t) cc = kube_input_or_property(ctx, "client_config");
	bool done = false;

	if (!from_client_config(ctx, a, cc, context, &done, errmsg) || done)
		return !*errmsg;
	if (!from_cluster_node(ctx, a, context, &done, errmsg) || done)
		return !*errmsg;
	if (!from_kubeconfig_property(ctx, a, context, &done, errmsg) || done)
		return !*errmsg;
	if (!from_service_account(a, &done, errmsg) || done)
		return !*errmsg;
	if (!from_environment(a, context, &done, errmsg) || done)
		return !*errmsg;
	*errmsg = g_strdup("no Kubernetes cluster is configured: set the node's "
			   "client_config or kubeconfig property, or KUBECONFIG, "
			   "or create ~/.kube/config");
	return false;
}

int kube_conn_open(bp_ctx *ctx, struct kube_conn *c)
{
	g_autofree char *err = NULL;
	size_t n;

	memset(c, 0, sizeof(*c));
	c->ctx = ctx;
	if (!resolve(ctx, &c->auth, &err)) {
		kube_auth_clear(&c->auth);
		return bp_fail_fatal(ctx, "%s", err);
	}
	if (c->auth.google) {
		int rc = kube_google_token(ctx, &c->auth);

		if (rc != BP_OK) {
			kube_auth_clear(&c->auth);
			return rc;
		}
	}
	n = strlen(c->auth.server);
	while (n > 0 && c->auth.server[n - 1] == '/')
		c->auth.server[--n] = '\0';
	c->http = http_client_new(KUBE_USER_AGENT, &c->auth.tls, &err);
	if (!c->http) {
		int rc = bp_fail_fatal(ctx, "%s: %s", c->auth.source, err);
		kube_auth_clear(&c->auth);
		return rc;
	}
	return BP_OK;
}

void kube_conn_close(struct kube_conn *c)
{
	http_client_free(c->http);
	kube_auth_clear(&c->auth);
	c->http = NULL;
}
