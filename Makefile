# hccraf — PGXS build (the canonical way to build, install and run the regression tests).
#   make && make install && make installcheck      (see README.md; .ci/run does all of it)
# CMakeLists.txt builds the same src/core for the GoogleTest unit tests.

EXTENSION   = hccraf
EXTVERSION  = 0.4.0
MODULE_big  = hccraf

CORE_SRCS   = $(sort $(wildcard src/core/*.cpp))
PG_SRCS     = $(sort $(wildcard src/pg/*.cpp))
OBJS        = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

# Every install and upgrade script (found by wildcard, as pgvector does): the current full
# script, the full scripts of earlier versions (kept for upgrade tests) and every upgrade step.
DATA        = $(sort $(wildcard src/sql/hccraf--*.sql))

# One file per feature; .ci/run checks that every sql/*.sql is listed here.
REGRESS      = setup reference_data hcc_map hcc_map_full raf_score worked_examples golden medicare_models hhs_models ra_eligibility score_population hcc_audit \
               raf_explain patient_input invalidation shared_images parallel_pushdown hcc_gaps hcc_gaps_property \
               odd_inputs security robustness upgrade
# pg_regress creates the extension in its database, so every file also runs on its own:
#   make installcheck REGRESS=golden
REGRESS_OPTS = --load-extension=hccraf

# PostgreSQL's isolation tester (specs/*.spec): concurrent sessions, each statement one state.
ISOLATION      = reference_change
ISOLATION_OPTS = --load-extension=hccraf

PG_CONFIG  ?= pg_config
PG_CXXFLAGS = -std=c++20 -O2 -Wall -Wextra -Werror -Wno-register -Wno-unused-parameter -Wno-missing-field-initializers
SHLIB_LINK  = -lstdc++

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Debian's PostgreSQL is built with LLVM, so PGXS also compiles every .cpp to bitcode with
# clang using BITCODE_CXXFLAGS, which does not include PG_CXXFLAGS: without this line clang
# compiles them as C++14 and fails (and errors on PostgreSQL's own `register` keyword).
override BITCODE_CXXFLAGS += -std=c++20 -Wno-register

# Header dependencies (PGXS tracks them only in a PostgreSQL tree configured with
# --enable-depend): a changed image layout must recompile every object that inlines it.
override CXXFLAGS += -MMD -MP
-include $(OBJS:.o=.d)
EXTRA_CLEAN = $(OBJS:.o=.d)

# The data files keep their folder structure (PGXS's DATA would flatten them).
DATA_DIR  = $(DESTDIR)$(datadir)/extension/hccraf
DATA_FILES = $(shell find data -type f -name '*.csv' | sort)

install: install-hccraf-data
install-hccraf-data:
	@for f in $(DATA_FILES); do \
	  d="$(DATA_DIR)/$$(dirname $${f#data/})"; \
	  $(MKDIR_P) "$$d" && $(INSTALL_DATA) "$$f" "$$d/" || exit 1; \
	done

uninstall: uninstall-hccraf-data
uninstall-hccraf-data:
	rm -rf "$(DATA_DIR)"

check-data:
	python3 tools/check_data.py

.PHONY: install-hccraf-data uninstall-hccraf-data check-data

print-regress:
	@echo $(REGRESS)

print-isolation:
	@echo $(ISOLATION)
.PHONY: print-regress print-isolation
