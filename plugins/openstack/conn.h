/* conn.h: the inside of struct os_conn, for auth.c and catalog.c only. */
#ifndef BP_PLUGINS_OPENSTACK_CONN_H
#define BP_PLUGINS_OPENSTACK_CONN_H

#include <glib.h>

#include "os.h"

struct os_conn {
	GMutex lock;               /* guards every field below but http */
	json_t *cfg;               /* the flat configuration (owned) */
	struct http_client *http;  /* shared by every thread */
	char *token;               /* current X-Auth-Token, or NULL */
	gint64 expires;            /* when it expires, in seconds of the
				      monotonic clock */
	json_t *catalog;           /* the token's service catalog */
	char *project_id;          /* its project, or NULL */
	char *nova_version;        /* negotiated microversion, or NULL */
	unsigned auth_count;       /* tokens obtained (for logs) */
};

#endif
