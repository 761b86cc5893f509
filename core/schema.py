"""OpenAPI schema conventions.

Views nest their serializers as `Input` / `Output` (one APIView per operation), so components are
named after the app and view that own them: `servicedesk.api.WorkOrderCreateApi.Input` becomes
`ServicedeskWorkOrderCreateApiInput` instead of colliding with every other `Input`.

Every operation documents the one error body (`core.api_errors.ApiErrorOutput`): 400 on a write,
401/403 where credentials are needed, 404 and 429 everywhere, 409 on a write — unless the view documents
that status itself (an import's 400 adds its bad `lines`).
"""

from drf_spectacular.openapi import AutoSchema

from core.api_errors import ApiErrorOutput

ERROR_STATUSES = {"400": "Invalid input: `errors` names the fields", "401": "Not signed in",
                  "403": "Not allowed", "404": "Not found, or not yours to see",
                  "409": "Refused in the current state",
                  "429": "Too many requests from this caller; `Retry-After` says when to try again"}
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

