"""Corrections 9 to 12 and the extras: SRP, user existence, sign-up, tokens, emails, the key."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError
from joserfc import jwk
from moto.cognitoidp.models import CognitoIdpBackend

import local.cognito
from local.cognito import Clock, PortalPool, create_portal_pool
from local.cognito.pool import client_arguments
from shared.settings import BOARD_STAFF_GROUP, IDENTITY
from tests.cognito.helpers import PASSWORD, invite, set_up_totp, totp_now


def _error(call: Any, **kwargs: Any) -> dict[str, str]:
    """The Cognito error a call answers with."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    error: dict[str, str] = raised.value.response["Error"]
    return error


def _signed_in(cognito: Any, pool: PortalPool, email: str) -> dict[str, Any]:
    """A member with TOTP set up, signed in: the AuthenticationResult."""
    _, done = set_up_totp(cognito, pool, email)
    result: dict[str, Any] = done["AuthenticationResult"]
    return result


def _refresh(cognito: Any, pool: PortalPool, refresh_token: str) -> dict[str, Any]:
    """REFRESH_TOKEN_AUTH."""
    result: dict[str, Any] = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh_token},
    )
    return result


def test_srp_sign_in_is_refused_with_a_clear_error(
    fidelity: bool, cognito: Any, portal_pool: PortalPool
) -> None:
    """The layer cannot check an SRP proof, so USER_SRP_AUTH is refused, not let through."""
    srp_client = cognito.create_user_pool_client(
        **{
            **client_arguments(portal_pool.pool_id, "srp"),
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }
    )["UserPoolClient"]["ClientId"]
    invite(cognito, portal_pool, "oli@example.org")
    error = _error(
        cognito.initiate_auth,
        ClientId=srp_client,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": "oli@example.org", "SRP_A": "abc"},
    )
    assert error["Code"] == "InvalidParameterException"
    assert "USER_PASSWORD_AUTH" in error["Message"]
    portal_error = _error(
        cognito.initiate_auth,
        ClientId=portal_pool.client_id,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": "oli@example.org", "SRP_A": "abc"},
    )
    assert portal_error["Message"] == "USER_SRP_AUTH flow not enabled for this client"


def test_unknown_users_are_indistinguishable_with_prevent_user_existence_errors(
    fidelity: bool, cognito: Any, portal_pool: PortalPool
) -> None:
    """Unknown user: a wrong-password answer, a simulated code delivery, a wrong-code answer."""
    assert _error(
        cognito.initiate_auth,
        ClientId=portal_pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "nobody@example.org", "PASSWORD": PASSWORD},
    ) == {"Code": "NotAuthorizedException", "Message": "Incorrect username or password."}
    sent = cognito.forgot_password(ClientId=portal_pool.client_id, Username="nobody@example.org")
    assert sent["CodeDeliveryDetails"] == {
        "Destination": "n***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    assert (
        _error(
            cognito.confirm_forgot_password,
            ClientId=portal_pool.client_id,
            Username="nobody@example.org",
            ConfirmationCode="123456",
            Password=PASSWORD,
        )["Code"]
        == "CodeMismatchException"
    )


def test_sign_up_is_refused_when_only_administrators_create_users(
    fidelity: bool, cognito: Any, portal_pool: PortalPool
) -> None:
    """AllowAdminCreateUserOnly: SignUp is NotAuthorizedException."""
    error = _error(
        cognito.sign_up,
        ClientId=portal_pool.client_id,
        Username="pat@example.org",
        Password=PASSWORD,
    )
    assert error == {
        "Code": "NotAuthorizedException",
        "Message": "SignUp is not permitted for this user pool",
    }


