"""The staff home page as a signed-in member of staff sees it (tests of each app's attention.py)."""


def staff_home(client, user) -> str:
    client.force_login(user)
    response = client.get("/staff/")
    assert response.status_code == 200
    return response.content.decode()
