"""The demo workspace's help centre: a few published articles in two categories (and one draft),
written through the same service as the Articles page. Idempotent: articles already there are kept."""

from __future__ import annotations

from chalicelib.domain.principal import Principal
from chalicelib.services import articles

DEMO_ARTICLES = [
    {
        "title": "Reset your password",
        "category": "Account",
        "status": "published",
        "body": "Forgot your password? No problem.\n\n1. Open the **sign-in** page.\n2. Choose *Forgot password*.\n"
        "3. Follow the link we email you (it is valid for one hour).\n\nStill stuck? Reply to any of our emails.",
    },
    {
        "title": "Change the email address on your account",
        "category": "Account",
        "status": "published",
        "body": "Go to **Profile → Email**, type the new address and confirm it from the email we send.\n\n"
        "Your old address keeps working until you confirm the new one.",
    },
    {
        "title": "Download an invoice",
        "category": "Billing",
        "status": "published",
        "body": "Every invoice is under **Billing → Invoices** as a PDF.\n\n| Plan | Billed |\n|---|---|\n"
        "| Monthly | on the 1st |\n| Yearly | on your sign-up date |",
    },
    {
        "title": "Refunds and cancellations",
        "category": "Billing",
        "status": "published",
        "body": "You can cancel at any time from **Billing → Plan**. We refund unused months of a yearly "
        "plan within 14 days; see our [terms](https://example.com/terms).",
    },
    {
        "title": "Printer troubleshooting (draft)",
        "category": "Hardware",
        "status": "draft",
        "body": "Work in progress: not shown in the help centre until published.",
    },
]


def seed_articles(admin: Principal) -> int:
    """Writes the demo articles that are missing; returns how many it wrote."""
    known = {a.title for a in articles.list_articles(admin).items}
    missing = [a for a in DEMO_ARTICLES if a["title"] not in known]
    for article in missing:
        articles.create_article(admin, dict(article))
    return len(missing)
