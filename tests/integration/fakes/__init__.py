"""Local stand-ins for the peers Pulsedesk calls out to: Slack's Web API and a webhook receiver."""
