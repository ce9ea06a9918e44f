"""Arguments of the sessions resource: session status filters and participant (join) token permissions."""

from __future__ import annotations

from videosdk_provider.bodies.checking import Checker, allowed, shown

#: Permissions of a participant (join) token.
PARTICIPANT_PERMISSIONS = ("allow_join", "ask_join", "allow_mod")


def check_permissions(check: Checker, path: str, value: object) -> None:
    """Check participant token permissions: known names, and ``ask_join`` never with another."""
    if check.skip(value):
        return
    if not isinstance(value, (list, tuple)) or not value:
        check.fail(
            path, f"expected a non-empty list of {allowed(PARTICIPANT_PERMISSIONS)}, got {shown(value)}"
        )
        return
    for index, item in enumerate(value):
        check.choice(f"{path}[{index}]", item, PARTICIPANT_PERMISSIONS)
    names = {item for item in value if isinstance(item, str)}
    if "ask_join" in names and names & {"allow_join", "allow_mod"}:
        check.fail(
            path,
            "'ask_join' cannot be combined with 'allow_join' or 'allow_mod': client SDKs reject "
            "such a token (error 4008 INVALID_PERMISSIONS)",
        )
