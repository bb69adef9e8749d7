"""Route declarations: every route states its permission, body, query and response models.

The same declarations validate requests, check permissions and generate the OpenAPI document,
so the document cannot drift from what the API accepts.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from chalice.app import Blueprint, Chalice, Response
from pydantic import BaseModel, ValidationError

from chalicelib.api.conditional import IF_NONE_MATCH_PATTERN, VARY, entity_tag, none_match
from chalicelib.api.origin import came_through_the_edge
from chalicelib.api.plain_errors import plain_message
from chalicelib.api.problems import internal_error, problem_from_error
from chalicelib.api.response_headers import API_RESPONSE_HEADERS, rate_limit_headers
from chalicelib.domain.errors import (
    BadRequest,
    DomainError,
    Forbidden,
    MethodNotAllowed,
    PayloadTooLarge,
    Unauthorized,
    UnsupportedMediaType,
    ValidationFailed,
)
from chalicelib.domain.permissions import REQUESTER_ONLY, Permission
from chalicelib.domain.principal import Principal
from chalicelib.domain.rate_limits import Quota
from chalicelib.observability import RequestInfo, current_request_info, get_tracer, logger, set_request_info
from chalicelib.settings import get_settings

API_PREFIX = "/api/v1"
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

B = TypeVar("B", bound=BaseModel)
Q = TypeVar("Q", bound=BaseModel)


class NoInput(BaseModel):
    model_config = {"extra": "forbid"}


@dataclass
class Call(Generic[B, Q]):
    """What a handler gets: the verified caller and the validated input."""

    body: B
    query: Q
    path: dict[str, str]
    headers: Mapping[str, str]
    _principal: Principal | None = None
    raw_body: bytes = b""  # for routes that verify a signature over the exact bytes
    quota: Quota | None = None  # what the caller's token bucket has left (RateLimit-* headers)

    @property
    def principal(self) -> Principal:
        if self._principal is None:
            raise Unauthorized("Sign in to use this endpoint.")
        return self._principal


@dataclass(frozen=True)
class Reply:
    body: Any
    status: int = 200
    headers: dict[str, str | list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class TextReply:
    """An answer in another media type than JSON (a CSV export), sent as it is."""

    text: str
    content_type: str
    filename: str | None = None


Handler = Callable[[Call[Any, Any]], Any]


@dataclass(frozen=True)
class HeaderParam:
    """A request header a route reads: documented in the OpenAPI and checked against ``pattern``
    (422 naming the header) before the handler runs."""

    name: str
    pattern: str
    description: str
    required: bool = False


Access = Permission | Literal["public", "signed-in"]

IF_NONE_MATCH = HeaderParam(
    "If-None-Match",
    pattern=IF_NONE_MATCH_PATTERN,
    description="The ETag of the copy you hold: 304 with no body while it is current",
)


@dataclass(frozen=True)
class RouteSpec:
    path: str
    method: str
    handler: Handler
    access: Access
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    summary: str
    tag: str
    rate_limit: str | None = None  # a public route's per-address limit (domain/rate_limits.py)
    # A form body the handler reads from ``raw_body`` itself (e.g. to verify a signature over the bytes):
    # documented by this model, never parsed into ``Call.body``.
    form: type[BaseModel] | None = None
    headers: tuple[HeaderParam, ...] = ()
    # Other media types the route answers in when the request's Accept asks for them (OpenAPI lists them)
    also_answers: tuple[str, ...] = ()
    # Further permissions the caller needs besides ``access`` (e.g. a route that shows tickets' contents)
    also_requires: tuple[Permission, ...] = ()
    # A read that answers with an ETag and honours If-None-Match (304, no body): api/conditional.py
    conditional: bool = False

    @property
    def permissions(self) -> tuple[Permission, ...]:
        """Every permission the route needs (none for public and signed-in routes)."""
        return ((self.access,) if isinstance(self.access, Permission) else ()) + self.also_requires


class Router:
    """One per resource module; wraps a Chalice blueprint."""

    def __init__(self, import_name: str, tag: str) -> None:
        self.blueprint = Blueprint(import_name)
        self.tag = tag
        self.specs: list[RouteSpec] = []

    def route(
        self,
        path: str,
        method: str,
        *,
        access: Access,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        response: type[BaseModel] | None = None,
        status: int = 200,
        summary: str = "",
        rate_limit: str | None = None,
        form: type[BaseModel] | None = None,
        headers: tuple[HeaderParam, ...] = (),
        also_answers: tuple[str, ...] = (),
        also_requires: tuple[Permission, ...] = (),
        conditional: bool = False,
    ) -> Callable[[Handler], Handler]:
        if conditional:
            headers = (*headers, IF_NONE_MATCH)

        def register(handler: Handler) -> Handler:
            spec = RouteSpec(
                path,
                method,
                handler,
                access,
                body,
                query,
                response,
                status,
                summary,
                self.tag,
                rate_limit,
                form,
                headers,
                also_answers,
                also_requires,
                conditional,
            )
            self.specs.append(spec)
            view = _make_view(spec, self.blueprint)
            view.__name__ = f"{handler.__name__}_{method.lower()}"
            self.blueprint.route(path, methods=[method], content_types=["application/json", "*/*"])(view)
            return handler

        return register


def _make_view(spec: RouteSpec, blueprint: Blueprint) -> Callable[..., Response]:
    def view(**path_params: str) -> Response:
        request = blueprint.current_request
        try:
            _remember_request(request, blueprint.lambda_context)
            get_tracer().put_annotation(key="route", value=f"{spec.method} {spec.path}")
            call = _build_call(spec, request, path_params)
            response = _to_response(spec.handler(call), spec)
            if spec.conditional:
                response = _conditional(response, request.headers.get("if-none-match"))
            if call.quota is not None:
                response.headers.update(rate_limit_headers(call.quota))
            return response
        except DomainError as error:
            return problem_from_error(error)
        except Exception:
            logger.exception("unhandled error", extra={"route": f"{spec.method} {spec.path}"})
            return internal_error()

    return view


def _remember_request(request: Any, lambda_context: Any) -> None:
    context = request.context or {}
    info = RequestInfo(
        request_id=context.get("requestId") or getattr(lambda_context, "aws_request_id", None),
        source_ip=_client_address(request, context),
        user_agent=((request.headers or {}).get("user-agent") or "")[:300] or None,
    )
    set_request_info(info)
    logger.thread_safe_clear_keys()  # keys are per thread: the local gateway serves requests in parallel
    logger.thread_safe_append_keys(request_id=info.request_id)


def _client_address(request: Any, context: dict[str, Any]) -> str | None:
    """The caller's address: API Gateway's, or a header set by the one proxy allowed in front (CloudFront's
    ``CloudFront-Viewer-Address: ip:port``), only when the deployment says so."""
    header = get_settings().client_ip_header
    if header and (value := request.headers.get(header)) and (viewer := viewer_address(str(value))):
        return viewer
    address = (context.get("identity") or {}).get("sourceIp")
    return str(address) if address else None


def viewer_address(value: str) -> str | None:
    """The IP of ``ip:port`` (``203.0.113.9:443``, ``[2001:db8::1]:443`` or the unbracketed
    ``2001:db8::1:443``), or of a bare IP; None when it names no address. The port is always there in
    CloudFront's header, so it is taken off first (an unbracketed IPv6 with a port also parses whole)."""
    value = value.strip()
    for candidate in (value.rsplit(":", 1)[0], value):
        try:
            return str(ipaddress.ip_address(candidate.removeprefix("[").removesuffix("]")))
        except ValueError:
            continue
    return None


