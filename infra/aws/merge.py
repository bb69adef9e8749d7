"""The merge template: everything Chalice does not generate, derived from Chalice's own template and the models.

Input is the template ``chalice package`` produced without a merge (``base``); every function, event source,
role and API in it is found by type, so a new handler in ``app.py`` is covered without an edit here. Chalice's
merge is deep for objects and replaces lists, so lists set here (policies, DependsOn) are complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from infra.aws import (
    access,
    checkov_skips,
    edge,
    email_events,
    encryption,
    gateway,
    inbound,
    operations,
    parameters,
    policy,
    queues,
    resilience,
    tables,
    waf,
)
from infra.aws.stage import Stage
from infra.stream_mappings import batching_window_seconds, parallelization_factor

Json = dict[str, Any]

LOG_RETENTION_DAYS = 90
STREAM_MAPPING = {
    "FunctionResponseTypes": ["ReportBatchItemFailures"],
    "BisectBatchOnFunctionError": True,
    "MaximumRetryAttempts": 5,
    "MaximumRecordAgeInSeconds": 3600,
}
SQS_MAPPING = {"FunctionResponseTypes": ["ReportBatchItemFailures"]}
EDGE_HANDLERS = ("app.app", "app.ws_connect")  # what API Gateway runs for a viewer's request
API_HANDLER = "APIHandler"  # Chalice's name for the function serving the REST routes
NOTIFICATIONS_HANDLER = "Notifications"


@dataclass
class Context:
    """What the generator learnt from the base template and the models."""

    stage: Stage
    base: Json
    tables_by_name: dict[str, str]  # physical table name -> logical id
    failures: queues.AppQueue  # on-failure destination of the stream mappings
    queues: list[queues.AppQueue] = field(default_factory=list)

    def resources_of(self, kind: str) -> dict[str, Json]:
        return {name: res for name, res in self.base["Resources"].items() if res["Type"] == kind}

    def queue_named(self, name: str) -> queues.AppQueue:
        return next(queue for queue in self.queues if queue.name == name)


def build_merge_template(base: Json, stage: Stage) -> Json:
    table_ids = {model.Meta.table_name: tables.logical_id(model, stage) for model in tables.table_models()}
    context = Context(stage, base, table_ids, queues.stream_failures_queue(stage))
    context.queues = queues.app_queues(stage, _consumed_queue_names(context))
    rest, websocket = _rest_api(context), _websocket_api(context)
    prefix = stage.resource_prefix
    resources: Json = {
        **tables.table_resources(stage),
        **queues.queue_resources(context.queues, _max_timeout(context)),
        **edge.edge_resources(prefix, rest, websocket),
        **waf.resources(prefix),
        **encryption.resources(prefix),
        **operations.resources(_watched(context, rest, websocket), prefix, encryption.key_arn()),
        **resilience.backup_resources(prefix, sorted(table_ids.values())),
        "EmailIdentity": parameters.email_identity(),
        **email_events.resources(prefix, stage.settings.email_events_topic_name),
        **inbound.resources(stage),
        **_function_overrides(context, websocket),
    }
    if rest is not None:
        # X-Ray traces start at the gateway, so a request's trace covers it and the function (.chalice/config.json
        # "xray" turns tracing on for the functions; Chalice does not carry it to a SAM Api).
        resources["RestApiAccessLogGroup"] = _log_group(f"/aws/apigateway/{prefix}-rest-api")
        resources[rest.logical_id] = {
            "Properties": {
                "Name": f"{prefix}-rest-api",
                "GatewayResponses": gateway.gateway_responses(),
                "TracingEnabled": True,
                **resilience.rest_stage_settings("RestApiAccessLogGroup"),
            }
        }
        resources[rest.logical_id]["DependsOn"] = ["ApiGatewayAccount"]
    for name in context.resources_of("AWS::ApiGatewayV2::Stage"):
        resources["WebSocketAccessLogGroup"] = _log_group(f"/aws/apigateway/{prefix}-websocket-api")
        resources[name] = {
            # access logs need the account's API Gateway logging role first
            "DependsOn": [*context.base["Resources"][name].get("DependsOn", []), "ApiGatewayAccount"],
            "Properties": resilience.websocket_stage_settings("WebSocketAccessLogGroup"),
        }
    if rest is not None or websocket is not None:
        resources.update(resilience.api_gateway_logging_role())
    checkov_skips.annotate(base["Resources"], resources)
    return {
        "Parameters": {
            **parameters.parameters(stage),
            **operations.parameters(),
            **waf.parameters(),
            **resilience.parameters(),
            **inbound.parameters(),
        },
        "Conditions": {
            **parameters.conditions(),
            **operations.conditions(),
            **waf.conditions(),
            **resilience.conditions(),
            **inbound.conditions(),
        },
        "Resources": resources,
        "Outputs": {**_outputs(context), **inbound.outputs()},
    }


def _watched(context: Context, rest: edge.ApiOrigin | None, websocket: edge.ApiOrigin | None) -> operations.Watched:
    functions = {
        function: f"{context.stage.resource_prefix}-{function}"
        for function in context.resources_of("AWS::Serverless::Function")
    }
    queues_to_watch = {queue.dlq_logical_id: f"{queue.name}-dlq" for queue in context.queues}
    # any failed stream batch at all is worth a look, even while its consumer saves it
    queues_to_watch[context.failures.logical_id] = context.failures.name
    return operations.Watched(
        functions=functions,
        stream_consumers=sorted({function for function, _, _ in _events(context, "DynamoDB")}),
        queues=queues_to_watch,
        tables={logical: name for name, logical in context.tables_by_name.items()},
        rest_api_name=f"{context.stage.resource_prefix}-rest-api" if rest else None,
        rest_stage=rest.stage if rest else None,
        websocket_api=websocket.logical_id if websocket else None,
        websocket_stage=websocket.stage if websocket else None,
        namespace=_metrics_namespace(context),
        service=str(context.stage.environment.get("POWERTOOLS_SERVICE_NAME", context.stage.app_name)),
    )


# --- what the base template holds ---


def _events(context: Context, kind: str) -> list[tuple[str, str, Json]]:
    """(function logical id, event name, event properties) of every event source of one type."""
    found = []
    for function, resource in context.resources_of("AWS::Serverless::Function").items():
        for name, event in resource["Properties"].get("Events", {}).items():
            if event["Type"] == kind:
                found.append((function, name, event["Properties"]))
    return found


def _consumed_queue_names(context: Context) -> list[str]:
    return [_queue_name(props["Queue"]) for _, _, props in _events(context, "SQS")]


def _queue_name(arn: Any) -> str:
    text = arn.get("Fn::Sub", "") if isinstance(arn, dict) else str(arn)
    if isinstance(text, list):
        text = text[0]
    return text.rsplit(":", 1)[-1]


def _stream_table(context: Context, stream_arn: str) -> str:
    match = re.search(r":table/([^/]+)/stream/", stream_arn)
    if not match or match.group(1) not in context.tables_by_name:
        raise ValueError(f"stream {stream_arn!r} is not the stream of a table in chalicelib/data/models.py")
    return context.tables_by_name[match.group(1)]


def _max_timeout(context: Context) -> int:
    functions = context.resources_of("AWS::Serverless::Function").values()
    return max(int(resource["Properties"].get("Timeout", 60)) for resource in functions)


def _rest_api(context: Context) -> edge.ApiOrigin | None:
    for name, resource in context.resources_of("AWS::Serverless::Api").items():
        return edge.ApiOrigin(name, resource["Properties"]["StageName"])
    return None


def _websocket_api(context: Context) -> edge.ApiOrigin | None:
    for resource in context.resources_of("AWS::ApiGatewayV2::Stage").values():
        return edge.ApiOrigin(resource["Properties"]["ApiId"]["Ref"], resource["Properties"]["StageName"])
    return None


# --- functions, their event sources, roles and logs ---


def _function_overrides(context: Context, websocket: edge.ApiOrigin | None) -> Json:
    overrides: Json = {}
    environment = _environment(context, websocket)
    app_resources = _app_resources(context, websocket)
    roles: dict[str, str] = {}
    for function, resource in context.resources_of("AWS::Serverless::Function").items():
        name = f"{context.stage.resource_prefix}-{function}"
        role = _role_of(function, resource)
        if role in roles:
            raise ValueError(f"{function} shares {role} with {roles[role]}: each function needs its own role")
        roles[role] = function
        needs = access.needs_of(resource["Properties"]["Handler"])
        lambda_access = policy.FunctionAccess(log_groups=[_log_group_arn(name)])
        if function == API_HANDLER:
            lambda_access.extra_statements += inbound.api_statements(context.stage)
        if function == NOTIFICATIONS_HANDLER:
            lambda_access.extra_statements += inbound.sender_statements(context.stage)
        overrides[f"{function}LogGroup"] = _log_group(name)
        overrides[function] = {
            "DependsOn": [*resource.get("DependsOn", []), f"{function}LogGroup"],
            "Properties": {
                "FunctionName": name,
                "Environment": {"Variables": {**environment, **_signing_variables(needs), **_edge_variables(resource)}},
                "Events": _event_overrides(context, resource, lambda_access),
                **resilience.function_settings(function),
            },
        }
        statements = [
            *policy.code_statements(needs, app_resources, access.FUNCTION_GRANTS.get(function, ())),
            *policy.function_statements(lambda_access),
            encryption.role_statement(),
        ]
        overrides[role] = {"Properties": {"Policies": policy.role_policies(f"{role}Policy", statements)}}
    return overrides


def _signing_variables(needs: access.FunctionNeeds) -> Json:
    """Only a function that reads the stage secret (the JWT private key, the Slack app's client secret) learns
    where it is; it fetches it at run time."""
    return parameters.signing_variables() if needs.reads_stage_secret else {}


def _edge_variables(resource: Json) -> Json:
    """The functions API Gateway invokes for a request refuse one that did not come through CloudFront."""
    if resource["Properties"]["Handler"] in EDGE_HANDLERS:
        # Only CloudFront reaches them (the verify header), so its viewer-address header can be believed:
        # API Gateway's sourceIp is CloudFront's own address, and per-IP limits would count the edge node.
        return {
            "PULSEDESK_ORIGIN_VERIFY": edge.origin_verify_value(),
            "PULSEDESK_CLIENT_IP_HEADER": edge.VIEWER_ADDRESS_HEADER,
        }
    return {}


def _role_of(function: str, resource: Json) -> str:
    role = resource["Properties"].get("Role")
    if not (isinstance(role, dict) and "Fn::GetAtt" in role):
        raise ValueError(f"{function}: expected a role generated in the template, found {role!r}")
    return str(role["Fn::GetAtt"][0])


def _event_overrides(context: Context, resource: Json, lambda_access: policy.FunctionAccess) -> Json:
    overrides: Json = {}
    for name, event in resource["Properties"].get("Events", {}).items():
        props = event["Properties"]
        if event["Type"] == "DynamoDB":
            table = _stream_table(context, props["Stream"])
            lambda_access.streams.append({"Fn::Sub": f"${{{table}.Arn}}/stream/*"})
            lambda_access.failure_destinations.append(context.failures.arn)
            handler = str(resource["Properties"]["Handler"]).removeprefix("app.")
            overrides[name] = {"Properties": _stream_mapping(table, context.failures, handler)}
        elif event["Type"] == "SQS":
            queue = context.queue_named(_queue_name(props["Queue"]))
            lambda_access.consumed_queues.append(queue.arn)
            # Chalice writes the queue ARN as an Fn::Sub: the same key overrides it (a deep merge would keep both).
            overrides[name] = {"Properties": {"Queue": {"Fn::Sub": f"${{{queue.logical_id}.Arn}}"}, **SQS_MAPPING}}
        elif event["Type"] == "SNS":
            # the topic is made in this stack: a Ref orders the subscription after it
            topic = _sns_topic(context, props["Topic"])
            overrides[name] = {"Properties": {"Topic": {"Fn::Sub": f"${{{topic}}}"}}}
        elif event["Type"] == "S3":
            lambda_access.extra_statements += inbound.receiver_statements(context.stage)
    return overrides


def _sns_topic(context: Context, arn: Any) -> str:
    name = _queue_name(arn)
    if name != context.stage.settings.email_events_topic_name:
        raise ValueError(f"SNS topic {name!r} is not one this stack makes (infra/aws/email_events.py)")
    return email_events.TOPIC


def _stream_mapping(table: str, failures: queues.AppQueue, handler: str) -> Json:
    return {
        "Stream": {"Fn::GetAtt": [table, "StreamArn"]},
        **STREAM_MAPPING,
        "ParallelizationFactor": parallelization_factor(handler),
        "MaximumBatchingWindowInSeconds": batching_window_seconds(handler),
        "DestinationConfig": {"OnFailure": {"Type": "SQS", "Destination": failures.arn}},
    }


def _log_group(name: str) -> Json:
    """``name``: a function's name, or a full log group name."""
    return {
        "Type": "AWS::Logs::LogGroup",
        "Properties": {
            "LogGroupName": name if name.startswith("/") else f"/aws/lambda/{name}",
            "RetentionInDays": LOG_RETENTION_DAYS,
            "KmsKeyId": encryption.key_arn(),
        },
    }


def _log_group_arn(function_name: str) -> Json:
    return {
        "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:"
        f"/aws/lambda/{function_name}:*"
    }


# --- environment and access shared by every function ---


def _environment(context: Context, websocket: edge.ApiOrigin | None) -> Json:
    variables: Json = {**parameters.parameter_variables()}
    for model in tables.table_models():
        if getattr(model.Meta, "stream_view_type", None):
            logical = tables.logical_id(model, context.stage)
            prefix = logical.removesuffix("Table").upper()
            variables[f"PULSEDESK_{prefix}_STREAM_ARN"] = {"Fn::GetAtt": [logical, "StreamArn"]}
    for queue in context.queues:
        variables.update(queue.environment())
    variables.update(inbound.environment(context.stage))
    if websocket is not None:
        variables["PULSEDESK_WS_MANAGEMENT_ENDPOINT"] = {
            "Fn::Sub": f"https://${{{websocket.logical_id}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}"
            f"/{websocket.stage}"
        }
    return variables


def _app_resources(context: Context, websocket: edge.ApiOrigin | None) -> policy.AppResources:
    connections = None
    if websocket is not None:
        connections = {
            "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"
            f"${{{websocket.logical_id}}}/{websocket.stage}/*/@connections/*"
        }
    return policy.AppResources(
        table_ids=context.tables_by_name,
        queues=[queue.arn for queue in context.queues],
        websocket=connections,
        streams=[
            {"Fn::Sub": f"${{{logical}.Arn}}/stream/*"}
            for logical in sorted(
                {
                    table
                    for _, _, props in _events(context, "DynamoDB")
                    for table in [_stream_table(context, props["Stream"])]
                }
            )
        ],
        secret=parameters.secret_arn(),
        email_sender={"Ref": "EmailSender"},
        metrics_namespace=_metrics_namespace(context),
    )


def _metrics_namespace(context: Context) -> str:
    return str(context.stage.environment.get("POWERTOOLS_METRICS_NAMESPACE", context.stage.app_name))


def _outputs(context: Context) -> Json:
    outputs: Json = {
        "FrontendUrl": {"Value": {"Fn::Sub": "https://${Distribution.DomainName}"}},
        "FrontendBucketName": {"Value": {"Ref": "FrontendBucket"}},
        "DistributionId": {"Value": {"Ref": "Distribution"}},
        "StreamFailuresQueueUrl": {"Value": {"Ref": "StreamFailuresQueue"}},
        "AlarmTopicArn": {"Value": {"Ref": operations.TOPIC}},
        "DashboardUrl": {
            "Value": {
                "Fn::Sub": "https://${AWS::Region}.console.aws.amazon.com/cloudwatch/home?region=${AWS::Region}"
                "#dashboards:name=${Dashboard}"
            }
        },
        "CustomDomainUrl": {
            "Condition": "HasCertificate",
            "Value": {
                "Fn::Sub": [
                    "https://${First}",
                    {"First": {"Fn::Select": [0, {"Fn::Split": [",", {"Ref": "DomainAliases"}]}]}},
                ]
            },
        },
    }
    for index in (1, 2, 3):
        record = {"Fn::GetAtt": ["EmailIdentity", f"DkimDNSTokenName{index}"]}
        value = {"Fn::GetAtt": ["EmailIdentity", f"DkimDNSTokenValue{index}"]}
        outputs[f"EmailDkimRecord{index}"] = {"Value": {"Fn::Join": [" CNAME ", [record, value]]}}
    for queue in context.queues:
        outputs[f"{queue.dlq_logical_id}Url"] = {"Value": {"Ref": queue.dlq_logical_id}}
    return outputs
