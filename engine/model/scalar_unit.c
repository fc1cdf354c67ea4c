/* scalar_unit.c: TOSCA scalar-unit values ("4 GB", "10.5m", "1 Gbps"),
 * parsed and normalised to their base unit so constraints compare them by
 * magnitude ("4 GB" > "1024 MB").
 *
 * The grammar is `<number> <unit>` with any number of spaces (or none)
 * between; the number is a decimal with an optional fraction and exponent.
 * Units are case-insensitive as the specification says, with one exception
 * that the specification's own table forces: in bitrates `b` means bits and
 * `B` bytes, so that letter must match exactly.
 */
#include "model/value.h"

#include <string.h>

struct unit {
	const char *name;
	double factor;           /* in base units */
};

static const struct unit size_units[] = {
	{ "B", 1 }, { "kB", 1e3 }, { "KiB", 1024.0 }, { "MB", 1e6 },
	{ "MiB", 1048576.0 }, { "GB", 1e9 }, { "GiB", 1073741824.0 },
	{ "TB", 1e12 }, { "TiB", 1099511627776.0 }, { NULL, 0 },
};

static const struct unit time_units[] = {
	{ "d", 86400 }, { "h", 3600 }, { "m", 60 }, { "s", 1 },
	{ "ms", 1e-3 }, { "us", 1e-6 }, { "ns", 1e-9 }, { NULL, 0 },
};

static const struct unit frequency_units[] = {
	{ "Hz", 1 }, { "kHz", 1e3 }, { "MHz", 1e6 }, { "GHz", 1e9 },
	{ NULL, 0 },
};

#define KI 1024.0
static const struct unit bitrate_units[] = {
	{ "bps", 1 }, { "Kbps", 1e3 }, { "Kibps", KI }, { "Mbps", 1e6 },
	{ "Mibps", KI * KI }, { "Gbps", 1e9 }, { "Gibps", KI * KI * KI },
	{ "Tbps", 1e12 }, { "Tibps", KI * KI * KI * KI },
	{ "Bps", 8 }, { "KBps", 8e3 }, { "KiBps", 8 * KI },
	{ "MBps", 8e6 }, { "MiBps", 8 * KI * KI }, { "GBps", 8e9 },
	{ "GiBps", 8 * KI * KI * KI }, { "TBps", 8e12 },
	{ "TiBps", 8 * KI * KI * KI * KI }, { NULL, 0 },
};

static const struct unit *units_of(enum model_prim kind)
{
	switch (kind) {
	case MODEL_PRIM_SIZE:      return size_units;
	case MODEL_PRIM_TIME:      return time_units;
	case MODEL_PRIM_FREQUENCY: return frequency_units;
	case MODEL_PRIM_BITRATE:   return bitrate_units;
	default:                   return NULL;
	}
}

const char *model_scalar_unit_names(enum model_prim kind)
{
	switch (kind) {
	case MODEL_PRIM_SIZE:
		return "B, kB, KiB, MB, MiB, GB, GiB, TB, TiB";
	case MODEL_PRIM_TIME:
		return "d, h, m, s, ms, us, ns";
	case MODEL_PRIM_FREQUENCY:
		return "Hz, kHz, MHz, GHz";
	case MODEL_PRIM_BITRATE:
		return "bps, Kbps, Kibps, Mbps, Mibps, Gbps, Gibps, Tbps, "
		       "Tibps, Bps, KBps, KiBps, MBps, MiBps, GBps, GiBps, "
		       "TBps, TiBps";
	default:
		return "";
	}
}

/* True when `s` spells unit `u`: letters compare case-insensitively,
 * except a bitrate's b/B (third letter from the end), which must match. */
static bool unit_matches(const char *s, const char *u, bool bitrate)
{
	size_t n = strlen(u);

	if (strlen(s) != n || g_ascii_strcasecmp(s, u) != 0)
		return false;
	return !bitrate || s[n - 3] == u[n - 3];
}

/* Skips a decimal number: digits, an optional fraction, an optional
 * exponent. Returns the end, or NULL when there are no digits. */
static const char *skip_number(const char *p)
{
	bool digits = false;

	while (g_ascii_isdigit(*p)) {
		p++;
		digits = true;
	}
	if (*p == '.') {
		p++;
		while (g_ascii_isdigit(*p)) {
			p++;
			digits = true;
		}
	}
	if (!digits)
		return NULL;
	if (*p == 'e' || *p == 'E') {
		const char *q = p + 1;
		if (*q == '+' || *q == '-')
			q++;
		if (g_ascii_isdigit(*q)) {
			while (g_ascii_isdigit(*q))
				q++;
			p = q;
		}
	}
	return p;
}

bool model_scalar_unit_parse(enum model_prim kind, const char *text,
			     double *base_out, const char **unit_out)
{
	const struct unit *units = units_of(kind);
	const char *p = text, *end;
	double num;

	if (unit_out)
		*unit_out = NULL;
	if (!units || !text)
		return false;
	while (*p == ' ')
		p++;
	end = skip_number(p);
	if (!end)
		return false;
	num = g_ascii_strtod(p, NULL);
	while (*end == ' ' || *end == '\t')
		end++;
	if (unit_out)
		*unit_out = end;
	for (const struct unit *u = units; u->name; u++) {
		if (!unit_matches(end, u->name, kind == MODEL_PRIM_BITRATE))
			continue;
		if (base_out)
			*base_out = num * u->factor;
		if (unit_out)
			*unit_out = u->name;
		return true;
	}
	return false;
}
