# Production deployment (infra/aws). Included by the top Makefile, which defines PY and the install,
# frontend-build targets. `make deploy-check` needs no AWS account; `make deploy` needs the AWS CLI v2 and
# credentials for the target account.
#
#   make deploy STAGE=prod ARTIFACT_BUCKET=my-artifacts \
#        PUBLIC_BASE_URL=https://help.example.com EMAIL_DOMAIN=example.com EMAIL_SENDER=support@example.com \
#        ALARM_EMAIL=oncall@example.com INBOUND_DOMAIN=in.example.com \
#        [CERTIFICATE_ARN=arn:aws:acm:us-east-1:... DOMAIN_ALIASES=help.example.com] [SLACK_CLIENT_ID=123.456]
#
# The parameters are needed on the first deploy only; later deploys keep the stack's values.
STAGE ?= prod
STACK_NAME ?= pulsedesk-$(STAGE)
AWS_REGION ?= $(or $(AWS_DEFAULT_REGION),us-east-1)
AWS_BUILD_DIR := infra/aws/build/$(STAGE)
# checkov pins many packages of its own: it lives in its own virtualenv, never in .venv.
CHECKOV_VENV := $(LOCAL)/checkov
CHECKOV_VERSION := 3.3.30
AWS_PARAMETERS = $(foreach p,PublicBaseUrl=$(PUBLIC_BASE_URL) EmailDomain=$(EMAIL_DOMAIN) \
	EmailSender=$(EMAIL_SENDER) AlarmEmail=$(ALARM_EMAIL) CertificateArn=$(CERTIFICATE_ARN) \
	DomainAliases=$(DOMAIN_ALIASES) InboundDomain=$(INBOUND_DOMAIN) SlackClientId=$(SLACK_CLIENT_ID),--parameter $(p))

.PHONY: template deploy-check deploy checkov

$(CHECKOV_VENV)/.installed-$(CHECKOV_VERSION): $(VENV)/.installed
	test -d $(CHECKOV_VENV) || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(UV) pip install -q --python $(CHECKOV_VENV)/bin/python checkov==$(CHECKOV_VERSION) \
		|| $(CHECKOV_VENV)/bin/pip install -q --disable-pip-version-check checkov==$(CHECKOV_VERSION)
	touch $@

checkov: $(CHECKOV_VENV)/.installed-$(CHECKOV_VERSION)

template: install
	$(PY) -m infra.aws.build --stage $(STAGE) --out $(AWS_BUILD_DIR)

# Package, cfn-lint, checkov, the size rule and the IAM summary: everything up to the first AWS call.
deploy-check: install checkov
	$(PY) -m infra.aws.deploy_check --stage $(STAGE) --out $(AWS_BUILD_DIR) --checkov $(CHECKOV_VENV)/bin/checkov

deploy: deploy-check frontend-build
	$(PY) -m infra.aws.deploy --stage $(STAGE) --stack-name $(STACK_NAME) --region $(AWS_REGION) \
		--build-dir $(AWS_BUILD_DIR) --bucket "$(ARTIFACT_BUCKET)" --frontend frontend/dist $(AWS_PARAMETERS)
