"""The mediation module's JSON router (mounted at /api/v1/mediation/ by teilhabe/api.py)."""

from ninja import Router

router = Router(tags=["mediation"])
