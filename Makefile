# The two commands: `make demo` and `make test`. See README.md.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8080
# Every link in every message is built from this address (plugin/links.py).
export TANDEM_BASE_URL ?= http://127.0.0.1:$(PORT)
export TANDEM_DATA_DIR ?= $(CURDIR)/var
export TANDEM_DEMO_PASSWORD ?= tandem-demo

.PHONY: demo test lint bench install clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

$(VENV)/.installed: $(VENV)/bin/activate setup.cfg pyproject.toml
	$(VENV)/bin/pip install -q -e '.[postgres]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(VENV)/bin/tandem init
	$(VENV)/bin/tandem seed-demo
	@echo
	@echo "Tandem is at http://127.0.0.1:$(PORT)/"
	@echo "Logins: admin, hr, manager, staff -- password: $(TANDEM_DEMO_PASSWORD)"
	@echo "Data: $(TANDEM_DATA_DIR) (kept between runs). Ctrl-C stops."
	@echo
	$(VENV)/bin/tandem serve --host 127.0.0.1 --port $(PORT)

$(VENV)/bin/tox: $(VENV)/bin/activate
	$(VENV)/bin/pip install -q 'tox>=4.20'

test: $(VENV)/bin/tox
	bash .ci/install-services.sh
	$(VENV)/bin/tox run

lint: $(VENV)/bin/tox
	$(VENV)/bin/tox run -e lint

bench: install
	$(VENV)/bin/python bench/import_people.py

clean:
	rm -rf .tox build dist *.egg-info
