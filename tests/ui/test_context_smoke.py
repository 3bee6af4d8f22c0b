def test_context_knows_the_acting_user(ctx):
    assert ctx.actor.name == "Ruth Kaplan"
    assert ctx.chair_refusal() is not None
