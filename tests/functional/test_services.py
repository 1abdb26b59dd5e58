"""Services through the real handlers: menu, A2C keys, results and their embargo, resources,
external services, and the board's publishing routes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from shared.domain.accounts import Permission, Role
from shared.domain.members import Member
from shared.web import runtime
from tests.support.events import Reply, call
from tests.support.portal import BUCKET, CENTRE_ID, Portal, claims

P = Permission
SUMMER = "2026-summer"  # results day in BST: 08:00 in London is 07:00 UTC
SUMMER_DAY, SUMMER_EMBARGO = "2026-08-13", "2026-08-12T06:00:00Z"
WINTER = "2027-march"  # results day in GMT: 08:00 in London is 08:00 UTC
WINTER_DAY, WINTER_EMBARGO = "2027-03-04", "2027-03-03T09:00:00Z"
USERS_RELEASE = {
    SUMMER: datetime(2026, 8, 13, 7, 0, tzinfo=UTC),
    WINTER: datetime(2027, 3, 4, 8, 0, tzinfo=UTC),
}
EMBARGO_FROM = {
    SUMMER: datetime(2026, 8, 12, 6, 0, tzinfo=UTC),
    WINTER: datetime(2027, 3, 3, 9, 0, tzinfo=UTC),
}
ONE_SECOND = timedelta(seconds=1)
ENTRIES_USER = frozenset({P.RESOURCES, P.ENTRIES_RESULTS})


@pytest.fixture
def set_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Fix the handlers' clock at a moment; no sleeping."""

    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(runtime, "now", lambda: moment)

    return set_to


def publish_series(board: Member, series_id: str, day: str, embargo: str) -> Reply:
    body = {"name": series_id, "embargo_from": embargo, "results_day": day}
    return call("PUT", f"/series/{series_id}", claims=claims(board), body=body)


def upload(board: Member, series_id: str, file: str = "results") -> Reply:
    path = f"/centres/{CENTRE_ID}/results/{series_id}"
    return call("PUT", path, claims=claims(board), query={"file": file})


@pytest.fixture
def published(board: Member, centre: str) -> Member:
    """Both series defined, and the centre's results and item level data uploaded for each."""
    assert publish_series(board, SUMMER, SUMMER_DAY, SUMMER_EMBARGO).status == 200
    assert publish_series(board, WINTER, WINTER_DAY, WINTER_EMBARGO).status == 200
    for series_id in (SUMMER, WINTER):
        assert upload(board, series_id).status == 200
        assert upload(board, series_id, "item_level_data").status == 200
    return board


def assert_presigned(url: str, key: str, method: str | None = None) -> None:
    parsed = urlparse(url)
    assert BUCKET in parsed.netloc or parsed.path.startswith(f"/{BUCKET}/")
    assert parsed.path.endswith(f"/{key}")
    query = parse_qs(parsed.query)
    assert 0 < int(query["X-Amz-Expires"][0]) <= 900
    assert "X-Amz-Signature" in query


def member_of(portal: Portal, role: Role, **changes: Any) -> Member:
    return portal.add_member(role, **changes)


# --- the services menu ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "permissions", "services"),
    [
        (
            Role.EXAMS_OFFICER,
            None,
            [
                "a2c_keys",
                "results",
                "grade_boundaries",
                "item_level_data",
                "resources",
                "entries",
                "iamis",
                "access_arrangements",
                "view_scripts",
            ],
        ),
        (
            Role.ADMIN,
            frozenset(P) - {P.A2C_KEYS, P.VIEW_SCRIPTS},
            [
                "results",
                "grade_boundaries",
                "item_level_data",
                "resources",
                "entries",
                "iamis",
                "access_arrangements",
            ],
        ),
        (Role.USER, None, ["grade_boundaries", "resources"]),
        (
            Role.USER,
            ENTRIES_USER | {P.IAMIS},
            ["results", "grade_boundaries", "item_level_data", "resources", "entries", "iamis"],
        ),
    ],
)
def test_the_menu_lists_only_what_the_member_can_open(
    portal: Portal,
    published: Member,
    role: Role,
    permissions: frozenset[Permission] | None,
    services: list[str],
) -> None:
    changes = {} if permissions is None else {"permissions": permissions}
    member = member_of(portal, role, **changes)

    reply = call("GET", "/me/services", claims=claims(member))

    assert reply.status == 200
    assert [entry["service"] for entry in reply.body["services"]] == services
    for entry in reply.body["services"]:
        assert entry["name"]["en"] and entry["name"]["cy"] and entry["path"]


