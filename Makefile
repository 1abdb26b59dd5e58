# Centre Portal: the commands a developer and an operator need.
#   make test    lint, type-check and run every test (creates .venv on first use)
#   make run     the whole portal on this machine, no AWS account needed
#   make synth   synthesize the CloudFormation template offline
#   make deploy  deploy to the AWS account in your environment (see README, "Deploying")

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

# Node 20 is past end of life for jsii; the CDK still works on it, so silence the banner
# rather than make every developer install another Node. See README, "Requirements".
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 1
export CDK_DISABLE_CLI_TELEMETRY := true

# Context for a real deployment; override on the command line: make deploy REGION=eu-west-1 ...
REGION ?= eu-west-2
PORTAL_NAME ?= Centre Portal
SIGN_IN_URL ?= https://portal.example.org/sign-in
NO_REPLY_EMAIL ?= portal-no-reply@example.org
SES_IDENTITY_ARN ?=
BOARD_EMAIL_DOMAIN ?= example.org
ALLOWED_ORIGINS ?= https://portal.example.org
ALARM_EMAIL ?=
DEPLOY_CONTEXT = -c region=$(REGION) -c portal_name="$(PORTAL_NAME)" -c sign_in_url=$(SIGN_IN_URL) \
	-c no_reply_email=$(NO_REPLY_EMAIL) -c ses_identity_arn=$(SES_IDENTITY_ARN) \
	-c board_email_domain=$(BOARD_EMAIL_DOMAIN) -c allowed_origins=$(ALLOWED_ORIGINS) \
	-c alarm_email=$(ALARM_EMAIL)

.PHONY: test lint typecheck synth deploy clean board-admin bench soak run web web-build

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed-stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The browser front end (web/): built with the pinned Vite into web/dist, for the local run to
# serve at / (README, "Web front end"). The stamp rebuilds only when a source under web/ is
# newer than the last build.
WEB_STAMP := web/dist/.built-stamp
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html \
	web/package.json web/package-lock.json web/vite.config.ts web/tsconfig.json

$(WEB_STAMP): $(WEB_SOURCES)
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build
	touch $@

web-build: $(WEB_STAMP)

web:
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build
	touch $(WEB_STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r functions shared infra ops

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck web-build
	$(BIN)/pytest

# Both build the web front end first: the stack uploads web/dist to the site's bucket.
synth: $(STAMP) node_modules/.installed-stamp web-build
	PATH="$(CURDIR)/$(BIN):$$PATH" npx --no-install cdk synth --quiet

deploy: $(STAMP) node_modules/.installed-stamp web-build
	PATH="$(CURDIR)/$(BIN):$$PATH" npx --no-install cdk deploy $(DEPLOY_CONTEXT)

# Measure cold start, bundle size, AWS calls and latency per route, and growth; writes
# bench/RESULTS.md (a few minutes on a 2-core machine; needs PyPI for the bundle).
bench: $(STAMP)
	$(BIN)/python -m bench.run

# Load with correctness: 20 clients in 4 centres for 30 s against a fresh local run, then the
# audit, seats, members and Cognito checked; writes bench/SOAK.md (about 2 minutes).
soak: $(STAMP)
	$(BIN)/python -m bench.soak

# The whole portal on this machine (moto, no AWS account, no Docker): make run ARGS="--reset"
# ARGS takes --port N, --reset and --state FILE (see README, "Run it locally").
run: $(STAMP) web-build
	$(BIN)/python -m local.run $(ARGS)

clean:
	rm -rf cdk.out .mypy_cache .pytest_cache .ruff_cache

# Invite the first board staff member (nobody can sign up). Pass the stack outputs:
#   make board-admin EMAIL=ann@board.example FIRST=Ann LAST=Jones POOL=eu-west-2_x TABLE=...
board-admin: $(STAMP)
	$(BIN)/python -m ops.board_admin --email "$(EMAIL)" --first-name "$(FIRST)" \
		--surname "$(LAST)" --user-pool-id "$(POOL)" --table-name "$(TABLE)" \
		--board-domain "$(BOARD_EMAIL_DOMAIN)"
