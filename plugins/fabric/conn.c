/* conn.c: where the fabric plugin connects and how: the operation's
 * fabric_env input (Cloudify's fabric plugin's names) turned into the
 * system ssh client's configuration, in a private directory.
 *
 * fabric_env:
 *   host_string   the host: "host", "user@host" or "user@host:port";
 *                 default: Cloudify's host_ip, the `ip` runtime property
 *                 of the instance's host (the Compute it is contained
 *                 in), else that node's `ip` property
 *   use_public_ip true: the default host is the host's public_ip_address
 *                 (else public_ip) instead
 *   user, port    default: host_string's, else the engine's user and 22
 *   key           a private key (PEM/OpenSSH text), e.g. {get_secret: k}
 *   key_secret    the name of a secret holding the private key
 *   key_filename  a private key file on the engine's host
 *                 (without any of the three: ssh's own default keys)
 *   gateway       a jump host, "[user@]host[:port]" (Fabric's name; also
 *   / jump_host   jump_host); ssh's ProxyJump, so the jump's host key is
 *                 checked the same way, with the same keys
 *   timeout       connect timeout in seconds (default 10)
 *   password      refused: there is no prompt in an execution
 *
 * Host keys, safe by default: StrictHostKeyChecking=yes against a
 * known_hosts made for each operation from
 *   - fabric_env.known_hosts: known_hosts lines (text), or a file's path;
 *   - fabric_env.host_key: the target's public key, "TYPE BASE64" (as in a
 *     .pub file or ssh-keyscan's output);
 *   - the instance's runtime property fabric_known_hosts: keys pinned by
 *     earlier operations (the deployment's own known_hosts, in the store);
 * and never ~/.ssh/known_hosts nor /etc/ssh. With
 * fabric_env.host_key_policy: accept-new (StrictHostKeyChecking=accept-new)
 * an unknown host's key is accepted on first use and pinned in
 * fabric_known_hosts; a changed key is refused all the same. The default
 * policy, "strict", connects to no host whose key the blueprint did not
 * give or an earlier operation did not pin.
 *
 * Why the system ssh client and not libssh: ProxyJump, known_hosts
 * handling with StrictHostKeyChecking/accept-new, StreamLocal forwarding
 * of a unix socket (`-R remote_socket:local_socket`: the script's ctx
 * calls come back to the engine's ctx socket), key types and agent and
 * ssh_config conventions users already know, all maintained by OpenSSH;
 * libssh has no ProxyJump and no unix socket remote forwarding, so each
 * would be ours to write and to get right. The cost is a process per
 * connection, which is small beside what a remote script does, and the
 * process is exactly what the shared script child runner already knows
 * how to stream, time out and cancel.
 */
#include "fabric.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PIN_PROPERTY "fabric_known_hosts"

/* A string member of fabric_env, or NULL. */
static const char *env_str(const json_t *env, const char *name)
{
	return json_string_value(json_object_get(env, name));
}

/* Writes `text` to dir/name with mode 0600. */
static bool write_private(const char *path, const char *text,
			  char **errmsg)
{
	g_autoptr(GError) gerr = NULL;

	if (!g_file_set_contents_full(path, text, -1,
				      G_FILE_SET_CONTENTS_CONSISTENT, 0600,
				      &gerr)) {
		*errmsg = g_strdup_printf("cannot write '%s': %s", path,
					  gerr->message);
		return false;
	}
	return true;
}

/* Splits "user@host:port" into c's fields (a part that is missing leaves
 * the field as it is). IPv6 in brackets: "[::1]:2222". */
static bool parse_host_string(struct fabric_conn *c, const char *s,
			      char **errmsg)
{
	const char *at = strrchr(s, '@');
	const char *h = at ? at + 1 : s;
	const char *colon;
	char *end;
	long port;

	if (at) {
		g_free(c->user);
		c->user = g_strndup(s, (gsize)(at - s));
	}
	if (*h == '[' && (colon = strchr(h, ']'))) {
		g_free(c->host);
		c->host = g_strndup(h + 1, (gsize)(colon - h - 1));
		colon = colon[1] == ':' ? colon + 1 : NULL;
	} else {
		colon = strchr(h, ':');
		g_free(c->host);
		c->host = colon ? g_strndup(h, (gsize)(colon - h))
				: g_strdup(h);
	}
	if (colon) {
		port = strtol(colon + 1, &end, 10);
		if (*end || port < 1 || port > 65535) {
			*errmsg = g_strdup_printf("invalid port in host_string "
						  "'%s': expected 1 to 65535",
						  s);
			return false;
		}
		c->port = (int)port;
	}
	if (!*c->host) {
		*errmsg = g_strdup_printf("no host in host_string '%s'", s);
		return false;
	}
	return true;
}