def test_the_menu_carries_each_series_release_for_the_member(
    portal: Portal, published: Member, exams_officer: Member
) -> None:
    user = member_of(portal, Role.USER, permissions=ENTRIES_USER)

    as_user = call("GET", "/me/services", claims=claims(user)).body["services"]
    as_officer = call("GET", "/me/services", claims=claims(exams_officer)).body["services"]

    results_for_user = next(entry for entry in as_user if entry["service"] == "results")
    assert results_for_user["level"] == "results_day"
    assert results_for_user["available_from"] == [
        {"series_id": SUMMER, "available_from": "2026-08-13T07:00:00Z"},
        {"series_id": WINTER, "available_from": "2027-03-04T08:00:00Z"},
    ]
    results_for_officer = next(entry for entry in as_officer if entry["service"] == "results")
    assert results_for_officer["available_from"][0]["available_from"] == SUMMER_EMBARGO
    a2c = as_officer[0]
    assert (a2c["service"], a2c["path"], a2c["level"]) == (
        "a2c_keys",
        ["Centre Administration", "General"],
        "view",
    )


def test_board_staff_have_an_empty_menu(board: Member) -> None:
    assert call("GET", "/me/services", claims=claims(board)).body == {"services": []}


# --- results: the embargo at its edges -------------------------------------------------------

DOWNLOADS = {
    "results": "/centres/{centre}/results/{series}/file",
    "item_level_data": "/centres/{centre}/reports/item-level-data/{series}",
}


@pytest.mark.parametrize("kind", list(DOWNLOADS))
@pytest.mark.parametrize("series_id", [SUMMER, WINTER])
def test_users_see_results_from_eight_on_results_day(
    portal: Portal,
    published: Member,
    set_clock: Callable[[datetime], None],
    kind: str,
    series_id: str,
) -> None:
    user = member_of(portal, Role.USER, permissions=ENTRIES_USER)
    path = DOWNLOADS[kind].format(centre=CENTRE_ID, series=series_id)
    release = USERS_RELEASE[series_id]

    set_clock(release - ONE_SECOND)  # 07:59:59 in London
    early = call("GET", path, claims=claims(user))
    set_clock(release)  # 08:00:00 in London
    on_time = call("GET", path, claims=claims(user))

    assert (early.status, early.error_code) == (403, "embargoed")
    assert early.body["error"]["available_from"] == release.isoformat().replace("+00:00", "Z")
    assert on_time.status == 200
    assert_presigned(on_time.body["download_url"], f"results/{CENTRE_ID}/{series_id}/{kind}")
    assert on_time.body["expires_in"] <= 900


@pytest.mark.parametrize("role", [Role.EXAMS_OFFICER, Role.ADMIN])
@pytest.mark.parametrize("kind", list(DOWNLOADS))
@pytest.mark.parametrize("series_id", [SUMMER, WINTER])
def test_exams_officers_and_admins_see_results_under_embargo(
    portal: Portal,
    published: Member,
    set_clock: Callable[[datetime], None],
    role: Role,
    kind: str,
    series_id: str,
) -> None:
    member = member_of(portal, role)
    path = DOWNLOADS[kind].format(centre=CENTRE_ID, series=series_id)
    embargo = EMBARGO_FROM[series_id]

    set_clock(embargo - ONE_SECOND)
    early = call("GET", path, claims=claims(member))
    set_clock(embargo)
    at_embargo = call("GET", path, claims=claims(member))
    set_clock(USERS_RELEASE[series_id] - ONE_SECOND)  # 07:59:59 on results day
    before_users = call("GET", path, claims=claims(member))

    assert (early.status, early.error_code) == (403, "embargoed")
    assert early.body["error"]["available_from"] == embargo.isoformat().replace("+00:00", "Z")
    assert (at_embargo.status, before_users.status) == (200, 200)


def test_every_download_is_audited(
    portal: Portal, published: Member, exams_officer: Member, set_clock: Any
) -> None:
    set_clock(USERS_RELEASE[SUMMER])

    call("GET", f"/centres/{CENTRE_ID}/results/{SUMMER}/file", claims=claims(exams_officer))
    call(
        "GET",
        f"/centres/{CENTRE_ID}/reports/item-level-data/{SUMMER}",
        claims=claims(exams_officer),
    )

    events = portal.store.list_audit(CENTRE_ID, 100, None).items
    downloads = [event for event in events if event.action.startswith("download_")]
    assert sorted(event.action for event in downloads) == [
        "download_item_level_data",
        "download_results",
    ]
    assert {event.actor for event in downloads} == {exams_officer.user_id}
    assert {event.details["series_id"] for event in downloads} == {SUMMER}