def _build_call(spec: RouteSpec, request: Any, path_params: dict[str, str]) -> Call[Any, Any]:
    # Imported by the first request, not with the app: they bring PynamoDB, botocore and PyJWT, which the
    # app's stream, queue and schedule handlers (the same package) either need later or never.
    from chalicelib.services import rate_limits
    from chalicelib.services.auth import authenticate

    principal = None
    quota = None
    address = current_request_info().source_ip or "unknown"
    if spec.access == "public":
        rate_limits.check(spec.rate_limit or "public.ip", address)
    else:
        try:
            principal = authenticate(request.headers.get("authorization"))
        except Unauthorized:
            rate_limits.check("unauthenticated.ip", address)
            raise
        logger.thread_safe_append_keys(tenant_id=principal.tenant_id, user_id=principal.id)
        quota = rate_limits.check_signed_in(principal)
        if principal.kind == "requester" and not REQUESTER_ONLY.intersection(spec.permissions):
            raise Forbidden("A requester's token opens the customer portal only.")
        for permission in spec.permissions:
            principal.require(permission)
    return Call(
        body=_parse_body(spec.body, request),
        query=_parse_query(spec.query, request),
        path=path_params,
        headers=_checked_headers(spec.headers, request.headers),
        _principal=principal,
        raw_body=request.raw_body or b"",
        quota=quota,
    )


