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
