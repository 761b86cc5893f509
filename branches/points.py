"""Service points that are not counters of the lobby.

Home visits (app ``outreach``) are recorded through a counter of code ``HOME``, opened only for the
moment a visit's business is recorded. It is no counter a customer can walk up to: the lobby
manager's dashboard, the tellers' counter list and transfers leave it out.
"""

HOME_VISIT_CODE = "HOME"


def is_home_visit(point) -> bool:
    return point.code == HOME_VISIT_CODE
