"""The portal's rules as pure Python: no boto3, no handlers, no I/O beyond bundled data files."""
