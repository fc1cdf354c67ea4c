/* test-model-special.c: the TOSCA special types as text: scalar-units
 * parsed and normalised to their base unit, versions parsed and ordered,
 * timestamps parsed to the instant they name. */
#include "model/value.h"
#include "testlib.h"

#include <math.h>
#include <string.h>

static void test_scalar_units(void)
{
	static const struct {
		enum model_prim kind;
		const char *text;
		double base;
		const char *unit;
	} cases[] = {
		{ MODEL_PRIM_SIZE, "4 GB", 4e9, "GB" },
		{ MODEL_PRIM_SIZE, "1024 MB", 1024e6, "MB" },
		{ MODEL_PRIM_SIZE, "1 KiB", 1024, "KiB" },
		{ MODEL_PRIM_SIZE, "2kb", 2000, "kB" },
		{ MODEL_PRIM_SIZE, "1.5 gib", 1.5 * 1073741824.0, "GiB" },
		{ MODEL_PRIM_SIZE, "3 TiB", 3 * 1099511627776.0, "TiB" },
		{ MODEL_PRIM_SIZE, "0 B", 0, "B" },
		{ MODEL_PRIM_SIZE, " 7   b", 7, "B" },
		{ MODEL_PRIM_TIME, "1 d", 86400, "d" },
		{ MODEL_PRIM_TIME, "10.5m", 630, "m" },
		{ MODEL_PRIM_TIME, "2 H", 7200, "h" },
		{ MODEL_PRIM_TIME, "250 ms", 0.25, "ms" },
		{ MODEL_PRIM_TIME, "3 us", 3e-6, "us" },
		{ MODEL_PRIM_TIME, "5 NS", 5e-9, "ns" },
		{ MODEL_PRIM_FREQUENCY, "123e3 kHz", 1.23e8, "kHz" },
		{ MODEL_PRIM_FREQUENCY, "2.4 GHz", 2.4e9, "GHz" },
		{ MODEL_PRIM_FREQUENCY, "50 hz", 50, "Hz" },
		{ MODEL_PRIM_BITRATE, "1 bps", 1, "bps" },
		{ MODEL_PRIM_BITRATE, "1 Bps", 8, "Bps" },
		{ MODEL_PRIM_BITRATE, "1 Kibps", 1024, "Kibps" },
		{ MODEL_PRIM_BITRATE, "1.23 KiBps", 1.23 * 8192, "KiBps" },
		{ MODEL_PRIM_BITRATE, "10 kbps", 1e4, "Kbps" },
		{ MODEL_PRIM_BITRATE, "10 KBPS", 8e4, "KBps" },
		{ MODEL_PRIM_BITRATE, "1 Gbps", 1e9, "Gbps" },
		{ MODEL_PRIM_BITRATE, "1 TiBps", 8 * 1099511627776.0, "TiBps" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		double base = -1;
		const char *unit = NULL;
		g_assert_true(model_scalar_unit_parse(cases[i].kind,
						      cases[i].text, &base,
						      &unit));
		g_assert_cmpfloat_with_epsilon(
			base, cases[i].base, fabs(cases[i].base) * 1e-12 + 1e-18);
		g_assert_cmpstr(unit, ==, cases[i].unit);
	}
}

static void test_scalar_unit_errors(void)
{
	static const struct {
		enum model_prim kind;
		const char *text;
		const char *unit;   /* where the bad unit starts; NULL = the
				       number is bad */
	} cases[] = {
		{ MODEL_PRIM_SIZE, "10", "" },
		{ MODEL_PRIM_SIZE, "10 ", "" },
		{ MODEL_PRIM_SIZE, "10 XB", "XB" },
		{ MODEL_PRIM_SIZE, "10 GB extra", "GB extra" },
		{ MODEL_PRIM_SIZE, "10 Hz", "Hz" },
		{ MODEL_PRIM_TIME, "1 sec", "sec" },
		{ MODEL_PRIM_BITRATE, "1 Mbit", "Mbit" },
		{ MODEL_PRIM_SIZE, "GB", NULL },
		{ MODEL_PRIM_SIZE, "-1 GB", NULL },
		{ MODEL_PRIM_SIZE, ". GB", NULL },
		{ MODEL_PRIM_SIZE, "", NULL },
		/* not a scalar-unit kind */
		{ MODEL_PRIM_INTEGER, "4 GB", NULL },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		double base = -1;
		const char *unit = "untouched";
		g_assert_false(model_scalar_unit_parse(cases[i].kind,
						       cases[i].text, &base,
						       &unit));
		g_assert_cmpfloat(base, ==, -1);
		g_assert_cmpstr(unit, ==, cases[i].unit);
	}
	/* out pointers are optional */
	g_assert_true(model_scalar_unit_parse(MODEL_PRIM_SIZE, "1 B", NULL,
					      NULL));
	g_assert_false(model_scalar_unit_parse(MODEL_PRIM_SIZE, "1", NULL,
					       NULL));
	g_assert_cmpstr(model_scalar_unit_names(MODEL_PRIM_FREQUENCY), ==,
			"Hz, kHz, MHz, GHz");
	g_assert_cmpstr(model_scalar_unit_names(MODEL_PRIM_STRING), ==, "");
}

/* "4 GB" > "1024 MB": compared normalised, not as text. */
static void test_scalar_unit_order(void)
{
	double a, b;

	g_assert_true(model_scalar_unit_parse(MODEL_PRIM_SIZE, "4 GB", &a,
					      NULL));
	g_assert_true(model_scalar_unit_parse(MODEL_PRIM_SIZE, "1024 MB", &b,
					      NULL));
	g_assert_cmpfloat(a, >, b);
	g_assert_true(model_scalar_unit_parse(MODEL_PRIM_SIZE, "1 GiB", &a,
					      NULL));
	g_assert_true(model_scalar_unit_parse(MODEL_PRIM_SIZE, "1024 MiB", &b,
					      NULL));
	g_assert_cmpfloat(a, ==, b);
}

static void test_versions(void)
{
	struct model_version v;
	static const char *const bad[] = {
		"1", "1.", ".1", "1.2.", "1.2.3.", "1.2.3.beta-", "1.2.3.be_ta",
		"1.2.3.beta-x", "1.2.3.beta-1-2", "a.b", "1.2.3.4.5", "",
		"1.2 ", "99999999999999999999.0",
	};

	g_assert_true(model_version_parse("1.2.3.beta-4", &v));
	g_assert_cmpuint(v.major, ==, 1);
	g_assert_cmpuint(v.minor, ==, 2);
	g_assert_cmpuint(v.fix, ==, 3);
	g_assert_cmpuint(v.qualifier_len, ==, 4);
	g_assert_cmpint(strncmp(v.qualifier, "beta", 4), ==, 0);
	g_assert_cmpuint(v.build, ==, 4);
	g_assert_true(model_version_parse("18.04", &v));
	g_assert_cmpuint(v.minor, ==, 4);
	g_assert_null(v.qualifier);
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		if (model_version_parse(bad[i], &v))
			g_error("'%s' parsed as a version", bad[i]);
	}
	g_assert_false(model_version_parse(NULL, &v));
}

