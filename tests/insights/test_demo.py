import io

from insights import demo
from insights.models import BranchDayStat


def test_the_demo_seed_rolls_up_every_branch(branch, other_branch):
    out = io.StringIO()
    demo.seed(stdout=out)
    assert BranchDayStat.objects.filter(branch=branch).count() == demo.DEMO_DAYS
    assert "rolled up" in out.getvalue()
