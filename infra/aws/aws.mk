# Production deployment (infra/aws). Included by the top Makefile, which defines PY and the install,
# frontend-build targets. `make template` needs no AWS account; `make deploy` needs the AWS CLI v2 and
# credentials for the target account.
#
#   make deploy STAGE=prod ARTIFACT_BUCKET=my-artifacts \
#        PUBLIC_BASE_URL=https://help.example.com EMAIL_DOMAIN=example.com EMAIL_SENDER=support@example.com \
#        INBOUND_DOMAIN=in.example.com
#
# The four parameters are needed on the first deploy only; later deploys keep the stack's values.
STAGE ?= prod
STACK_NAME ?= pulsedesk-$(STAGE)
AWS_REGION ?= $(or $(AWS_DEFAULT_REGION),us-east-1)
AWS_BUILD_DIR := infra/aws/build/$(STAGE)
AWS_PARAMETERS = AppSecretVersion=$$secret_version \
	$(if $(PUBLIC_BASE_URL),PublicBaseUrl=$(PUBLIC_BASE_URL)) \
	$(if $(EMAIL_DOMAIN),EmailDomain=$(EMAIL_DOMAIN)) \
	$(if $(EMAIL_SENDER),EmailSender=$(EMAIL_SENDER)) \
	$(if $(INBOUND_DOMAIN),InboundDomain=$(INBOUND_DOMAIN))

.PHONY: template deploy

template: install
	$(PY) -m infra.aws.build --stage $(STAGE) --out $(AWS_BUILD_DIR)
	$(VENV)/bin/cfn-lint $(AWS_BUILD_DIR)/sam.json

deploy: template frontend-build
	@command -v aws >/dev/null || { echo "the AWS CLI v2 is required (https://aws.amazon.com/cli/)"; exit 1; }
	@test -n "$(ARTIFACT_BUCKET)" || { echo "set ARTIFACT_BUCKET=<S3 bucket for the Lambda package>"; exit 1; }
	set -euo pipefail; \
	secret_version=$$($(PY) -m infra.aws.secrets --stage $(STAGE) --region $(AWS_REGION)); \
	aws cloudformation package --region $(AWS_REGION) --template-file $(AWS_BUILD_DIR)/sam.json \
		--s3-bucket $(ARTIFACT_BUCKET) --s3-prefix $(STACK_NAME) \
		--output-template-file $(AWS_BUILD_DIR)/packaged.yaml; \
	aws cloudformation deploy --region $(AWS_REGION) --stack-name $(STACK_NAME) \
		--template-file $(AWS_BUILD_DIR)/packaged.yaml \
		--capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-fail-on-empty-changeset \
		--parameter-overrides $(AWS_PARAMETERS); \
	output() { aws cloudformation describe-stacks --region $(AWS_REGION) --stack-name $(STACK_NAME) \
		--query "Stacks[0].Outputs[?OutputKey=='$$1'].OutputValue" --output text; }; \
	aws s3 sync frontend/dist "s3://$$(output FrontendBucketName)" --delete --exclude .built; \
	aws cloudfront create-invalidation --distribution-id "$$(output DistributionId)" --paths '/*' >/dev/null; \
	aws ses set-active-receipt-rule-set --region $(AWS_REGION) --rule-set-name "$$(output InboundReceiptRuleSetName)"; \
	echo "deployed $(STACK_NAME): $$(output FrontendUrl)"