/* The host when fabric_env has none, as Cloudify's host_ip: the host
 * instance's `ip` runtime property (public_ip_address, else public_ip,
 * with fabric_env.use_public_ip), else its node's property of that name;
 * the host is the nearest Compute the instance is contained in, or the
 * instance itself (plugin.h, BP_SCOPE_HOST_*). (transfer full) or NULL. */
static char *default_host(bp_ctx *ctx, bool public)
{
	static const char *const private_names[] = { "ip", NULL };
	static const char *const public_names[] = {
		"public_ip_address", "public_ip", NULL,
	};
	static const int scopes[] = {
		BP_SCOPE_HOST_RUNTIME, BP_SCOPE_HOST_PROPERTIES,
		BP_SCOPE_RUNTIME, BP_SCOPE_PROPERTIES,
	};
	const char *const *names = public ? public_names : private_names;
	const char *ip;

	for (size_t i = 0; i < G_N_ELEMENTS(scopes); i++)
		for (const char *const *n = names; *n; n++)
			if ((ip = bp_get_string(ctx, scopes[i], *n)) && *ip)
				return g_strdup(ip);
	return NULL;
}

static bool where(struct fabric_conn *c, bp_ctx *ctx, const json_t *env,
		  char **errmsg)
{
	const char *hs = env_str(env, "host_string");
	const json_t *port = json_object_get(env, "port");
	const char *user = env_str(env, "user");
	const char *jump = env_str(env, "gateway");

	c->port = 22;
	c->user = g_strdup(g_get_user_name());
	if (hs && *hs) {
		if (!parse_host_string(c, hs, errmsg))
			return false;
	} else if (!(c->host = default_host(ctx, json_is_true(
			     json_object_get(env, "use_public_ip"))))) {
		*errmsg = g_strdup("no host to run on: the instance's host has "
				   "no 'ip' (runtime property or property); "
				   "set fabric_env.host_string");
		return false;
	}
	if (user && *user) {
		g_free(c->user);
		c->user = g_strdup(user);
	}
	if (json_is_integer(port) || (json_is_string(port) &&
				      *json_string_value(port))) {
		g_autofree char *text = script_env_value(port);
		char *end;
		long p = strtol(text, &end, 10);
		if (*end || p < 1 || p > 65535) {
			*errmsg = g_strdup_printf("invalid fabric_env.port "
						  "'%s': expected 1 to 65535",
						  text);
			return false;
		}
		c->port = (int)p;
	}
	if (!jump)
		jump = env_str(env, "jump_host");
	if (jump && *jump)
		c->jump = g_strdup(jump);
	if (c->host[0] == '-' || c->user[0] == '-' ||
	    (c->jump && c->jump[0] == '-')) {
		*errmsg = g_strdup("a host, user or gateway may not start with "
				   "'-'");
		return false;
	}
	c->shown = g_strdup_printf("%s@%s:%d", c->user, c->host, c->port);
	return true;
}

/* "host" or "[host]:port", as known_hosts names the target. */
static char *known_name(const struct fabric_conn *c)
{
	return c->port == 22 ? g_strdup(c->host)
			     : g_strdup_printf("[%s]:%d", c->host, c->port);
}

/* The known_hosts text: given lines, the given key, pinned keys. */
static bool known_hosts(struct fabric_conn *c, bp_ctx *ctx,
			const json_t *env, char **errmsg)
{
	const char *given = env_str(env, "known_hosts");
	const char *key = env_str(env, "host_key");
	json_t *pins = script_parse(bp_get_json(ctx, BP_SCOPE_RUNTIME,
						PIN_PROPERTY));
	GString *s = g_string_new(NULL);
	g_autofree char *file_text = NULL;
	g_autofree char *name = known_name(c);
	size_t i;
	json_t *v;

	if (given && *given && !strchr(given, '\n') && !strchr(given, ' ')) {
		g_autoptr(GError) gerr = NULL;
		if (!g_file_get_contents(given, &file_text, NULL, &gerr)) {
			*errmsg = g_strdup_printf("cannot read fabric_env."
						  "known_hosts '%s': %s",
						  given, gerr->message);
			g_string_free(s, TRUE);
			json_decref(pins);
			return false;
		}
		given = file_text;
	}
	if (given && *given)
		g_string_append_printf(s, "%s\n", given);
	if (key && *key)
		g_string_append_printf(s, "%s %s\n", name, key);
	json_array_foreach(pins, i, v)
		if (json_is_string(v))
			g_string_append_printf(s, "%s\n", json_string_value(v));
	json_decref(pins);
	c->pinned = g_string_free(s, FALSE);
	return write_private(c->known_hosts, c->pinned, errmsg);
}

