from django.apps import AppConfig


class BranchsvcConfig(AppConfig):
    name = "branchsvc"
    verbose_name = "Branch service platform"
