"""Adapters to AWS: the only place boto3 is imported."""
