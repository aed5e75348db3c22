"""A test client that speaks to the API as one official, with their bearer token."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from nrm.authorities.tokens import token_create


class ApiClient:
    def __init__(self, user: Any) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}"}

    def get(self, path: str, **params: Any) -> Any:
        headers = {k: params.pop(k) for k in list(params) if k.startswith("HTTP_")}
        return self.client.get(f"/api/v1{path}", params, **self.headers, **headers)

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.client.post(f"/api/v1{path}", json.dumps(body or {}),
                                content_type="application/json", **self.headers, **headers)

    def patch(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.patch(f"/api/v1{path}", json.dumps(body),
                                 content_type="application/json", **self.headers, **headers)
