/* events.c: printing store events, as text lines for people or as JSON
 * lines for scripts, with secret values masked. Shared by `blueprint
 * events` and the commands that run workflows. See output.h. */
#include "cli/output.h"
#include "util/mask.h"

static enum cli_paint level_paint(enum store_event_level level)
{
	switch (level) {
	case STORE_LEVEL_ERROR:
		return CLI_PAINT_RED;
	case STORE_LEVEL_WARNING:
		return CLI_PAINT_YELLOW;
	case STORE_LEVEL_DEBUG:
		return CLI_PAINT_DIM;
	default:
		return CLI_PAINT_LAST;
	}
}

char *cli_event_text(const struct store_event *e, const struct bp_mask *mask,
		     bool color)
{
	GString *line = g_string_new(NULL);
	g_autofree char *time = cli_time_local(e->time);
	g_autofree char *message = bp_mask_text(mask, e->message);
	g_autofree char *level = g_strconcat(store_event_level_name(e->level),
					     ":", NULL);
	enum cli_paint paint = level_paint(e->level);

	g_string_append_printf(line, "%s ", time);
	if (e->instance_id)
		g_string_append_printf(line, "%s ", e->instance_id);
	if (e->operation)
		g_string_append_printf(line, "%s ", e->operation);
	if (paint != CLI_PAINT_LAST)
		cli_paint(line, color, paint, level);
	else
		g_string_append(line, level);
	g_string_append_printf(line, " %s", message);
	return g_string_free(line, FALSE);
}

json_t *cli_event_json(const struct store_event *e, const struct bp_mask *mask)
{
	g_autofree char *time = cli_time_iso(e->time);
	g_autofree char *message = bp_mask_text(mask, e->message);
	json_t *data = e->data ? bp_mask_json(mask, e->data) : json_null();

	return json_pack("{s:I,s:s?,s:s,s:s?,s:s?,s:s?,s:s,s:s,s:s,s:o}",
			 "id", (json_int_t)e->id, "time", time,
			 "deployment", e->deployment,
			 "execution", e->execution,
			 "instance", e->instance_id,
			 "operation", e->operation,
			 "level", store_event_level_name(e->level),
			 "type", e->type, "message", message, "data", data);
}

void cli_event_printer_init(struct cli_event_printer *p, FILE *out,
			    bool json, const struct bp_mask *mask)
{
	*p = (struct cli_event_printer){
		.out = out, .json = json, .mask = mask,
		.color = !json && cli_color_for(out),
	};
}

char *cli_event_line(const struct cli_event_printer *p,
		     const struct store_event *e)
{
	char *text;
	json_t *j;

	if (!p->json)
		return cli_event_text(e, p->mask, p->color);
	j = cli_event_json(e, p->mask);
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return text;
}

void cli_event_print(const struct cli_event_printer *p,
		     const struct store_event *e)
{
	g_autofree char *text = cli_event_line(p, e);

	fprintf(p->out, "%s\n", text);
}
