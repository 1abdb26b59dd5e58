"""Error messages in English and Welsh, keyed by the contract's error codes."""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, dict[str, str]] = {
    "validation_error": {
        "en": "The request is not valid: check {field}.",
        "cy": "Nid yw'r cais yn ddilys: gwiriwch {field}.",
    },
    "unauthorized": {
        "en": "Please sign in again.",
        "cy": "Mewngofnodwch eto, os gwelwch yn dda.",
    },
    "forbidden": {
        "en": "You do not have access to this.",
        "cy": "Nid oes gennych fynediad at hyn.",
    },
    "not_found": {
        "en": "We could not find that.",
        "cy": "Ni allem ddod o hyd i hynny.",
    },
    "conflict": {
        "en": "That change conflicts with the current state; refresh and try again.",
        "cy": "Mae'r newid yn gwrthdaro â'r sefyllfa bresennol; adnewyddwch a cheisio eto.",
    },
    "too_many_requests": {
        "en": "Too many requests; please wait a moment and try again.",
        "cy": "Gormod o geisiadau; arhoswch ennyd a cheisio eto.",
    },
    "unsupported_media_type": {
        "en": "Send the request body as JSON (Content-Type: application/json).",
        "cy": "Anfonwch gorff y cais fel JSON (Content-Type: application/json).",
    },
    "internal_error": {
        "en": "Something went wrong on our side. Please try again.",
        "cy": "Aeth rhywbeth o'i le ar ein hochr ni. Ceisiwch eto.",
    },
    "cannot_grant": {
        "en": "You cannot give access you do not hold yourself, and A2C keys are never given "
        "to user accounts.",
        "cy": "Ni allwch roi mynediad nad oes gennych chi eich hun, ac ni roddir allweddi A2C "
        "i gyfrifon defnyddwyr byth.",
    },
    "admin_limit_reached": {
        "en": "A centre can have at most 3 admin accounts.",
        "cy": "Gall canolfan gael 3 chyfrif gweinyddwr ar y mwyaf.",
    },
    "exams_officer_exists": {
        "en": "This centre already has an exams officer. Delete that account first.",
        "cy": "Mae gan y ganolfan hon swyddog arholiadau eisoes. Dilëwch y cyfrif hwnnw yn gyntaf.",
    },
    "user_exists": {
        "en": "An account with this email address already exists.",
        "cy": "Mae cyfrif gyda'r cyfeiriad e-bost hwn yn bodoli eisoes.",
    },
    "centre_exists": {
        "en": "A centre with this number already exists.",
        "cy": "Mae canolfan gyda'r rhif hwn yn bodoli eisoes.",
    },
    "cannot_delete_self": {
        "en": "You cannot delete your own account.",
        "cy": "Ni allwch ddileu eich cyfrif eich hun.",
    },
    "already_active": {
        "en": "This member has already signed in; there is no invite to resend.",
        "cy": "Mae'r aelod hwn wedi mewngofnodi eisoes; nid oes gwahoddiad i'w ail-anfon.",
    },
    "personal_email_not_allowed": {
        "en": "Personal email addresses cannot be used. Use a school or centre email address.",
        "cy": "Ni ellir defnyddio cyfeiriadau e-bost personol. Defnyddiwch gyfeiriad e-bost "
        "yr ysgol neu'r ganolfan.",
    },
    "email_domain_not_allowed": {
        "en": "This email address is not at one of your centre's email domains.",
        "cy": "Nid yw'r cyfeiriad e-bost hwn yn un o barthau e-bost eich canolfan.",
    },
    "email_immutable": {
        "en": "Your email address cannot be changed. Ask your exams officer for a new account.",
        "cy": "Ni ellir newid eich cyfeiriad e-bost. Gofynnwch i'ch swyddog arholiadau am "
        "gyfrif newydd.",
    },
    "invalid_phone": {
        "en": "That phone number is not valid. Enter the country code and the number, "
        "for example +44 and 7911 123456.",
        "cy": "Nid yw'r rhif ffôn hwnnw'n ddilys. Rhowch y cod gwlad a'r rhif, "
        "er enghraifft +44 a 7911 123456.",
    },
    "embargoed": {
        "en": "These results are not available to you until {available_from}.",
        "cy": "Nid yw'r canlyniadau hyn ar gael i chi tan {available_from}.",
    },
    "idempotency_key_reused": {
        "en": "This Idempotency-Key was already used with a different request.",
        "cy": "Defnyddiwyd yr Idempotency-Key hwn eisoes gyda chais gwahanol.",
    },
    "request_in_progress": {
        "en": "The same request is still being processed; try again shortly.",
        "cy": "Mae'r un cais yn dal i gael ei brosesu; ceisiwch eto cyn hir.",
    },
    "invalid_credentials": {
        "en": "The email address or password is not right.",
        "cy": "Nid yw'r cyfeiriad e-bost na'r cyfrinair yn gywir.",
    },
    "invite_expired": {
        "en": "Your invite has expired. Ask your exams officer or an admin to send a new one.",
        "cy": "Mae eich gwahoddiad wedi dod i ben. Gofynnwch i'ch swyddog arholiadau neu "
        "weinyddwr anfon un newydd.",
    },
    "password_reset_required": {
        "en": "You need to set a new password: use 'Forgotten your password?'.",
        "cy": "Mae angen i chi osod cyfrinair newydd: defnyddiwch 'Wedi anghofio eich cyfrinair?'.",
    },
    "password_too_short": {
        "en": "Your password must be at least {min_length} characters long.",
        "cy": "Rhaid i'ch cyfrinair fod o leiaf {min_length} nod o hyd.",
    },
    "password_has_outer_spaces": {
        "en": "Your password starts or ends with a space. We keep passwords exactly as typed, "
        "and a space at the start or end is not allowed: remove it and try again.",
        "cy": "Mae eich cyfrinair yn dechrau neu'n gorffen gyda bwlch. Rydym yn cadw "
        "cyfrineiriau yn union fel y'u teipiwyd, ac ni chaniateir bwlch ar y dechrau na'r "
        "diwedd: tynnwch ef a cheisio eto.",
    },
    "invalid_code": {
        "en": "That code is not right or has expired. Check it and try again.",
        "cy": "Nid yw'r cod hwnnw'n gywir neu mae wedi dod i ben. Gwiriwch ef a cheisio eto.",
    },
    "mfa_not_set_up": {
        "en": "That sign-in method is not set up yet. Set it up first, then choose it.",
        "cy": "Nid yw'r dull mewngofnodi hwnnw wedi'i osod eto. Gosodwch ef yn gyntaf, yna "
        "dewiswch ef.",
    },
    "session_expired": {
        "en": "Your sign-in took too long. Please start again.",
        "cy": "Cymerodd eich mewngofnodi ormod o amser. Dechreuwch eto, os gwelwch yn dda.",
    },
}


def message_for(code: str, language: str, params: dict[str, Any]) -> str:
    """The human text for an error code in `language`, falling back to English, then generic."""
    texts = MESSAGES.get(code) or MESSAGES["internal_error"]
    template = texts.get(language) or texts["en"]
    values = {key: str(value) for key, value in params.items()}
    values.setdefault("field", "the request")
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return texts["en"].split("{")[0].strip()