static void test_version_order(void)
{
	/* each is older than the next */
	static const char *const order[] = {
		"0.9", "1.0.0.alpha", "1.0.0.beta-1", "1.0.0.beta-2",
		"1.0.0.beta-10", "1.0.0.betas", "1.0", "1.0.1", "1.2", "1.10",
		"2.0.0.rc-1", "2.0.0",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(order); i++) {
		for (size_t j = 0; j < G_N_ELEMENTS(order); j++) {
			struct model_version a, b;
			int want = (i > j) - (i < j), got;
			g_assert_true(model_version_parse(order[i], &a));
			g_assert_true(model_version_parse(order[j], &b));
			got = model_version_cmp(&a, &b);
			if ((got > 0) - (got < 0) != want)
				g_error("'%s' vs '%s': %d", order[i],
					order[j], got);
		}
	}
}

static void test_timestamps(void)
{
	static const struct {
		const char *text;
		double epoch;
	} good[] = {
		{ "1970-01-01", 0 },
		{ "2001-12-14", 1008288000 },
		{ "2001-12-15T02:59:43.1Z", 1008385183.1 },
		{ "2001-12-14t21:59:43.10-05:00", 1008385183.1 },
		{ "2001-12-14 21:59:43.10 -5", 1008385183.1 },
		{ "2001-12-15 2:59:43.10", 1008385183.1 },
		{ "2002-1-2 3:04:05+01", 1009937045 },
		{ "2000-02-29T12:00:00+05:30", 951805800 },
		{ "1969-12-31T23:59:59Z", -1 },
		{ "1600-03-01", -11670912000.0 },
	};
	static const char *const bad[] = {
		"2001-1-1", "2001-13-01", "2001-02-29", "1900-02-29",
		"2001-04-31", "2001-12-14T24:00:00", "2001-12-14 21:60:00",
		"2001-12-14 21:59", "2001-12-14x21:59:43", "2001-12-14T1:2:3",
		"2001-12-14 21:59:43 +25", "2001-12-14 21:59:43Zulu",
		"01-12-14", "2001/12/14", "", "2001-12-14 ",
	};
	double t;

	for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
		if (!model_timestamp_parse(good[i].text, &t))
			g_error("'%s' not parsed", good[i].text);
		g_assert_cmpfloat_with_epsilon(t, good[i].epoch, 1e-6);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		if (model_timestamp_parse(bad[i], &t))
			g_error("'%s' parsed as a timestamp", bad[i]);
	g_assert_true(model_timestamp_parse("2000-02-29", NULL));
	g_assert_false(model_timestamp_parse(NULL, &t));
}

int main(int argc, char **argv)
{
	test_init(&argc, &argv);
	g_test_add_func("/model/special/scalar-units", test_scalar_units);
	g_test_add_func("/model/special/scalar-unit-errors",
			test_scalar_unit_errors);
	g_test_add_func("/model/special/scalar-unit-order",
			test_scalar_unit_order);
	g_test_add_func("/model/special/versions", test_versions);
	g_test_add_func("/model/special/version-order", test_version_order);
	g_test_add_func("/model/special/timestamps", test_timestamps);
	return g_test_run();
}
