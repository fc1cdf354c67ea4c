/* kubeconfig.c: kubeconfig documents, as kubectl reads them: several
 * files merged ($KUBECONFIG), a context (given, or current-context) that
 * names a cluster (server, CA data or file, insecure-skip-tls-verify) and
 * a user (token or tokenFile, client certificate and key as data or
 * files, or an exec credential plugin of client.authentication.k8s.io,
 * which is run here and its ExecCredential read). */
#include "kube.h"

#include <string.h>

#include "../common/yaml.h"

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The entry of `list` (clusters, users, contexts) called `name`. */
static json_t *named(const json_t *kc, const char *list, const char *name)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(kc, list), i, e)
		if (name && !g_strcmp0(str(e, "name"), name))
			return e;
	return NULL;
}

static void absolutize_key(json_t *o, const char *key, const char *dir)
{
	const char *p = str(o, key);

	if (p && *p && !g_path_is_absolute(p)) {
		g_autofree char *abs = g_build_filename(dir, p, NULL);
		json_object_set_new(o, key, json_string(abs));
	}
}

void kube_kubeconfig_absolutize(json_t *kc, const char *dir)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(kc, "clusters"), i, e)
		absolutize_key(json_object_get(e, "cluster"), "certificate-authority", dir);
	json_array_foreach(json_object_get(kc, "users"), i, e) {
		json_t *u = json_object_get(e, "user");
		json_t *ex = json_object_get(u, "exec");
		const char *cmd = str(ex, "command");

		absolutize_key(u, "client-certificate", dir);
		absolutize_key(u, "client-key", dir);
		absolutize_key(u, "tokenFile", dir);
		/* a command with a '/' is a path, relative to the file */
		if (cmd && strchr(cmd, '/'))
			absolutize_key(ex, "command", dir);
	}
}

/* Appends the entries of `from`'s list whose names `into` lacks. */
static void merge_list(json_t *into, const json_t *from, const char *list)
{
	json_t *dst = json_object_get(into, list);
	size_t i;
	json_t *e;

	if (!json_is_array(dst)) {
		dst = json_array();
		json_object_set_new(into, list, dst);
	}
	json_array_foreach(json_object_get(from, list), i, e)
		if (!named(into, list, str(e, "name")))
			json_array_append(dst, e);
}

json_t *kube_kubeconfig_load(const char *const *paths, char **errmsg)
{
	json_t *merged = json_object();

	for (size_t i = 0; paths[i]; i++) {
		g_autofree char *text = NULL, *dir = NULL;
		g_autoptr(GError) gerr = NULL;
		char *perr = NULL;
		size_t len;
		json_t *kc;

		if (!*paths[i])
			continue;
		if (!g_file_get_contents(paths[i], &text, &len, &gerr)) {
			*errmsg = g_strdup_printf("cannot read kubeconfig '%s': %s",
						  paths[i], gerr->message);
			json_decref(merged);
			return NULL;
		}
		kc = yaml_to_json(text, len, &perr);
		if (!kc || !json_is_object(kc)) {
			*errmsg = g_strdup_printf("kubeconfig '%s' is not a kubeconfig: %s",
						  paths[i], perr ? perr : "expected a mapping");
			g_free(perr);
			json_decref(kc);
			json_decref(merged);
			return NULL;
		}
		dir = g_path_get_dirname(paths[i]);
		kube_kubeconfig_absolutize(kc, dir);
		merge_list(merged, kc, "clusters");
		merge_list(merged, kc, "users");
		merge_list(merged, kc, "contexts");
		if (!str(merged, "current-context") && str(kc, "current-context") &&
		    *str(kc, "current-context"))
			json_object_set(merged, "current-context",
					json_object_get(kc, "current-context"));
		json_decref(kc);
	}
	return merged;
}

/* base64 text of a *-data field to PEM text (transfer full), or NULL. */
static char *decode(const json_t *o, const char *key)
{
	const char *b64 = str(o, key);
	gsize len;
	guchar *raw;

	if (!b64 || !*b64)
		return NULL;
	raw = g_base64_decode(b64, &len);
	raw = g_realloc(raw, len + 1);
	raw[len] = '\0';
	return (char *)raw;
}

/* Runs an exec credential plugin and takes what its ExecCredential says:
 * status.token, or status.clientCertificateData and clientKeyData. */
