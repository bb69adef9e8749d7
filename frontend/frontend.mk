# Frontend: Vite + Preact app in frontend/, built to frontend/dist (served at / by the local stack
# and by S3 in production). Included by the top Makefile; every target is safe to run again.
FRONTEND := frontend
FRONTEND_DEPS_STAMP := $(FRONTEND)/node_modules/.deps-installed
FRONTEND_BUILD_STAMP := $(FRONTEND)/dist/.built
FRONTEND_SOURCES := $(shell find $(FRONTEND)/src $(FRONTEND)/public -type f 2>/dev/null) \
	$(FRONTEND)/index.html $(FRONTEND)/vite.config.ts $(FRONTEND)/tsconfig.json

.PHONY: frontend-deps frontend-build frontend-test frontend-lint browser

frontend-deps: $(FRONTEND_DEPS_STAMP)

# npm ci only when node_modules is missing or the lock file changed since the last install.
$(FRONTEND_DEPS_STAMP): $(FRONTEND)/package-lock.json $(FRONTEND)/package.json
	@command -v npm >/dev/null || { echo "Node.js 20+ and npm are required (apt-get install -y nodejs npm)"; exit 1; }
	cd $(FRONTEND) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend-build: $(FRONTEND_BUILD_STAMP)

# Rebuilt only when a source, asset or config file is newer than the last build.
$(FRONTEND_BUILD_STAMP): $(FRONTEND_DEPS_STAMP) $(FRONTEND_SOURCES)
	cd $(FRONTEND) && npx --no-install tsc --noEmit && npx --no-install vite build --logLevel warn
	@touch $@

# The types are checked by the build (tsc before vite), which is redone only when a source changed.
frontend-lint: frontend-build
	cd $(FRONTEND) && npx --no-install prettier --check --log-level warn .

frontend-test: frontend-deps
	cd $(FRONTEND) && npx --no-install vitest run

# Debian's Chromium for the Playwright e2e layer (never a Playwright-downloaded browser).
browser:
	@test -x /usr/bin/chromium || { apt-get update && apt-get install -y chromium; }
