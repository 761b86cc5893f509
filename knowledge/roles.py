from branches.roles import Role

_READ = ["knowledge.view_article", "knowledge.view_articleversion", "knowledge.view_category"]
_DRAFT = [*_READ, "knowledge.add_article", "knowledge.change_article",
          "knowledge.add_articleversion", "knowledge.view_knowledgegap"]
_SYNONYMS = ["knowledge.view_synonymgroup", "knowledge.add_synonymgroup",
             "knowledge.change_synonymgroup", "knowledge.delete_synonymgroup"]

ROLE_PERMISSIONS = {
    Role.TELLER: _READ,
    Role.WEALTH_MANAGER: _READ,
    Role.LOBBY_MANAGER: _READ,
    Role.BRANCH_ADMIN: _DRAFT,
    Role.DEPARTMENT_STAFF: _DRAFT,
    Role.DEPARTMENT_HEAD: _DRAFT,
    Role.COMPLIANCE_OFFICER: [*_READ, "knowledge.change_articleversion",
                              "knowledge.view_knowledgegap", *_SYNONYMS],
    Role.HEAD_OFFICE_ADMIN: [*_READ, *_SYNONYMS, "knowledge.view_knowledgegap",
                             "knowledge.add_category", "knowledge.change_category"],
}