def test_tokens_carry_the_client_configured_lifetimes_and_claims(
    fidelity: bool, cognito: Any, portal_pool: PortalPool, clock: Clock
) -> None:
    """Access and id tokens expire after the app client's validity; claims as Cognito sets them."""
    short = cognito.create_user_pool_client(
        **{
            **client_arguments(portal_pool.pool_id, "short"),
            "AccessTokenValidity": 5,
            "IdTokenValidity": 5,
        }
    )["UserPoolClient"]["ClientId"]
    invite(cognito, portal_pool, "quin@example.org")
    cognito.admin_set_user_password(
        UserPoolId=portal_pool.pool_id,
        Username="quin@example.org",
        Password=PASSWORD,
        Permanent=True,
    )
    cognito.admin_add_user_to_group(
        UserPoolId=portal_pool.pool_id, Username="quin@example.org", GroupName=BOARD_STAFF_GROUP
    )
    cognito.set_user_pool_mfa_config(UserPoolId=portal_pool.pool_id, MfaConfiguration="OFF")
    result = cognito.initiate_auth(
        ClientId=short,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "quin@example.org", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]

    access = jwt.decode(result["AccessToken"], options={"verify_signature": False})
    assert result["ExpiresIn"] == 5 * 60
    assert access["exp"] == int(clock.timestamp()) + 5 * 60
    assert access["token_use"] == "access"
    assert access["client_id"] == short
    assert access["cognito:groups"] == [BOARD_STAFF_GROUP]
    assert access["iss"].endswith(portal_pool.pool_id)
    assert access["username"] == access["sub"]


def test_refresh_tokens_expire_and_revoked_ones_stop_working(
    fidelity: bool, cognito: Any, portal_pool: PortalPool, clock: Clock
) -> None:
    """Refresh tokens end after their validity, on global sign-out, deletion and RevokeToken."""
    first = _signed_in(cognito, portal_pool, "ray@example.org")
    clock.advance(hours=IDENTITY.refresh_token_hours)
    assert (
        _error(
            cognito.initiate_auth,
            ClientId=portal_pool.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]},
        )["Code"]
        == "NotAuthorizedException"
    )

    second = _signed_in(cognito, portal_pool, "sue@example.org")
    cognito.revoke_token(Token=second["RefreshToken"], ClientId=portal_pool.client_id)
    assert (
        _error(cognito.get_user, AccessToken=second["AccessToken"])["Code"]
        == "NotAuthorizedException"
    )

    third = _signed_in(cognito, portal_pool, "tom@example.org")
    cognito.admin_delete_user(UserPoolId=portal_pool.pool_id, Username="tom@example.org")
    assert (
        _error(
            cognito.initiate_auth,
            ClientId=portal_pool.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": third["RefreshToken"]},
        )["Code"]
        == "NotAuthorizedException"
    )


def test_access_token_is_refused_by_cognito_after_it_expires(
    fidelity: bool, cognito: Any, portal_pool: PortalPool, clock: Clock
) -> None:
    """GetUser with an access token past its exp: NotAuthorizedException."""
    result = _signed_in(cognito, portal_pool, "uma@example.org")
    assert cognito.get_user(AccessToken=result["AccessToken"])["Username"]
    clock.advance(minutes=IDENTITY.access_token_minutes)
    assert _error(cognito.get_user, AccessToken=result["AccessToken"]) == {
        "Code": "NotAuthorizedException",
        "Message": "Access Token has expired",
    }


def test_emails_are_unique_regardless_of_case(
    fidelity: bool, cognito: Any, portal_pool: PortalPool
) -> None:
    """A second invite to the same email in another case: UsernameExistsException."""
    invite(cognito, portal_pool, "Vic@Example.org")
    assert (
        _error(
            cognito.admin_create_user,
            UserPoolId=portal_pool.pool_id,
            Username="vic@example.org",
            UserAttributes=[{"Name": "email", "Value": "vic@example.org"}],
            MessageAction="SUPPRESS",
        )["Code"]
        == "UsernameExistsException"
    )
    assert cognito.admin_get_user(UserPoolId=portal_pool.pool_id, Username="VIC@EXAMPLE.ORG")[
        "Username"
    ]


def test_signing_key_is_loaded_once_per_process(
    fidelity: bool, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Creating pools does not re-import moto's RSA key each time."""
    original = jwk.RSAKey.import_key
    calls: list[object] = []

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(jwk.RSAKey, "import_key", counting)
    for number in range(3):
        create_portal_pool(cognito, f"pool-{number}")
    assert len(calls) <= 1


def test_uninstall_puts_moto_back(aws: None) -> None:
    """The layer is reversible: after uninstall moto's own methods are in place."""
    before = CognitoIdpBackend.initiate_auth
    with local.cognito.cognito_layer():
        assert CognitoIdpBackend.initiate_auth is not before
    assert CognitoIdpBackend.initiate_auth is before
    assert not local.cognito.installed()


def test_totp_helper_matches_the_layer_clock(clock: Clock) -> None:
    """The helper computes codes for the layer's frozen clock, so tests never sleep."""
    assert len(totp_now("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")) == 6
