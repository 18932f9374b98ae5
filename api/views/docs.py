"""The OpenAPI schema and its documentation page (Swagger UI from drf-spectacular-sidecar,
served from our own static files; its start script is a separate file, not inline)."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


class Schema(SpectacularAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


class Docs(SpectacularSwaggerSplitView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
