# Makefile: builds the blueprint engine library, the CLI, the plugins and the
# tests. Sources are found by directory, so a new file needs no edit here:
#   engine/<layer>/*.c   -> build/libblueprint-engine.a   (cli/ excluded)
#   engine/cli/*.c       -> build/blueprint
#   plugins/common/*.c   -> build/libbp-plugin-common.a   (linked into plugins)
#   plugins/NAME/*.c     -> build/plugins/NAME.so
#   tests/lib/*.c        -> build/libbp-test.a
#   tests/unit/test-X.c  -> build/tests/test-X           (GTest, TAP)
#   tests/cli/tNNNN-*.sh                                 (TAP shell tests)
#   bench/NAME.c         -> build/bench/NAME             (make bench)
#
# Knobs: SAN=1 (ASan+UBSan), WERROR=1, BUILD=dir, PREFIX=/usr/local, V=1.

BUILD    ?= build
PREFIX   ?= /usr/local
CC       ?= cc
VERSION  := 0.1.0

ifeq ($(V),1)
Q :=
else
Q := @
endif

PKGS := yaml-0.1 jansson glib-2.0 gmodule-2.0 gthread-2.0 libcurl sqlite3 uuid libcrypto

# Install missing libraries before anything asks pkg-config about them.
DEPS_OK := $(shell sh scripts/deps.sh >&2 && echo ok)
ifneq ($(DEPS_OK),ok)
$(error scripts/deps.sh could not install the build dependencies)
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS)) -lm -lpthread

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wpointer-arith -Wwrite-strings -Wvla \
        -Wno-unused-parameter -Wno-missing-field-initializers
ifeq ($(WERROR),1)
WARN += -Werror
endif

OPT := -O2 -g $(OPT_EXTRA)
ifeq ($(SAN),1)
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
       -fno-sanitize-recover=undefined $(OPT_EXTRA)
SANLD := -fsanitize=address,undefined
endif

CPPFLAGS += -D_GNU_SOURCE -DBP_VERSION=\"$(VERSION)\" \
            -DBP_DATADIR=\"$(PREFIX)/share/blueprint\" \
            -DBP_PLUGINDIR=\"$(PREFIX)/lib/blueprint/plugins\" \
            -Iengine -Iengine/include -Itests/lib
CFLAGS   += -std=c17 $(OPT) $(WARN) -fPIC -fvisibility=hidden $(PKG_CFLAGS)
LDFLAGS  += $(SANLD)

ENGINE_SRC := $(filter-out engine/cli/%,$(wildcard engine/*/*.c))
CLI_SRC    := $(wildcard engine/cli/*.c)
PCOMMON_SRC:= $(wildcard plugins/common/*.c)
PLUGINS    := $(filter-out common,$(notdir $(patsubst %/,%,$(dir $(wildcard plugins/*/*.c)))))
TLIB_SRC   := $(wildcard tests/lib/*.c)
UNIT_SRC   := $(wildcard tests/unit/test-*.c)
CLI_TESTS  := $(sort $(wildcard tests/cli/t[0-9]*.sh))
BENCH_SRC  := $(wildcard bench/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

ENGINE_LIB := $(BUILD)/libblueprint-engine.a
PCOMMON_LIB:= $(BUILD)/libbp-plugin-common.a
TEST_LIB   := $(BUILD)/libbp-test.a
BIN        := $(BUILD)/blueprint
PLUGIN_SOS := $(patsubst %,$(BUILD)/plugins/%.so,$(PLUGINS))
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

.PHONY: all check install demo bench clean deps fuzz
all: $(BIN) $(PLUGIN_SOS)

deps:
	sh scripts/deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(ENGINE_LIB): $(call obj,$(ENGINE_SRC))
	$(Q)rm -f $@ && ar rcs $@ $^

$(PCOMMON_LIB): $(call obj,$(PCOMMON_SRC))
	$(Q)rm -f $@ && ar rcs $@ $^

$(TEST_LIB): $(call obj,$(TLIB_SRC))
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(call obj,$(CLI_SRC)) $(ENGINE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

.SECONDARY:
.SECONDEXPANSION:
$(BUILD)/plugins/%.so: $$(call obj,$$(wildcard plugins/%/*.c)) $(PCOMMON_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  SO      $@")
	$(Q)$(CC) $(LDFLAGS) -shared -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(TEST_LIB) $(ENGINE_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# make bench: every bench/*.c program, built and run (timings, never tests).
bench: $(BENCH_BINS)
	$(Q)for b in $(BENCH_BINS); do echo "== $$b"; $$b || exit 1; done

# Benchmarks may use the test helpers (temporary state directories).
$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(TEST_LIB) $(ENGINE_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# make check: every unit program and every CLI script, run by prove.
check: all $(UNIT_BINS)
	BP_BUILD=$(abspath $(BUILD)) BP_SRC=$(CURDIR) prove -j2 $(UNIT_BINS) $(CLI_TESTS)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

clean:
	rm -rf $(BUILD)

# make fuzz: the loader's libFuzzer target (clang), seeded with the
# third-party corpus ($BP_SHARED/corpus, else ../shared/corpus) and the
# regression inputs of tests/data/fuzz/; FUZZ_SECONDS bounds the run. New
# inputs go to $(FUZZ_BUILD)/corpus, crashes to $(FUZZ_BUILD)/crash-*.
FUZZ_SECONDS ?= 60
FUZZ_BUILD   ?= build-fuzz
FUZZ_CORPUS  ?= $(if $(BP_SHARED),$(BP_SHARED),../shared)/corpus
FUZZ_FLAGS   := -fsanitize=fuzzer-no-link,address,undefined \
                -fno-sanitize-recover=undefined -fno-omit-frame-pointer
fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang OPT="-O1 -g $(FUZZ_FLAGS)" \
	  $(FUZZ_BUILD)/libblueprint-engine.a
	clang $(CPPFLAGS) -std=c17 -O1 -g $(PKG_CFLAGS) \
	  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	  -o $(FUZZ_BUILD)/fuzz-load tests/fuzz/fuzz-load.c \
	  $(FUZZ_BUILD)/libblueprint-engine.a $(PKG_LIBS)
	mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/seeds
	find $(FUZZ_CORPUS) tests/data/fuzz -name '*.yaml' -size -64k \
	  -exec sh -c 'cp "$$1" "$$2/$$(printf %s "$$1" | cksum | tr " " _).yaml"' \
	  _ {} $(FUZZ_BUILD)/seeds \; 2>/dev/null || true
	BP_TYPES=types $(FUZZ_BUILD)/fuzz-load -max_total_time=$(FUZZ_SECONDS) \
	  -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	  -dict=tests/fuzz/blueprint.dict -print_final_stats=1 \
	  -artifact_prefix=$(FUZZ_BUILD)/ $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/seeds
