/* commands.c: the command table, sorted by name. Adding a command: write
 * cmd_NAME.c, declare cmd_NAME in cli.h, add a line here, a man page in
 * man/blueprint.1 and a completion entry. */
#include "cli/cli.h"

const struct cli_command cli_commands[] = {
	{ "deployments", cmd_deployments, "List the deployments, or delete one" },
	{ "events",   cmd_events,   "Print a deployment's events, or follow an execution's" },
	{ "exec",     cmd_exec,     "Run one operation on chosen node instances" },
	{ "executions", cmd_executions, "List a deployment's executions" },
	{ "graph",    cmd_graph,    "Print the node and relationship graph (dot, json, mermaid)" },
	{ "heal",     cmd_heal,     "Heal a node instance (its heal operation, or a reinstall)" },
	{ "help",     cmd_help,     "Show the commands, or one command's help" },
	{ "install",  cmd_install,  "Create a deployment and install it" },
	{ "outputs",  cmd_outputs,  "Print a deployment's outputs" },
	{ "plan",     cmd_plan,     "Show the node instances and install order, running nothing" },
	{ "plugins",  cmd_plugins,  "List plugins, or run one operation from a JSON context" },
	{ "resume",   cmd_resume,   "Finish the deployment's unfinished execution or scale" },
	{ "run",      cmd_run,      "Run a workflow by name (declared or built in)" },
	{ "scale",    cmd_scale,    "Add or remove instances of a node or scaling group" },
	{ "secret",   cmd_secret,   "Set, get, list or delete secrets" },
	{ "status",   cmd_status,   "Show a deployment's node instances and their state" },
	{ "uninstall", cmd_uninstall, "Stop and delete every node instance" },
	{ "validate", cmd_validate, "Check a blueprint and print every problem" },
	{ "version",  cmd_version,  "Print the version" },
	{ NULL, NULL, NULL },
};
