"""The edge: WAF on CloudFront, security headers on every behaviour (the same the local front serves), TLS 1.2
with a certificate, and API Gateway refusing what did not come through CloudFront."""

from __future__ import annotations

from typing import Any

from chalicelib.api.response_headers import ORIGIN_VERIFY_HEADER
from infra.aws.edge import FORWARDS_VIEWER_ADDRESS
from infra.security_headers import API_CSP, HSTS_MAX_AGE_SECONDS, REFERRER_POLICY, page_policy

Json = dict[str, Any]


def _config(resources: Json) -> Json:
    return dict(resources["Distribution"]["Properties"]["DistributionConfig"])


def test_waf_runs_the_managed_rules_and_limits_sign_in_per_ip(resources: Json) -> None:
    acl = resources["EdgeWebAcl"]["Properties"]
    assert acl["Scope"] == "CLOUDFRONT"
    groups = [
        r["Statement"]["ManagedRuleGroupStatement"]["Name"]
        for r in acl["Rules"]
        if "ManagedRuleGroupStatement" in r["Statement"]
    ]
    assert groups == ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"]
    rates = [r["Statement"]["RateBasedStatement"] for r in acl["Rules"] if "RateBasedStatement" in r["Statement"]]
    auth = [r for r in rates if r["ScopeDownStatement"]["ByteMatchStatement"]["SearchString"] == "/api/v1/auth/"]
    assert auth and auth[0]["AggregateKeyType"] == "IP" and auth[0]["Limit"] <= 100
    web_acl = _config(resources)["WebACLId"]["Fn::If"]
    assert web_acl[0] == "CreatesEdgeWebAcl" and web_acl[1] == {"Fn::GetAtt": ["EdgeWebAcl", "Arn"]}


def test_every_behaviour_sends_the_security_headers(resources: Json) -> None:
    config = _config(resources)
    behaviours = [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]
    policies = {}
    for behaviour in behaviours:
        policy_id = behaviour["ResponseHeadersPolicyId"]["Fn::GetAtt"][0]
        policies[behaviour.get("PathPattern", "/")] = resources[policy_id]["Properties"]["ResponseHeadersPolicyConfig"]
    assert set(policies) == {"/", "/api/*", "/ws", "/portal/*/new"}
    for path, policy in policies.items():
        headers = policy["SecurityHeadersConfig"]
        csp = headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]
        if path == "/portal/*/new":  # the public web form, framed by the widget on customers' sites
            assert csp == page_policy().replace("frame-ancestors 'none'", "frame-ancestors *")
            assert "FrameOptions" not in headers
            continue
        assert "frame-ancestors 'none'" in csp, path
        assert headers["FrameOptions"]["FrameOption"] == "DENY", path
        assert csp == (page_policy() if path == "/" else API_CSP), path
        assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] == HSTS_MAX_AGE_SECONDS
        assert headers["ContentTypeOptions"] == {"Override": True}
        assert headers["ReferrerPolicy"]["ReferrerPolicy"] == REFERRER_POLICY


def test_a_custom_domain_gets_its_certificate_and_tls_1_2(resources: Json, template: Json) -> None:
    config = _config(resources)
    condition, with_certificate, without = config["ViewerCertificate"]["Fn::If"]
    assert condition == "HasCertificate"
    assert with_certificate["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert with_certificate["AcmCertificateArn"] == {"Ref": "CertificateArn"}
    assert without == {"CloudFrontDefaultCertificate": True}
    assert config["Aliases"]["Fn::If"][0] == "HasCertificate"
    assert {"CertificateArn", "DomainAliases"} <= set(template["Parameters"])
    assert template["Outputs"]["CustomDomainUrl"]["Condition"] == "HasCertificate"


def test_cloudfront_proves_its_requests_and_the_api_functions_check(resources: Json) -> None:
    config = _config(resources)
    for origin in config["Origins"]:
        if "CustomOriginConfig" in origin:
            (header,) = origin["OriginCustomHeaders"]
            assert header["HeaderName"] == ORIGIN_VERIFY_HEADER
            assert ":SecretString:origin_verify::" in header["HeaderValue"]["Fn::Sub"]
    handlers = {
        r["Properties"]["Handler"]: r["Properties"]["Environment"]["Variables"]
        for r in resources.values()
        if r["Type"] == "AWS::Serverless::Function"
    }
    assert {h for h, env in handlers.items() if "PULSEDESK_ORIGIN_VERIFY" in env} == {"app.app", "app.ws_connect"}


def test_the_api_stages_throttle(resources: Json) -> None:
    (setting,) = resources["RestAPI"]["Properties"]["MethodSettings"]
    assert setting["ThrottlingRateLimit"] > 0 and setting["ThrottlingBurstLimit"] > 0
    assert resources["WebsocketAPIStage"]["Properties"]["DefaultRouteSettings"]["ThrottlingRateLimit"] > 0


def test_both_api_stages_log_access_after_the_account_logging_role_exists(resources: Json) -> None:
    # a stage with access logs fails to deploy until API Gateway has its CloudWatch role in the account
    assert resources["RestAPI"]["Properties"]["AccessLogSetting"]["DestinationArn"]
    assert resources["WebsocketAPIStage"]["Properties"]["AccessLogSettings"]["DestinationArn"]
    assert "ApiGatewayAccount" in resources["RestAPI"]["DependsOn"]
    assert "ApiGatewayAccount" in resources["WebsocketAPIStage"]["DependsOn"]


def test_the_api_reads_the_viewer_address_cloudfront_forwards(resources: Json) -> None:
    # GIVEN API Gateway's sourceIp is CloudFront's, per-IP limits need the viewer's address from CloudFront
    handlers = {
        r["Properties"]["Handler"]: r["Properties"]["Environment"]["Variables"]
        for r in resources.values()
        if r["Type"] == "AWS::Serverless::Function"
    }
    assert handlers["app.app"]["PULSEDESK_CLIENT_IP_HEADER"] == "CloudFront-Viewer-Address"
    # only functions that refuse requests not coming through CloudFront may believe the header
    assert {h for h, env in handlers.items() if "PULSEDESK_CLIENT_IP_HEADER" in env} == {"app.app", "app.ws_connect"}
    # AND the /api/* behaviour's origin request policy forwards it
    (api,) = [b for b in _config(resources)["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    assert api["OriginRequestPolicyId"] in FORWARDS_VIEWER_ADDRESS
