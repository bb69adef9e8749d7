"""Satisfaction surveys: the signed link a solved ticket's email carries, and reading it back. Pure code.

A link is an HS256 JWT (PyJWT) under a key derived for this one purpose, naming the workspace and the
ticket and valid for seven days from the solve notification. It is not single-use: the requester may
change their mind, and the last answer counts (``ticket_change.rate``). Opening a link never records
anything by itself (mail scanners fetch links); the page posts the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import jwt

from chalicelib.domain.errors import LinkExpired, LinkInvalid

SURVEY_VALID_FOR = timedelta(days=7)
AUDIENCE = "pulsedesk:csat"
ALGORITHM = "HS256"
MAX_COMMENT = 2000
RatingValue = Literal["good", "bad"]


@dataclass(frozen=True)
class SurveyLink:
    tenant_id: str
    ticket_id: str
    expires_at: datetime


def survey_token(key: bytes, tenant_id: str, ticket_id: str, issued_at: datetime) -> str:
    expires = issued_at + SURVEY_VALID_FOR
    claims = {
        "aud": AUDIENCE,
        "t": tenant_id,
        "k": ticket_id,
        "iat": int(issued_at.timestamp()),
        "exp": int(expires.timestamp()),
    }
    # "~" for JWT's dots: a path with a dot reads as a file to the static front (CloudFront's routing
    # function and the local gateway), which would never hand the survey page its link
    return jwt.encode(claims, key, algorithm=ALGORITHM).replace(".", "~")


def read_survey_token(key: bytes, token: str, now: datetime) -> SurveyLink:
    """The link's workspace and ticket; LinkInvalid for anything altered or foreign, LinkExpired past
    seven days. Expiry is checked against ``now`` (not the machine clock), so tests can move time."""
    try:
        claims = jwt.decode(
            token.replace("~", "."),
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"verify_exp": False, "verify_iat": False, "require": ["exp", "aud", "t", "k"]},
        )
    except jwt.InvalidTokenError as error:
        raise LinkInvalid("This survey link is not valid. Use the link from your email as it was sent.") from error
    expires_at = datetime.fromtimestamp(int(claims["exp"]), tz=now.tzinfo)
    if now >= expires_at:
        raise LinkExpired("This survey link has expired: links can be used for seven days after a request is solved.")
    return SurveyLink(str(claims["t"]), str(claims["k"]), expires_at)


def survey_url(base_url: str, token: str, rating: RatingValue | None = None) -> str:
    """The page of the survey; with ``rating``, the page records that answer as soon as it opens."""
    url = f"{base_url.rstrip('/')}/csat/{token}"
    return f"{url}?rating={rating}" if rating else url
