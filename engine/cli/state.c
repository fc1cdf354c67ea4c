/* state.c: the state directory a command works in and the deployment it
 * means. The directory is --state-dir, else $BLUEPRINT_STATE, else
 * ./.blueprint; the deployment is -d NAME, else the only deployment in the
 * directory (with several, the command fails and lists them). */
#include "cli/cli.h"
#include "store/store.h"

const char *cli_state_dir(const char *opt)
{
	const char *env = g_getenv("BLUEPRINT_STATE");

	if (opt && *opt)
		return opt;
	return env && *env ? env : ".blueprint";
}

bool cli_state_open(const char *opt, struct store **out, struct bp_error **err)
{
	return store_open(cli_state_dir(opt), out, err);
}

bool cli_deployment_resolve(struct store *s, const char *opt, char **out,
			    struct bp_error **err)
{
	g_autoptr(GPtrArray) list = NULL;
	GString *names;

	if (opt) {
		struct store_deployment *d = NULL;
		if (!store_deployment_get(s, opt, &d, err))
			return false;
		store_deployment_free(d);
		*out = g_strdup(opt);
		return true;
	}
	if (!store_deployment_list(s, &list, err))
		return false;
	if (list->len == 1) {
		*out = g_strdup(((struct store_deployment *)list->pdata[0])->id);
		return true;
	}
	if (list->len == 0) {
		bp_error_set(err, BP_ERR_NOT_FOUND, NULL, NULL, "no deployment "
			     "in '%s'; install a blueprint first",
			     store_state_dir(s));
		return false;
	}
	names = g_string_new(NULL);
	for (guint i = 0; i < list->len; i++)
		g_string_append_printf(names, "%s'%s'", i ? ", " : "",
			((struct store_deployment *)list->pdata[i])->id);
	bp_error_set(err, BP_ERR_USAGE, NULL, NULL, "several deployments in "
		     "'%s' (%s); choose one with -d NAME", store_state_dir(s),
		     names->str);
	g_string_free(names, TRUE);
	return false;
}