/* The private key file: inline key, a secret's, or key_filename; NULL
 * for ssh's defaults. */
static bool identity(struct fabric_conn *c, bp_ctx *ctx, const json_t *env,
		     char **path, char **errmsg)
{
	const char *key = env_str(env, "key");
	const char *secret = env_str(env, "key_secret");
	const char *file = env_str(env, "key_filename");
	g_autofree char *text = NULL;

	*path = NULL;
	if (secret && *secret && !(key && *key)) {
		key = bp_secret(ctx, secret);
		if (!key) {
			*errmsg = g_strdup_printf("no secret '%s' (fabric_env."
						  "key_secret)", secret);
			return false;
		}
	}
	if (key && *key) {
		/* ssh refuses a key whose last line has no newline */
		text = g_str_has_suffix(key, "\n") ? g_strdup(key)
						   : g_strconcat(key, "\n",
								 NULL);
		*path = g_build_filename(c->dir, "id", NULL);
		return write_private(*path, text, errmsg);
	}
	if (file && *file) {
		if (access(file, R_OK) != 0) {
			*errmsg = g_strdup_printf("cannot read fabric_env."
						  "key_filename '%s': %s",
						  file, g_strerror(errno));
			return false;
		}
		*path = g_strdup(file);
	}
	return true;
}

bool fabric_conn_prepare(struct fabric_conn *c, bp_ctx *ctx, char **errmsg)
{
	json_auto_t *env = script_parse(bp_get_json(ctx, BP_SCOPE_INPUTS,
						    "fabric_env"));
	const char *policy = env_str(env, "host_key_policy");
	const json_t *timeout = json_object_get(env, "timeout");
	g_autofree char *id = NULL;
	g_autoptr(GError) gerr = NULL;
	GString *cfg;
	bool ok;

	memset(c, 0, sizeof(*c));
	if (env && !json_is_object(env)) {
		*errmsg = g_strdup("the 'fabric_env' input must be an object");
		return false;
	}
	if (env_str(env, "password")) {
		*errmsg = g_strdup("fabric_env.password is not supported: "
				   "nothing can answer a prompt in an "
				   "execution; give a key (key, key_secret or "
				   "key_filename)");
		return false;
	}
	if (!policy || !strcmp(policy, "strict")) {
		c->policy = FABRIC_POLICY_STRICT;
	} else if (!strcmp(policy, "accept-new")) {
		c->policy = FABRIC_POLICY_ACCEPT_NEW;
	} else {
		*errmsg = g_strdup_printf("invalid fabric_env.host_key_policy "
					  "'%s': expected 'strict' or "
					  "'accept-new'", policy);
		return false;
	}
	if (!where(c, ctx, env, errmsg))
		return false;
	c->dir = g_dir_make_tmp("blueprint-fabric-XXXXXX", &gerr);
	if (!c->dir) {
		*errmsg = g_strdup_printf("cannot make a private directory: %s",
					  gerr->message);
		return false;
	}
	c->config = g_build_filename(c->dir, "ssh_config", NULL);
	c->known_hosts = g_build_filename(c->dir, "known_hosts", NULL);
	if (!known_hosts(c, ctx, env, errmsg) ||
	    !identity(c, ctx, env, &id, errmsg))
		return false;
	cfg = g_string_new("# written by blueprint's fabric plugin for one "
			   "operation\nHost *\n");
	if (id)
		g_string_append_printf(cfg, "  IdentityFile \"%s\"\n"
				       "  IdentitiesOnly yes\n", id);
	g_string_append_printf(cfg,
		"  BatchMode yes\n"
		"  UserKnownHostsFile \"%s\"\n"
		"  GlobalKnownHostsFile /dev/null\n"
		"  StrictHostKeyChecking %s\n"
		"  HashKnownHosts no\n"
		"  CheckHostIP no\n"
		"  UpdateHostKeys no\n"
		"  ConnectTimeout %lld\n"
		"  ConnectionAttempts 1\n"
		"  ServerAliveInterval 15\n"
		"  ServerAliveCountMax 4\n"
		"  ExitOnForwardFailure yes\n"
		"  StreamLocalBindUnlink yes\n"
		"  ControlMaster no\n"
		"  ControlPath none\n"
		"  ForwardAgent no\n"
		"  ForwardX11 no\n"
		"  RequestTTY no\n"
		"  LogLevel ERROR\n",
		c->known_hosts,
		c->policy == FABRIC_POLICY_ACCEPT_NEW ? "accept-new" : "yes",
		json_is_integer(timeout) && json_integer_value(timeout) > 0
			? (long long)json_integer_value(timeout) : 10LL);
	ok = write_private(c->config, cfg->str, errmsg);
	g_string_free(cfg, TRUE);
	return ok;
}