def test_results_need_the_entries_results_permission(
    portal: Portal, published: Member, user: Member, set_clock: Any
) -> None:
    set_clock(USERS_RELEASE[SUMMER])

    listing = call("GET", f"/centres/{CENTRE_ID}/results", claims=claims(user))
    download = call("GET", f"/centres/{CENTRE_ID}/results/{SUMMER}/file", claims=claims(user))

    assert (listing.status, download.status) == (403, 403)


def test_a_permission_removed_a_second_ago_is_refused_now(
    portal: Portal, published: Member, exams_officer: Member, set_clock: Any
) -> None:
    set_clock(USERS_RELEASE[SUMMER])
    user = member_of(portal, Role.USER, permissions=ENTRIES_USER)
    path = f"/centres/{CENTRE_ID}/results/{SUMMER}/file"
    assert call("GET", path, claims=claims(user)).status == 200

    removed = call(
        "PUT",
        f"/centres/{CENTRE_ID}/users/{user.user_id}/permissions",
        claims=claims(exams_officer),
        body={"permissions": ["resources"]},
    )

    assert removed.status == 200
    assert call("GET", path, claims=claims(user)).status == 403


def test_another_centres_results_do_not_exist_for_a_member(
    portal: Portal, published: Member, exams_officer: Member
) -> None:
    portal.add_centre("68002")

    reply = call("GET", f"/centres/68002/results/{SUMMER}/file", claims=claims(exams_officer))

    assert (reply.status, reply.error_code) == (404, "not_found")


def test_the_results_listing_shows_release_times_and_files(
    portal: Portal, published: Member, board: Member
) -> None:
    publish_series(board, "2027-summer", "2027-08-12", "2027-08-11T06:00:00Z")
    user = member_of(portal, Role.USER, permissions=ENTRIES_USER)

    reply = call("GET", f"/centres/{CENTRE_ID}/results", claims=claims(user))

    assert reply.status == 200
    rows = {row["series_id"]: row for row in reply.body["series"]}
    assert rows[SUMMER]["available_from"] == "2026-08-13T07:00:00Z"
    assert (rows[SUMMER]["has_file"], rows[SUMMER]["has_item_level_data"]) == (True, True)
    assert rows["2027-summer"]["has_file"] is False


def test_a_series_with_no_file_for_the_centre_is_not_found(
    board: Member, exams_officer: Member, set_clock: Any
) -> None:
    publish_series(board, SUMMER, SUMMER_DAY, SUMMER_EMBARGO)
    set_clock(USERS_RELEASE[SUMMER])

    reply = call("GET", f"/centres/{CENTRE_ID}/results/{SUMMER}/file", claims=claims(exams_officer))

    assert reply.status == 404


# --- board staff publish -------------------------------------------------------------------


def test_results_upload_urls_are_presigned_short_lived_puts_for_the_centre(
    published: Member,
) -> None:
    reply = upload(published, SUMMER)

    assert reply.status == 200
    assert_presigned(reply.body["upload_url"], f"results/{CENTRE_ID}/{SUMMER}/results")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            f"/series/{SUMMER}",
            {"name": "x", "embargo_from": SUMMER_EMBARGO, "results_day": SUMMER_DAY},
        ),
        (f"/centres/{CENTRE_ID}/results/{SUMMER}", None),
        (f"/centres/{CENTRE_ID}/a2c-keys", {"keys": []}),
    ],
)
def test_only_board_staff_publish(
    published: Member, exams_officer: Member, path: str, body: Any
) -> None:
    reply = call("PUT", path, claims=claims(exams_officer), body=body)

    assert (reply.status, reply.error_code) == (403, "forbidden")


def test_members_cannot_publish_resources(published: Member, admin: Member) -> None:
    body = {
        "subject": "Physics",
        "kind": "past_paper",
        "title": "Paper 1",
        "series_id": SUMMER,
        "language": "en",
    }

    assert call("POST", "/resources", claims=claims(admin), body=body).status == 403


