# Makefile: builds the blueprint engine library, the CLI, the plugins and the
# tests. Sources are found by directory, so a new file needs no edit here:
#   engine/<layer>/*.c   -> build/libblueprint-engine.a   (cli/ excluded)
#   engine/cli/*.c       -> build/blueprint
#   plugins/common/*.c   -> build/libbp-plugin-common.a   (linked into plugins)
#   plugins/NAME/*.c     -> build/plugins/NAME.so
#   plugins/NAME/PROG/*.c -> build/plugins/NAME-PROG     (a plugin's helper
#                                                         program)
#   tests/lib/*.c        -> build/libbp-test.a
#   tests/unit/test-X.c  -> build/tests/test-X           (GTest, TAP)
#   tests/plugins/NAME/*.c -> build/tests/plugins/NAME.so (plugins for tests)
#   tests/abi/plugin-X.Y.h -> build/gen/abi/plugin-X.Y.h (frozen ABI, renamed)
#   tests/tools/NAME.c   -> build/tools/NAME             (helpers of the shell tests)
#   tests/cli/tNNNN-*.sh                                 (TAP shell tests)
#   bench/NAME.c         -> build/bench/NAME             (make bench)
#   bench/bench-validate.sh, bench-workflows.sh          (make bench)
#
# Knobs: SAN=1 (ASan+UBSan), WERROR=1, BUILD=dir, PREFIX=/usr/local,
# DESTDIR= (staging for install), V=1.

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
            -Iengine -Iengine/include -Iplugins -Itests/lib -I$(BUILD)/gen
CFLAGS   += -std=c17 $(OPT) $(WARN) -fPIC -fvisibility=hidden $(PKG_CFLAGS)
LDFLAGS  += $(SANLD)