static bool run_exec(struct kube_auth *out, const json_t *ex, const char *where,
		     char **errmsg)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_auto(GStrv) envp = g_get_environ();
	g_autofree char *sout = NULL, *serr = NULL, *perr = NULL;
	g_autoptr(GError) gerr = NULL;
	const char *cmd = str(ex, "command");
	const char *api = str(ex, "apiVersion");
	json_t *cred, *status;
	size_t i;
	json_t *e;
	int wait = 0;

	if (!cmd) {
		*errmsg = g_strdup_printf("%s: the user's exec has no command", where);
		return false;
	}
	g_ptr_array_add(argv, (char *)cmd);
	json_array_foreach(json_object_get(ex, "args"), i, e)
		if (json_is_string(e))
			g_ptr_array_add(argv, (char *)json_string_value(e));
	g_ptr_array_add(argv, NULL);
	json_array_foreach(json_object_get(ex, "env"), i, e)
		if (str(e, "name") && str(e, "value"))
			envp = g_environ_setenv(envp, str(e, "name"), str(e, "value"), TRUE);
	{
		g_autofree char *info = g_strdup_printf(
			"{\"apiVersion\":\"%s\",\"kind\":\"ExecCredential\","
			"\"spec\":{\"interactive\":false}}",
			api ? api : "client.authentication.k8s.io/v1beta1");
		envp = g_environ_setenv(envp, "KUBERNETES_EXEC_INFO", info, TRUE);
	}
	if (!g_spawn_sync(NULL, (char **)argv->pdata, envp, G_SPAWN_SEARCH_PATH,
			  NULL, NULL, &sout, &serr, &wait, &gerr)) {
		*errmsg = g_strdup_printf("%s: cannot run the credential plugin '%s': %s",
					  where, cmd, gerr->message);
		return false;
	}
	if (!g_spawn_check_wait_status(wait, NULL)) {
		g_strstrip(serr);
		*errmsg = g_strdup_printf("%s: the credential plugin '%s' failed%s%s",
					  where, cmd, *serr ? ": " : "", serr);
		return false;
	}
	cred = yaml_to_json(sout, 0, &perr);
	status = json_object_get(cred, "status");
	if (!json_is_object(status)) {
		*errmsg = g_strdup_printf("%s: the credential plugin '%s' printed no "
					  "ExecCredential with a status", where, cmd);
		json_decref(cred);
		return false;
	}
	if (str(status, "token")) {
		g_free(out->token);
		out->token = g_strdup(str(status, "token"));
	}
	if (str(status, "clientCertificateData") && str(status, "clientKeyData")) {
		g_free((char *)out->tls.cert_data);
		g_free((char *)out->tls.key_data);
		out->tls.cert_data = g_strdup(str(status, "clientCertificateData"));
		out->tls.key_data = g_strdup(str(status, "clientKeyData"));
	}
	json_decref(cred);
	if (!out->token && !out->tls.cert_data) {
		*errmsg = g_strdup_printf("%s: the credential plugin '%s' gave neither a "
					  "token nor a client certificate", where, cmd);
		return false;
	}
	return true;
}

static bool user_auth(struct kube_auth *out, const json_t *u, const char *where,
		      char **errmsg)
{
	const char *tf = str(u, "tokenFile");

	out->token = g_strdup(str(u, "token"));
	if (!out->token && tf) {
		g_autoptr(GError) gerr = NULL;
		if (!g_file_get_contents(tf, &out->token, NULL, &gerr)) {
			*errmsg = g_strdup_printf("%s: cannot read tokenFile: %s", where,
						  gerr->message);
			return false;
		}
		g_strstrip(out->token);
	}
	out->tls.cert_data = decode(u, "client-certificate-data");
	out->tls.key_data = decode(u, "client-key-data");
	out->tls.cert_file = g_strdup(str(u, "client-certificate"));
	out->tls.key_file = g_strdup(str(u, "client-key"));
	if (json_is_object(json_object_get(u, "exec")))
		return run_exec(out, json_object_get(u, "exec"), where, errmsg);
	if (json_object_get(u, "auth-provider")) {
		*errmsg = g_strdup_printf("%s: auth-provider users are not supported; "
					  "use an exec credential plugin", where);
		return false;
	}
	return true;
}

bool kube_auth_from_kubeconfig(struct kube_auth *out, json_t *kc,
			       const char *context, const char *where,
			       char **errmsg)
{
	const char *name = context && *context ? context : str(kc, "current-context");
	json_t *ctxe, *cl, *cluster, *ue;
	const char *uname;

	if (!name) {
		*errmsg = g_strdup_printf("%s has no current-context and none was given",
					  where);
		return false;
	}
	ctxe = json_object_get(named(kc, "contexts", name), "context");
	if (!json_is_object(ctxe)) {
		*errmsg = g_strdup_printf("%s has no context '%s'", where, name);
		return false;
	}
	cl = named(kc, "clusters", str(ctxe, "cluster"));
	cluster = json_object_get(cl, "cluster");
	if (!str(cluster, "server")) {
		*errmsg = g_strdup_printf("%s: context '%s' names cluster '%s', which "
					  "is missing or has no server", where, name,
					  str(ctxe, "cluster") ? str(ctxe, "cluster") : "");
		return false;
	}
	uname = str(ctxe, "user");
	out->source = g_strdup_printf("%s (context '%s', user '%s')", where, name,
				      uname ? uname : "");
	out->server = g_strdup(str(cluster, "server"));
	out->tls.ca_data = decode(cluster, "certificate-authority-data");
	out->tls.ca_file = g_strdup(str(cluster, "certificate-authority"));
	out->tls.insecure = json_is_true(json_object_get(cluster, "insecure-skip-tls-verify"));
	out->namespace = g_strdup(str(ctxe, "namespace"));
	ue = json_object_get(named(kc, "users", uname), "user");
	if (uname && !ue) {
		*errmsg = g_strdup_printf("%s: context '%s' names user '%s', which is "
					  "missing", where, name, uname);
		return false;
	}
	return !ue || user_auth(out, ue, out->source, errmsg);
}
