"""The request side of the layer: request bodies moto drops, and operations moto lacks."""

from __future__ import annotations

import json
from typing import Any

from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.responses import TYPE_RESPONSE, ActionResult, EmptyResult
from werkzeug.exceptions import HTTPException

from local.cognito import tokens, users
from local.cognito.patching import patcher
from local.cognito.state import reset_request_parameters, set_request_parameters


def _error_response(self: CognitoIdpResponse, error: HTTPException) -> TYPE_RESPONSE:
    """Serialise an error the way moto's call_action does for errors raised by an operation."""
    headers: dict[str, Any] = dict(error.get_headers() or [])
    headers["status"] = error.code
    status, response_headers, body = self._transform_response(
        self.response_headers, (error.description, headers)
    )
    return status, *self._enrich_response(response_headers, body)


def call_action(self: CognitoIdpResponse) -> TYPE_RESPONSE:
    """Expose the request body to the corrections, and refuse expired or revoked access tokens."""
    try:
        parameters = json.loads(self.body) if self.body else {}
    except ValueError:
        parameters = {}
    token = set_request_parameters(parameters if isinstance(parameters, dict) else {})
    try:
        access_token = parameters.get("AccessToken") if isinstance(parameters, dict) else None
        error = tokens.access_token_error(access_token) if access_token else None
        if isinstance(error, HTTPException):
            return _error_response(self, error)
        result: TYPE_RESPONSE = patcher.original(CognitoIdpResponse, "call_action")(self)
        return result
    finally:
        reset_request_parameters(token)


def revoke_token(self: CognitoIdpResponse) -> ActionResult:
    """RevokeToken, which moto does not implement."""
    tokens.revoke_token(self._get_param("Token"), self._get_param("ClientId"))
    return EmptyResult()


def update_user_attributes(self: CognitoIdpResponse) -> ActionResult:
    """UpdateUserAttributes answering CodeDeliveryDetailsList as Cognito does."""
    backend = self._get_region_agnostic_backend()._find_backend_by_access_token(
        self._get_param("AccessToken")
    )
    # The layer's users.update_user_attributes returns the delivery details; moto's does not.
    details = backend.update_user_attributes(  # type: ignore[func-returns-value]
        self._get_param("AccessToken"), self._get_param("UserAttributes")
    )
    return ActionResult({"CodeDeliveryDetailsList": details or []})


def global_sign_out(self: CognitoIdpResponse) -> ActionResult:
    """GlobalSignOut in whichever region issued the token, as Cognito's token APIs do.

    The call is unsigned, so behind moto's server (no region in the host name) moto looked in
    its default region and answered NotAuthorized for every token of another region's pool.
    """
    access_token = self._get_param("AccessToken")
    backend = self._get_region_agnostic_backend()._find_backend_by_access_token(access_token)
    backend.global_sign_out(access_token)
    return EmptyResult()


def verify_user_attribute(self: CognitoIdpResponse) -> ActionResult:
    """VerifyUserAttribute, which moto does not implement."""
    users.verify_user_attribute(
        self._get_param("AccessToken"), self._get_param("AttributeName"), self._get_param("Code")
    )
    return EmptyResult()


def get_user_attribute_verification_code(self: CognitoIdpResponse) -> ActionResult:
    """GetUserAttributeVerificationCode, which moto does not implement."""
    details = users.get_user_attribute_verification_code(
        self._get_param("AccessToken"), self._get_param("AttributeName")
    )
    return ActionResult({"CodeDeliveryDetails": details})


def install() -> None:
    """Apply the request-side corrections."""
    patcher.replace(CognitoIdpResponse, "call_action", call_action)
    patcher.replace(CognitoIdpResponse, "revoke_token", revoke_token)
    patcher.replace(CognitoIdpResponse, "global_sign_out", global_sign_out)
    patcher.replace(CognitoIdpResponse, "update_user_attributes", update_user_attributes)
    patcher.replace(CognitoIdpResponse, "verify_user_attribute", verify_user_attribute)
    patcher.replace(
        CognitoIdpResponse,
        "get_user_attribute_verification_code",
        get_user_attribute_verification_code,
    )
