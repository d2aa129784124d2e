"""The funding module's JSON router (mounted at /api/v1/funding/ by teilhabe/api.py)."""

from ninja import Router

router = Router(tags=["funding"])
