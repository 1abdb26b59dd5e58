"""PreventUserExistenceErrors: with it on, answers never tell whether a user exists."""

from __future__ import annotations

from moto.cognitoidp.exceptions import UserNotFoundError
from moto.cognitoidp.models import CognitoIdpUserPool, CognitoIdpUserPoolClient

from local.cognito.errors import INCORRECT_CREDENTIALS, code_mismatch, not_authorized
from local.cognito.messages import delivery_details


def prevents(client: CognitoIdpUserPoolClient) -> bool:
    """Whether the app client has PreventUserExistenceErrors ENABLED."""
    return client.extended_config.get("PreventUserExistenceErrors") == "ENABLED"


def unknown_user_at_sign_in(client: CognitoIdpUserPoolClient) -> Exception:
    """Sign-in of an unknown user: the same answer as a wrong password when prevention is on."""
    if prevents(client):
        return not_authorized(INCORRECT_CREDENTIALS)
    return UserNotFoundError("User does not exist.")


def unknown_user_with_code(client: CognitoIdpUserPoolClient) -> Exception:
    """A code for an unknown user: the same answer as a wrong code when prevention is on."""
    if prevents(client):
        return code_mismatch("Invalid verification code provided, please try again.")
    return UserNotFoundError("Username/client id combination not found.")


def simulated_delivery(pool: CognitoIdpUserPool, username: str) -> dict[str, str]:
    """The CodeDeliveryDetails Cognito invents for an unknown user, by the first recovery option."""
    mechanisms = sorted(
        (pool.extended_config.get("AccountRecoverySetting") or {}).get("RecoveryMechanisms")
        or [{"Name": "verified_phone_number", "Priority": 1}],
        key=lambda mechanism: mechanism["Priority"],
    )
    if mechanisms[0]["Name"] == "verified_phone_number" and "@" not in username:
        return delivery_details("SMS", username if username.startswith("+") else "+0000000000")
    address = username if "@" in username else f"{username}@example.com"
    return delivery_details("EMAIL", address)
