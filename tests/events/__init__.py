"""Lambda event builders shared by the test layers (the shapes live in ``infra.local.lambda_events``)."""
