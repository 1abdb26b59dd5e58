"""Steps the Cognito tests share: invite, first sign-in, MFA set-up."""

from __future__ import annotations

from typing import Any

import pyotp

from local.cognito import PortalPool, clock

TEMPORARY_PASSWORD = "Temporary-pass-1"
PASSWORD = "a long enough passphrase"


def invite(cognito: Any, pool: PortalPool, email: str, **extra: Any) -> dict[str, Any]:
    """AdminCreateUser as the portal invites: a verified email, the invite sent by email."""
    arguments: dict[str, Any] = {
        "UserPoolId": pool.pool_id,
        "Username": email,
        "UserAttributes": [
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ],
        "DesiredDeliveryMediums": ["EMAIL"],
        "TemporaryPassword": TEMPORARY_PASSWORD,
    }
    arguments.update(extra)
    result: dict[str, Any] = cognito.admin_create_user(**arguments)
    return result


def sign_in(cognito: Any, pool: PortalPool, email: str, password: str) -> dict[str, Any]:
    """InitiateAuth with USER_PASSWORD_AUTH."""
    result: dict[str, Any] = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )
    return result


def answer(
    cognito: Any, pool: PortalPool, step: dict[str, Any], **responses: str
) -> dict[str, Any]:
    """RespondToAuthChallenge to the challenge in `step`, with USERNAME added by the caller."""
    result: dict[str, Any] = cognito.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName=step["ChallengeName"],
        Session=step["Session"],
        ChallengeResponses=responses,
    )
    return result


def first_sign_in(cognito: Any, pool: PortalPool, email: str) -> dict[str, Any]:
    """Invite, sign in with the temporary password and choose a password: the MFA step."""
    invite(cognito, pool, email)
    step = sign_in(cognito, pool, email, TEMPORARY_PASSWORD)
    return answer(cognito, pool, step, USERNAME=email, NEW_PASSWORD=PASSWORD)


def totp_now(secret: str, steps: int = 0) -> str:
    """The TOTP code for the layer's clock, `steps` 30-second steps away."""
    totp = pyotp.TOTP(secret)
    return totp.at(clock.now(), counter_offset=steps)


def set_up_totp(cognito: Any, pool: PortalPool, email: str) -> tuple[str, dict[str, Any]]:
    """A new member who completes MFA set-up with an authenticator: (secret, tokens)."""
    step = first_sign_in(cognito, pool, email)
    associated = cognito.associate_software_token(Session=step["Session"])
    secret = associated["SecretCode"]
    # Plain moto hands out a constant too short for pyotp and checks no code: any code will do.
    code = totp_now(secret) if len(secret) >= 32 else "000000"
    verified = cognito.verify_software_token(Session=associated["Session"], UserCode=code)
    done = answer(
        cognito,
        pool,
        {"ChallengeName": "MFA_SETUP", "Session": verified["Session"]},
        USERNAME=email,
    )
    return secret, done