def _parse_body(model: type[BaseModel] | None, request: Any) -> BaseModel:
    raw: bytes = request.raw_body or b""
    if len(raw) > get_settings().max_body_bytes:
        raise PayloadTooLarge(f"The body may be at most {get_settings().max_body_bytes} bytes.")
    if model is None:
        return NoInput()
    content_type = request.headers.get("content-type", "application/json")
    if raw and "json" not in content_type:
        raise UnsupportedMediaType("Send the body as application/json.")
    if not raw.strip():
        # A forgotten body must not read as "all defaults" (a bodyless PUT would reset settings).
        if body_required(model):
            raise ValidationFailed([{"field": "body", "message": "A JSON body is required."}])
        raw = b"{}"
    try:
        return model.model_validate_json(raw, strict=True)
    except ValidationError as error:
        if any(e["type"] == "json_invalid" for e in error.errors()):
            raise BadRequest("The body is not valid JSON.") from error
        raise ValidationFailed(_field_errors(error)) from error


def _checked_headers(declared: tuple[HeaderParam, ...], headers: Mapping[str, str]) -> Mapping[str, str]:
    errors = []
    for header in declared:
        value = headers.get(header.name.lower())
        if value is None:
            if header.required:
                errors.append({"field": header.name, "message": "is required"})
        elif not re.fullmatch(header.pattern, value):
            errors.append({"field": header.name, "message": header.description})
    if errors:
        raise ValidationFailed(errors)
    return headers


def body_required(model: type[BaseModel]) -> bool:
    """A declared body is required unless its model says it may be left out (``body_optional``)."""
    return not getattr(model, "body_optional", False)


def _parse_query(model: type[BaseModel] | None, request: Any) -> BaseModel:
    params = request.query_params
    multi: dict[str, list[str]] = {name: params.getlist(name) for name in params} if params else {}
    if model is None:
        if multi:
            raise ValidationFailed([{"field": name, "message": "unknown parameter"} for name in multi])
        return NoInput()
    values: dict[str, Any] = {}
    for name, items in multi.items():
        annotation = model.model_fields[name].annotation if name in model.model_fields else None
        wants_list = "list" in str(annotation)
        values[name] = [v for item in items for v in item.split(",") if v] if wants_list else items[-1]
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise ValidationFailed(_field_errors(error)) from error


def _field_errors(error: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(part) for part in e["loc"]) or "body", "message": plain_message(e)}
        for e in error.errors(include_url=False)
    ]


