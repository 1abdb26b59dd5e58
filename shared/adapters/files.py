"""The Files port on S3: presigned URLs, so a file's bytes never pass through a function.

Keys: `results/<centre_id>/<series_id>/<kind>` for a centre's results file and item level
data, `resources/<resource_id>` for published resources. The function's role may only put
(board) or get (services) under those two prefixes; a URL carries that role's permission
for `expires_in` seconds, and signing is local (no request to S3).
"""

from __future__ import annotations

from typing import Any

from shared.adapters.aws import client, config

URL_EXPIRES_IN = 300


class S3Files:
    def __init__(self, bucket_name: str | None = None, expires_in: int = URL_EXPIRES_IN) -> None:
        self._bucket = bucket_name or config().bucket_name
        self.expires_in = expires_in

    @property
    def _s3(self) -> Any:
        return client("s3")

    def upload_url(self, key: str) -> str:
        return str(
            self._s3.generate_presigned_url(
                "put_object",
                Params={"Bucket": self._bucket, "Key": key},
                ExpiresIn=self.expires_in,
            )
        )

    def download_url(self, key: str, filename: str) -> str:
        """A GET URL; the browser saves the file under `filename` rather than the key."""
        safe = "".join(ch if ch.isalnum() or ch in "-_. " else "_" for ch in filename)
        return str(
            self._s3.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self._bucket,
                    "Key": key,
                    "ResponseContentDisposition": f'attachment; filename="{safe}"',
                },
                ExpiresIn=self.expires_in,
            )
        )