char **fabric_conn_argv(const struct fabric_conn *c, const char *forward,
			const char *local, const char *command)
{
	GPtrArray *a = g_ptr_array_new();
	g_autofree char *port = g_strdup_printf("%d", c->port);

	g_ptr_array_add(a, g_strdup("ssh"));
	g_ptr_array_add(a, g_strdup("-F"));
	g_ptr_array_add(a, g_strdup(c->config));
	g_ptr_array_add(a, g_strdup("-T"));
	if (c->jump) {
		g_ptr_array_add(a, g_strdup("-J"));
		g_ptr_array_add(a, g_strdup(c->jump));
	}
	if (forward) {
		g_ptr_array_add(a, g_strdup("-R"));
		g_ptr_array_add(a, g_strdup_printf("%s:%s", forward, local));
	}
	g_ptr_array_add(a, g_strdup("-p"));
	g_ptr_array_add(a, g_strdup(port));
	g_ptr_array_add(a, g_strdup("-l"));
	g_ptr_array_add(a, g_strdup(c->user));
	g_ptr_array_add(a, g_strdup("--"));
	g_ptr_array_add(a, g_strdup(c->host));
	g_ptr_array_add(a, g_strdup(command));
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
}

void fabric_conn_pin(const struct fabric_conn *c, bp_ctx *ctx)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	json_t *pins = json_array();
	json_t *old;
	char *dump;

	/* a relationship operation's main context has no instance to keep
	 * pins on: the key is accepted again next time */
	if (c->policy != FABRIC_POLICY_ACCEPT_NEW || !bp_instance_id(ctx) ||
	    !g_file_get_contents(c->known_hosts, &text, NULL, NULL) ||
	    !g_strcmp0(text, c->pinned)) {
		json_decref(pins);
		return;
	}
	/* what ssh added after the lines it was given */
	lines = g_strsplit(text + (g_str_has_prefix(text, c->pinned)
				   ? strlen(c->pinned) : 0), "\n", -1);
	old = script_parse(bp_get_json(ctx, BP_SCOPE_RUNTIME, PIN_PROPERTY));
	if (json_is_array(old))
		json_array_extend(pins, old);
	json_decref(old);
	for (char **l = lines; *l; l++)
		if (**l && **l != '#')
			json_array_append_new(pins, json_string(*l));
	dump = json_dumps(pins, JSON_COMPACT);
	if (dump && bp_runtime_set(ctx, PIN_PROPERTY, dump))
		bp_log(ctx, BP_LOG_INFO, "pinned the host key of '%s' "
		       "(fabric_known_hosts)", c->shown);
	free(dump);
	json_decref(pins);
}

void fabric_conn_release(struct fabric_conn *c)
{
	g_autoptr(GDir) d = NULL;
	const char *n;

	if (!c)
		return;
	/* the files written here, the ctx socket, and what ssh may leave
	 * (known_hosts.old) */
	d = c->dir ? g_dir_open(c->dir, 0, NULL) : NULL;
	while (d && (n = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(c->dir, n, NULL);
		unlink(p);
	}
	if (c->dir)
		rmdir(c->dir);
	g_free(c->host);
	g_free(c->user);
	g_free(c->jump);
	g_free(c->shown);
	g_free(c->dir);
	g_free(c->config);
	g_free(c->known_hosts);
	g_free(c->pinned);
	memset(c, 0, sizeof(*c));
}
