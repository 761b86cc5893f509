"""OpenAPI schema conventions.

Views nest their serializers as `Input` / `Output` (one APIView per operation), so components are
named after the app and view that own them: `servicedesk.api.WorkOrderCreateApi.Input` becomes
`ServicedeskWorkOrderCreateApiInput` instead of colliding with every other `Input`.
"""

from drf_spectacular.openapi import AutoSchema


class BranchAutoSchema(AutoSchema):
    def get_serializer_name(self, serializer, direction):
        name = super().get_serializer_name(serializer, direction)
        qualname = serializer.__class__.__qualname__
        if "." in qualname and "<locals>" not in qualname:
            app = serializer.__class__.__module__.split(".")[0].title()
            name = app + qualname.replace(".", "")
            if name.endswith("Serializer"):
                name = name[: -len("Serializer")]
        return name


ERROR_COMPONENT = "Error"
_REFUSALS = {
    "401": "No valid credentials: sign in, or send `Authorization: Device <token>` or "
           "`Authorization: Bearer <API key>`.",
    "403": "Signed in, but this role, branch, device or API-key scope (`insufficient_scope`) may "
           "not do this.",
    "404": "No such record, or not one this caller may see.",
    "429": "Too many requests from this caller; `Retry-After` says when to try again.",
}


def document_refusals(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the refusals it can answer
    in the one error shape `{code, detail, errors}` (core.api_errors): 401/403 where it needs
    credentials, 404 where its path names a record, 429 everywhere. 400 stays with the views that
    document their own: some 400s still leave in older shapes (the fuzz test of
    tests/reliability validates every documented body), which issue 27's one-error-shape item
    has yet to bring into line."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(ERROR_COMPONENT, {
        "type": "object",
        "required": ["code", "detail"],
        "properties": {
            "code": {"type": "string", "description": "Stable machine word: invalid, not_found, "
                     "not_authenticated, permission_denied, insufficient_scope, throttled, …"},
            "detail": {"type": "string", "description": "One translated sentence for a person."},
            "errors": {"type": "object", "additionalProperties": {
                "type": "array", "items": {"type": "string"}},
                "description": "Field → messages, on validation failures only."},
        },
    })
    error = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["429"]
            if {} not in operation.get("security", [{}]) or not operation.get("security"):
                codes[:0] = ["401", "403"]
            if "{" in path:
                codes.append("404")
            for code in codes:
                operation["responses"].setdefault(code, {"description": _REFUSALS[code],
                                                         "content": error})
    return result