@pytest.mark.parametrize(
    ("series_id", "body"),
    [
        # The embargo cannot end after users see results.
        (SUMMER, {"name": "x", "embargo_from": "2026-08-13T07:00:01Z", "results_day": SUMMER_DAY}),
        # A time without a zone is ambiguous.
        (SUMMER, {"name": "x", "embargo_from": "2026-08-12T06:00:00", "results_day": SUMMER_DAY}),
        ("bad id!", {"name": "x", "embargo_from": SUMMER_EMBARGO, "results_day": SUMMER_DAY}),
    ],
)
def test_a_series_with_inconsistent_times_is_refused(
    board: Member, series_id: str, body: dict[str, str]
) -> None:
    reply = call("PUT", f"/series/{series_id}", claims=claims(board), body=body)

    assert (reply.status, reply.error_code) == (400, "validation_error")


def test_uploads_for_an_unknown_centre_or_series_are_not_found(
    portal: Portal, published: Member
) -> None:
    unknown_centre = call("PUT", f"/centres/69999/results/{SUMMER}", claims=claims(published))
    unknown_series = upload(published, "2030-summer")

    assert (unknown_centre.status, unknown_series.status) == (404, 404)


# --- A2C keys ------------------------------------------------------------------------------

KEYS = [
    {"key_id": "k1", "key": "A2C-SECRET-1111", "label": "Laptop 1"},
    {"key_id": "k2", "key": "A2C-SECRET-2222", "label": "Laptop 2"},
]


@pytest.fixture
def keys_published(board: Member, centre: str) -> None:
    reply = call("PUT", f"/centres/{centre}/a2c-keys", claims=claims(board), body={"keys": KEYS})
    assert (reply.status, reply.body) == (200, {"centre_id": centre, "count": 2})


@pytest.mark.parametrize("role", [Role.EXAMS_OFFICER, Role.ADMIN])
def test_exams_officers_and_admins_read_the_keys_and_each_read_is_audited(
    portal: Portal, keys_published: None, role: Role, capsys: pytest.CaptureFixture[str]
) -> None:
    member = member_of(portal, role)

    reply = call("GET", f"/centres/{CENTRE_ID}/a2c-keys", claims=claims(member))
    call("GET", f"/centres/{CENTRE_ID}/a2c-keys", claims=claims(member))

    assert (reply.status, reply.body) == (200, {"keys": KEYS})
    assert portal.audit_actions()[:3] == ["read_a2c_keys", "read_a2c_keys", "publish_a2c_keys"]
    logged = capsys.readouterr()
    assert "A2C-SECRET" not in logged.out + logged.err


@pytest.mark.parametrize(
    "permissions", [frozenset({P.RESOURCES}), frozenset(P) - {P.A2C_KEYS}, frozenset(P)]
)
def test_users_never_read_a2c_keys(
    portal: Portal, keys_published: None, permissions: frozenset[Permission]
) -> None:
    user = member_of(portal, Role.USER, permissions=permissions)

    reply = call("GET", f"/centres/{CENTRE_ID}/a2c-keys", claims=claims(user))

    assert (reply.status, reply.error_code) == (403, "forbidden")
    assert "read_a2c_keys" not in portal.audit_actions()


def test_an_admin_without_the_a2c_permission_is_refused(
    portal: Portal, keys_published: None
) -> None:
    admin = member_of(portal, Role.ADMIN, permissions=frozenset(P) - {P.A2C_KEYS})

    assert call("GET", f"/centres/{CENTRE_ID}/a2c-keys", claims=claims(admin)).status == 403


# --- resources and grade boundaries --------------------------------------------------------


def add_resource(board: Member, **fields: str) -> Reply:
    body = {
        "subject": "Physics",
        "kind": "past_paper",
        "title": "Physics Paper 1",
        "series_id": SUMMER,
        "language": "en",
    } | fields
    return call("POST", "/resources", claims=claims(board), body=body)


def test_board_publishes_a_resource_with_a_short_lived_upload_url(published: Member) -> None:
    reply = add_resource(published)

    assert reply.status == 201
    assert_presigned(reply.body["upload_url"], f"resources/{reply.body['resource_id']}")


def test_any_member_lists_resources_with_download_urls_and_filters(
    published: Member, user: Member, set_clock: Any
) -> None:
    set_clock(USERS_RELEASE[SUMMER])
    physics = add_resource(published).body["resource_id"]
    add_resource(published, subject="Chemistry", kind="marking_scheme", title="Chem MS")
    add_resource(published, subject="Welsh", series_id=WINTER, language="cy", title="Papur")

    everything = call("GET", "/resources", claims=claims(user))
    by_subject = call("GET", "/resources", claims=claims(user), query={"subject": "Physics"})
    by_kind = call("GET", "/resources", claims=claims(user), query={"kind": "marking_scheme"})
    by_series = call("GET", "/resources", claims=claims(user), query={"series_id": WINTER})

    assert everything.status == 200
    assert len(everything.body["resources"]) == 3
    assert [r["resource_id"] for r in by_subject.body["resources"]] == [physics]
    assert_presigned(by_subject.body["resources"][0]["download_url"], f"resources/{physics}")
    assert [r["title"] for r in by_kind.body["resources"]] == ["Chem MS"]
    assert [r["title"] for r in by_series.body["resources"]] == ["Papur"]


