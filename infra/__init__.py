"""The Centre Portal's AWS infrastructure, one CDK construct per capability."""
