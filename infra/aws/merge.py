"""The merge template: everything Chalice does not generate, derived from Chalice's own template and the models.

Input is the template ``chalice package`` produced without a merge (``base``); every function, event source,
role and API in it is found by type, so a new handler in ``app.py`` is covered without an edit here. Chalice's
merge is deep for objects and replaces lists, so lists set here (policies, DependsOn) are complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from infra.aws import edge, gateway, inbound, parameters, policy, queues, tables
from infra.aws.stage import Stage

Json = dict[str, Any]

LOG_RETENTION_DAYS = 90
STREAM_MAPPING = {
    "FunctionResponseTypes": ["ReportBatchItemFailures"],
    "BisectBatchOnFunctionError": True,
    "MaximumRetryAttempts": 5,
    "MaximumRecordAgeInSeconds": 3600,
}
SQS_MAPPING = {"FunctionResponseTypes": ["ReportBatchItemFailures"]}
API_HANDLER = "APIHandler"  # Chalice's name for the function serving the REST routes


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
    resources: Json = {
        **tables.table_resources(stage),
        **queues.queue_resources(context.queues, _max_timeout(context)),
        **queues.failure_queue_resource(context.failures),
        **edge.edge_resources(stage.resource_prefix, rest, websocket),
        "EmailIdentity": parameters.email_identity(),
        **inbound.resources(stage),
        **_function_overrides(context, websocket),
    }
    if rest is not None:
        # X-Ray traces start at the gateway, so a request's trace covers it and the function (.chalice/config.json
        # "xray" turns tracing on for the functions; Chalice does not carry it to a SAM Api).
        resources[rest.logical_id] = {
            "Properties": {"GatewayResponses": gateway.gateway_responses(), "TracingEnabled": True}
        }
    return {
        "Parameters": {**parameters.parameters(stage), **inbound.parameters()},
        "Conditions": inbound.conditions(),
        "Resources": resources,
        "Outputs": {**_outputs(context), **inbound.outputs()},
    }


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
    access_by_role: dict[str, policy.FunctionAccess] = {}
    for function, resource in context.resources_of("AWS::Serverless::Function").items():
        name = f"{context.stage.resource_prefix}-{function}"
        access = access_by_role.setdefault(_role_of(function, resource), policy.FunctionAccess())
        access.log_groups.append(_log_group_arn(name))
        if function == API_HANDLER:
            access.extra_statements += inbound.api_statements(context.stage)
        overrides[f"{function}LogGroup"] = _log_group(name)
        overrides[function] = {
            "DependsOn": [*resource.get("DependsOn", []), f"{function}LogGroup"],
            "Properties": {
                "FunctionName": name,
                "Environment": {"Variables": environment},
                "Events": _event_overrides(context, resource, access),
            },
        }
    app_access = _app_access(context, websocket)
    for role, access in access_by_role.items():
        overrides[role] = {"Properties": {"Policies": policy.role_policies(f"{role}Policy", app_access, access)}}
    return overrides


def _role_of(function: str, resource: Json) -> str:
    role = resource["Properties"].get("Role")
    if not (isinstance(role, dict) and "Fn::GetAtt" in role):
        raise ValueError(f"{function}: expected a role generated in the template, found {role!r}")
    return str(role["Fn::GetAtt"][0])


def _event_overrides(context: Context, resource: Json, access: policy.FunctionAccess) -> Json:
    overrides: Json = {}
    for name, event in resource["Properties"].get("Events", {}).items():
        props = event["Properties"]
        if event["Type"] == "DynamoDB":
            table = _stream_table(context, props["Stream"])
            access.streams.append({"Fn::Sub": f"${{{table}.Arn}}/stream/*"})
            access.failure_destinations.append(context.failures.arn)
            overrides[name] = {"Properties": _stream_mapping(table, context.failures)}
        elif event["Type"] == "SQS":
            queue = context.queue_named(_queue_name(props["Queue"]))
            access.consumed_queues.append(queue.arn)
            # Chalice writes the queue ARN as an Fn::Sub: the same key overrides it (a deep merge would keep both).
            overrides[name] = {"Properties": {"Queue": {"Fn::Sub": f"${{{queue.logical_id}.Arn}}"}, **SQS_MAPPING}}
        elif event["Type"] == "S3":
            access.extra_statements += inbound.receiver_statements(context.stage)
    return overrides


def _stream_mapping(table: str, failures: queues.AppQueue) -> Json:
    return {
        "Stream": {"Fn::GetAtt": [table, "StreamArn"]},
        **STREAM_MAPPING,
        "DestinationConfig": {"OnFailure": {"Type": "SQS", "Destination": failures.arn}},
    }


def _log_group(function_name: str) -> Json:
    return {
        "Type": "AWS::Logs::LogGroup",
        "Properties": {"LogGroupName": f"/aws/lambda/{function_name}", "RetentionInDays": LOG_RETENTION_DAYS},
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


def _app_access(context: Context, websocket: edge.ApiOrigin | None) -> policy.AppAccess:
    connections = None
    if websocket is not None:
        connections = {
            "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"
            f"${{{websocket.logical_id}}}/{websocket.stage}/*/@connections/*"
        }
    return policy.AppAccess(
        tables=list(context.tables_by_name.values()),
        queues=[queue.arn for queue in context.queues],
        websocket_connections=connections,
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
    }
    for index in (1, 2, 3):
        record = {"Fn::GetAtt": ["EmailIdentity", f"DkimDNSTokenName{index}"]}
        value = {"Fn::GetAtt": ["EmailIdentity", f"DkimDNSTokenValue{index}"]}
        outputs[f"EmailDkimRecord{index}"] = {"Value": {"Fn::Join": [" CNAME ", [record, value]]}}
    for queue in context.queues:
        outputs[f"{queue.dlq_logical_id}Url"] = {"Value": {"Ref": queue.dlq_logical_id}}
    return outputs
