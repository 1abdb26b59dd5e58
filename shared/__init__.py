"""Code shared by the portal's Lambda functions: settings, route table, domain and adapters."""
