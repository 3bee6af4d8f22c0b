# The two commands a newcomer needs: `make run` and `make test`.
# Both create .venv and install what is needed on first use (and again when
# pyproject.toml changes).

ifndef PYTHON
PYTHON := $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 \
	&& $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
	&& echo $$p && break; done)
endif
VENV := .venv
BIN := $(VENV)/bin
QT_LIBS := libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4 \
	libxcb-keysyms.so.1:libxcb-keysyms1 libxkbcommon-x11.so.0:libxkbcommon-x11-0 \
	libEGL.so.1:libegl1 libfontconfig.so.1:libfontconfig1 libdbus-1.so.3:libdbus-1-3

.PHONY: run test lint bench screenshots clean check-python check-qt-libs

run: $(BIN)/.installed check-qt-libs
	$(BIN)/vrboard init --demo --if-needed
	$(BIN)/python main.py

test: $(BIN)/.installed-test
	# PYTHONDONTWRITEBYTECODE (set on some machines) would make every vrboard subprocess
	# a test starts compile the package again.
	env -u PYTHONDONTWRITEBYTECODE QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed-test
	$(BIN)/ruff check vrboard tests benchmarks

bench: $(BIN)/.installed-test
	for b in benchmarks/bench_*.py; do QT_QPA_PLATFORM=offscreen $(BIN)/python $$b || exit 1; done

screenshots: $(BIN)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m vrboard.ui.screenshots docs/screenshots

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "vrboard needs Python 3.11 or newer. On Debian/Ubuntu: sudo apt-get install python3 python3-venv"; \
		exit 1; fi
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
		echo "Python's venv module is missing. On Debian/Ubuntu: sudo apt-get install python3-venv"; \
		exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(BIN)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(BIN)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(BIN)/.installed $@

# Qt's window plugin (xcb) needs these system libraries; without them the app aborts
# with a cryptic plugin error, so say exactly what to install instead.
check-qt-libs:
	@if [ "$$(uname -s)" = Linux ] && [ -z "$$QT_QPA_PLATFORM" ]; then \
		missing=""; \
		for pair in $(QT_LIBS); do lib=$${pair%%:*}; pkg=$${pair##*:}; \
			/sbin/ldconfig -p 2>/dev/null | grep -q "$$lib" || missing="$$missing $$pkg"; done; \
		if [ -n "$$missing" ]; then \
			echo "Qt needs system libraries that are not installed:$$missing"; \
			echo "Install them with:  sudo apt-get install$$missing"; \
			exit 1; fi; fi

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