def _to_response(result: Any, spec: RouteSpec) -> Response:
    if isinstance(result, TextReply):
        text_headers: dict[str, str | list[str]] = {"Content-Type": result.content_type}
        if result.filename:
            text_headers["Content-Disposition"] = f'attachment; filename="{result.filename}"'
        return Response(body=result.text, status_code=spec.status, headers=text_headers)
    reply = result if isinstance(result, Reply) else Reply(result, spec.status)
    if reply.status == 204:
        return Response(body="", status_code=204, headers=reply.headers)
    headers: dict[str, str | list[str]] = {"Content-Type": "application/json", **reply.headers}
    body = serialised(reply.body, spec.response)
    return Response(body=json.dumps(body), status_code=reply.status, headers=headers)


def _conditional(response: Response, if_none_match: str | None) -> Response:
    """A 200's ETag, or a 304 without a body when the caller's copy has that tag."""
    if response.status_code != 200:
        return response
    body = response.body if isinstance(response.body, bytes) else str(response.body).encode()
    tag = entity_tag(body)
    if not none_match(if_none_match, tag):
        return Response(body="", status_code=304, headers={"ETag": tag, "Vary": VARY})
    response.headers.update({"ETag": tag, "Vary": VARY})
    return response


class ResponseContractError(Exception):
    """A handler answered something its route's declared response model does not describe: a 500, logged."""


def serialised(body: Any, declared: type[BaseModel] | None) -> Any:
    """The JSON form of an answer, checked against the route's declared model: a model must be that
    model, and a plain dict must validate as one. Only the keys that were set are written, so a
    handler that leaves out an optional key still does (None is written where it was given)."""
    if declared is None:
        return body.model_dump(mode="json", exclude_unset=True) if isinstance(body, BaseModel) else body
    if isinstance(body, BaseModel) and not isinstance(body, declared):
        raise ResponseContractError(f"answered a {type(body).__name__}, declared {declared.__name__}")
    try:
        model = body if isinstance(body, declared) else declared.model_validate(body)
    except ValidationError as error:
        raise ResponseContractError(f"the answer is not a {declared.__name__}: {error}") from error
    return model.model_dump(mode="json", exclude_unset=True)


def register_routers(app: Chalice, routers: list[Router]) -> None:
    """Registers every router, answers the unused methods of each path with 405, and gives every
    answer the API's response headers."""
    app.register_middleware(_add_api_response_headers, "http")
    app.register_middleware(_refuse_requests_around_the_edge, "http")
    for router in routers:
        app.register_blueprint(router.blueprint, url_prefix=API_PREFIX)
    methods_by_path: dict[str, set[str]] = {}
    for spec in all_specs(routers):
        methods_by_path.setdefault(spec.path, set()).add(spec.method)
    for index, (path, methods) in enumerate(sorted(methods_by_path.items())):
        missing = [m for m in HTTP_METHODS if m not in methods]
        if missing:
            view = _method_not_allowed_view(sorted(methods))
            view.__name__ = f"method_not_allowed_{index}"
            app.route(API_PREFIX + path, methods=missing, content_types=["application/json", "*/*"])(view)


def _add_api_response_headers(request: Any, get_response: Callable[[Any], Response]) -> Response:
    """One place for every answer: the routes', the 405 views' and Chalice's own errors."""
    response = get_response(request)
    response.headers.update(API_RESPONSE_HEADERS)
    return response


def _refuse_requests_around_the_edge(request: Any, get_response: Callable[[Any], Response]) -> Response:
    if not came_through_the_edge(request.headers):
        return problem_from_error(Forbidden("Use the site's address; the API is not served here."))
    return get_response(request)


def _method_not_allowed_view(allowed: list[str]) -> Callable[..., Response]:
    def view(**_: str) -> Response:
        error = MethodNotAllowed(f"Use one of: {', '.join(allowed)}.")
        response = problem_from_error(error)
        response.headers["Allow"] = ", ".join(allowed)
        return response

    return view


def all_specs(routers: list[Router]) -> list[RouteSpec]:
    return [spec for router in routers for spec in router.specs]
