"""Invite a board staff member into a deployed or local pool: nobody can sign up.

    python -m ops.board_admin --email ann@board.example --first-name Ann --surname Jones \
        --user-pool-id eu-west-2_abc --table-name <TableName> --board-domain board.example

The pool id and table name are the stack outputs UserPoolId and TableName. The new member
receives the invite email with a temporary password through the pool's custom message trigger.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from shared.adapters.directory import CognitoDirectory
from shared.adapters.store import DynamoStore
from shared.domain.errors import PortalError
from shared.domain.management import MemberManagement


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--email", required=True)
    parser.add_argument("--first-name", required=True)
    parser.add_argument("--surname", required=True)
    parser.add_argument("--user-pool-id", default=os.environ.get("USER_POOL_ID"))
    parser.add_argument("--table-name", default=os.environ.get("TABLE_NAME"))
    parser.add_argument(
        "--board-domain",
        action="append",
        default=None,
        help="an email domain of the awarding body (repeatable); default BOARD_EMAIL_DOMAIN",
    )
    args = parser.parse_args(argv)
    args.board_domain = args.board_domain or [os.environ.get("BOARD_EMAIL_DOMAIN", "")]
    if not (args.user_pool_id and args.table_name and all(args.board_domain)):
        parser.error("--user-pool-id, --table-name and --board-domain are required")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    management = MemberManagement(DynamoStore(args.table_name), CognitoDirectory(args.user_pool_id))
    try:
        member = management.add_board_staff(
            args.email, args.first_name, args.surname, args.board_domain
        )
    except PortalError as error:
        print(f"not invited: {error.code}", file=sys.stderr)
        return 1
    print(f"invited {member.email} as board staff ({member.user_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
