/* human.c: the shapes of output for people: colour on terminals, times,
 * aligned tables; and JSON documents for scripts. See output.h. */
#include "cli/output.h"

#include <unistd.h>

bool cli_color_for(FILE *f)
{
	return isatty(fileno(f)) && !g_getenv("NO_COLOR");
}

void cli_paint(GString *out, bool color, enum cli_paint paint,
	       const char *text)
{
	static const char *const codes[CLI_PAINT_LAST] = {
		[CLI_PAINT_BOLD] = "1", [CLI_PAINT_DIM] = "2",
		[CLI_PAINT_RED] = "31", [CLI_PAINT_YELLOW] = "33",
		[CLI_PAINT_GREEN] = "32",
	};

	if (color)
		g_string_append_printf(out, "\033[%sm%s\033[0m", codes[paint],
				       text);
	else
		g_string_append(out, text);
}

/* The local time zone, loaded once: GLib's g_time_zone_new_local() reads
 * /etc/localtime again on every call when TZ is unset (three system calls
 * and a parse), which cost more than the rest of printing an event. */
static GTimeZone *local_zone(void)
{
	static GTimeZone *zone;

	if (g_once_init_enter(&zone))
		g_once_init_leave(&zone, g_time_zone_new_local());
	return zone;
}

char *cli_time_local(int64_t us)
{
	/* the last second formatted: events come many to a second */
	static gint64 last_s = G_MININT64;
	static char last[32];
	G_LOCK_DEFINE_STATIC(last);
	gint64 s = us / G_USEC_PER_SEC;
	char *out;

	if (!us)
		return g_strdup("-");
	G_LOCK(last);
	if (s != last_s) {
		g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(s);
		g_autoptr(GDateTime) t = utc ? g_date_time_to_timezone(
			utc, local_zone()) : NULL;
		g_autofree char *text = t ? g_date_time_format(
			t, "%Y-%m-%d %H:%M:%S") : NULL;

		g_strlcpy(last, text ? text : "-", sizeof(last));
		last_s = s;
	}
	out = g_strdup(last);
	G_UNLOCK(last);
	return out;
}

char *cli_time_iso(int64_t us)
{
	g_autoptr(GDateTime) t = NULL;
	g_autofree char *day = NULL;

	if (!us)
		return NULL;
	t = g_date_time_new_from_unix_utc(us / G_USEC_PER_SEC);
	day = g_date_time_format(t, "%Y-%m-%dT%H:%M:%S");
	return g_strdup_printf("%s.%03dZ", day,
			       (int)(us % G_USEC_PER_SEC / 1000));
}

struct cli_table {
	guint columns;
	GPtrArray *rows;       /* of char ** (g_strfreev), the header first */
};

static char **copy_row(const char *const *cells, guint n)
{
	char **row = g_new0(char *, n + 1);

	for (guint i = 0; i < n; i++)
		row[i] = g_strdup(cells[i] ? cells[i] : "-");
	return row;
}

struct cli_table *cli_table_new(const char *const *header)
{
	struct cli_table *t = g_new0(struct cli_table, 1);

	t->columns = g_strv_length((char **)header);
	t->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	g_ptr_array_add(t->rows, copy_row(header, t->columns));
	return t;
}

void cli_table_add(struct cli_table *t, const char *const *cells)
{
	g_ptr_array_add(t->rows, copy_row(cells, t->columns));
}

void cli_table_print(const struct cli_table *t, FILE *out, bool color)
{
	g_autofree unsigned *width = g_new0(unsigned, t->columns);

	for (guint r = 0; r < t->rows->len; r++) {
		char **row = t->rows->pdata[r];
		for (guint c = 0; c < t->columns; c++)
			width[c] = MAX(width[c], g_utf8_strlen(row[c], -1));
	}
	for (guint r = 0; r < t->rows->len; r++) {
		char **row = t->rows->pdata[r];
		g_autoptr(GString) line = g_string_new(NULL);
		for (guint c = 0; c < t->columns; c++) {
			unsigned pad = width[c] - g_utf8_strlen(row[c], -1);
			bool last = c + 1 == t->columns;
			if (r == 0)
				cli_paint(line, color, CLI_PAINT_BOLD, row[c]);
			else
				g_string_append(line, row[c]);
			if (!last)
				g_string_append_printf(line, "%*s", pad + 2,
						       "");
		}
		fprintf(out, "%s\n", line->str);
	}
}

void cli_table_free(struct cli_table *t)
{
	if (!t)
		return;
	g_ptr_array_unref(t->rows);
	g_free(t);
}

void cli_print_json(json_t *doc)
{
	g_autofree char *text = json_dumps(doc, JSON_INDENT(2));

	printf("%s\n", text);
	json_decref(doc);
}