ENGINE_SRC := $(filter-out engine/cli/%,$(wildcard engine/*/*.c))
CLI_SRC    := $(wildcard engine/cli/*.c)
PCOMMON_SRC:= $(wildcard plugins/common/*.c)
PLUGINS    := $(sort $(filter-out common,$(notdir $(patsubst %/,%,$(dir $(wildcard plugins/*/*.c))))))
PPROG_DIRS := $(sort $(patsubst %/,%,$(dir $(wildcard plugins/*/*/*.c))))
TLIB_SRC   := $(wildcard tests/lib/*.c)
UNIT_SRC   := $(wildcard tests/unit/test-*.c)
TPLUGINS   := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard tests/plugins/*/*.c)))))
ABI_FROZEN := $(wildcard tests/abi/plugin-*.h)
CLI_TESTS  := $(sort $(wildcard tests/cli/t[0-9]*.sh))
BENCH_SRC  := $(wildcard bench/*.c)
TOOL_SRC   := $(wildcard tests/tools/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

ENGINE_LIB := $(BUILD)/libblueprint-engine.a
PCOMMON_LIB:= $(BUILD)/libbp-plugin-common.a
TEST_LIB   := $(BUILD)/libbp-test.a
BIN        := $(BUILD)/blueprint
PLUGIN_SOS := $(patsubst %,$(BUILD)/plugins/%.so,$(PLUGINS))
pprog_name  = $(word 2,$(subst /, ,$(1)))-$(notdir $(1))
PLUGIN_PROGS := $(foreach d,$(PPROG_DIRS),$(BUILD)/plugins/$(call pprog_name,$(d)))
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
TPLUGIN_SOS:= $(patsubst %,$(BUILD)/tests/plugins/%.so,$(TPLUGINS)) \
	       $(BUILD)/tests/plugins/recorder-capped.so
ABI_GEN    := $(patsubst tests/abi/%,$(BUILD)/gen/abi/%,$(ABI_FROZEN))
PC_FILE    := $(BUILD)/blueprint-plugin.pc
MANPAGES   := $(wildcard man/*.[1-8])
ABI        := $(shell sed -n 's/^\#define BP_ABI_MAJOR //p' engine/include/blueprint/plugin.h).$(shell sed -n 's/^\#define BP_ABI_MINOR //p' engine/include/blueprint/plugin.h)
TOOL_BINS  := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRC))

# BP_DATADIR and BP_PLUGINDIR are compiled in, so a new PREFIX rebuilds.
PREFIX_STAMP := $(BUILD)/.prefix
ifneq ($(shell cat $(PREFIX_STAMP) 2>/dev/null),$(PREFIX))
$(shell mkdir -p $(BUILD) && echo '$(PREFIX)' > $(PREFIX_STAMP))
endif

.PHONY: all check check-build install demo bench bench-validate bench-workflows clean deps fuzz
all: $(BIN) $(PLUGIN_SOS) $(PLUGIN_PROGS) $(BUILD)/.build-tree

# Tells a blueprint binary it runs from a build tree, so it also looks for
# plugins in $(BUILD)/plugins (engine/plugin/registry.h). Never installed.
$(BUILD)/.build-tree:
	@mkdir -p $(dir $@)
	$(Q)echo 'blueprint build tree: plugins are in plugins/' > $@

deps:
	sh scripts/deps.sh

$(BUILD)/obj/%.o: %.c $(PREFIX_STAMP)
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

# A plugin's helper programs (the script plugin's ctx command), installed
# beside it: plugins/NAME/PROG/*.c -> $(BUILD)/plugins/NAME-PROG.
define pprog_rule
$(BUILD)/plugins/$(call pprog_name,$(1)): $(call obj,$(wildcard $(1)/*.c))
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(PKG_LIBS)
endef
$(foreach d,$(PPROG_DIRS),$(eval $(call pprog_rule,$(d))))

# Small plugins the unit tests load; like plugins/, only plugin.h.
$(BUILD)/tests/plugins/%.so: $$(call obj,$$(wildcard tests/plugins/%/*.c))
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  SO      $@")
	$(Q)$(CC) $(LDFLAGS) -shared -o $@ $^

# A test plugin that talks HTTP links the plugins' common library too.
$(BUILD)/tests/plugins/httpget.so: $(call obj,$(wildcard tests/plugins/httpget/*.c)) $(PCOMMON_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  SO      $@")
	$(Q)$(CC) $(LDFLAGS) -shared -o $@ $^ $(PKG_LIBS)

# The recorder again as plugin "recorder-capped", declaring that at most 3
# of its operations run at once (ABI 1.4), for t3001.
$(BUILD)/tests/plugins/recorder-capped.so: tests/plugins/recorder/recorder.c engine/include/blueprint/plugin.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  SO      $@")
	$(Q)$(CC) $(CFLAGS) $(CPPFLAGS) -DRECORDER_NAME='"recorder-capped"' \
		-DRECORDER_PARALLELISM=3 $(LDFLAGS) -shared -o $@ $<

# A frozen copy of a released plugin.h with every bp_/BP_ name prefixed
# abi_X_Y_, so test-plugin-abi.c can include it beside the current header.
$(BUILD)/gen/abi/plugin-%.h: tests/abi/plugin-%.h
	@mkdir -p $(dir $@)
	$(Q)sed -e 's/\<\(bp\|BP\)_/abi_$(subst .,_,$*)_&/g' $< > $@
$(call obj,$(UNIT_SRC)): $(ABI_GEN)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(TEST_LIB) $(ENGINE_LIB) $(PCOMMON_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# A plugin's unit tests (tests/unit/test-NAME-*.c, NAME a plugin) also link
# that plugin's objects but the one with BP_PLUGIN_DEFINE: the test defines
# bp_plugin_api itself, as test-http-retry.c does.
plugin_test_objs = $(call obj,$(filter-out $(shell grep -l BP_PLUGIN_DEFINE plugins/$(1)/*.c),$(wildcard plugins/$(1)/*.c)))
define plugin_test_rule
$(BUILD)/tests/test-$(1)-%: $(BUILD)/obj/tests/unit/test-$(1)-%.o $(call plugin_test_objs,$(1)) $(TEST_LIB) $(ENGINE_LIB) $(PCOMMON_LIB)
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(PKG_LIBS)
endef
$(foreach p,$(PLUGINS),$(eval $(call plugin_test_rule,$(p))))

# make bench: every bench/*.c program, built and run, then the validate
# benchmark (timings, never tests; see bench/README.md). Options for
# bench-validate.sh go in BENCH_ARGS, e.g. make bench-validate BENCH_ARGS=--full
bench: all $(BENCH_BINS)
	$(Q)for b in $(BENCH_BINS); do echo "== $$b"; $$b || exit 1; done
	$(Q)echo "== bench/bench-workflows.sh"
	BUILD=$(BUILD) sh bench/bench-workflows.sh
	$(Q)echo "== bench/bench-validate.sh"
	BUILD=$(BUILD) sh bench/bench-validate.sh $(BENCH_ARGS)

bench-validate: all
	BUILD=$(BUILD) sh bench/bench-validate.sh $(BENCH_ARGS)

bench-workflows: all
	BUILD=$(BUILD) sh bench/bench-workflows.sh $(BENCH_ARGS)

# Benchmarks may use the test helpers (temporary state directories).
$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(TEST_LIB) $(ENGINE_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# Programs the shell tests run to set things up (mkstate: store records).
$(BUILD)/tools/%: $(BUILD)/obj/tests/tools/%.o $(TEST_LIB) $(ENGINE_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
# make check-build: everything `make check` runs, built, nothing run.
check-build: all $(UNIT_BINS) $(TPLUGIN_SOS) $(TOOL_BINS)

# make check: every unit program and every CLI script, run by prove.
check: check-build
	BP_BUILD=$(abspath $(BUILD)) BP_SRC=$(CURDIR) prove --timer -j2 $(UNIT_BINS) $(CLI_TESTS)

# The plugin SDK's pkg-config file, for plugins built out of tree.
$(PC_FILE): engine/include/blueprint-plugin.pc.in $(PREFIX_STAMP) \
	    engine/include/blueprint/plugin.h
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|; s|@VERSION@|$(VERSION)|; s|@ABI@|$(ABI)|' $< > $@

# make install [PREFIX=/usr/local] [DESTDIR=staging]: the program, types/,
# the plugins, and the plugin SDK (header, .pc file, man pages).
install: all $(PC_FILE)
	$(Q)install -d $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/lib/blueprint/plugins \
		$(DESTDIR)$(PREFIX)/share/blueprint/types \
		$(DESTDIR)$(PREFIX)/include/blueprint \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig
	$(Q)install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/blueprint
	$(Q)$(if $(PLUGIN_SOS)$(PLUGIN_PROGS),install -m 755 $(PLUGIN_SOS) \
		$(PLUGIN_PROGS) $(DESTDIR)$(PREFIX)/lib/blueprint/plugins/)
	$(Q)$(if $(wildcard types/*),cp -R types/. \
		$(DESTDIR)$(PREFIX)/share/blueprint/types/)
	$(Q)install -m 644 engine/include/blueprint/plugin.h \
		$(DESTDIR)$(PREFIX)/include/blueprint/plugin.h
	$(Q)install -m 644 $(PC_FILE) \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig/blueprint-plugin.pc
	$(Q)for m in $(MANPAGES); do \
		d=$(DESTDIR)$(PREFIX)/share/man/man$${m##*.}; \
		install -d $$d && install -m 644 $$m $$d/ || exit 1; \
	done

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# make demo: examples/local-webapp installed, scaled and uninstalled.
demo: all
	BUILD=$(BUILD) sh scripts/demo.sh

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
