"""OpenAPI schema conventions.

Views nest their serializers as `Input` / `Output` (one APIView per operation), so components are
named after the app and view that own them: `servicedesk.api.WorkOrderCreateApi.Input` becomes
`ServicedeskWorkOrderCreateApiInput` instead of colliding with every other `Input`.

Every operation documents the one error body (`core.api_errors.ApiErrorOutput`): 400 on a write,
401/403 where credentials are needed, 404 everywhere, 409 on a write — unless the view documents
that status itself (an import's 400 adds its bad `lines`).
"""

from drf_spectacular.openapi import AutoSchema

from core.api_errors import ApiErrorOutput

ERROR_STATUSES = {"400": "Invalid input: `errors` names the fields", "401": "Not signed in",
                  "403": "Not allowed", "404": "Not found, or not yours to see",
                  "409": "Refused in the current state"}
WRITE_ONLY_STATUSES = {"400", "409"}


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

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        writes = self.method not in ("GET", "HEAD", "OPTIONS")
        public = {} in self.get_auth()  # anyone may call it: no 401/403 to document
        for code, description in ERROR_STATUSES.items():
            if code in responses or (code in WRITE_ONLY_STATUSES and not writes):
                continue
            if public and code in {"401", "403"}:
                continue
            response = self._get_response_for_code(ApiErrorOutput, code, direction=direction)
            responses[code] = {**response, "description": description}
        return responses


ERROR_COMPONENT = "ApiErrorOutput"  # the component BranchAutoSchema names after core.api_errors
_REFUSALS = {
    "401": "No valid credentials: sign in, or send `Authorization: Device <token>` or "
           "`Authorization: Bearer <API key>`.",
    "403": "Signed in, but this role, branch, device or API-key scope (`insufficient_scope`) may "
           "not do this.",
    "404": "No such record, or not one this caller may see.",
    "429": "Too many requests from this caller; `Retry-After` says when to try again.",
}


def document_refusals(result, generator, request, public):
    """drf-spectacular postprocessing hook, after BranchAutoSchema's own error responses: what the
    schema class cannot see per view — no 401/403 on public operations' place, and 429 (the
    per-caller throttles) on every operation — in the one error shape `{code, detail, errors}`."""
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
