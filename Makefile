# Two commands do everything on a fresh machine with Python 3.11+ and pip:
#   make reports   set up, check the data, build every report of the default year
#   make test      set up and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup test test-fast reports validate lab clean

setup: $(STAMP)

# Re-installs only when pyproject.toml changes; the kernel spec lives inside the venv (--sys-prefix),
# so notebooks run by papermill use exactly this environment.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name camgiang --display-name "Python (camgiang)" >/dev/null
	touch $(STAMP)

test: setup
	./scripts/ensure-chromium
	$(BIN)/python -m pytest

# While iterating: everything but the end-to-end builds marked slow (CI runs `make test`, all of it).
test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

validate: setup
	$(BIN)/camgiang validate

# Execute the notebooks and publish them to outputs/<year>/<lang>/ (default year, lang vi). Incremental: only
# notebooks whose inputs changed run again, after the data passes validation. More: make reports ARGS="--lang all".
ARGS ?=
reports: setup
	$(BIN)/camgiang run $(ARGS)

# JupyterLab rooted at notebooks/, new notebooks on the project's kernel (the one `camgiang run` uses).
lab: setup
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks --MultiKernelManager.default_kernel_name=camgiang

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
