"""The laptop run of the portal: local stand-ins for the AWS services it uses."""
