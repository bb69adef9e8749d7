from __future__ import annotations

from chalicelib.domain.reply_uploads import UploadRequest, cc_problem, post_policy_conditions, upload_problem

MAX = 1000


def test_an_upload_is_limited_by_type_and_size() -> None:
    assert upload_problem(UploadRequest("a.pdf", "application/pdf", 10), MAX) is None
    assert upload_problem(UploadRequest("a.svg", "image/svg+xml", 10), MAX) == (
        "content_type",
        "is not a type replies may carry (images, PDF, text, CSV, ZIP, Office documents)",
    )
    assert upload_problem(UploadRequest("a.pdf", "application/pdf", MAX + 1), MAX) == (
        "size",
        f"must be at most {MAX} bytes",
    )
    assert upload_problem(UploadRequest("a.pdf", "application/pdf", 0), MAX) is not None


def test_the_post_policy_pins_type_and_exact_size() -> None:
    assert post_policy_conditions(UploadRequest("a.png", "image/png", 42)) == [
        {"Content-Type": "image/png"},
        ["content-length-range", 42, 42],
    ]


def test_cc_is_for_public_replies_without_repeats_or_the_requester() -> None:
    assert cc_problem([], False, "r@x.org") is None
    assert cc_problem(["a@x.org"], True, "r@x.org") is None
    assert cc_problem(["a@x.org"], False, "r@x.org") is not None
    assert cc_problem(["a@x.org", "A@x.org"], True, "r@x.org") is not None
    assert cc_problem(["R@x.org"], True, "r@x.org") is not None
