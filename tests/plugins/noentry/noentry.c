/* noentry.c: a shared object without bp_plugin_entry (a library put in the
 * plugin directory by mistake). */
#include "blueprint/plugin.h"

BP_EXPORT int bp_not_the_entry(void);

int bp_not_the_entry(void)
{
	return 0;
}
