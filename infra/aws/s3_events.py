"""``@app.on_s3_event`` in ``chalice package``.

Chalice refuses to package S3 event handlers, because CloudFormation cannot change the notifications of a
bucket it does not own. Ours are owned by the template (``infra.aws.inbound``), so the handler becomes what
SAM supports for such a bucket: an ``S3`` event on the function naming the bucket resource, from which SAM
generates the bucket's notification configuration and the invoke permission (limited to this account).
"""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]


def s3_event(bucket_id: str, events: list[str], prefix: str | None, suffix: str | None) -> Json:
    rules = [{"Name": name, "Value": value} for name, value in (("prefix", prefix), ("suffix", suffix)) if value]
    properties: Json = {"Bucket": {"Ref": bucket_id}, "Events": list(events)}
    if rules:
        properties["Filter"] = {"S3Key": {"Rules": rules}}
    return {"Type": "S3", "Properties": properties}


def package_s3_events(bucket_ids: dict[str, str]) -> None:
    """Teach this process's Chalice packager the S3 events of buckets in the template (bucket name -> logical id)."""
    from chalice.package import SAMTemplateGenerator, to_cfn_resource_name

    def generate(generator: Any, resource: Any, template: Json) -> None:
        if resource.bucket not in bucket_ids:
            raise ValueError(
                f"@app.on_s3_event on bucket {resource.bucket!r}: only buckets the template creates can trigger a "
                f"function ({', '.join(sorted(bucket_ids))}); add it to infra/aws/inbound.py"
            )
        function = template["Resources"][to_cfn_resource_name(resource.lambda_function.resource_name)]
        name = generator._register_cfn_resource_name(resource.resource_name)
        event = s3_event(bucket_ids[resource.bucket], resource.events, resource.prefix, resource.suffix)
        function["Properties"].setdefault("Events", {})[name] = event

    SAMTemplateGenerator._generate_s3bucketnotification = generate  # type: ignore[method-assign]
