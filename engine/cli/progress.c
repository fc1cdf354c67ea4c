/* progress.c: the live progress line of a running execution, redrawn in
 * place on a terminal (carriage return, the line, clear to end of line)
 * and never written anywhere else. See output.h. */
#include "cli/output.h"

#include <sys/ioctl.h>
#include <unistd.h>

void cli_progress_init(struct cli_progress *p, FILE *out, bool quiet)
{
	*p = (struct cli_progress){
		.out = out,
		.enabled = !quiet && isatty(fileno(out)),
		.color = cli_color_for(out),
	};
}

/* "1m05s", "2h03m", "7s". */
static void append_elapsed(GString *s, double seconds)
{
	unsigned long t = seconds > 0 ? (unsigned long)seconds : 0;

	if (t >= 3600)
		g_string_append_printf(s, "%luh%02lum", t / 3600,
				       t / 60 % 60);
	else if (t >= 60)
		g_string_append_printf(s, "%lum%02lus", t / 60, t % 60);
	else
		g_string_append_printf(s, "%lus", t);
}

char *cli_progress_text(const struct cli_progress_counts *c, unsigned width)
{
	GString *s = g_string_new(NULL);

	g_string_append_printf(s, "%u/%u done  %u running  %u waiting  "
			       "%u %s  %u %s  ", c->done, c->total, c->running,
			       c->waiting, c->retries,
			       c->retries == 1 ? "retry" : "retries",
			       c->failures,
			       c->failures == 1 ? "failure" : "failures");
	append_elapsed(s, c->elapsed);
	if (width && s->len > width)
		g_string_truncate(s, width);
	return g_string_free(s, FALSE);
}

/* The terminal's width less one column (writing the last column makes
 * some terminals wrap), or 0 when unknown. */
static unsigned term_width(FILE *out)
{
	struct winsize ws;

	if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		return ws.ws_col - 1u;
	return 0;
}

void cli_progress_draw(struct cli_progress *p,
		       const struct cli_progress_counts *c)
{
	g_autofree char *text = NULL;

	if (!p->enabled)
		return;
	text = cli_progress_text(c, term_width(p->out));
	if (p->color && c->failures)
		fprintf(p->out, "\r\033[31m%s\033[0m\033[K", text);
	else
		fprintf(p->out, "\r%s\033[K", text);
	fflush(p->out);
	p->shown = true;
}

void cli_progress_clear(struct cli_progress *p)
{
	if (!p->enabled || !p->shown)
		return;
	fputs("\r\033[K", p->out);
	fflush(p->out);
	p->shown = false;
}
