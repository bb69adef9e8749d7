from tests.api.client import ApiClient, Workspace


def test_signup_then_me(api: ApiClient, workspace: Workspace) -> None:
    reply = api.get("/me", workspace.token("agent"))
    assert reply.status == 200
    assert reply.body["user"]["role"] == "agent"
    assert "tickets.write" in reply.body["permissions"]