def test_grade_boundaries_are_released_as_results_are(
    portal: Portal, published: Member, exams_officer: Member, set_clock: Any
) -> None:
    add_resource(published, kind="grade_boundaries", title="Summer boundaries")
    user = member_of(portal, Role.USER)
    set_clock(USERS_RELEASE[SUMMER] - ONE_SECOND)

    early_user = call("GET", f"/reports/grade-boundaries/{SUMMER}", claims=claims(user))
    early_list = call("GET", "/resources", claims=claims(user))
    officer = call("GET", f"/reports/grade-boundaries/{SUMMER}", claims=claims(exams_officer))
    set_clock(USERS_RELEASE[SUMMER])
    on_time = call("GET", f"/reports/grade-boundaries/{SUMMER}", claims=claims(user))

    assert (early_user.status, early_user.error_code) == (403, "embargoed")
    assert early_list.body["resources"] == []
    assert officer.status == 200
    assert [r["title"] for r in on_time.body["resources"]] == ["Summer boundaries"]


# --- external services -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "permissions", "service", "level"),
    [
        (Role.EXAMS_OFFICER, None, "entries", "make"),
        (Role.ADMIN, None, "entries", "make"),
        (Role.USER, ENTRIES_USER, "entries", "view"),
        (Role.EXAMS_OFFICER, None, "iamis", "submit"),
        (Role.USER, frozenset({P.RESOURCES, P.IAMIS}), "iamis", "submit"),
        (Role.ADMIN, None, "access_arrangements", "manage"),
        (
            Role.USER,
            frozenset({P.RESOURCES, P.ACCESS_ARRANGEMENTS}),
            "access_arrangements",
            "manage",
        ),
        (Role.USER, frozenset({P.RESOURCES, P.VIEW_SCRIPTS}), "view_scripts", "view"),
    ],
)
def test_external_services_answer_level_and_launch_url(
    portal: Portal,
    centre: str,
    role: Role,
    permissions: frozenset[Permission] | None,
    service: str,
    level: str,
) -> None:
    member = member_of(
        portal, role, **({} if permissions is None else {"permissions": permissions})
    )

    reply = call("GET", f"/centres/{centre}/services/{service}", claims=claims(member))

    assert reply.status == 200
    assert (reply.body["service"], reply.body["level"]) == (service, level)
    assert reply.body["launch_url"].startswith("https://")


@pytest.mark.parametrize("service", ["entries", "iamis", "access_arrangements", "view_scripts"])
def test_external_services_are_refused_without_the_permission(user: Member, service: str) -> None:
    reply = call("GET", f"/centres/{CENTRE_ID}/services/{service}", claims=claims(user))

    assert (reply.status, reply.error_code) == (403, "forbidden")


def test_view_scripts_reminds_that_candidates_must_consent(exams_officer: Member) -> None:
    reply = call("GET", f"/centres/{CENTRE_ID}/services/view_scripts", claims=claims(exams_officer))

    assert "candidate's permission" in reply.body["notice"]["en"]
    assert "JCQ" in reply.body["notice"]["cy"]


def test_launch_urls_come_from_the_stack_configuration(
    monkeypatch: pytest.MonkeyPatch, exams_officer: Member
) -> None:
    from tests.support.portal import reset_caches

    monkeypatch.setenv("IAMIS_URL", "https://iamis.board.example/launch")
    reset_caches()

    reply = call("GET", f"/centres/{CENTRE_ID}/services/iamis", claims=claims(exams_officer))

    assert reply.body["launch_url"] == "https://iamis.board.example/launch"


@pytest.mark.parametrize(
    ("centre_id", "service", "status"),
    [(CENTRE_ID, "a2c_keys", 404), (CENTRE_ID, "unknown", 404), ("68002", "iamis", 404)],
)
def test_unknown_services_and_other_centres_are_not_found(
    exams_officer: Member, centre_id: str, service: str, status: int
) -> None:
    reply = call("GET", f"/centres/{centre_id}/services/{service}", claims=claims(exams_officer))

    assert reply.status == status
