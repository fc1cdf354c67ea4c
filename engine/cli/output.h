/* output.h: how commands print for people and for scripts: colour, times,
 * aligned tables and JSON documents (human.c), store events (events.c) and
 * the live progress line (progress.c).
 *
 * Rules every command follows: results go to stdout, diagnostics and the
 * progress line to stderr; colour only when that stream is a terminal and
 * NO_COLOR is unset; `--json` output is a single JSON document, or JSON
 * lines for a stream (events); text that came from the store or from a
 * plugin is masked with the secrets (util/mask.h) before it is printed.
 */
#ifndef BP_CLI_OUTPUT_H
#define BP_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <glib.h>
#include <jansson.h>

#include "store/records.h"

struct bp_mask;

/* ---- human.c --------------------------------------------------------- */

/* True when `f` is a terminal and NO_COLOR is not set: colour may be
 * used on it. */
bool cli_color_for(FILE *f);

/* ANSI attributes for cli_paint(). */
enum cli_paint {
	CLI_PAINT_BOLD,
	CLI_PAINT_DIM,
	CLI_PAINT_RED,
	CLI_PAINT_YELLOW,
	CLI_PAINT_GREEN,
	CLI_PAINT_LAST         /* never use */
};

/* Appends `text` to `out`, wrapped in the escape sequences of `paint`
 * when `color` is true, as it is otherwise. */
void cli_paint(GString *out, bool color, enum cli_paint paint,
	       const char *text);

/* (transfer full, g_free) `us` (microseconds since the epoch, records.h)
 * as local time "2026-08-23 10:00:01", or "-" for 0. */
char *cli_time_local(int64_t us);

/* (transfer full, g_free) `us` as UTC ISO 8601 with milliseconds,
 * "2026-08-23T10:00:01.250Z", for JSON; NULL for 0. */
char *cli_time_iso(int64_t us);

/* An aligned text table: a header row, then rows of cells; each column as
 * wide as its widest cell, two spaces between columns, the last column not
 * padded. Build with cli_table_new(), cli_table_add() per row, then
 * cli_table_print() and cli_table_free(). */
struct cli_table;

/* (transfer full) a table whose header cells are the NULL-terminated
 * `header` (copied). */
struct cli_table *cli_table_new(const char *const *header);

/* Adds a row of as many cells as the header has; `cells` (transfer none,
 * copied) may hold NULL cells, printed as "-". */
void cli_table_add(struct cli_table *t, const char *const *cells);

/* Prints the table to `out`, the header in bold when `color`. */
void cli_table_print(const struct cli_table *t, FILE *out, bool color);

/* Frees the table; accepts NULL. */
void cli_table_free(struct cli_table *t);

typedef struct cli_table cli_table;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(cli_table, cli_table_free)

/* Prints `doc` (consumed) to stdout as indented JSON and a newline. */
void cli_print_json(json_t *doc);

/* ---- events.c -------------------------------------------------------- */

/* How store events are printed: one line per event, for people
 *   2026-08-23 10:00:01 vm_ab12cd cloudify.interfaces.lifecycle.create info: message
 * (time in local time; the instance and the operation left out when the
 * event has none; the level coloured when `color`), or one JSON object per
 * line (`json`) with the members id, time (UTC ISO 8601), deployment,
 * execution, instance, operation, level, type, message and data (null
 * when absent). The message and data are masked with `mask` first. */
struct cli_event_printer {
	FILE *out;                   /* where the lines go */
	bool json;                   /* JSON lines instead of text */
	bool color;                  /* colour in text lines */
	const struct bp_mask *mask;  /* (transfer none) secrets, or NULL */
};

/* Fills `p` to print to `out`: JSON lines when `json`, else text with
 * colour when cli_color_for(out). `mask` (transfer none, or NULL) must
 * outlive the printer's use. Can't fail. */
void cli_event_printer_init(struct cli_event_printer *p, FILE *out,
			    bool json, const struct bp_mask *mask);

/* Prints one event as `p` says. */
void cli_event_print(const struct cli_event_printer *p,
		     const struct store_event *e);

/* (transfer full, g_free) the line cli_event_print() would print for `e`,
 * without the final newline. */
char *cli_event_line(const struct cli_event_printer *p,
		     const struct store_event *e);

/* (transfer full, g_free) the text line of `e`, without colour or a final
 * newline, masked with `mask` (or NULL). */
char *cli_event_text(const struct store_event *e, const struct bp_mask *mask,
		     bool color);

/* (transfer full, json_decref) the JSON object of `e`, masked. */
json_t *cli_event_json(const struct store_event *e,
		       const struct bp_mask *mask);

/* ---- progress.c ------------------------------------------------------ */

/* The live progress line of a running execution, redrawn in place on a
 * terminal:
 *   12/40 done  3 running  2 waiting  1 retry  0 failures  1m05s
 * Nothing is drawn when the stream is not a terminal: a log then gets the
 * events only. Lines printed while a progress line is shown must be
 * preceded by cli_progress_clear() (the next cli_progress_draw() puts the
 * line back). */
struct cli_progress_counts {
	unsigned done;         /* tasks finished (succeeded or failed) */
	unsigned total;        /* tasks known */
	unsigned running;      /* tasks in an operation call now */
	unsigned waiting;      /* tasks waiting for their next attempt */
	unsigned retries;      /* retries so far */
	unsigned failures;     /* failed attempts so far */
	double elapsed;        /* seconds since the execution started */
};

struct cli_progress {
	FILE *out;             /* the terminal, normally stderr */
	bool enabled;          /* out is a terminal and not quiet */
	bool color;            /* failures in red */
	bool shown;            /* a line is on the screen now */
};

/* Prepares `p` to draw on `out`; drawing is enabled only when `out` is a
 * terminal and `quiet` is false. Draws nothing yet. Can't fail. */
void cli_progress_init(struct cli_progress *p, FILE *out, bool quiet);

/* Redraws the line with counts `c` (\r, the line cut to the terminal's
 * width, clear to the end of the line). Nothing when disabled. */
void cli_progress_draw(struct cli_progress *p,
		       const struct cli_progress_counts *c);

/* Erases the line, if shown, so that other output starts on a clean
 * line; call it before printing and before exiting. Nothing when
 * disabled. */
void cli_progress_clear(struct cli_progress *p);

/* (transfer full, g_free) the text of the line for `c`, at most `width`
 * columns (0: no limit), without escape sequences. */
char *cli_progress_text(const struct cli_progress_counts *c, unsigned width);

#endif
