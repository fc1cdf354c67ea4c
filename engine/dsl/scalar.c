/* scalar.c: YAML 1.1 resolution of plain scalars, as PyYAML's resolver does
 * it, and parsing of the resolved integers and floats.
 *
 * The reference parsers of both dialects (tosca-parser, Cloudify's
 * dsl_parser) read YAML through PyYAML, so a blueprint means what it means
 * there: `on`/`yes` are booleans, `010` is octal 8, `1e3` is a string (a
 * YAML 1.1 float needs a dot) and `1.0e+3` a float.
 */
#include "dsl/node.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool is_null_word(const char *s, size_t len)
{
	return len == 0 || (len == 1 && s[0] == '~') ||
	       (len == 4 && (!strcmp(s, "null") || !strcmp(s, "Null") ||
			     !strcmp(s, "NULL")));
}

static bool is_bool_word(const char *s)
{
	static const char *const words[] = {
		"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE",
		"false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
		if (!strcmp(s, words[i]))
			return true;
	return false;
}

/* Skips a run of digits of the class `cls` and '_'; returns the end of the
 * run, or NULL when it holds no digit. */
static const char *span_digits(const char *p, const char *cls)
{
	bool digit = false;

	while (*p && (*p == '_' || strchr(cls, *p))) {
		digit |= *p != '_';
		p++;
	}
	return digit ? p : NULL;
}

/* [1-9][0-9_]*(:[0-5]?[0-9])+ */
static bool is_sexagesimal(const char *p, bool fraction_ok)
{
	if (*p < '1' || *p > '9')
		return false;
	while (g_ascii_isdigit(*p) || *p == '_')
		p++;
	if (*p != ':')
		return false;
	while (*p == ':') {
		p++;
		if (!g_ascii_isdigit(*p))
			return false;
		if (g_ascii_isdigit(p[1])) {
			if (*p > '5')
				return false;
			p++;
		}
		p++;
	}
	if (fraction_ok && *p == '.') {
		p++;
		while (g_ascii_isdigit(*p) || *p == '_')
			p++;
	}
	return *p == '\0';
}

static bool is_int(const char *s)
{
	const char *p = s + (*s == '-' || *s == '+');
	const char *e;

	if (p[0] == '0' && p[1] == 'b')
		return (e = span_digits(p + 2, "01")) && !*e;
	if (p[0] == '0' && p[1] == 'x')
		return (e = span_digits(p + 2, "0123456789abcdefABCDEF")) && !*e;
	if (p[0] == '0')
		return p[1] == '\0' ||
		       ((e = span_digits(p + 1, "01234567")) && !*e);
	if (*p >= '1' && *p <= '9') {
		e = span_digits(p, "0123456789");
		if (e && !*e)
			return true;
		return is_sexagesimal(p, false);
	}
	return false;
}

static bool is_float(const char *s)
{
	const char *p = s + (*s == '-' || *s == '+');

	if (!strcmp(p, ".inf") || !strcmp(p, ".Inf") || !strcmp(p, ".INF"))
		return true;
	if (p == s && (!strcmp(s, ".nan") || !strcmp(s, ".NaN") ||
		       !strcmp(s, ".NAN")))
		return true;
	if (is_sexagesimal(p, true))
		return true;
	/* [0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?  or  \.[0-9_]+(...)? */
	if (g_ascii_isdigit(*p)) {
		while (g_ascii_isdigit(*p) || *p == '_')
			p++;
		if (*p != '.')
			return false;
		p++;
		while (g_ascii_isdigit(*p) || *p == '_')
			p++;
	} else if (*p == '.') {
		p++;
		if (!g_ascii_isdigit(*p) && *p != '_')
			return false;
		while (g_ascii_isdigit(*p) || *p == '_')
			p++;
	} else {
		return false;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p != '-' && *p != '+')
			return false;
		p++;
		if (!g_ascii_isdigit(*p))
			return false;
		while (g_ascii_isdigit(*p))
			p++;
	}
	return *p == '\0';
}

enum dsl_stype dsl_resolve_plain(const char *s, size_t len, bool *is_null)
{
	*is_null = false;
	if (is_null_word(s, len)) {
		*is_null = true;
		return DSL_STR;
	}
	/* Fast path: most scalars are names and cannot be anything else. */
	if (!strchr("-+.0123456789yYnNtTfFoO", s[0]))
		return DSL_STR;
	if (len <= 5 && is_bool_word(s))     /* the longest is "false" */
		return DSL_BOOL;
	if (is_int(s))
		return DSL_INT;
	if (is_float(s))
		return DSL_FLOAT;
	return DSL_STR;
}

/* Copies the text without '_' into buf; false when it does not fit. */
static bool strip_underscores(const char *s, char *buf, size_t size)
{
	size_t j = 0;

	for (; *s; s++) {
		if (*s == '_')
			continue;
		if (j + 1 >= size)
			return false;
		buf[j++] = *s;
	}
	buf[j] = '\0';
	return true;
}

/* Value of "a:b:c" in base 60. */
static double sexagesimal_value(const char *p)
{
	double v = 0;
	char *end;

	for (;;) {
		double part = g_ascii_strtod(p, &end);
		v = v * 60 + part;
		if (*end != ':')
			return v;
		p = end + 1;
	}
}

bool dsl_parse_int(const char *s, int64_t *out)
{
	char buf[128];
	const char *p;
	bool neg;
	int base = 10;
	char *end;
	guint64 mag;

	if (!strip_underscores(s, buf, sizeof(buf)))
		return false;
	neg = buf[0] == '-';
	p = buf + (buf[0] == '-' || buf[0] == '+');
	if (strchr(p, ':')) {
		double v = sexagesimal_value(p);
		if (v > (double)INT64_MAX)
			return false;
		*out = neg ? -(int64_t)v : (int64_t)v;
		return true;
	}
	if (p[0] == '0' && p[1] == 'x') {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && p[1] == 'b') {
		base = 2;
		p += 2;
	} else if (p[0] == '0' && p[1]) {
		base = 8;
		p += 1;
	}
	errno = 0;
	mag = g_ascii_strtoull(p, &end, base);
	if (errno || *end || end == p)
		return false;
	if (neg ? mag > (guint64)INT64_MAX + 1 : mag > (guint64)INT64_MAX)
		return false;
	*out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	return true;
}

bool dsl_parse_float(const char *s, double *out)
{
	char buf[128];
	const char *p;
	bool neg;
	char *end;

	if (!strip_underscores(s, buf, sizeof(buf)))
		return false;
	neg = buf[0] == '-';
	p = buf + (buf[0] == '-' || buf[0] == '+');
	if (g_ascii_strcasecmp(p, ".inf") == 0) {
		*out = neg ? -INFINITY : INFINITY;
		return true;
	}
	if (g_ascii_strcasecmp(p, ".nan") == 0) {
		*out = NAN;
		return true;
	}
	if (strchr(p, ':')) {
		*out = neg ? -sexagesimal_value(p) : sexagesimal_value(p);
		return true;
	}
	*out = g_ascii_strtod(buf, &end);
	return *end == '\0';
}
