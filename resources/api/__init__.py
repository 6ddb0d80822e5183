"""The read-only JSON API at /api/v1/ (docs/decisions/0011-json-api.md): its parameters
(parameters.py), answers (responses.py), records (serialisers.py), OpenAPI description
(openapi.py), views and URLs."""
