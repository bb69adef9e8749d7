"""Production deployment: a CloudFormation template built from the Chalice app and the PynamoDB models."""
