/* special.c: the TOSCA special types written as text, version and
 * timestamp: parsing and ordering them so constraints can compare them.
 *
 * Scalar-units live in scalar_unit.c and ranges are plain lists checked in
 * value.c. A YAML document may write a version as a float (`1.0`); the
 * text as written is what is parsed, so `1.10` is minor version 10.
 */
#include "model/value.h"

#include <string.h>

/* Reads an unsigned decimal number of at least one digit. Returns the end,
 * or NULL when there is no digit or it overflows. */
static const char *read_uint(const char *p, uint64_t *out)
{
	uint64_t v = 0;
	const char *start = p;

	while (g_ascii_isdigit(*p)) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return NULL;
		v = v * 10 + d;
		p++;
	}
	if (p == start)
		return NULL;
	*out = v;
	return p;
}

bool model_version_parse(const char *text, struct model_version *out)
{
	struct model_version v = { 0 };
	const char *p = text;

	if (!p || !(p = read_uint(p, &v.major)) || *p++ != '.' ||
	    !(p = read_uint(p, &v.minor)))
		return false;
	if (*p == '.') {
		if (!(p = read_uint(p + 1, &v.fix)))
			return false;
		if (*p == '.') {
			v.qualifier = ++p;
			while (g_ascii_isalnum(*p))
				p++;
			v.qualifier_len = (size_t)(p - v.qualifier);
			if (!v.qualifier_len)
				return false;
			if (*p == '-' && !(p = read_uint(p + 1, &v.build)))
				return false;
		}
	}
	if (*p)
		return false;
	*out = v;
	return true;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

int model_version_cmp(const struct model_version *a,
		      const struct model_version *b)
{
	int c;

	if ((c = cmp_u64(a->major, b->major)) ||
	    (c = cmp_u64(a->minor, b->minor)) ||
	    (c = cmp_u64(a->fix, b->fix)))
		return c;
	if (!a->qualifier || !b->qualifier)
		return (a->qualifier == NULL) - (b->qualifier == NULL);
	c = strncmp(a->qualifier, b->qualifier,
		    MIN(a->qualifier_len, b->qualifier_len));
	if (c || a->qualifier_len != b->qualifier_len)
		return c ? c : cmp_u64(a->qualifier_len, b->qualifier_len);
	return cmp_u64(a->build, b->build);
}

/* Reads exactly `min`..`max` digits as a number; NULL when there are not
 * enough. */
static const char *read_digits(const char *p, unsigned min, unsigned max,
			       int *out)
{
	unsigned n = 0;
	int v = 0;

	while (n < max && g_ascii_isdigit(p[n])) {
		v = v * 10 + (p[n] - '0');
		n++;
	}
	if (n < min)
		return NULL;
	*out = v;
	return p + n;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool date_valid(int y, int m, int d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
				     30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	return m != 2 || d <= 28 || leap;
}

/* The time zone part: [ \t]*(Z|[-+]H[H][:MM]); sets the offset in
 * seconds east of UTC. NULL when malformed. */
static const char *read_zone(const char *p, int *offset)
{
	int sign, hh, mm = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == 'Z') {
		*offset = 0;
		return p + 1;
	}
	if (*p != '+' && *p != '-')
		return NULL;
	sign = *p == '-' ? -1 : 1;
	if (!(p = read_digits(p + 1, 1, 2, &hh)) || hh > 23)
		return NULL;
	if (*p == ':' && (!(p = read_digits(p + 1, 2, 2, &mm)) || mm > 59))
		return NULL;
	*offset = sign * (hh * 3600 + mm * 60);
	return p;
}

bool model_timestamp_parse(const char *text, double *epoch_out)
{
	int y, mo, d, h = 0, mi = 0, s = 0, offset = 0;
	double frac = 0;
	const char *p = text, *q;
	bool short_fields;

	if (!p || !(p = read_digits(p, 4, 4, &y)) || *p++ != '-')
		return false;
	/* The date-only form needs two digits; the long form allows one. */
	if (!(q = read_digits(p, 1, 2, &mo)) || *q != '-')
		return false;
	short_fields = q - p < 2;
	p = q + 1;
	if (!(q = read_digits(p, 1, 2, &d)))
		return false;
	short_fields |= q - p < 2;
	p = q;
	if (!date_valid(y, mo, d))
		return false;
	if (*p) {
		if (*p == 'T' || *p == 't')
			p++;
		else if (*p == ' ' || *p == '\t')
			while (*p == ' ' || *p == '\t')
				p++;
		else
			return false;
		if (!(p = read_digits(p, 1, 2, &h)) || *p++ != ':' ||
		    !(p = read_digits(p, 2, 2, &mi)) || *p++ != ':' ||
		    !(p = read_digits(p, 2, 2, &s)))
			return false;
		if (h > 23 || mi > 59 || s > 60)
			return false;
		if (*p == '.') {
			double scale = 0.1;
			for (p++; g_ascii_isdigit(*p); p++, scale /= 10)
				frac += (*p - '0') * scale;
		}
		if (*p && !(p = read_zone(p, &offset)))
			return false;
		if (*p)
			return false;
	} else if (short_fields) {
		return false;
	}
	if (epoch_out)
		*epoch_out = (double)days_from_civil(y, mo, d) * 86400.0 +
			     h * 3600 + mi * 60 + s + frac - offset;
	return true;
}
