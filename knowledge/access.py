"""Who may do what with knowledge articles.

Drafting: business departments (department staff and heads) and branch admins. Reviewing:
compliance officers. Reading: every staff member. Customers, kiosks and anonymous visitors see
published articles meant for the public only.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from branches.access import user_role
from branches.roles import STAFF_ROLES, Role
from knowledge.models import Article, ArticleVersion

DRAFTERS = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD, Role.BRANCH_ADMIN})
REVIEWERS = frozenset({Role.COMPLIANCE_OFFICER})
# Archiving retires content: the owning side or the reviewing side may do it.
ARCHIVERS = frozenset({Role.DEPARTMENT_HEAD, Role.BRANCH_ADMIN, Role.COMPLIANCE_OFFICER})
READERS = frozenset(STAFF_ROLES)


def is_staff_reader(user) -> bool:
    return user_role(user) in READERS


def can_draft(user) -> bool:
    return user_role(user) in DRAFTERS


def can_review(user) -> bool:
    return user_role(user) in REVIEWERS


def can_archive(user) -> bool:
    return user_role(user) in ARCHIVERS


def article_for_user(user, slug: str, *, write: bool = False) -> Article:
    """The article `slug` as `user` may see it: unpublished and staff-only articles are 404 for
    customers and anonymous visitors; writing needs a drafting role (403)."""
    article = Article.objects.select_related("live_version", "category", "category__parent").filter(
        slug=slug).first()
    if article is None:
        raise Http404("no such article")
    if not is_staff_reader(user):
        if article.status != Article.Status.PUBLISHED or article.audience != Article.Audience.PUBLIC:
            raise Http404("no such article")
    if write and not can_draft(user):
        raise PermissionDenied
    return article


def version_for_reviewer(user, version_id: int) -> ArticleVersion:
    if not can_review(user):
        raise PermissionDenied
    version = ArticleVersion.objects.select_related("article", "author").filter(pk=version_id).first()
    if version is None:
        raise Http404("no such version")
    return version
